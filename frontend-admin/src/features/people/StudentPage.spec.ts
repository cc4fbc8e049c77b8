import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Cart, Dropped, Enrolled, MajorList, SectionPage, Student, Timetable } from '@goorm/contracts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import { problem, server } from '../../testing/server.ts';
import StudentPage from './StudentPage.vue';
import { cart, majorList, section, student, timetable } from './fixtures.ts';

const held = section();
const wanted = section({ id: 43, lectureId: 11, sectionNo: 2, lecture: { ...held.lecture, id: 11, code: 'CSE3020', title: '운영체제', titleEn: 'Operating Systems' } });

function serveStudent(t: Timetable = timetable([held]), c: Cart = cart([wanted])) {
  server.use(
    http.get('*/api/lectures/majors', () => HttpResponse.json(majorList() satisfies MajorList)),
    http.get('*/api/auth/students/7', () => HttpResponse.json(student() satisfies Student)),
    http.get('*/api/enrollments/students/7', () => HttpResponse.json(t satisfies Timetable)),
    http.get('*/api/carts/students/7', () => HttpResponse.json(c satisfies Cart)),
  );
}

const render = () => renderWithApp(StudentPage, { route: '/students/7', session: staffSession() });
const enrolled = (): Enrolled => ({ sectionId: 43, lectureId: 11, studentId: 7, createdAt: '2026-03-02T02:00:00.000Z', totalCredits: 6, maxCredits: 18 });

