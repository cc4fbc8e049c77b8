import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { http, HttpResponse } from 'msw';
import { place } from '../testing/fixtures.ts';
import { server } from '../testing/server.ts';
import { nextPollMs, POLL_MAX_MS, POLL_MIN_MS, useQueueStore } from './queue.ts';

describe('nextPollMs', () => {
  it("follows the server's retryAfterMs", () => {
    expect(nextPollMs(place({ retryAfterMs: 1_234 }), 2_000)).toBe(1_234);
  });

  it(`keeps it within ${POLL_MIN_MS} ms and ${POLL_MAX_MS} ms`, () => {
    expect(nextPollMs(place({ retryAfterMs: 0 }), 2_000)).toBe(POLL_MIN_MS);
    expect(nextPollMs(place({ retryAfterMs: 60_000 }), 2_000)).toBe(POLL_MAX_MS);
  });

  it('falls back to the configured interval when the answer has none, there is no place yet, or the last poll failed', () => {
    expect(nextPollMs(place(), 2_000)).toBe(2_000);
    expect(nextPollMs(undefined, 2_000)).toBe(2_000);
    expect(nextPollMs(place({ retryAfterMs: 400 }), 2_000, true)).toBe(2_000);
  });
});

describe('useQueueStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it("joins, then polls the ticket; each answer's retryAfterMs is kept with the place", async () => {
    server.use(
      http.post('/api/enrollments/queue', () => HttpResponse.json(place({ position: 40, retryAfterMs: 8_000 }))),
      http.get('/api/enrollments/queue/:ticket', () => HttpResponse.json(place({ position: 5, retryAfterMs: 500 }))),
    );
    const store = useQueueStore();

    await store.join();
    expect(store.current).toMatchObject({ position: 40, retryAfterMs: 8_000, initialPosition: 40 });
    await store.poll();
    expect(store.current).toMatchObject({ position: 5, retryAfterMs: 500, initialPosition: 40 });
    expect(store.progress).toBe(88);
    expect(nextPollMs(store.current, 2_000)).toBe(500);
  });
});
