import { http, HttpResponse } from 'msw';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveStats } from '@goorm/contracts';
import { problem, server } from '../../testing/server.ts';
import { staffSession } from '../../testing/render.ts';
import { useSessionStore } from '../../stores/session.ts';
import { useLiveStatsStore } from './liveStats.store.ts';
import { liveStats } from './liveStats.fixture.ts';

beforeEach(() => {
  localStorage.setItem('goorm.admin.session', JSON.stringify(staffSession()));
  setActivePinia(createPinia());
  useSessionStore();
});

describe('the live stats store', () => {
  it('joins a refresh already running instead of stacking a second request', async () => {
    let calls = 0;
    server.use(
      http.get('*/api/enrollments/stats/live', async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 50));
        return HttpResponse.json(liveStats() satisfies LiveStats);
      }),
    );
    const store = useLiveStatsStore();
    await Promise.all([store.load(), store.load(), store.load()]);
    expect(calls).toBe(1);
    expect(store.status).toBe('done');
    expect(store.data?.totals.enrolled).toBe(530);
    expect(store.receivedAt).toBeInstanceOf(Date);
  });

  it('keeps the last answer when a refresh is refused, with the refusal and status error; the next answer clears it', async () => {
    const answers: Array<() => Response> = [() => HttpResponse.json(liveStats()), () => problem(503, 'SERVICE_UNAVAILABLE'), () => HttpResponse.json(liveStats({ generatedAt: 'later' }))];
    server.use(http.get('*/api/enrollments/stats/live', () => answers.shift()!()));
    const store = useLiveStatsStore();
    await store.load();
    await store.load();
    expect(store.status).toBe('error');
    expect(store.error?.code).toBe('SERVICE_UNAVAILABLE');
    expect(store.data?.totals.enrolled).toBe(530);
    await store.load();
    expect(store.status).toBe('done');
    expect(store.error).toBeUndefined();
    expect(store.data?.generatedAt).toBe('later');
  });
});
