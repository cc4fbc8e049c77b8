import { screen, waitFor } from '@testing-library/vue';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueStatus } from '../../api/types.ts';
import { renderWithApp } from '../../testing/render.ts';
import WaitingRoom from './WaitingRoom.vue';

vi.mock('../../api/enrollments.ts', () => ({ joinQueue: vi.fn(), queueStatus: vi.fn() }));
const api = await import('../../api/enrollments.ts');
const joinQueue = vi.mocked(api.joinQueue);
const queueStatus = vi.mocked(api.queueStatus);

const status = (over: Partial<QueueStatus>): QueueStatus => ({
  ticket: 't-1',
  position: 30,
  etaSeconds: 90,
  admitted: false,
  admissionToken: undefined,
  ...over,
});

describe('WaitingRoom', () => {
  beforeEach(() => {
    joinQueue.mockReset();
    queueStatus.mockReset();
    sessionStorage.clear();
  });

  it('shows the position, the estimated wait and the progress, in a polite live region', async () => {
    joinQueue.mockResolvedValue(status({ position: 30, etaSeconds: 90 }));
    queueStatus.mockImplementation(() => new Promise(() => undefined)); // no answer yet
    await renderWithApp(WaitingRoom, { props: { pollMs: 10_000 } });

    expect(await screen.findByText('내 순서 30번')).toBeInTheDocument();
    expect(screen.getByText('예상 대기 시간 1분 30초')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveAttribute('aria-live', 'polite');
    expect(screen.getByRole('progressbar', { name: /입장 진행률/ })).toHaveAttribute('aria-valuenow', '0');
  });

  it('polls its ticket, moves the progress on, and when admitted hands over the admission token by itself', async () => {
    joinQueue.mockResolvedValue(status({ position: 30, etaSeconds: 90 }));
    queueStatus
      .mockResolvedValueOnce(status({ position: 10, etaSeconds: 30 }))
      .mockResolvedValueOnce(status({ position: 0, etaSeconds: 0, admitted: true, admissionToken: 'adm-123' }));
    const { emitted } = await renderWithApp(WaitingRoom, { props: { pollMs: 5 } });

    expect(await screen.findByText('내 순서 10번')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '67');
    await waitFor(() => expect(emitted().admitted).toEqual([['adm-123']]));
    expect(screen.getByText('입장했습니다. 신청을 이어서 진행합니다.')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    expect(queueStatus).toHaveBeenCalledWith('t-1');
    expect(queueStatus).toHaveBeenCalledTimes(2); // stops polling once admitted
  });

  it('after a reload, asks for the same ticket again instead of queueing anew', async () => {
    sessionStorage.setItem('goorm.student.queue', JSON.stringify({ ticket: 't-9', initialPosition: 50 }));
    queueStatus.mockResolvedValueOnce(status({ ticket: 't-9', position: 25 })).mockImplementation(() => new Promise(() => undefined));
    await renderWithApp(WaitingRoom, { props: { pollMs: 10_000 } });

    expect(await screen.findByText('내 순서 25번')).toBeInTheDocument();
    expect(joinQueue).not.toHaveBeenCalled();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50');
  });

  it('when the queue cannot be reached, says so in an alert', async () => {
    const { ApiError } = await import('../../api/http.ts');
    joinQueue.mockRejectedValue(new ApiError({ status: 0, code: 'NETWORK', detail: 'Failed to fetch' }));
    await renderWithApp(WaitingRoom, { props: { pollMs: 10_000 } });

    expect(await screen.findByRole('alert')).toHaveTextContent('대기열 정보를 받지 못했습니다: Failed to fetch');
  });
});
