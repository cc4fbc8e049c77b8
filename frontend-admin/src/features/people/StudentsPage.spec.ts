import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { MajorList, Student, StudentPage } from '@goorm/contracts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import { problem, server } from '../../testing/server.ts';
import StudentsPage from './StudentsPage.vue';
import { majorList, student, studentPage } from './fixtures.ts';

/** Answers the majors and the student search, keeping each search's query. */
function serveList(answer: (url: URL) => StudentPage = () => studentPage()) {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get('*/api/lectures/majors', () => HttpResponse.json(majorList() satisfies MajorList)),
    http.get('*/api/auth/students', ({ request }) => {
      const url = new URL(request.url);
      queries.push(url.searchParams);
      return HttpResponse.json(answer(url) satisfies StudentPage);
    }),
  );
  return queries;
}

const render = () => renderWithApp(StudentsPage, { route: '/students', session: staffSession() });

describe('students screen', () => {
  it('lists students from the server on load, each linked to their page, with the major by name', async () => {
    const queries = serveList();
    await render();

    const link = await screen.findByRole('link', { name: '김구름 학생 정보' });
    expect(link).toHaveAttribute('href', '/students/7');
    const row = link.closest('tr')!;
    expect(row).toHaveTextContent('20240001');
    expect(await within(row).findByText('컴퓨터공학과')).toBeInTheDocument();
    expect(queries[0]!.get('page')).toBe('1');
    expect(queries[0]!.get('size')).toBe('20');
  });

  it('searches on the server by name or number, major and grade, from page 1', async () => {
    const queries = serveList((url) => studentPage([student()], { page: Number(url.searchParams.get('page')), total: 45 }));
    await render();
    await screen.findByRole('link', { name: '김구름 학생 정보' });
    await userEvent.click(screen.getByRole('button', { name: '다음' }));
    await expect.poll(() => queries.at(-1)?.get('page')).toBe('2');

    await userEvent.type(screen.getByLabelText('이름 또는 학번'), '김');
    await userEvent.selectOptions(screen.getByLabelText('전공'), '수학과');
    await userEvent.selectOptions(screen.getByLabelText('학년'), '3학년');
    await userEvent.click(screen.getByRole('button', { name: '검색' }));

    await expect.poll(() => queries.length).toBe(3);
    const q = queries.at(-1)!;
    expect(Object.fromEntries(q)).toEqual({ q: '김', majorId: '2', grade: '3', page: '1', size: '20' });
  });

  it("creates a student and shows the API's message at each refused field", async () => {
    serveList();
    const sent: unknown[] = [];
    server.use(
      http.post('*/api/auth/students', async ({ request }) => {
        sent.push(await request.json());
        return problem(400, 'VALIDATION_FAILED', {
          errors: [
            { field: 'body.studentNo', message: 'must be exactly 8 digits' },
            { field: 'body.password', message: 'must be at least 8 characters' },
          ],
        });
      }),
    );
    await render();
    await userEvent.click(await screen.findByRole('button', { name: '학생 추가' }));
    const dialog = screen.getByRole('dialog', { name: '학생 추가' });
    await userEvent.type(within(dialog).getByLabelText(/학번/), '123');
    await userEvent.type(within(dialog).getByLabelText(/이름/), '새학생');
    await userEvent.selectOptions(within(dialog).getByLabelText(/전공/), '컴퓨터공학과');
    await userEvent.type(within(dialog).getByLabelText(/비밀번호/), 'short');
    await userEvent.click(within(dialog).getByRole('button', { name: '저장' }));

    const number = within(dialog).getByLabelText(/학번/);
    await expect.poll(() => number.getAttribute('aria-invalid')).toBe('true');
    expect(number).toHaveAccessibleDescription('must be exactly 8 digits');
    expect(within(dialog).getByLabelText(/비밀번호/)).toHaveAccessibleDescription('must be at least 8 characters');
    expect(within(dialog).getAllByRole('alert').some((a) => a.textContent?.includes('입력한 값을 확인해 주세요.'))).toBe(true);
    expect(sent).toEqual([{ studentNo: '123', name: '새학생', majorId: 1, grade: 1, maxCredits: 18, password: 'short' }]);
  });

  it('edits grade, major and max credits, and resets the password only when a new one is typed', async () => {
    serveList();
    const sent: unknown[] = [];
    server.use(
      http.put('*/api/auth/students/7', async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        sent.push(body);
        return HttpResponse.json(student({ grade: 4, maxCredits: 21 }) satisfies Student);
      }),
    );
    await render();
    await userEvent.click(await screen.findByRole('button', { name: '김구름 수정' }));
    const dialog = screen.getByRole('dialog', { name: '김구름 학생 수정' });
    await userEvent.selectOptions(within(dialog).getByLabelText(/학년/), '4학년');
    const credits = within(dialog).getByLabelText(/최대 학점/);
    await userEvent.clear(credits);
    await userEvent.type(credits, '21');
    await userEvent.click(within(dialog).getByRole('button', { name: '저장' }));
    expect(await screen.findByRole('status')).toHaveTextContent('김구름 학생 정보를 저장했습니다.');
    expect(sent[0]).toEqual({ studentNo: '20240001', name: '김구름', majorId: 1, grade: 4, maxCredits: 21 });

    await userEvent.click(screen.getByRole('button', { name: '김구름 수정' }));
    const again = screen.getByRole('dialog', { name: '김구름 학생 수정' });
    await userEvent.type(within(again).getByLabelText(/새 비밀번호/), 'new-password-1');
    await userEvent.click(within(again).getByRole('button', { name: '저장' }));
    await expect.poll(() => sent.length).toBe(2);
    expect(sent[1]).toMatchObject({ password: 'new-password-1' });
  });

  it('says why a student with enrollments cannot be deleted', async () => {
    serveList();
    let deletes = 0;
    server.use(
      http.delete('*/api/auth/students/7', () => {
        deletes++;
        return problem(409, 'IN_USE', { detail: 'Student 7 still holds enrollments; drop them first' });
      }),
    );
    await render();
    await userEvent.click(await screen.findByRole('button', { name: '김구름 삭제' }));
    const dialog = screen.getByRole('dialog', { name: '학생 삭제' });
    expect(dialog).toHaveTextContent('김구름 (20240001) 학생 계정을 삭제할까요?');
    await userEvent.click(within(dialog).getByRole('button', { name: '삭제' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('사용 중이라 바꿀 수 없습니다.');
    expect(alert).toHaveTextContent('이 학생은 수강신청한 과목이 있어 삭제할 수 없습니다. 먼저 수강을 취소하세요.');
    expect(alert).toHaveTextContent('still holds enrollments');
    expect(deletes).toBe(1);
  });

  it('hands focus back to the button that opened a dialog, or to the message when the row is gone', async () => {
    serveList();
    server.use(http.delete('*/api/auth/students/7', () => new HttpResponse(null, { status: 204 })));
    await render();
    const edit = await screen.findByRole('button', { name: '김구름 수정' });
    await userEvent.click(edit);
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '취소' }));
    await expect.poll(() => document.activeElement).toBe(edit);

    await userEvent.click(screen.getByRole('button', { name: '김구름 삭제' }));
    serveList(() => studentPage([]));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '삭제' }));
    const message = await screen.findByText('김구름 학생을 삭제했습니다.');
    await expect.poll(() => document.activeElement).toBe(message);
  });
});
