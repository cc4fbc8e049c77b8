import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { SectionWaitlist, StaffWaitlistEntry } from '@goorm/contracts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import { problem, server } from '../../testing/server.ts';
import SectionWaitlistPage from './SectionWaitlistPage.vue';
import { moved, sectionWaitlist, threeWaiting } from './waitlist.fixtures.ts';

/** Section 42's waitlist as the API keeps it: moves and removals change it; every write is recorded. */
function serveWaitlist(initial: StaffWaitlistEntry[] = threeWaiting()) {
  let items = initial;
  const moves: Array<{ studentId: string; body: unknown }> = [];
  const removals: Array<{ studentId: string; reason: string | null }> = [];
  server.use(
    http.get('*/api/enrollments/sections/42/waitlist', () => HttpResponse.json(sectionWaitlist(items) satisfies SectionWaitlist)),
    http.put('*/api/enrollments/sections/42/waitlist/:studentId', async ({ params, request }) => {
      const body = (await request.json()) as { position: number; reason: string };
      moves.push({ studentId: String(params.studentId), body });
      if (!items.some((i) => i.studentId === Number(params.studentId))) return problem(404, 'NOT_FOUND', { detail: 'not on this waitlist' });
      items = moved(items, Number(params.studentId), body.position);
      return HttpResponse.json(sectionWaitlist(items) satisfies SectionWaitlist);
    }),
    http.delete('*/api/enrollments/sections/42/waitlist/:studentId', ({ params, request }) => {
      removals.push({ studentId: String(params.studentId), reason: new URL(request.url).searchParams.get('reason') });
      items = items.filter((i) => i.studentId !== Number(params.studentId)).map((i, n) => ({ ...i, position: n + 1 }));
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { moves, removals };
}

const rows = () => within(screen.getByTestId('waitlist-table')).getAllByRole('row').slice(1);

describe("a section's waitlist", () => {
  it('shows the section and the students in order: position, 학번, name, grade, when they joined, their last skip', async () => {
    serveWaitlist();
    await renderWithApp(SectionWaitlistPage, { route: '/catalog/sections/42/waitlist', session: staffSession() });

    expect(await screen.findByRole('heading', { level: 1, name: 'CSE2010 자료구조 1분반 수강 대기' })).toBeInTheDocument();
    expect(screen.getByText('대기 3명 · 수강 인원 40 / 정원 40')).toBeInTheDocument();
    expect(within(screen.getByTestId('waitlist-table')).getAllByRole('columnheader').map((h) => h.textContent?.trim())).toEqual([
      '순번', '학번', '이름', '학년', '대기 시작', '최근 건너뜀', '작업',
    ]);
    expect(rows()[0]).toHaveTextContent(/^1\s*20240001\s*김구름\s*3/);
    expect(rows()[1]).toHaveTextContent('시간이 겹칩니다.');
    expect(rows()[2]).toHaveTextContent(/^3\s*20260001\s*박바다\s*1/);
    expect(screen.getByRole('link', { name: '박바다' })).toHaveAttribute('href', '/students/9');
    // The first cannot go up, the last cannot go down.
    expect(screen.getByRole('button', { name: '김구름 한 칸 위로' })).toBeDisabled();
    expect(screen.getByRole('button', { name: '박바다 한 칸 아래로' })).toBeDisabled();
    expect(screen.getByRole('link', { name: '이 분반의 감사 로그 보기' })).toHaveAttribute('href', '/audit?sectionId=42');
    expect(screen.getByRole('link', { name: '수강생 명단' })).toHaveAttribute('href', '/catalog/sections/42/roster');
  });

  it('moves the third student to position 1 with a reason (the reason is asked for first) and shows the new order', async () => {
    const { moves } = serveWaitlist();
    await renderWithApp(SectionWaitlistPage, { route: '/catalog/sections/42/waitlist', session: staffSession() });
    await screen.findByTestId('waitlist-table');

    await userEvent.click(screen.getByRole('button', { name: '박바다 순번 바꾸기' }));
    const dialog = screen.getByRole('dialog', { name: '대기 순번 바꾸기' });
    expect(dialog).toHaveTextContent('박바다 (20260001) 학생: 지금 3번 / 전체 3명');
    const position = within(dialog).getByLabelText(/새 순번/);
    expect(position).toHaveValue(3);
    await userEvent.clear(position);
    await userEvent.type(position, '1');
    await userEvent.click(within(dialog).getByRole('button', { name: '순번 바꾸기' }));
    expect(within(dialog).getByLabelText(/사유/)).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByLabelText(/사유/)).toHaveAccessibleDescription(/사유를 입력해 주세요/);
    expect(moves).toEqual([]);

    await userEvent.type(within(dialog).getByLabelText(/사유/), '장애 학생 우선 배정');
    await userEvent.click(within(dialog).getByRole('button', { name: '순번 바꾸기' }));

    expect(await screen.findByTestId('waitlist-change')).toHaveTextContent('박바다 학생을 1번으로 옮겼습니다.');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(moves).toEqual([{ studentId: '9', body: { position: 1, reason: '장애 학생 우선 배정' } }]);
    expect(rows().map((r) => within(r).getByRole('rowheader').textContent?.trim())).toEqual(['박바다', '김구름', '이하늘']);
    expect(rows()[0]).toHaveTextContent(/^1\s*20260001/);
  });

  it('moves one place down from the keyboard: the dialog starts at the next position', async () => {
    const { moves } = serveWaitlist();
    await renderWithApp(SectionWaitlistPage, { route: '/catalog/sections/42/waitlist', session: staffSession() });
    await screen.findByTestId('waitlist-table');

    screen.getByRole('button', { name: '김구름 한 칸 아래로' }).focus();
    await userEvent.keyboard('{Enter}');
    const dialog = screen.getByRole('dialog', { name: '대기 순번 바꾸기' });
    expect(within(dialog).getByLabelText(/새 순번/)).toHaveValue(2);
    await userEvent.type(within(dialog).getByLabelText(/사유/), '학생 요청');
    await userEvent.keyboard('{Tab}{Enter}');

    await screen.findByTestId('waitlist-change');
    expect(moves).toEqual([{ studentId: '7', body: { position: 2, reason: '학생 요청' } }]);
    expect(rows().map((r) => within(r).getByRole('rowheader').textContent?.trim())).toEqual(['이하늘', '김구름', '박바다']);
  });

  it('refuses a position outside the list before sending', async () => {
    const { moves } = serveWaitlist();
    await renderWithApp(SectionWaitlistPage, { route: '/catalog/sections/42/waitlist', session: staffSession() });
    await screen.findByTestId('waitlist-table');

    await userEvent.click(screen.getByRole('button', { name: '이하늘 순번 바꾸기' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.clear(within(dialog).getByLabelText(/새 순번/));
    await userEvent.type(within(dialog).getByLabelText(/새 순번/), '7');
    await userEvent.type(within(dialog).getByLabelText(/사유/), '시험');
    await userEvent.click(within(dialog).getByRole('button', { name: '순번 바꾸기' }));

    expect(within(dialog).getByLabelText(/새 순번/)).toHaveAccessibleDescription(/1 ~ 3 사이의 순번을 입력해 주세요/);
    expect(moves).toEqual([]);
  });

  it('removes a student with a reason after asking, and the list closes up', async () => {
    const { removals } = serveWaitlist();
    await renderWithApp(SectionWaitlistPage, { route: '/catalog/sections/42/waitlist', session: staffSession() });
    await screen.findByTestId('waitlist-table');

    await userEvent.click(screen.getByRole('button', { name: '김구름 대기에서 빼기' }));
    const dialog = screen.getByRole('dialog', { name: '대기에서 빼기' });
    expect(dialog).toHaveTextContent('김구름 (20240001) 학생을 1번 대기에서 뺍니다.');
    await userEvent.click(within(dialog).getByRole('button', { name: '대기에서 빼기' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('사유를 입력해 주세요.');
    expect(removals).toEqual([]);

    await userEvent.type(within(dialog).getByLabelText(/사유/), '이미 다른 분반 수강');
    await userEvent.click(within(dialog).getByRole('button', { name: '대기에서 빼기' }));

    expect(await screen.findByTestId('waitlist-change')).toHaveTextContent('김구름 학생을 대기에서 뺐습니다.');
    expect(removals).toEqual([{ studentId: '7', reason: '이미 다른 분반 수강' }]);
    await expect.poll(() => rows().length).toBe(2);
    expect(rows()[0]).toHaveTextContent(/^1\s*20250001\s*이하늘/);
  });

  it("keeps the dialog open with the API's refusal when the student has left meanwhile, and re-reads the list", async () => {
    serveWaitlist();
    await renderWithApp(SectionWaitlistPage, { route: '/catalog/sections/42/waitlist', session: staffSession() });
    await screen.findByTestId('waitlist-table');
    await userEvent.click(screen.getByRole('button', { name: '박바다 순번 바꾸기' }));
    server.use(http.put('*/api/enrollments/sections/42/waitlist/:studentId', () => problem(404, 'NOT_FOUND', { detail: 'not on this waitlist' })));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/사유/), '시험');
    await userEvent.click(within(dialog).getByRole('button', { name: '순번 바꾸기' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('찾을 수 없습니다.');
    expect(dialog).toHaveTextContent('not on this waitlist');
  });

  it('says so when nobody is waiting, and reads in English', async () => {
    serveWaitlist([]);
    await renderWithApp(SectionWaitlistPage, { route: '/catalog/sections/42/waitlist', session: staffSession(), locale: 'en' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Waitlist of CSE2010 자료구조 section 1' })).toBeInTheDocument();
    expect(screen.getByText('Nobody is waiting.')).toBeInTheDocument();
  });
});
