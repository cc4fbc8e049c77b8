import type { ApiRouter, Knex } from '@goorm/common';
import { statsQuery, statsSchema } from './stats.schemas.ts';
import { getStats } from './stats.service.ts';

/** Staff: live registration numbers. */
export function registerStatsRoutes(api: ApiRouter, deps: { db: Knex; clock: () => Date }): void {
  api.get(
    '/stats',
    {
      summary: 'Live numbers: term totals, sections ranked by fill or cart pressure, attempts per minute by outcome',
      tags: ['stats'],
      access: 'staff',
      query: statsQuery,
      responses: { 200: { description: 'Stats', schema: statsSchema } },
    },
    async ({ query }, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await getStats(deps.db, query, deps.clock()));
    },
  );
}
