import type { ApiRouter, Knex } from '@goorm/common';
import { listAudit } from './audit.repository.ts';
import { auditPageSchema, auditQuery } from './audit.schemas.ts';

/** Staff: the audit trail of staff actions (window changes, overrides), newest first. */
export function registerAuditRoutes(api: ApiRouter, deps: { db: Knex }): void {
  api.get(
    '/audit',
    {
      summary: 'Audit log of staff actions, newest first',
      tags: ['audit'],
      access: 'staff',
      query: auditQuery,
      responses: { 200: { description: 'One page', schema: auditPageSchema } },
    },
    async ({ query }, res) => {
      const page = await listAudit(deps.db, query);
      res.json({ ...page, page: query.page, size: query.size });
    },
  );
}
