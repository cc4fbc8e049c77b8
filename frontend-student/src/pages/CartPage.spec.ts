import userEvent from '@testing-library/user-event';
import { screen, waitFor } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/http.ts';
import { useQueueStore } from '../stores/queue.ts';
import { useResultsStore } from '../stores/results.ts';
import { makeSection } from '../testing/fixtures.ts';
import { demoSession, renderWithApp } from '../testing/render.ts';
import CartPage from './CartPage.vue';

const sections = [
  makeSection({ id: 1, sectionNo: 1, lecture: { id: 10, title: '자료구조', titleEn: 'Data Structures' } }),
  makeSection({ id: 2, sectionNo: 1, lecture: { id: 11, code: 'CSE3010', title: '알고리즘', titleEn: 'Algorithms' } }),
  makeSection({ id: 3, sectionNo: 2, lecture: { id: 12, code: 'CSE3020', title: '운영체제', titleEn: 'Operating Systems' } }),
  makeSection({ id: 4, sectionNo: 1, lecture: { id: 13, code: 'GEN1001', title: '글쓰기', titleEn: 'Writing' } }),
];

vi.mock('../api/carts.ts', () => ({
  getCart: vi.fn(async () => ({ items: sections.map((s) => ({ sectionId: s.id, section: s })), totalCredits: 12, maxCredits: 18 })),
}));
vi.mock('../api/enrollments.ts', () => ({
  enroll: vi.fn(),
  myEnrollments: vi.fn(async () => ({ items: [], totalCredits: 0, maxCredits: 18 })),
  listWindows: vi.fn(async () => ({ items: [], serverTime: new Date().toISOString() })),
  joinQueue: vi.fn(async () => ({ ticket: 't', position: 3, etaSeconds: 9, admitted: false, admissionToken: undefined })),
  queueStatus: vi.fn(async () => ({ ticket: 't', position: 3, etaSeconds: 9, admitted: false, admissionToken: undefined })),
}));
vi.mock('../api/lectures.ts', () => ({ searchSections: vi.fn(), getLecture: vi.fn(), listMajors: vi.fn(async () => []) }));
const api = await import('../api/enrollments.ts');

describe('CartPage 전체 신청', () => {
  it('when the waiting room interrupts it, waits there with every item not done yet, each with its own Idempotency-Key', async () => {
    vi.mocked(api.enroll)
      .mockResolvedValueOnce(undefined)
      .mockRejectedValueOnce(new ApiError({ status: 428, code: 'QUEUE_REQUIRED' }));
    const user = userEvent.setup();
    const { router } = await renderWithApp(CartPage, { session: demoSession(), route: '/cart' });
    await screen.findByRole('button', { name: '자료구조 1분반 수강신청' });

    await user.click(screen.getByRole('button', { name: '전체 신청' }));

    await waitFor(() => expect(router.currentRoute.value.name).toBe('waiting-room'));
    const pending = useQueueStore().pending;
    expect(pending?.kind).toBe('enrollAll');
    if (pending?.kind !== 'enrollAll') return;
    // The first went through; the second (refused 428) and the two after it wait, nothing is skipped.
    expect(pending.done).toMatchObject([{ ok: true, section: { id: 1 } }]);
    expect(pending.items.map((i) => i.section.id)).toEqual([2, 3, 4]);
    const keys = vi.mocked(api.enroll).mock.calls.map(([, opts]) => opts?.idempotencyKey);
    expect(pending.items[0]!.key).toBe(keys[1]);
    expect(new Set([...keys, ...pending.items.map((i) => i.key)]).size).toBe(4);
    // Each item's state is on screen: the success, and the waiting-room refusal of the second.
    expect(useResultsStore().items).toMatchObject([
      { ok: true, section: { id: 1 } },
      { ok: false, code: 'QUEUE_REQUIRED', section: { id: 2 } },
    ]);
    // A reload in the waiting room still knows what to resume (and with which keys).
    expect(JSON.parse(sessionStorage.getItem('goorm.student.queue.pending') ?? '{}')).toMatchObject({
      pending: { kind: 'enrollAll', items: [{ key: pending.items[0]!.key }, {}, {}] },
      returnTo: { name: 'cart' },
    });
  });

  it('keeps 전체 신청 disabled while a run goes on, also one resumed from the waiting room', async () => {
    await renderWithApp(CartPage, { session: demoSession(), route: '/cart' });
    await screen.findByRole('button', { name: '전체 신청' });

    useResultsStore().running = true;

    expect(await screen.findByRole('button', { name: '신청 중…' })).toBeDisabled();
  });
});
