import type { ApiRouter, Knex } from '@goorm/common';
import { rosterParams, rosterQuery, rosterSchema } from './roster.schemas.ts';
import { getRoster, rosterCsv, rosterFileName } from './roster.service.ts';

/** Staff: who is in a section, as JSON or CSV. */
export function registerRosterRoutes(api: ApiRouter, deps: { db: Knex }): void {
  api.get(
    '/sections/:id/roster',
    {
      summary: 'Roster of a section in enrollment order (JSON; CSV with ?format=csv or Accept: text/csv)',
      tags: ['roster'],
      access: 'staff',
      params: rosterParams,
      query: rosterQuery,
      responses: { 200: { description: 'The roster (or text/csv with a header row)', schema: rosterSchema } },
    },
    async ({ params, query, req }, res) => {
      const roster = await getRoster(deps.db, params.id);
      const csv = query.format === 'csv' || (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
      res.vary('Accept');
      if (!csv) {
        res.json(roster);
        return;
      }
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .attachment(rosterFileName(roster))
        .send(rosterCsv(roster));
    },
  );
}
