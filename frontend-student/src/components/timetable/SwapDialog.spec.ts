import userEvent from '@testing-library/user-event';
import { screen } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page, Section } from '@goorm/contracts';
import { makeSection } from '../../testing/fixtures.ts';
import { renderWithApp } from '../../testing/render.ts';
import { server } from '../../testing/server.ts';
import SwapDialog from './SwapDialog.vue';

const current = makeSection({ id: 1, sectionNo: 1, lecture: { id: 10 } });
const second = makeSection({ id: 2, sectionNo: 2, professor: { id: 4, name: '박교수' }, lecture: { id: 10 }, capacity: 30, enrolled: 25, meetings: [{ day: 'TUE', startPeriod: 3, endPeriod: 4 }] });

let searched: string[] = [];
beforeEach(() => {
  searched = [];
  server.use(
    http.get('/api/lectures/sections', ({ request }) => {
      searched.push(new URL(request.url).search);
      return HttpResponse.json({ items: [current, second], total: 2, page: 1, size: 100 } satisfies Page<Section>);
    }),
  );
});

describe('SwapDialog', () => {
  it('offers the other sections of the same lecture and swaps to the chosen one in one step', async () => {
    const user = userEvent.setup();
    const { emitted } = await renderWithApp(SwapDialog, { props: { from: current } });

    const dialog = screen.getByRole('dialog', { name: '분반 변경' });
    expect(dialog).toHaveTextContent('자료구조 1분반을(를) 같은 강의의 다른 분반으로 한 번에 바꿉니다.');
    const option = await screen.findByRole('radio', { name: '2분반 · 박교수 · 화 3–4교시 (11:00–12:50) · 잔여 5석' });
    expect(searched).toEqual(['?lectureId=10&size=100']);
    expect(screen.getAllByRole('radio')).toHaveLength(1);
    expect(screen.getByRole('button', { name: '변경' })).toBeDisabled();

    await user.click(option);
    await user.click(screen.getByRole('button', { name: '변경' }));

    expect(emitted().swap).toEqual([[current, second]]);
  });

  it('closes with Escape, focusing "돌아가기" first so a stray Enter changes nothing', async () => {
    const user = userEvent.setup();
    const { emitted } = await renderWithApp(SwapDialog, { props: { from: current } });

    await screen.findByRole('radio');
    expect(screen.getByRole('button', { name: '돌아가기' })).toHaveFocus();
    await user.keyboard('{Escape}');

    expect(emitted().cancel).toHaveLength(1);
    expect(emitted().swap).toBeUndefined();
  });
});
