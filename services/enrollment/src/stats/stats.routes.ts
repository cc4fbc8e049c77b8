import type { ApiRouter, Knex } from '@goorm/common';
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
}

/** Staff: live registration numbers, and the registration-day dashboard's (shared for a couple of seconds). */
export function registerStatsRoutes(api: ApiRouter, deps: StatsRouteDeps): void {
  api.route(enrollmentApi.endpoints.stats, async ({ query }, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await getStats(deps.db, query, deps.clock()));
  });

  const live = new LiveStatsCache((q, now) => computeLiveStats(deps.db, deps.room, q, now), deps.clock, deps.liveTtlMs ?? 2_000);
  api.route(enrollmentApi.endpoints.liveStats, async ({ query }, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await live.get(query));
  });
}
