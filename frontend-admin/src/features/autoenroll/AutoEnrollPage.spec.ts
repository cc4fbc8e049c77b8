import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { AutoEnrollRun, EnrollmentWindow, WindowList } from '@goorm/contracts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import { problem, server } from '../../testing/server.ts';
import { report, run } from '../waitlist/waitlist.fixtures.ts';
import AutoEnrollPage from './AutoEnrollPage.vue';

const NOW = '2026-02-09T00:00:00.000Z';
const win = (over: Partial<EnrollmentWindow>): EnrollmentWindow => ({
  id: 5,
  termId: 1,
  phase: 'REGISTRATION',
  grades: [4],
  opensAt: '2026-02-09T01:00:00.000Z',
  closesAt: '2026-02-09T09:00:00.000Z',
  ...over,
});
/** One REGISTRATION window still to open (5), one open already (4), and a CART window to open (6). */
const windows = (): WindowList => ({
  items: [
    win({ id: 4, grades: [3], opensAt: '2026-02-08T01:00:00.000Z' }),
    win({ id: 5 }),
    win({ id: 6, phase: 'CART', opensAt: '2026-02-10T01:00:00.000Z', closesAt: '2026-02-11T01:00:00.000Z' }),
  ],
  serverTime: NOW,
});

function backend(answer: (body: { windowId: number; dryRun: boolean; runAt?: string; reason: string }) => Response | AutoEnrollRun = (b) =>
  run({ id: 2, dryRun: b.dryRun, reason: b.reason, windowId: b.windowId })) {
  const posts: unknown[] = [];
  let runs: AutoEnrollRun[] = [run({ id: 1, status: 'FAILED', report: null, error: 'window opened before the run', dryRun: false })];
  server.use(
    http.get('*/api/enrollments/windows', () => HttpResponse.json(windows() satisfies WindowList)),
    http.get('*/api/enrollments/auto-enroll', () => HttpResponse.json({ items: runs })),
    http.post('*/api/enrollments/auto-enroll', async ({ request }) => {
      const body = (await request.json()) as { windowId: number; dryRun: boolean; runAt?: string; reason: string };
      posts.push(body);
      const a = answer(body);
      if (a instanceof Response) return a;
      runs = [a, ...runs];
      return HttpResponse.json(a satisfies AutoEnrollRun, { status: 201 });
    }),
  );
  return { posts };
}