describe("a student's page", () => {
  it('shows the profile, the timetable with total credits and a roster link, and the cart', async () => {
    serveStudent();
    await render();
    expect(await screen.findByRole('heading', { level: 1, name: '김구름 (20240001)' })).toBeInTheDocument();
    expect(await screen.findByText('컴퓨터공학과')).toBeInTheDocument();
    expect(await screen.findByText('신청 학점 3 / 최대 18')).toBeInTheDocument();
    const row = screen.getByRole('rowheader', { name: 'CSE2010 자료구조' }).closest('tr')!;
    expect(row).toHaveTextContent('월 1–2, 수 3');
    expect(within(row).getByRole('link', { name: 'CSE2010-1 수강생 명단' })).toHaveAttribute('href', '/catalog/sections/42/roster');
    expect(await screen.findByText('담은 학점 3 / 한도 24')).toBeInTheDocument();
    expect(screen.getByRole('rowheader', { name: 'CSE3020 운영체제' })).toBeInTheDocument();
  });

  it('refuses an override without a reason before sending anything', async () => {
    serveStudent();
    let posts = 0;
    server.use(
      http.post('*/api/enrollments', () => {
        posts++;
        return HttpResponse.json(enrolled(), { status: 201 });
      }),
    );
    await render();
    await userEvent.click(await screen.findByRole('button', { name: '운영체제 강제 신청' }));
    expect(screen.getByLabelText(/선택한 분반/)).toHaveTextContent('CSE3020-2 운영체제');
    await userEvent.type(screen.getByLabelText(/^사유/), '   ');
    await userEvent.click(screen.getByRole('button', { name: '강제 신청' }));
    const reason = screen.getByLabelText(/^사유/);
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(reason).toHaveAccessibleDescription(expect.stringContaining('사유를 입력해 주세요.'));
    expect(posts).toBe(0);
  });

  it('enrolls by override with the reason, over capacity only when ticked, and re-reads the timetable', async () => {
    serveStudent();
    const sent: unknown[] = [];
    server.use(
      http.get('*/api/lectures/sections', () => HttpResponse.json({ items: [{ ...wanted, seatsLeft: 28, reserved: [] }], total: 1, page: 1, size: 20 } satisfies SectionPage)),
      http.post('*/api/enrollments', async ({ request }) => {
        sent.push(await request.json());
        serveStudent(timetable([held, wanted]));
        return HttpResponse.json(enrolled() satisfies Enrolled, { status: 201 });
      }),
    );
    await render();
    await userEvent.type(await screen.findByLabelText('분반 찾기 (과목명, 코드, 교수)'), '운영체제');
    await userEvent.click(screen.getByRole('button', { name: '찾기' }));
    await userEvent.click(await screen.findByRole('button', { name: 'CSE3020-2 운영체제 선택' }));
    await userEvent.type(screen.getByLabelText(/^사유/), '졸업 요건');
    await userEvent.click(screen.getByRole('button', { name: '강제 신청' }));

    expect(await screen.findByText('운영체제에 신청했습니다. 신청 학점 6 / 최대 18.')).toHaveAttribute('role', 'status');
    expect(sent).toEqual([{ sectionId: 43, studentId: 7, reason: '졸업 요건' }]);
    expect(await screen.findByRole('table', { name: '이번 학기 수강 과목' })).toHaveTextContent('CSE3020 운영체제');

    await userEvent.click(screen.getByRole('button', { name: '찾기' }));
    await userEvent.click(await screen.findByRole('button', { name: 'CSE3020-2 운영체제 선택' }));
    await userEvent.type(screen.getByLabelText(/^사유/), '정원 초과 승인');
    await userEvent.click(screen.getByLabelText('정원을 넘어도 신청 (정원 초과 허용)'));
    await userEvent.click(screen.getByRole('button', { name: '강제 신청' }));
    await expect.poll(() => sent.length).toBe(2);
    expect(sent[1]).toEqual({ sectionId: 43, studentId: 7, reason: '정원 초과 승인', allowOverCapacity: true });
  });

  it('says which section clashes, and the credits of a credit-limit refusal', async () => {
    serveStudent();
    let answer = problem(409, 'TIME_CONFLICT', {
      conflict: { sectionId: 42, lectureCode: 'CSE2010', lectureTitle: '자료구조', sectionNo: 1, day: 'MON', startPeriod: 1, endPeriod: 2 },
    });
    server.use(http.post('*/api/enrollments', () => answer));
    await render();
    await userEvent.click(await screen.findByRole('button', { name: '운영체제 강제 신청' }));
    await userEvent.type(screen.getByLabelText(/^사유/), '확인');
    await userEvent.click(screen.getByRole('button', { name: '강제 신청' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('시간이 겹칩니다.');
    expect(alert).toHaveTextContent('겹치는 과목: CSE2010-1 자료구조 (월 1~2교시)');

    answer = problem(409, 'CREDIT_LIMIT', { credits: { current: 17, adding: 3, max: 18 } });
    await userEvent.click(screen.getByRole('button', { name: '강제 신청' }));
    await expect.poll(() => screen.getByRole('alert').textContent).toContain('지금 17학점 + 이 과목 3학점 = 20학점, 최대 18학점');
  });

  it('drops by override with a required reason sent in the query', async () => {
    serveStudent();
    const drops: URL[] = [];
    server.use(
      http.delete('*/api/enrollments/42', ({ request }) => {
        drops.push(new URL(request.url));
        serveStudent(timetable([]));
        return HttpResponse.json({ sectionId: 42, lectureId: 10, studentId: 7, droppedAt: '2026-03-02T03:00:00.000Z', totalCredits: 0, maxCredits: 18 } satisfies Dropped);
      }),
    );
    await render();
    await userEvent.click(await screen.findByRole('button', { name: '자료구조 강제 취소' }));
    const dialog = screen.getByRole('dialog', { name: '강제 수강 취소' });
    await userEvent.click(within(dialog).getByRole('button', { name: '수강 취소' }));
    expect(within(dialog).getByLabelText(/사유/)).toHaveAccessibleDescription(expect.stringContaining('사유를 입력해 주세요.'));
    expect(drops).toHaveLength(0);

    await userEvent.type(within(dialog).getByLabelText(/사유/), '학생 요청');
    await userEvent.click(within(dialog).getByRole('button', { name: '수강 취소' }));
    expect(await screen.findByText('자료구조 수강을 취소했습니다. 신청 학점 0 / 최대 18.')).toHaveAttribute('role', 'status');
    expect(Object.fromEntries(drops[0]!.searchParams)).toEqual({ studentId: '7', reason: '학생 요청' });
    expect(await screen.findByText('신청한 과목이 없습니다.')).toBeInTheDocument();
  });
});
