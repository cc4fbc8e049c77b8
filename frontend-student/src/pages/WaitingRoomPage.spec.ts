import { screen, waitFor } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { useQueueStore } from '../stores/queue.ts';
import { useResultsStore } from '../stores/results.ts';
import { makeSection } from '../testing/fixtures.ts';
import { demoSession, renderWithApp } from '../testing/render.ts';
import WaitingRoomPage from './WaitingRoomPage.vue';

vi.mock('../api/enrollments.ts', () => ({
  joinQueue: vi.fn(async () => ({ ticket: 't-1', position: 1, etaSeconds: 2, admitted: false, admissionToken: undefined })),
  queueStatus: vi.fn(async () => ({ ticket: 't-1', position: 0, etaSeconds: 0, admitted: true, admissionToken: 'adm-1' })),
  enroll: vi.fn(async () => undefined),
  myEnrollments: vi.fn(async () => ({ items: [], totalCredits: 3, maxCredits: 18 })),
  listWindows: vi.fn(async () => ({ items: [], serverTime: new Date().toISOString() })),
}));
vi.mock('../api/carts.ts', () => ({ getCart: vi.fn(async () => ({ items: [], totalCredits: 0, maxCredits: 18 })) }));
const api = await import('../api/enrollments.ts');

describe('WaitingRoomPage', () => {
  it('when admitted, resumes the registration with the admission token and returns to where the student was', async () => {
    const section = makeSection({ id: 42 });
    const { router } = await renderWithApp(WaitingRoomPage, { session: demoSession(), route: '/waiting-room' });
    useQueueStore().wait({ kind: 'enroll', section }, 'search');

    await waitFor(() => expect(api.enroll).toHaveBeenCalledWith(42, expect.objectContaining({ admissionToken: 'adm-1' })), { timeout: 5000 });
    await waitFor(() => expect(router.currentRoute.value.name).toBe('search'));
    expect(useResultsStore().items).toMatchObject([{ kind: 'enroll', ok: true, section: { id: 42 } }]);
    expect(screen.getByRole('heading', { name: '대기실' })).toBeInTheDocument();
  });

  it('returns to the section detail page it came from, with its id', async () => {
    const section = makeSection({ id: 43 });
    const { router } = await renderWithApp(WaitingRoomPage, { session: demoSession(), route: '/waiting-room' });
    useQueueStore().wait({ kind: 'enroll', section }, { name: 'section', params: { id: '43' } });

    await waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/sections/43'), { timeout: 5000 });
  });
});
