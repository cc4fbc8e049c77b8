import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Lecture, LectureInput, LecturePage, MajorList } from '@goorm/contracts';
import { problem, server } from '../../testing/server.ts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import LecturesPage from './LecturesPage.vue';
import { lecture, major } from './catalog.fixtures.ts';

describe('lectures', () => {
  it('searches on the server and pages through the answer', async () => {
    const asked: string[] = [];
    server.use(
      http.get('*/api/lectures/majors', () => HttpResponse.json({ items: [major()] } satisfies MajorList)),
      http.get('*/api/lectures/lectures', ({ request }) => {
        const url = new URL(request.url);
        asked.push(url.search);
        return HttpResponse.json({ items: [lecture()], total: 45, page: Number(url.searchParams.get('page')), size: 20 } satisfies LecturePage);
      }),
    );
    await renderWithApp(LecturesPage, { route: '/catalog/lectures', session: staffSession() });
    await userEvent.type(await screen.findByLabelText('코드 또는 강의명 검색'), '자료');
    await userEvent.click(screen.getByRole('button', { name: '검색' }));
    expect(await screen.findByText('1 / 3 쪽 (전체 45건)')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: '다음' }));
    expect(await screen.findByText('2 / 3 쪽 (전체 45건)')).toBeInTheDocument();

    expect(asked).toEqual(['?page=1&size=20', `?q=${encodeURIComponent('자료')}&page=1&size=20`, `?q=${encodeURIComponent('자료')}&page=2&size=20`]);
  });

  it("creates a lecture, and shows a refusal's messages at its fields", async () => {
    const sent: LectureInput[] = [];
    server.use(
      http.get('*/api/lectures/majors', () => HttpResponse.json({ items: [major()] } satisfies MajorList)),
      http.get('*/api/lectures/lectures', () => HttpResponse.json({ items: [], total: 0, page: 1, size: 20 } satisfies LecturePage)),
      http.post('*/api/lectures/lectures', async ({ request }) => {
        const body = (await request.json()) as LectureInput;
        sent.push(body);
        if (body.code === 'CSE2010') return problem(409, 'DUPLICATE', { errors: [{ field: 'body.code', message: 'already exists' }] });
        return HttpResponse.json(lecture({ id: 99, code: body.code }) satisfies Lecture, { status: 201 });
      }),
    );
    await renderWithApp(LecturesPage, { route: '/catalog/lectures', session: staffSession() });
    await userEvent.click(screen.getByRole('button', { name: '새 강의' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('강의 코드'), 'CSE2010');
    await userEvent.type(within(dialog).getByLabelText('강의명'), '자료구조');
    await userEvent.selectOptions(within(dialog).getByLabelText('개설 전공'), '컴퓨터공학과');
    await userEvent.click(within(dialog).getByRole('button', { name: '저장' }));

    expect(await within(dialog).findByText('already exists')).toHaveAttribute('id', 'lecture-code-error');
    expect(screen.getAllByText('이미 있습니다.').length).toBeGreaterThan(0);

    await userEvent.clear(within(dialog).getByLabelText('강의 코드'));
    await userEvent.type(within(dialog).getByLabelText('강의 코드'), 'CSE2999');
    await userEvent.click(within(dialog).getByRole('button', { name: '저장' }));

    expect(await screen.findByText('저장했습니다.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(sent[1]).toEqual({ code: 'CSE2999', title: '자료구조', titleEn: '', credits: 3, category: 'MAJOR_ELECTIVE', majorId: 1, description: null });
  });
});
