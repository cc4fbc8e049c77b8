import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { http, HttpResponse } from 'msw';
import type { Dropped, Enrolled, WindowList } from '@goorm/contracts';
import { makeSection, timetableItemOf, timetableOf } from '../testing/fixtures.ts';
import { problem, server } from '../testing/server.ts';
import { RETRY_BUDGET_MS, useEnrollmentStore } from './enrollment.ts';

const enrolled = (sectionId: number): Enrolled => ({
  sectionId,
  lectureId: 10,
  studentId: 7,
  createdAt: '2026-02-10T01:00:00.000Z',
  totalCredits: 3,
  maxCredits: 18,
});

/** Every POST /api/enrollments: the section and the headers it came with. */
function recordEnrolls(answers: Array<() => Response>) {
  const calls: Array<{ sectionId: number; admission: string | null; key: string | null }> = [];
  server.use(
    http.post('/api/enrollments', async ({ request }) => {
      const body = (await request.json()) as { sectionId: number };
      calls.push({ sectionId: body.sectionId, admission: request.headers.get('X-Admission-Token'), key: request.headers.get('Idempotency-Key') });
      return (answers[calls.length - 1] ?? answers.at(-1)!)();
    }),
  );
  return calls;
}

describe('useEnrollmentStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('corrects the local clock by the server time of the windows answer', async () => {
    const serverAhead = 90_000;
    server.use(
      http.get('/api/enrollments/windows', () =>
        HttpResponse.json({ items: [], serverTime: new Date(Date.now() + serverAhead).toISOString() } satisfies WindowList),
      ),
    );
    const store = useEnrollmentStore();

    await store.loadWindows();

    expect(Math.abs(store.clockOffsetMs - serverAhead)).toBeLessThan(1000);
    expect(Math.abs(store.serverNow() - (Date.now() + serverAhead))).toBeLessThan(1000);
  });

  it('names the clashing section of a TIME_CONFLICT from the timetable, and sends the admission token it holds', async () => {
    const held = makeSection({ id: 5, sectionNo: 2, lecture: { id: 20, code: 'CSE2020', title: '운영체제' } });
    server.use(http.get('/api/enrollments/me', () => HttpResponse.json(timetableOf([timetableItemOf(held)]))));
    const calls = recordEnrolls([
      () =>
        problem('TIME_CONFLICT', {
          conflict: { sectionId: 5, lectureCode: 'CSE2020', lectureTitle: '운영체제', sectionNo: 2, day: 'MON', startPeriod: 1, endPeriod: 2 },
        }),
    ]);
    const store = useEnrollmentStore();
    await store.load();
    store.admissionToken = 'adm-7';

    const outcome = await store.enroll(makeSection({ id: 9 }));

    expect(outcome).toMatchObject({ ok: false, code: 'TIME_CONFLICT', conflict: { sectionId: 5, day: 'MON' }, conflictSection: { id: 5 } });
    expect(calls).toEqual([{ sectionId: 9, admission: 'adm-7', key: expect.any(String) }]);
  });

  it('retries a transient refusal (429, 503, no answer) with the same Idempotency-Key, then reports the final answer', async () => {
    const calls = recordEnrolls([
      () => problem('RATE_LIMITED', {}, { headers: { 'Retry-After': '0' } }),
      () => HttpResponse.error(),
      () => HttpResponse.json(enrolled(9), { status: 201 }),
    ]);
    const store = useEnrollmentStore();

    const outcome = await store.enroll(makeSection({ id: 9 }), { idempotencyKey: 'key-9' });

    expect(outcome).toMatchObject({ ok: true, section: { id: 9 } });
    expect(calls.map((c) => [c.sectionId, c.key])).toEqual([
      [9, 'key-9'],
      [9, 'key-9'],
      [9, 'key-9'],
    ]);
  });

  it('does not retry a refusal that is an answer (full, clash, waiting room)', async () => {
    const calls = recordEnrolls([() => problem('SECTION_FULL', {})]);
    const store = useEnrollmentStore();

    expect(await store.enroll(makeSection({ id: 9 }))).toMatchObject({ ok: false, code: 'SECTION_FULL' });
    expect(calls).toHaveLength(1);
  });

  it("retries the gateway's 504 and a bare 502 page with the same key: a timeout may hide a commit, the retry is answered from the stored answer", async () => {
    const calls = recordEnrolls([
      () => problem('SERVICE_UNAVAILABLE', {}, { status: 504 }),
      () => new HttpResponse('<html>Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html', 'Retry-After': '0' } }),
      () => HttpResponse.json(enrolled(9), { status: 201 }),
    ]);
    const store = useEnrollmentStore();

    const outcome = await store.enroll(makeSection({ id: 9 }), { idempotencyKey: 'key-504' });

    expect(outcome).toMatchObject({ ok: true });
    expect(calls.map((c) => c.key)).toEqual(['key-504', 'key-504', 'key-504']);
  });

  it('retries a drop and a swap after a 503 with one Idempotency-Key per action, and not a refusal that is an answer', async () => {
    const keys: Record<string, Array<string | null>> = { drop: [], swap: [] };
    let drops = 0;
    let swaps = 0;
    server.use(
      http.delete('/api/enrollments/:sectionId', ({ request }) => {
        keys.drop!.push(request.headers.get('Idempotency-Key'));
        if (drops++ === 0) return problem('SERVICE_UNAVAILABLE', {}, { headers: { 'Retry-After': '0' } });
        return HttpResponse.json({ sectionId: 9, lectureId: 10, studentId: 7, droppedAt: '2026-02-10T02:00:00.000Z', totalCredits: 0, maxCredits: 18 } satisfies Dropped);
      }),
      http.post('/api/enrollments/swap', ({ request }) => {
        keys.swap!.push(request.headers.get('Idempotency-Key'));
        if (swaps++ === 0) return problem('SERVICE_UNAVAILABLE', {}, { status: 504 });
        return problem('SECTION_FULL', {});
      }),
    );
    const store = useEnrollmentStore();

    expect(await store.drop(makeSection({ id: 9 }))).toMatchObject({ ok: true, kind: 'drop' });
    expect(await store.swap(makeSection({ id: 9 }), makeSection({ id: 11 }))).toMatchObject({ ok: false, kind: 'swap', code: 'SECTION_FULL' });

    expect(keys.drop).toHaveLength(2);
    expect(keys.drop![0]).toBeTruthy();
    expect(keys.drop![1]).toBe(keys.drop![0]);
    expect(keys.swap).toHaveLength(2);
    expect(keys.swap![1]).toBe(keys.swap![0]);
    expect(keys.swap![0]).not.toBe(keys.drop![0]);
  });

  describe('the retry budget', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it(`keeps retrying a database outage with the same key (Retry-After: 1) and succeeds when it is over; gives up after ${RETRY_BUDGET_MS / 1000} s`, async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
      const unavailable = () => problem('SERVICE_UNAVAILABLE', {}, { headers: { 'Retry-After': '1' } });
      // An outage of about 10 s (as npm run chaos measures a MariaDB restart), then the answer.
      const calls = recordEnrolls([...Array.from({ length: 10 }, () => unavailable), () => HttpResponse.json(enrolled(9), { status: 201 })]);
      const store = useEnrollmentStore();
      const pending = store.enroll(makeSection({ id: 9 }), { idempotencyKey: 'key-outage' });
      for (let i = 0; i < 15 && calls.length < 11; i++) await vi.advanceTimersByTimeAsync(1_000);
      expect(await pending).toMatchObject({ ok: true });
      expect(calls).toHaveLength(11);
      expect(new Set(calls.map((c) => c.key))).toEqual(new Set(['key-outage']));

      // Unavailable for good: the error shows once the budget is spent, not before.
      const forever = recordEnrolls([unavailable]);
      const started = Date.now();
      let outcome: Awaited<ReturnType<typeof store.enroll>> | undefined;
      void store.enroll(makeSection({ id: 10 })).then((o) => (outcome = o));
      for (let i = 0; i < 40 && !outcome; i++) await vi.advanceTimersByTimeAsync(1_000);
      expect(outcome).toMatchObject({ ok: false, code: 'SERVICE_UNAVAILABLE' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(RETRY_BUDGET_MS - 1_000);
      expect(Date.now() - started).toBeLessThanOrEqual(RETRY_BUDGET_MS + 1_000);
      expect(forever.length).toBeGreaterThan(15);
    });

    it('waits the Retry-After it is given (a refused retry counts against the limit), and does not wait past the budget', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
      const calls = recordEnrolls([() => problem('RATE_LIMITED', {}, { headers: { 'Retry-After': '8' } }), () => HttpResponse.json(enrolled(9), { status: 201 })]);
      const store = useEnrollmentStore();
      let outcome: Awaited<ReturnType<typeof store.enroll>> | undefined;
      void store.enroll(makeSection({ id: 9 })).then((o) => (outcome = o));
      await vi.advanceTimersByTimeAsync(7_500);
      expect(calls).toHaveLength(1); // not retried early (the old cap retried after 5 s)
      await vi.advanceTimersByTimeAsync(1_000);
      expect(outcome).toMatchObject({ ok: true });
      expect(calls).toHaveLength(2);

      const later = recordEnrolls([() => problem('RATE_LIMITED', {}, { headers: { 'Retry-After': '60' } })]);
      expect(await store.enroll(makeSection({ id: 10 }))).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
      expect(later).toHaveLength(1);
    });
  });
});
