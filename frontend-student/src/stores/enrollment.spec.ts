import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { ApiError } from '../api/http.ts';
import { makeSection } from '../testing/fixtures.ts';
import { useEnrollmentStore } from './enrollment.ts';

vi.mock('../api/enrollments.ts', () => ({ listWindows: vi.fn(), enroll: vi.fn(), myEnrollments: vi.fn() }));
const api = await import('../api/enrollments.ts');

describe('useEnrollmentStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('corrects the local clock by the server time of the windows answer', async () => {
    const serverAhead = 90_000;
    vi.mocked(api.listWindows).mockImplementation(async () => ({ items: [], serverTime: new Date(Date.now() + serverAhead).toISOString() }));
    const store = useEnrollmentStore();

    await store.loadWindows();

    expect(Math.abs(store.clockOffsetMs - serverAhead)).toBeLessThan(1000);
    expect(Math.abs(store.serverNow() - (Date.now() + serverAhead))).toBeLessThan(1000);
  });

  it('names the clashing section of a TIME_CONFLICT from the timetable, and sends the admission token it holds', async () => {
    const held = makeSection({ id: 5, sectionNo: 2, lecture: { id: 20, code: 'CSE2020', title: '운영체제' } });
    vi.mocked(api.myEnrollments).mockResolvedValue({ items: [{ sectionId: 5, lectureId: 20, createdAt: undefined, section: held }], totalCredits: 3, maxCredits: 18 });
    vi.mocked(api.enroll).mockRejectedValue(new ApiError({ status: 409, code: 'TIME_CONFLICT', conflict: { sectionId: 5 } }));
    const store = useEnrollmentStore();
    await store.load();
    store.admissionToken = 'adm-7';

    const outcome = await store.enroll(makeSection({ id: 9 }));

    expect(outcome).toMatchObject({ ok: false, code: 'TIME_CONFLICT', conflictSection: { id: 5 } });
    expect(api.enroll).toHaveBeenCalledWith(9, expect.objectContaining({ admissionToken: 'adm-7', idempotencyKey: expect.any(String) }));
  });

  it('retries a transient refusal (429, 503, no answer) with the same Idempotency-Key, then reports the final answer', async () => {
    vi.mocked(api.enroll).mockReset();
    vi.mocked(api.enroll)
      .mockRejectedValueOnce(new ApiError({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 0 }))
      .mockRejectedValueOnce(new ApiError({ status: 0, code: 'NETWORK' }))
      .mockResolvedValueOnce(undefined);
    const store = useEnrollmentStore();

    const outcome = await store.enroll(makeSection({ id: 9 }), { idempotencyKey: 'key-9' });

    expect(outcome).toMatchObject({ ok: true, section: { id: 9 } });
    expect(vi.mocked(api.enroll).mock.calls.map(([id, o]) => [id, o?.idempotencyKey])).toEqual([
      [9, 'key-9'],
      [9, 'key-9'],
      [9, 'key-9'],
    ]);
  });

  it('does not retry a refusal that is an answer (full, clash, waiting room)', async () => {
    vi.mocked(api.enroll).mockReset();
    vi.mocked(api.enroll).mockRejectedValue(new ApiError({ status: 409, code: 'SECTION_FULL' }));
    const store = useEnrollmentStore();

    expect(await store.enroll(makeSection({ id: 9 }))).toMatchObject({ ok: false, code: 'SECTION_FULL' });
    expect(api.enroll).toHaveBeenCalledTimes(1);
  });
});
