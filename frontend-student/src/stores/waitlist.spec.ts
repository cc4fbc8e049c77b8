import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { http, HttpResponse } from 'msw';
import type { WaitlistEntry } from '@goorm/contracts';
import { makeSection, waitlistItemOf, waitlistsOf } from '../testing/fixtures.ts';
import { problem, server } from '../testing/server.ts';
import { useWaitlistStore } from './waitlist.ts';

const full = makeSection({ id: 31, capacity: 30, enrolled: 30 });
const entry = (over: Partial<WaitlistEntry> = {}): WaitlistEntry => ({
  sectionId: full.id,
  lectureId: full.lectureId,
  studentId: 7,
  position: 3,
  waiting: 3,
  joinedAt: '2026-02-10T01:00:00.000Z',
  lastSkip: null,
  ...over,
});

describe('useWaitlistStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('joins a waitlist: POST /waitlist with the section, the outcome carries the place, and the list is read again', async () => {
    const bodies: unknown[] = [];
    let joined = false;
    server.use(
      http.post('/api/enrollments/waitlist', async ({ request }) => {
        bodies.push(await request.json());
        joined = true;
        return HttpResponse.json(entry(), { status: 201 });
      }),
      http.get('/api/enrollments/waitlist/me', () => HttpResponse.json(waitlistsOf(joined ? [waitlistItemOf(full, { position: 3, waiting: 3 })] : []))),
    );
    const store = useWaitlistStore();

    const outcome = await store.join(full);

    expect(bodies).toEqual([{ sectionId: full.id }]);
    expect(outcome).toMatchObject({ kind: 'waitlistJoin', ok: true, section: { id: full.id }, waitlist: { position: 3, waiting: 3 } });
    expect(store.places.get(full.id)).toMatchObject({ position: 3, waiting: 3 });
  });

  it('when a seat is free, the join is refused SEATS_AVAILABLE and nothing is held', async () => {
    server.use(http.post('/api/enrollments/waitlist', () => problem('SEATS_AVAILABLE', {})));
    const store = useWaitlistStore();

    const outcome = await store.join(full);

    expect(outcome).toMatchObject({ kind: 'waitlistJoin', ok: false, code: 'SEATS_AVAILABLE' });
    expect(store.places.has(full.id)).toBe(false);
  });

  it('leaves a waitlist with DELETE /waitlist/:sectionId and forgets the place', async () => {
    const deleted: string[] = [];
    server.use(
      http.get('/api/enrollments/waitlist/me', () => HttpResponse.json(waitlistsOf(deleted.length > 0 ? [] : [waitlistItemOf(full, { position: 2, waiting: 4 })]))),
      http.delete('/api/enrollments/waitlist/:sectionId', ({ params }) => {
        deleted.push(String(params.sectionId));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const store = useWaitlistStore();
    await store.load();
    expect(store.places.get(full.id)?.position).toBe(2);

    const outcome = await store.leave(full);

    expect(deleted).toEqual([String(full.id)]);
    expect(outcome).toMatchObject({ kind: 'waitlistLeave', ok: true });
    expect(store.places.has(full.id)).toBe(false);
  });
});
