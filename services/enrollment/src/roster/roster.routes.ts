import type { ApiRouter, Knex } from '@goorm/common';
import { enrollmentApi } from '@goorm/contracts';
import { getRoster, rosterCsv, rosterFileName } from './roster.service.ts';

/** Staff: who is in a section, as JSON or CSV. */
export function registerRosterRoutes(api: ApiRouter, deps: { db: Knex }): void {
  api.route(enrollmentApi.endpoints.roster, async ({ params, query, req }, res) => {
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
  });
}
