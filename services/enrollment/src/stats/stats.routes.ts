import type { ApiRouter, Knex } from '@goorm/common';
import { Counter, type Registry } from 'prom-client';
import { enrollmentApi } from '@goorm/contracts';
import type { WaitingRoom } from '../queue/queue.room.ts';
import { computeLiveStats, LiveStatsCache } from './live.service.ts';
import { getStats } from './stats.service.ts';

export interface StatsRouteDeps {
  db: Knex;
  clock: () => Date;
  /** The waiting room whose length, rate and waits the dashboard shows (none: waitingRoom null). */
  room?: WaitingRoom | undefined;
  /** How long a live answer is shared by every caller (ms). Default 2000. */
  liveTtlMs?: number | undefined;
  /** Where `enrollment_live_stats_answers_total{how}` is registered (computed vs shared answers). */
  registry?: Registry | undefined;
}

/** Staff: live registration numbers, and the registration-day dashboard's (shared for a couple of seconds). */
export function registerStatsRoutes(api: ApiRouter, deps: StatsRouteDeps): void {
  api.route(enrollmentApi.endpoints.stats, async ({ query }, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await getStats(deps.db, query, deps.clock()));
  });

  const answers = deps.registry
    ? new Counter({
        name: 'enrollment_live_stats_answers_total',
        help: 'GET /stats/live answers: computed for the caller (at most six queries), shared (fresh or being computed), or stale while a refresh runs',
        labelNames: ['how'],
        registers: [deps.registry],
      })
    : undefined;
  const live = new LiveStatsCache(
    (q, now) => computeLiveStats(deps.db, deps.room, q, now),
    deps.clock,
    deps.liveTtlMs ?? 2_000,
    64,
    (how) => answers?.inc({ how }),
  );
  api.route(enrollmentApi.endpoints.liveStats, async ({ query }, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await live.get(query));
  });
}
