import { engineOf, toIso, type Knex } from '@goorm/common';
import type { SectionStat } from '@goorm/contracts';
import { ENROLLED_SQL, SECTION_RANKINGS, sectionStatsQuery, toSectionStat } from './stats.repository.ts';

/** Event actions that give a seat back; every other action's OK takes one (ENROLL, SWAP, OVERRIDE_ENROLL). */
const DROP_ACTIONS = ['DROP', 'SWAP_DROP', 'OVERRIDE_DROP'];
const dropList = DROP_ACTIONS.map((a) => `'${a}'`).join(', ');

/** ENROLLED, DROPPED or the refusal code of an event, in SQL. */
const OUTCOME_KEY = `case when e.outcome = 'OK' then case when e.action in (${dropList}) then 'DROPPED' else 'ENROLLED' end else e.outcome end`;

export interface LiveTotals {
  sections: number;
  capacity: number;
  enrolled: number;
  cartItems: number;
  /** Sections at or above the nearly-full ratio. */
  nearlyFull: number;
}

/** The ratio as thousandths, so "enrolled / capacity >= ratio" is compared in integers on both engines. */
const milli = (ratio: number) => Math.round(ratio * 1000);

/** Term-wide numbers and the count of nearly full sections in one statement (scalar subqueries). */
export async function liveTotals(db: Knex, termId: number, nearlyFull: number): Promise<LiveTotals> {
  const termSections = () => db('section').select('id').where('term_id', termId);
  const row = (await db
    .select({
      sections: db('section').count('*').where('term_id', termId),
      capacity: db('section').sum('capacity').where('term_id', termId),
      enrolled: db('section_seat').sum('enrolled').whereIn('section_id', termSections()),
      cartItems: db('cart_item').count('*').whereIn('section_id', termSections()),
      nearlyFull: db('section as s')
        .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
        .where('s.term_id', termId)
        .where('s.capacity', '>', 0)
        .whereRaw('coalesce(ss.enrolled, 0) * 1000 >= ? * s.capacity', [milli(nearlyFull)])
        .count('*'),
    })
    .first()) as Record<keyof LiveTotals, number | string | null>;
  return {
    sections: Number(row.sections ?? 0),
    capacity: Number(row.capacity ?? 0),
    enrolled: Number(row.enrolled ?? 0),
    cartItems: Number(row.cartItems ?? 0),
    nearlyFull: Number(row.nearlyFull ?? 0),
  };
}

export interface DecisionCount {
  /** Epoch ms of the start of the bucket. */
  bucketMs: number;
  /** ENROLLED, DROPPED or the refusal code. */
  outcome: string;
  count: number;
}

/** The bucket of enrollment_event.created_at (epoch ms in SQLite, DATETIME(3) in a UTC session on MySQL). */
function bucketOf(db: Knex): string {
  return engineOf(db) === 'mysql' ? 'floor(unix_timestamp(e.created_at) * 1000 / ?) * ?' : 'cast(e.created_at / ? as integer) * ?';
}

/**
 * Decisions of the term's sections since an instant, per bucket and outcome (GROUP BY in SQL; the
 * created_at index). Events after `since` without an upper bound, so the caller can also account for
 * seats taken after its period ends. One query.
 */
export async function decisionsSince(db: Knex, q: { termId: number; since: Date; bucketMs: number }): Promise<DecisionCount[]> {
  const rows: { bucket_ms: number | string; outcome_key: string; n: number | string }[] = await db('enrollment_event as e')
    .join('section as s', 's.id', 'e.section_id')
    .where('s.term_id', q.termId)
    .where('e.created_at', '>=', q.since)
    .select(db.raw(`${bucketOf(db)} as bucket_ms`, [q.bucketMs, q.bucketMs]), db.raw(`${OUTCOME_KEY} as outcome_key`))
    .count({ n: '*' })
    .groupBy('bucket_ms', 'outcome_key');
  return rows.map((r) => ({ bucketMs: Number(r.bucket_ms), outcome: r.outcome_key, count: Number(r.n) }));
}

/** The term's top sections by cart pressure or fill, optionally only those at or above a fill ratio; one query. */
export async function rankSections(
  db: Knex,
  q: { termId: number; by: 'cart' | 'fill'; limit: number; atLeast?: number | undefined },
): Promise<SectionStat[]> {
  const rows = await sectionStatsQuery(db, q.termId)
    .modify((b) => {
      if (q.atLeast !== undefined) b.where('s.capacity', '>', 0).whereRaw(`${ENROLLED_SQL} * 1000 >= ? * s.capacity`, [milli(q.atLeast)]);
    })
    .orderBy([...SECTION_RANKINGS[q.by], { column: 's.id', order: 'asc' }])
    .limit(q.limit);
  return rows.map(toSectionStat);
}

export interface FillTime {
  firstEnrollAt: string | null;
  filledAt: string | null;
}

/**
 * For each section: its first successful enroll event, and the successful event after which its
 * seats taken (a running sum of OK events: +1 a seat taken, -1 one given back, in event order)
 * first reached its capacity. One query (a window function) for all the given sections.
 */
export async function fillTimes(db: Knex, sectionIds: number[]): Promise<Map<number, FillTime>> {
  const out = new Map<number, FillTime>();
  if (sectionIds.length === 0) return out;
  const delta = `case when e.action in (${dropList}) then -1 else 1 end`;
  const running = db('enrollment_event as e')
    .join('section as s', 's.id', 'e.section_id')
    .where('e.outcome', 'OK')
    .whereIn('e.section_id', sectionIds)
    .select(
      'e.section_id',
      'e.created_at',
      's.capacity',
      db.raw(`${delta} as delta`),
      db.raw(`sum(${delta}) over (partition by e.section_id order by e.created_at, e.id rows between unbounded preceding and current row) as running`),
    )
    .as('x');
  const rows: { section_id: number; first_at: unknown; filled_at: unknown }[] = await db
    .from(running)
    .groupBy('x.section_id')
    .select(
      'x.section_id',
      db.raw('min(case when x.delta = 1 then x.created_at end) as first_at'),
      db.raw('min(case when x.capacity > 0 and x.running >= x.capacity then x.created_at end) as filled_at'),
    );
  for (const r of rows) {
    out.set(Number(r.section_id), {
      firstEnrollAt: r.first_at === null ? null : toIso(r.first_at),
      filledAt: r.filled_at === null ? null : toIso(r.filled_at),
    });
  }
  return out;
}
