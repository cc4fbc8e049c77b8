import type { ApiRouter, Knex } from '@goorm/common';
import { enrollmentApi } from '@goorm/contracts';
import { getStats } from './stats.service.ts';

/** Staff: live registration numbers. */
export function registerStatsRoutes(api: ApiRouter, deps: { db: Knex; clock: () => Date }): void {
  api.route(enrollmentApi.endpoints.stats, async ({ query }, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await getStats(deps.db, query, deps.clock()));
  });
}
