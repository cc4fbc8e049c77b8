import { engineOf, type Knex } from '@goorm/common';
import type { SectionStat, StatsSort } from '@goorm/contracts';

export interface TermRef {
  id: number;
  code: string;
  name: string;
}

export interface TermTotals {
  sections: number;
  capacity: number;
  enrolled: number;
  cartItems: number;
  /** Students holding at least one seat in the term. */
  students: number;
}


export interface AttemptCount {
  /** Epoch ms of the start of the minute (UTC). */
  minuteMs: number;
  outcome: string;
  count: number;
}

/** The given term, or the current one; one query. */
export async function findTerm(db: Knex, termId?: number): Promise<TermRef | undefined> {
  const row = await db('term')
    .select<{ id: number; code: string; name: string }[]>('id', 'code', 'name')
    .modify((q) => {
      if (termId !== undefined) q.where('id', termId);
      else q.where('is_current', true).orderBy('id', 'desc');
    })
    .first();
  return row ? { id: Number(row.id), code: row.code, name: row.name } : undefined;
}

/** Term-wide numbers in one statement (scalar subqueries, each on an index). */
export async function termTotals(db: Knex, termId: number): Promise<TermTotals> {
  const termSections = () => db('section').select('id').where('term_id', termId);
  const row = (await db
    .select({
      sections: db('section').count('*').where('term_id', termId),
      capacity: db('section').sum('capacity').where('term_id', termId),
      enrolled: db('section_seat').sum('enrolled').whereIn('section_id', termSections()),
      cartItems: db('cart_item').count('*').whereIn('section_id', termSections()),
      students: db('enrollment').countDistinct('student_id').where('term_id', termId),
    })
    .first()) as Record<keyof TermTotals, number | string | null>;
  return {
    sections: Number(row.sections ?? 0),
    capacity: Number(row.capacity ?? 0),
    enrolled: Number(row.enrolled ?? 0),
    cartItems: Number(row.cartItems ?? 0),
    students: Number(row.students ?? 0),
  };
}

/** n / d rounded to four places; 0 when d is 0. */
export const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : 0);

/** How sections are ranked (ties: the other ratio, then the section id). */
export const SECTION_RANKINGS: Record<StatsSort, { column: string; order: 'desc' }[]> = {
  fill: [{ column: 'fill_ratio', order: 'desc' }, { column: 'cart_pressure', order: 'desc' }],
  cart: [{ column: 'cart_pressure', order: 'desc' }, { column: 'fill_ratio', order: 'desc' }],
  enrolled: [{ column: 'enrolled', order: 'desc' }, { column: 'fill_ratio', order: 'desc' }],
};

/** Seats taken of `s`, in SQL (a section no one took has no section_seat row). */
export const ENROLLED_SQL = 'coalesce(ss.enrolled, 0)';

interface SectionStatRow {
  id: number;
  code: string;
  title: string;
  section_no: number;
  capacity: number;
  enrolled: number | string;
  cart_count: number | string;
}

/**
 * The term's sections (`s`) with their seat and cart numbers and both ratios computed in SQL, for the
 * caller to narrow, rank and page: one query whatever it adds.
 */
export function sectionStatsQuery(db: Knex, termId: number) {
  const cartCounts = db('cart_item as c')
    .join('section as s2', 's2.id', 'c.section_id')
    .where('s2.term_id', termId)
    .groupBy('c.section_id')
    .select('c.section_id')
    .count({ n: '*' })
    .as('cc');
  const carts = 'coalesce(cc.n, 0)';
  return db('section as s')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .leftJoin(cartCounts, 'cc.section_id', 's.id')
    .where('s.term_id', termId)
    .select<SectionStatRow[]>(
      's.id',
      'l.code',
      'l.title',
      's.section_no',
      's.capacity',
      db.raw(`${ENROLLED_SQL} as enrolled`),
      db.raw(`${carts} as cart_count`),
      db.raw(`case when s.capacity > 0 then ${ENROLLED_SQL} * 1.0 / s.capacity else 0 end as fill_ratio`),
      db.raw(`case when s.capacity > 0 then ${carts} * 1.0 / s.capacity else 0 end as cart_pressure`),
    );
}

export function toSectionStat(r: SectionStatRow): SectionStat {
  const capacity = Number(r.capacity);
  const enrolled = Number(r.enrolled);
  const cartCount = Number(r.cart_count);
  return {
    sectionId: Number(r.id),
    lectureCode: r.code,
    title: r.title,
    sectionNo: Number(r.section_no),
    capacity,
    enrolled,
    cartCount,
    fillRatio: ratio(enrolled, capacity),
    cartPressure: ratio(cartCount, capacity),
  };
}

/** One page of the term's sections with seat and cart numbers, ranked in SQL; plus the total. Two queries. */
export async function sectionStats(
  db: Knex,
  q: { termId: number; sectionId?: number | undefined; sort: StatsSort; page: number; size: number },
): Promise<{ items: SectionStat[]; total: number }> {
  const only = (b: Knex.QueryBuilder) => {
    if (q.sectionId !== undefined) b.where('s.id', q.sectionId);
  };
  const rows = await sectionStatsQuery(db, q.termId)
    .modify(only)
    .orderBy([...SECTION_RANKINGS[q.sort], { column: 's.id', order: 'asc' }])
    .limit(q.size)
    .offset((q.page - 1) * q.size);
  const [countRow] = await db('section as s').where('s.term_id', q.termId).modify(only).count<{ n: number | string }[]>({ n: '*' });
  return { items: rows.map(toSectionStat), total: Number(countRow?.n ?? 0) };
}

/**
 * The minute bucket of enrollment_event.created_at as epoch ms. SQLite stores the app's Date
 * values as epoch ms integers; MySQL as DATETIME(3) in a UTC session (see createDb).
 */
function minuteBucket(db: Knex): string {
  return engineOf(db) === 'mysql'
    ? 'floor(unix_timestamp(e.created_at) / 60) * 60000'
    : 'cast(e.created_at / 60000 as integer) * 60000';
}

/** Attempts per minute and outcome since an instant (GROUP BY in SQL); one query. */
export async function attemptsPerMinute(
  db: Knex,
  q: { termId: number; sectionId?: number | undefined; since: Date; until: Date },
): Promise<AttemptCount[]> {
  const rows: { minute_ms: number | string; outcome: string; n: number | string }[] = await db('enrollment_event as e')
    .join('section as s', 's.id', 'e.section_id')
    .where('s.term_id', q.termId)
    .where('e.created_at', '>=', q.since)
    .where('e.created_at', '<', q.until)
    .modify((b) => {
      if (q.sectionId !== undefined) b.where('e.section_id', q.sectionId);
    })
    .select(db.raw(`${minuteBucket(db)} as minute_ms`), 'e.outcome')
    .count({ n: '*' })
    .groupBy('minute_ms', 'e.outcome')
    .orderBy([{ column: 'minute_ms' }, { column: 'e.outcome' }]);
  return rows.map((r) => ({ minuteMs: Number(r.minute_ms), outcome: r.outcome, count: Number(r.n) }));
}
