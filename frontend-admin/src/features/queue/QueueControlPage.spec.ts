import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { AuditPage, QueueOverview, QueueSettings } from '@goorm/contracts';
import { problem, server } from '../../testing/server.ts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import QueueControlPage from './QueueControlPage.vue';

const overview = (over: Partial<QueueOverview> = {}): QueueOverview => ({
  mode: 'auto',
  ratePerSecond: 200,
  adaptive: true,
  active: true,
  waiting: 12,
  admitted: 340,
  updatedAt: '2026-02-09T00:55:00.000Z',
  ...over,
});

function backend(initial = overview()) {
  let current = initial;
  const puts: unknown[] = [];
  const audits: URLSearchParams[] = [];
  let audit: AuditPage = { items: [], total: 0, page: 1, size: 5 };
  server.use(
    http.get('*/api/enrollments/queue/settings', () => HttpResponse.json(current satisfies QueueOverview)),
    http.get('*/api/enrollments/audit', ({ request }) => {
      audits.push(new URL(request.url).searchParams);
      return HttpResponse.json(audit satisfies AuditPage);
    }),
    http.put('*/api/enrollments/queue/settings', async ({ request }) => {
      const body = (await request.json()) as { mode: QueueOverview['mode']; ratePerSecond: number; adaptive: boolean; reason: string };
      puts.push(body);
      if (body.ratePerSecond > 100_000) {
        return problem(400, 'VALIDATION_FAILED', { errors: [{ field: 'body.ratePerSecond', message: 'Too big: expected number to be <=100000' }] });
      }
      const saved: QueueSettings = { mode: body.mode, ratePerSecond: body.ratePerSecond, adaptive: body.adaptive, updatedAt: '2026-02-09T01:00:05.000Z' };
      current = { ...current, ...saved };
      audit = {
        items: [{ id: 9, staffId: 1, studentId: null, sectionId: null, action: 'QUEUE_SETTINGS', target: 'queue', reason: body.reason, details: { before: {}, after: saved }, createdAt: saved.updatedAt! }],
        total: 1,
        page: 1,
        size: 5,
      };
      return HttpResponse.json(saved satisfies QueueSettings);
    }),
  );
  return { puts, audits };
}

describe('waiting room control', () => {
  it('shows the live queue and starts the form from the settings in force', async () => {
    const { audits } = backend();
    await renderWithApp(QueueControlPage, { route: '/queue', session: staffSession() });

    expect(await screen.findByTestId('queue-waiting')).toHaveTextContent('12명');
    expect(screen.getByTestId('queue-admitted')).toHaveTextContent('340명');
    expect(screen.getByTestId('queue-state')).toHaveTextContent('운영 중');
    expect(screen.getByTestId('queue-rate')).toHaveTextContent('초당 200명');
    expect(screen.getByRole('radio', { name: /자동/ })).toBeChecked();
    expect(screen.getByLabelText('입장 속도 (초당 명)')).toHaveValue(200);
    expect(screen.getByRole('checkbox', { name: /자동 조절/ })).toBeChecked();
    expect(audits[0]?.get('action')).toBe('QUEUE_SETTINGS');
  });

  it('saves mode, rate and adaptive with the reason, then shows the saved settings, when they changed, and the audit row', async () => {
    const { puts } = backend();
    await renderWithApp(QueueControlPage, { route: '/queue', session: staffSession() });
    await screen.findByTestId('queue-waiting');

    await userEvent.click(screen.getByRole('radio', { name: /켜기/ }));
    await userEvent.clear(screen.getByLabelText('입장 속도 (초당 명)'));
    await userEvent.type(screen.getByLabelText('입장 속도 (초당 명)'), '50');
    await userEvent.click(screen.getByRole('checkbox', { name: /자동 조절/ }));
    await userEvent.type(screen.getByLabelText(/사유/), '서버 부하로 속도를 낮춤');
    await userEvent.click(screen.getByRole('button', { name: '설정 저장' }));

    expect(await screen.findByTestId('queue-saved')).toHaveTextContent('모드 켜짐, 초당 50명, 자동 조절 아니오');
    expect(screen.getByTestId('queue-saved')).toHaveTextContent('바꿈');
    expect(puts).toEqual([{ mode: 'on', ratePerSecond: 50, adaptive: false, reason: '서버 부하로 속도를 낮춤' }]);
    const row = within(await screen.findByTestId('queue-history')).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('서버 부하로 속도를 낮춤');
    expect(row).toHaveTextContent('모드 켜짐, 초당 50명');
    expect(screen.getByTestId('queue-rate')).toHaveTextContent('초당 50명');
    expect(screen.getByLabelText(/사유/)).toHaveValue('');
  });

  it('asks for a reason before sending anything', async () => {
    const { puts } = backend();
    await renderWithApp(QueueControlPage, { route: '/queue', session: staffSession() });
    await screen.findByTestId('queue-waiting');

    await userEvent.click(screen.getByRole('button', { name: '설정 저장' }));

    const reason = screen.getByLabelText(/사유/);
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(reason).toHaveAccessibleDescription(/사유를 입력해 주세요/);
    expect(puts).toEqual([]);
  });

  it("shows the API's message at the rate when it is out of range", async () => {
    backend();
    await renderWithApp(QueueControlPage, { route: '/queue', session: staffSession() });
    await screen.findByTestId('queue-waiting');

    await userEvent.clear(screen.getByLabelText('입장 속도 (초당 명)'));
    await userEvent.type(screen.getByLabelText('입장 속도 (초당 명)'), '200000');
    await userEvent.type(screen.getByLabelText(/사유/), '시험');
    await userEvent.click(screen.getByRole('button', { name: '설정 저장' }));

    const rate = screen.getByLabelText('입장 속도 (초당 명)');
    await expect.poll(() => rate.getAttribute('aria-invalid')).toBe('true');
    expect(rate).toHaveAccessibleDescription(/Too big: expected number to be <=100000/);
    expect(screen.getAllByRole('alert')[0]).toHaveTextContent('입력한 값을 확인해 주세요.');
  });

  it('says so when the server runs no waiting room', async () => {
    server.use(
      http.get('*/api/enrollments/queue/settings', () => problem(404, 'NOT_FOUND')),
      http.get('*/api/enrollments/audit', () => HttpResponse.json({ items: [], total: 0, page: 1, size: 5 } satisfies AuditPage)),
    );
    await renderWithApp(QueueControlPage, { route: '/queue', session: staffSession() });
    expect(await screen.findByText(/이 서버에는 대기열이 없습니다/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '설정 저장' })).toBeNull();
  });
});