describe('auto-enrollment (자동신청)', () => {
  it('offers only the REGISTRATION windows that have not opened, and lists the past runs with their status', async () => {
    backend();
    await renderWithApp(AutoEnrollPage, { route: '/auto-enroll', session: staffSession() });

    const select = await screen.findByLabelText(/수강신청기간 \(아직 열리지 않은 수강신청\)/);
    const options = within(select).getAllByRole('option').map((o) => o.textContent);
    expect(options).toHaveLength(2);
    expect(options[1]).toMatch(/^수강신청 · 4학년 · /);
    // The only choice is chosen.
    expect(select).toHaveValue('5');
    const row = within(await screen.findByTestId('auto-enroll-runs')).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('#1');
    expect(row).toHaveTextContent('실패');
    expect(row).toHaveTextContent('window opened before the run');
  });

  it('previews with the reason (dryRun) and shows the report: the numbers and the skipped items by reason', async () => {
    const { posts } = backend((b) => run({ id: 2, dryRun: true, reason: b.reason, report: report() }));
    await renderWithApp(AutoEnrollPage, { route: '/auto-enroll', session: staffSession() });
    await screen.findByTestId('auto-enroll-runs');

    await userEvent.click(screen.getByRole('button', { name: '미리 보기 (신청하지 않음)' }));
    expect(screen.getByLabelText(/^사유/)).toHaveAccessibleDescription(/사유를 입력해 주세요/);
    expect(posts).toEqual([]);

    await userEvent.type(screen.getByLabelText(/^사유/), '4학년 개시 전 점검');
    await userEvent.click(screen.getByRole('button', { name: '미리 보기 (신청하지 않음)' }));

    expect(await screen.findByTestId('auto-enroll-result')).toHaveTextContent('미리 보기 결과 (아무도 신청하지 않았습니다)');
    expect(posts).toEqual([{ windowId: 5, dryRun: true, reason: '4학년 개시 전 점검' }]);
    expect(screen.getByTestId('report-sectionsWithDemand')).toHaveTextContent('120');
    expect(screen.getByTestId('report-uncontestedSections')).toHaveTextContent('85');
    expect(screen.getByTestId('report-contestedSections')).toHaveTextContent('35');
    expect(screen.getByTestId('report-enrolled')).toHaveTextContent('902');
    const skipped = within(screen.getByTestId('report-skipped')).getAllByRole('row');
    expect(skipped[1]).toHaveTextContent(/시간이 겹칩니다\. \(TIME_CONFLICT\)\s*31/);
    expect(skipped[2]).toHaveTextContent(/최대 학점을 넘습니다\. \(CREDIT_LIMIT\)\s*17/);
    // The reason stays for the real run.
    expect(screen.getByLabelText(/^사유/)).toHaveValue('4학년 개시 전 점검');
  });

  it('schedules a run at a time (runAt) and shows it as scheduled in the list', async () => {
    const { posts } = backend((b) => run({ id: 3, status: 'SCHEDULED', runAt: b.runAt!, startedAt: null, finishedAt: null, report: null, reason: b.reason }));
    await renderWithApp(AutoEnrollPage, { route: '/auto-enroll', session: staffSession() });
    await screen.findByTestId('auto-enroll-runs');

    await userEvent.click(screen.getByRole('radio', { name: '정한 시각에 실행 (예약)' }));
    await userEvent.type(screen.getByLabelText(/^사유/), '개시 30분 전 자동신청');
    await userEvent.click(screen.getByRole('button', { name: '예약' }));
    expect(screen.getByLabelText('실행 시각')).toHaveAccessibleDescription(/실행 시각을 입력해 주세요/);
    expect(posts).toEqual([]);

    await userEvent.type(screen.getByLabelText('실행 시각'), '2026-02-09T00:30');
    await userEvent.click(screen.getByRole('button', { name: '예약' }));

    expect(await screen.findByTestId('auto-enroll-result')).toHaveTextContent(/실행 #3을\(를\) .*에 실행하도록 예약했습니다/);
    expect(posts).toEqual([{ windowId: 5, dryRun: false, reason: '개시 30분 전 자동신청', runAt: '2026-02-09T00:30:00.000Z' }]);
    const row = within(screen.getByTestId('auto-enroll-runs')).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('#3');
    expect(row).toHaveTextContent('예약됨');
  });

  it('runs now and opens a past run’s report from the list', async () => {
    backend();
    await renderWithApp(AutoEnrollPage, { route: '/auto-enroll', session: staffSession() });
    await screen.findByTestId('auto-enroll-runs');
    await userEvent.type(screen.getByLabelText(/^사유/), '4학년 자동신청');
    await userEvent.click(screen.getByRole('button', { name: '지금 실행' }));

    expect(await screen.findByTestId('auto-enroll-result')).toHaveTextContent('자동신청을 실행했습니다.');
    await userEvent.click(await screen.findByRole('button', { name: '실행 #2 보고서 보기' }));
    const dialog = screen.getByRole('dialog', { name: '실행 #2 보고서' });
    expect(within(dialog).getByTestId('report-enrolled')).toHaveTextContent('902');
    expect(dialog).toHaveTextContent('4학년 자동신청');
  });

  it("shows the API's refusal (a window that opened meanwhile: 409 CONFLICT)", async () => {
    backend(() => problem(409, 'CONFLICT', { detail: 'the window has already opened' }));
    await renderWithApp(AutoEnrollPage, { route: '/auto-enroll', session: staffSession() });
    await screen.findByTestId('auto-enroll-runs');
    await userEvent.type(screen.getByLabelText(/^사유/), '시험');
    await userEvent.click(screen.getByRole('button', { name: '지금 실행' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('다른 항목과 충돌합니다.');
    expect(alert).toHaveTextContent('the window has already opened');
  });

  it('says so when no registration window is still to open', async () => {
    server.use(
      http.get('*/api/enrollments/windows', () => HttpResponse.json({ items: [win({ id: 4, opensAt: '2026-02-08T01:00:00.000Z' })], serverTime: NOW } satisfies WindowList)),
      http.get('*/api/enrollments/auto-enroll', () => HttpResponse.json({ items: [] })),
    );
    await renderWithApp(AutoEnrollPage, { route: '/auto-enroll', session: staffSession() });
    expect(await screen.findByTestId('no-windows')).toHaveTextContent('아직 열리지 않은 수강신청 기간이 없습니다.');
    expect(screen.queryByRole('button', { name: '지금 실행' })).toBeNull();
    expect(screen.getByText('실행한 적이 없습니다.')).toBeInTheDocument();
  });
});
