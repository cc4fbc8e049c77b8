import userEvent from '@testing-library/user-event';
import { screen, waitFor, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { NoticeList } from '@goorm/contracts';
import { useNoticesStore } from '../../stores/notices.ts';
import { makeNotice } from '../../testing/fixtures.ts';
import { demoSession, renderWithApp } from '../../testing/render.ts';
import { server } from '../../testing/server.ts';
import NoticesMenu from './NoticesMenu.vue';

const list: NoticeList = {
  items: [
    makeNotice({ id: 12, kind: 'WAITLIST_PROMOTED', lectureTitle: '자료구조', sectionNo: 1 }),
    makeNotice({ id: 11, kind: 'WAITLIST_SKIPPED', lectureTitle: '운영체제', sectionNo: 2, code: 'CREDIT_LIMIT' }),
    makeNotice({ id: 10, kind: 'WAITLIST_REMOVED', lectureTitle: '알고리즘', sectionNo: 1, reason: '선수과목 미이수', readAt: '2026-02-10T02:00:00.000Z' }),
  ],
  unread: 2,
};

async function renderMenu(locale: 'ko' | 'en' = 'ko') {
  const read: unknown[] = [];
  server.use(
    http.get('/api/enrollments/notices/me', () => HttpResponse.json(list)),
    http.post('/api/enrollments/notices/me/read', async ({ request }) => {
      read.push(await request.json());
      return new HttpResponse(null, { status: 204 });
    }),
  );
  const rendered = await renderWithApp(NoticesMenu, { session: demoSession(), route: '/', locale });
  await useNoticesStore().load();
  return { ...rendered, read };
}

describe('NoticesMenu (알림)', () => {
  it('says how many are unread on a collapsed button', async () => {
    await renderMenu();

    const button = screen.getByRole('button', { name: '알림, 읽지 않은 알림 2개' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(button).toHaveTextContent('2');
    expect(screen.queryByRole('region', { name: '알림' })).toBeNull();
  });

  it('opens the list with each notice in words, and marks them read up to the newest', async () => {
    const user = userEvent.setup();
    const { read } = await renderMenu();

    await user.click(screen.getByRole('button', { name: '알림, 읽지 않은 알림 2개' }));

    const panel = screen.getByRole('region', { name: '알림' });
    const items = within(panel).getAllByRole('listitem').map((li) => li.textContent ?? '');
    expect(items[0]).toContain('자료구조 1분반 대기 순번이 되어 자동 신청되었습니다');
    expect(items[1]).toContain('운영체제 2분반에 빈 자리가 났지만 신청할 수 없어 다음 학생에게 넘어갔습니다 (학점 상한 초과). 대기 순번은 그대로입니다');
    expect(items[2]).toContain('알고리즘 1분반 대기에서 제외되었습니다 (사유: 선수과목 미이수)');
    // The two that were unread keep a 새 알림 tag while the panel stays open.
    expect(within(panel).getAllByText('새 알림')).toHaveLength(2);
    await waitFor(() => expect(read).toEqual([{ upToId: 12 }]));
    const button = screen.getByRole('button', { name: '알림' });
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(button).toHaveAttribute('aria-controls', panel.id);
  });

  it('closes with Escape and gives focus back to the button', async () => {
    const user = userEvent.setup();
    await renderMenu();
    await user.click(screen.getByRole('button', { name: /^알림/ }));
    expect(screen.getByRole('region', { name: '알림' })).toBeVisible();
    await user.tab();
    expect(screen.getByRole('button', { name: '알림 닫기' })).toHaveFocus();

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('region', { name: '알림' })).toBeNull();
    const button = screen.getByRole('button', { name: '알림' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(button).toHaveFocus();
  });

  it('speaks English', async () => {
    const user = userEvent.setup();
    await renderMenu('en');

    await user.click(screen.getByRole('button', { name: 'Notices, 2 unread' }));

    expect(within(screen.getByRole('region', { name: 'Notices' })).getAllByRole('listitem')[0]).toHaveTextContent(
      'Your turn on the waitlist came: you are now registered for 자료구조 sec. 1',
    );
  });
});
