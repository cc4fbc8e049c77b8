import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { http, HttpResponse } from 'msw';
import type { Notice, NoticeList } from '@goorm/contracts';
import { makeNotice } from '../testing/fixtures.ts';
import { server } from '../testing/server.ts';
import { useNoticesStore } from './notices.ts';

/** GET /notices/me answering whatever `list` holds at the time, newest first. */
function serveNotices(list: Notice[]) {
  server.use(
    http.get('/api/enrollments/notices/me', () =>
      HttpResponse.json({ items: [...list].sort((a, b) => b.id - a.id), unread: list.filter((n) => n.readAt === null).length } satisfies NoticeList),
    ),
  );
}

describe('useNoticesStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('answers the unread notices not seen before, and toasts only those that gave a seat', async () => {
    const list = [
      makeNotice({ id: 1, kind: 'WAITLIST_SKIPPED', code: 'TIME_CONFLICT' }),
      makeNotice({ id: 2, kind: 'WAITLIST_PROMOTED', readAt: '2026-02-10T02:00:00.000Z' }),
    ];
    serveNotices(list);
    const store = useNoticesStore();

    expect((await store.load()).map((n) => n.id)).toEqual([1]);
    expect(store.unread).toBe(1);
    expect(store.toasts).toEqual([]);

    list.push(makeNotice({ id: 3, kind: 'WAITLIST_PROMOTED', sectionNo: 2 }));
    expect((await store.load()).map((n) => n.id)).toEqual([3]);
    expect(store.toasts.map((n) => n.id)).toEqual([3]);
    expect(store.unread).toBe(2);
    // Read again with nothing new: nothing arrives (the toast stays until dismissed or read).
    expect(await store.load()).toEqual([]);
    expect(store.toasts.map((n) => n.id)).toEqual([3]);
  });

  it('marks every notice shown as read up to the newest id, and clears the count and the toasts', async () => {
    serveNotices([makeNotice({ id: 4 }), makeNotice({ id: 9, kind: 'AUTO_ENROLLED' })]);
    const read: unknown[] = [];
    server.use(
      http.post('/api/enrollments/notices/me/read', async ({ request }) => {
        read.push(await request.json());
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const store = useNoticesStore();
    await store.load();
    expect(store.toasts).toHaveLength(2);

    await store.markRead();

    expect(read).toEqual([{ upToId: 9 }]);
    expect(store.unread).toBe(0);
    expect(store.items.every((n) => n.readAt !== null)).toBe(true);
    expect(store.toasts).toEqual([]);
  });
});
