import type { Knex } from '@goorm/common';
import { toIsoDate } from '../support/db-errors.ts';
import type { Term, TermInput } from '@goorm/contracts';

interface TermRow {
  id: number;
  code: string;
  name: string;
  starts_on: unknown;
  ends_on: unknown;
  is_current: number | boolean;
}

const toTerm = (r: TermRow): Term => ({
  id: Number(r.id),
  code: r.code,
  name: r.name,
  startsOn: toIsoDate(r.starts_on),
  endsOn: toIsoDate(r.ends_on),
  isCurrent: Boolean(Number(r.is_current)),
});

const columns = (t: TermInput) => ({ code: t.code, name: t.name, starts_on: t.startsOn, ends_on: t.endsOn });

export async function listTerms(db: Knex): Promise<Term[]> {
  const rows: TermRow[] = await db('term').select('*').orderBy('starts_on', 'desc').orderBy('id', 'desc');
  return rows.map(toTerm);
}

export async function findTerm(db: Knex, id: number, opts: { forUpdate?: boolean } = {}): Promise<Term | undefined> {
  const q = db('term').where('id', id).first<TermRow | undefined>('*');
  const row = await (opts.forUpdate ? q.forUpdate() : q);
  return row ? toTerm(row) : undefined;
}

export async function findTermByCode(db: Knex, code: string): Promise<Term | undefined> {
  const row = await db('term').where('code', code).first<TermRow | undefined>('*');
  return row ? toTerm(row) : undefined;
}

export async function hasCurrentTerm(db: Knex): Promise<boolean> {
  return (await db('term').where('is_current', true).first('id')) !== undefined;
}

export async function insertTerm(db: Knex, t: TermInput): Promise<number> {
  const [id] = await db('term').insert({ ...columns(t), is_current: false });
  return Number(id);
}

export async function updateTerm(db: Knex, id: number, t: TermInput): Promise<void> {
  await db('term').where('id', id).update(columns(t));
}

/** One statement flips every row, so two concurrent calls still leave exactly one current term. */
export async function makeCurrent(db: Knex, id: number): Promise<void> {
  await db('term').update({ is_current: db.raw('CASE WHEN id = ? THEN 1 ELSE 0 END', [id]) });
}

export async function countTerms(db: Knex): Promise<number> {
  const row = await db('term').count('* as n').first();
  return Number((row as { n?: unknown } | undefined)?.n ?? 0);
}

export async function deleteTerm(db: Knex, id: number): Promise<void> {
  await db('term').where('id', id).delete();
}
