import type { Knex } from '@goorm/common';

export interface Reference {
  /** Table that may point at the row (another service's table is read, never written). */
  table: string;
  column: string;
  /** Tables of other services may be absent when this service runs on a database of its own. */
  optional?: boolean;
}

/**
 * How many rows of each referencing table point at `id`, in one query (plus one schema lookup
 * per optional table). Only tables with references appear in the result.
 */
export async function countReferences(db: Knex, refs: Reference[], id: number): Promise<Record<string, number>> {
  const present: Reference[] = [];
  for (const r of refs) {
    if (!r.optional || (await db.schema.hasTable(r.table))) present.push(r);
  }
  if (present.length === 0) return {};
  const row = (await db
    .first(present.map((r, i) => db(r.table).count('* as c').where(r.column, id).as(`r${i}`)))) as Record<string, unknown>;
  const used: Record<string, number> = {};
  present.forEach((r, i) => {
    const n = Number(row[`r${i}`] ?? 0);
    if (n > 0) used[r.table] = n;
  });
  return used;
}
