import { screen, waitFor } from '@testing-library/vue';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { QueuePlace } from '@goorm/contracts';
import { place } from '../../testing/fixtures.ts';
import { renderWithApp } from '../../testing/render.ts';
import { server } from '../../testing/server.ts';
import WaitingRoom from './WaitingRoom.vue';

/** The waiting room's two endpoints: joining answers `joined`, each poll the next of `polls` (the last one then forever; none: no answer). */
function queue(joined: (() => Response) | undefined, polls: QueuePlace[]) {
  const calls = { joined: 0, polled: [] as string[] };
  server.use(
    http.post('/api/enrollments/queue', () => {
      calls.joined += 1;
      return joined ? joined() : HttpResponse.json(place());
    }),
    http.get('/api/enrollments/queue/:ticket', async ({ params }) => {
      calls.polled.push(String(params.ticket));
      const next = polls[calls.polled.length - 1];
      if (!next) {
        await delay('infinite');
        return HttpResponse.json(place());
      }
      return HttpResponse.json(next);
    }),
  );
  return calls;
}

describe('WaitingRoom', () => {
  it('shows the position, the estimated wait and the progress, in a polite live region', async () => {
    queue(() => HttpResponse.json(place({ position: 30, etaSeconds: 90 })), []);
    await renderWithApp(WaitingRoom, { props: { pollMs: 10_000 } });

    expect(await screen.findByText('내 순서 30번')).toBeInTheDocument();
    expect(screen.getByText('예상 대기 시간 1분 30초')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveAttribute('aria-live', 'polite');
    expect(screen.getByRole('progressbar', { name: /입장 진행률/ })).toHaveAttribute('aria-valuenow', '0');
  });

  it('without a retryAfterMs from the server, polls its ticket at the configured interval, moves the progress on, and when admitted hands over the admission token by itself', async () => {
    const calls = queue(
      () => HttpResponse.json(place({ position: 30, etaSeconds: 90 })),
      [place({ position: 10, etaSeconds: 30 }), place({ position: 0, etaSeconds: 0, admitted: true, admissionToken: 'adm-123' })],
    );
    const { emitted } = await renderWithApp(WaitingRoom, { props: { pollMs: 5 } });

    expect(await screen.findByText('내 순서 10번')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '67');
    await waitFor(() => expect(emitted().admitted).toEqual([['adm-123']]));
    expect(screen.getByText('입장했습니다. 신청을 이어서 진행합니다.')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    expect(calls.polled).toEqual(['t-1', 't-1']); // stops polling once admitted
  });

  it('polls when the server says the place will be admitted (retryAfterMs), not at the configured interval', async () => {
    const calls = queue(
      () => HttpResponse.json(place({ position: 12, etaSeconds: 1, retryAfterMs: 300 })),
      [place({ position: 0, etaSeconds: 0, admitted: true, admissionToken: 'adm-7', retryAfterMs: 0 })],
    );
    const started = Date.now();
    const { emitted } = await renderWithApp(WaitingRoom, { props: { pollMs: 60_000 } });

    await waitFor(() => expect(emitted().admitted).toEqual([['adm-7']]), { timeout: 3_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(calls.polled).toEqual(['t-1']); // one poll for one admission
  });

  it('keeps a server answer within bounds: a waiting place told 0 ms still waits 250 ms before polling', async () => {
    const calls = queue(() => HttpResponse.json(place({ position: 3, etaSeconds: 1, retryAfterMs: 0 })), [place({ position: 0, admitted: true, admissionToken: 'adm-8' })]);
    const { emitted } = await renderWithApp(WaitingRoom, { props: { pollMs: 60_000 } });

    expect(await screen.findByText('내 순서 3번')).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 150));
    expect(calls.polled).toEqual([]);
    await waitFor(() => expect(emitted().admitted).toEqual([['adm-8']]), { timeout: 3_000 });
    expect(calls.polled).toEqual(['t-1']);
  });

  it('after a reload, asks for the same ticket again instead of queueing anew', async () => {
    sessionStorage.setItem('goorm.student.queue', JSON.stringify({ ticket: 't-9', initialPosition: 50 }));
    const calls = queue(undefined, [place({ ticket: 't-9', position: 25 })]);
    await renderWithApp(WaitingRoom, { props: { pollMs: 10_000 } });

    expect(await screen.findByText('내 순서 25번')).toBeInTheDocument();
    expect(calls.joined).toBe(0);
    expect(calls.polled).toEqual(['t-9']);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50');
  });

  it('when the queue cannot be reached, says so in an alert', async () => {
    queue(() => HttpResponse.error(), []);
    await renderWithApp(WaitingRoom, { props: { pollMs: 10_000 } });

    expect(await screen.findByRole('alert')).toHaveTextContent(/^대기열 정보를 받지 못했습니다: .+/);
  });
});
