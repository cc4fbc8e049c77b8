import userEvent from '@testing-library/user-event';
import { screen } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { AuditPage, StaffPage } from '@goorm/contracts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import { server } from '../../testing/server.ts';
import AuditPageView from './AuditPage.vue';
import { auditPage, staff, staffPage } from './fixtures.ts';

function serveAudit() {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get('*/api/auth/staff', () => HttpResponse.json(staffPage([staff(), staff({ id: 2, loginId: 'kim.staff', name: '김직원' })]) satisfies StaffPage)),
    http.get('*/api/enrollments/audit', ({ request }) => {
      queries.push(new URL(request.url).searchParams);
      return HttpResponse.json(auditPage() satisfies AuditPage);
    }),
  );
  return queries;
}

describe('audit log', () => {
  it('shows who (the staff member by name), what, the target, when and why, with the details', async () => {
    serveAudit();
    await renderWithApp(AuditPageView, { route: '/audit', session: staffSession() });
    const row = (await screen.findByRole('rowheader', { name: '강제 취소' })).closest('tr')!;
    await expect.poll(() => row.textContent).toContain('관리자 (admin)');
    expect(row).toHaveTextContent('학생 요청으로 취소');
    expect(row).toHaveTextContent('과목 코드: CSE2010');
    expect(row.querySelector('time')).toHaveAttribute('datetime', '2026-03-02T01:00:00.000Z');
    expect(row).toHaveTextContent('2026. 3. 2.');
    expect(screen.getByRole('link', { name: 'student:7/section:42' })).toHaveAttribute('href', '/students/7');
  });

  it('filters by staff, action, student and section on the server, from page 1', async () => {
    const queries = serveAudit();
    await renderWithApp(AuditPageView, { route: '/audit', session: staffSession() });
    await screen.findByRole('rowheader', { name: '강제 취소' });
    await userEvent.selectOptions(screen.getByLabelText('교직원'), '김직원 (kim.staff)');
    await userEvent.selectOptions(screen.getByLabelText('작업'), '강제 취소');
    await userEvent.type(screen.getByLabelText('학생 번호 (id)'), '7');
    await userEvent.type(screen.getByLabelText('분반 번호 (id)'), '42');
    await userEvent.click(screen.getByRole('button', { name: '검색' }));
    await expect.poll(() => queries.length).toBe(2);
    expect(Object.fromEntries(queries[1]!)).toEqual({ staffId: '2', action: 'OVERRIDE_DROP', studentId: '7', sectionId: '42', page: '1', size: '20' });

    await userEvent.click(screen.getByRole('button', { name: '초기화' }));
    await expect.poll(() => queries.length).toBe(3);
    expect(Object.fromEntries(queries[2]!)).toEqual({ page: '1', size: '20' });
  });

  it('reads in English when English is chosen', async () => {
    serveAudit();
    await renderWithApp(AuditPageView, { route: '/audit', session: staffSession(), locale: 'en' });
    const row = (await screen.findByRole('rowheader', { name: 'Override drop' })).closest('tr')!;
    expect(row).toHaveTextContent('Lecture code: CSE2010');
    expect(screen.getByRole('table', { name: 'Staff actions (newest first)' })).toBeInTheDocument();
  });
  it('starts filtered when a screen links here with ?sectionId= and ?action= (e.g. from a waitlist), and names the waitlist actions', async () => {
    const queries = serveAudit();
    await renderWithApp(AuditPageView, { route: '/audit?sectionId=42&action=WAITLIST_MOVE', session: staffSession() });
    await expect.poll(() => queries.length).toBe(1);
    expect(Object.fromEntries(queries[0]!)).toEqual({ sectionId: '42', action: 'WAITLIST_MOVE', page: '1', size: '20' });
    expect(screen.getByLabelText('분반 번호 (id)')).toHaveValue(42);
    expect(screen.getByLabelText('작업')).toHaveDisplayValue('수강 대기 순번 바꿈');
  });
});
