import type { ApiRouter, Knex } from '@goorm/common';
import { enrollmentApi, type AuditPage } from '@goorm/contracts';
import { listAudit } from './audit.repository.ts';

/** Staff: the audit trail of staff actions (window changes, overrides), newest first. */
export function registerAuditRoutes(api: ApiRouter, deps: { db: Knex }): void {
  api.route(enrollmentApi.endpoints.audit, async ({ query }, res) => {
    const page: AuditPage = { ...(await listAudit(deps.db, query)), page: query.page, size: query.size };
    res.json(page);
  });
}
