import { engineOf, toIso, type Knex } from '@goorm/common';
import { LIKE_ESCAPE, likeContains } from '../support/db-errors.ts';
import {
  DAYS,
  gradeBit,
  gradesToMask,
  maskToGrades,
  type Category,
  type Day,
  type Meeting,
  type ScheduleConflict,
  type Section,
  type SectionInput,
  type SectionPage,
  type SortKey,
} from '@goorm/contracts';

/** Which sections: by ids, or by term (`'current'`: the term flagged is_current) and filters. */
export interface SectionFilter {
  ids?: number[];
  termId?: number | 'current';
  q?: string | undefined;
  majorId?: number | undefined;
  lectureId?: number | undefined;
  professorId?: number | undefined;
  generalEducation?: boolean | undefined;
  category?: Category | undefined;
  credits?: number | undefined;
  day?: Day | undefined;
  period?: number | undefined;
  grade?: number | undefined;
  professor?: string | undefined;
}

export interface SectionOrder {
  sort: SortKey;
  order?: 'asc' | 'desc' | undefined;
}

interface SectionRow {
  id: number;
  term_id: number;
  lecture_id: number;
  section_no: number;
  professor_id: number;
  capacity: number;
  room: string;
  grade_mask: number;
  enrolled: number | string;
  l_code: string;
  l_title: string;
  l_title_en: string;
  l_credits: number;
  l_category: string;
  l_major_id: number;
  p_name: string;
  p_name_en: string;
}

const like = (column: string) => `${column} LIKE ? ${LIKE_ESCAPE}`;

/**
 * The FROM and WHERE shared by the count and the page. Every filter is SQL:
 * - term: `section(term_id, lecture_id, section_no)` (the unique key) narrows to one term first;
 * - lecture and professor are primary-key joins; major only when generalEducation asks for it;
 * - day/period: EXISTS over `section_meeting(section_id, day, start_period, end_period)`, a
 *   covering index, so each probe is one index lookup;
 * - grade: a bit test on section.grade_mask;
 * - keywords: LIKE '%word%' (a leading wildcard cannot use a B-tree, so it is evaluated on the
 *   term's sections only, a few thousand rows at most, after the index narrowed them).
 */
function filtered(db: Knex, f: SectionFilter, joinAll = false): Knex.QueryBuilder {
  const words = (f.q ?? '').split(/\s+/).filter(Boolean).slice(0, 5);
  const qb = db('section as s');
  // The count joins only what its filters need (every section has its lecture and professor).
  const needsLecture = joinAll || words.length > 0 || f.majorId !== undefined || f.category !== undefined || f.credits !== undefined || f.generalEducation !== undefined;
  if (needsLecture) qb.join('lecture as l', 'l.id', 's.lecture_id');
  if (joinAll || words.length > 0 || f.professor) qb.join('professor as p', 'p.id', 's.professor_id');
  if (f.ids) qb.whereIn('s.id', f.ids);
  if (f.termId === 'current') {
    qb.where('s.term_id', db('term').select('id').where('is_current', true).orderBy('id').limit(1));
  } else if (f.termId !== undefined) {
    qb.where('s.term_id', f.termId);
  }
  if (f.majorId !== undefined) qb.where('l.major_id', f.majorId);
  if (f.lectureId !== undefined) qb.where('s.lecture_id', f.lectureId);
  if (f.professorId !== undefined) qb.where('s.professor_id', f.professorId);
  if (f.category !== undefined) qb.where('l.category', f.category);
  if (f.credits !== undefined) qb.where('l.credits', f.credits);
  if (f.generalEducation !== undefined) {
    qb.join('major as lm', 'lm.id', 'l.major_id').where('lm.is_general_education', f.generalEducation);
  }
  if (f.day !== undefined || f.period !== undefined) {
    const meeting = db('section_meeting as m').select(db.raw('1')).whereRaw('m.section_id = s.id');
    if (f.day !== undefined) meeting.where('m.day', f.day);
    if (f.period !== undefined) meeting.where('m.start_period', '<=', f.period).where('m.end_period', '>=', f.period);
    qb.whereExists(meeting);
  }
  if (f.grade !== undefined) qb.whereRaw('(s.grade_mask & ?) <> 0', [gradeBit(f.grade)]);
  for (const word of words) {
    const w = likeContains(word);
    qb.where((b) =>
      b
        .whereRaw(like('l.title'), [w])
        .orWhereRaw(like('l.title_en'), [w])
        .orWhereRaw(like('l.code'), [w])
        .orWhereRaw(like('p.name'), [w])
        .orWhereRaw(like('p.name_en'), [w]),
    );
  }
  if (f.professor) {
    const w = likeContains(f.professor);
    qb.where((b) => b.whereRaw(like('p.name'), [w]).orWhereRaw(like('p.name_en'), [w]));
  }
  return qb;
}

const SORT_SQL: Record<SortKey, { expr: string; dir: 'asc' | 'desc' }> = {
  code: { expr: 'l.code', dir: 'asc' },
  title: { expr: 'l.title', dir: 'asc' },
  credits: { expr: 'l.credits', dir: 'asc' },
  capacity: { expr: 's.capacity', dir: 'desc' },
  seatsLeft: { expr: '(s.capacity - COALESCE(ss.enrolled, 0))', dir: 'desc' },
};

/** The direction a search sorts in: the one asked for, else the sort's default. */
export function sortDirection(o: SectionOrder): 'asc' | 'desc' {
  return o.order ?? SORT_SQL[o.sort].dir;
}

/** The ORDER BY of every search: the sort, then ties by code, section number and id. */
const orderSql = (o: SectionOrder) => `${SORT_SQL[o.sort].expr} ${sortDirection(o)}, l.code asc, s.section_no asc, s.id asc`;

/** The sections' rows, sorted; with `enrolled` from `section_seat` unless `seats` is false. */
function selectPage(db: Knex, f: SectionFilter, o: SectionOrder, seats = true): Knex.QueryBuilder {
  const qb = filtered(db, f, true);
  // The seatsLeft sort reads section_seat even when the answer does not carry it.
  if (seats || o.sort === 'seatsLeft') qb.leftJoin('section_seat as ss', 'ss.section_id', 's.id');
  return qb
    .select(
      's.id',
      's.term_id',
      's.lecture_id',
      's.section_no',
      's.professor_id',
      's.capacity',
      's.room',
      's.grade_mask',
      ...(seats ? [db.raw('COALESCE(ss.enrolled, 0) as enrolled')] : []),
      'l.code as l_code',
      'l.title as l_title',
      'l.title_en as l_title_en',
      'l.credits as l_credits',
      'l.category as l_category',
      'l.major_id as l_major_id',
      'p.name as p_name',
      'p.name_en as p_name_en',
    )
    .orderByRaw(orderSql(o));
}

/** A section without what other services change every second (`enrolled`, `seatsLeft`, `cartCount`). */
export type StaticSection = Omit<Section, 'enrolled' | 'seatsLeft' | 'cartCount'>;

/**
 * The section as every answer shows it, with its seat and cart counts: the one place that fixes
 * the order of its fields (and so the bytes of its JSON).
 */
export function liveSection(s: StaticSection, enrolled: number, cartCount: number): Section {
  return {
    id: s.id,
    termId: s.termId,
    lectureId: s.lectureId,
    sectionNo: s.sectionNo,
    professorId: s.professorId,
    capacity: s.capacity,
    enrolled,
    seatsLeft: Math.max(0, s.capacity - enrolled),
    cartCount,
    room: s.room,
    grades: s.grades,
    allowedMajorIds: s.allowedMajorIds,
    meetings: s.meetings,
    reserved: s.reserved,
    lecture: s.lecture,
    professor: s.professor,
  };
}

interface Details {
  meetings: Map<number, { day: Day; start_period: number; end_period: number }[]>;
  majors: Map<number, { major_id: number }[]>;
  reservations: Map<number, { id: number; major_id: number | null; grade_mask: number; seats: number; release_at: unknown }[]>;
}

/**
 * Meetings, allowed majors and reserved seats of the given sections (ids, or a subquery selecting
 * them): three queries whatever the number of sections.
 */
async function loadDetails(db: Knex, ids: number[] | Knex.QueryBuilder): Promise<Details> {
  const [meetings, majors, reservations] = await Promise.all([
    db('section_meeting').whereIn('section_id', ids).select('section_id', 'day', 'start_period', 'end_period') as Promise<
      { section_id: number; day: Day; start_period: number; end_period: number }[]
    >,
    db('section_major').whereIn('section_id', ids).select('section_id', 'major_id').orderBy('major_id') as Promise<
      { section_id: number; major_id: number }[]
    >,
    db('section_reservation')
      .whereIn('section_id', ids)
      .select('id', 'section_id', 'major_id', 'grade_mask', 'seats', 'release_at')
      .orderBy('id') as Promise<
      { id: number; section_id: number; major_id: number | null; grade_mask: number; seats: number; release_at: unknown }[]
    >,
  ]);
  const group = <T extends { section_id: number }>(list: T[]) => {
    const by = new Map<number, T[]>();
    for (const x of list) {
      const k = Number(x.section_id);
      const arr = by.get(k);
      if (arr) arr.push(x);
      else by.set(k, [x]);
    }
    return by;
  };
  return { meetings: group(meetings), majors: group(majors), reservations: group(reservations) };
}

/** Students holding each of the given sections in their cart (absent: none). */
async function cartCounts(db: Knex, ids: number[]): Promise<Map<number, number>> {
  const carts = (await db('cart_item').whereIn('section_id', ids).groupBy('section_id').select('section_id').count('* as n')) as {
    section_id: number;
    n: number | string;
  }[];
  return new Map(carts.map((c) => [Number(c.section_id), Number(c.n)]));
}

const dayIndex = (d: string) => DAYS.indexOf(d as Day);

function staticSection(r: Omit<SectionRow, 'enrolled'>, d: Details): StaticSection {
  const id = Number(r.id);
  return {
    id,
    termId: Number(r.term_id),
    lectureId: Number(r.lecture_id),
    sectionNo: Number(r.section_no),
    professorId: Number(r.professor_id),
    capacity: Number(r.capacity),
    room: r.room,
    grades: maskToGrades(r.grade_mask),
    allowedMajorIds: (d.majors.get(id) ?? []).map((m) => Number(m.major_id)),
    meetings: (d.meetings.get(id) ?? [])
      .map((m) => ({ day: m.day, startPeriod: Number(m.start_period), endPeriod: Number(m.end_period) }))
      .sort((a, b) => dayIndex(a.day) - dayIndex(b.day) || a.startPeriod - b.startPeriod),
    reserved: (d.reservations.get(id) ?? []).map((x) => ({
      id: Number(x.id),
      majorId: x.major_id === null ? null : Number(x.major_id),
      grades: maskToGrades(x.grade_mask),
      seats: Number(x.seats),
      releaseAt: toIso(x.release_at),
    })),
    lecture: {
      id: Number(r.lecture_id),
      code: r.l_code,
      title: r.l_title,
      titleEn: r.l_title_en,
      credits: Number(r.l_credits),
      category: r.l_category as Category,
      majorId: Number(r.l_major_id),
    },
    professor: { id: Number(r.professor_id), name: r.p_name, nameEn: r.p_name_en },
  };
}

/**
 * Meetings, allowed majors, reserved seats and cart counts of the given rows: four queries by
 * `whereIn` whatever the number of rows (none when there are no rows).
 */
async function hydrate(db: Knex, rows: SectionRow[]): Promise<Section[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.id));
  const [details, carts] = await Promise.all([loadDetails(db, ids), cartCounts(db, ids)]);
  return rows.map((r) => liveSection(staticSection(r, details), Number(r.enrolled), carts.get(Number(r.id)) ?? 0));
}

/**
 * A search page in at most six queries whatever the size. Page 1 (what students mostly ask for):
 * the page carries the total (`COUNT(*) OVER ()`, computed in the same pass as the sort), then
 * four whereIn: five queries, one when nothing matches. A later page: the count first (a page past
 * the end stops there), then the page and four whereIn: six.
 */
export async function searchSections(
  db: Knex,
  f: SectionFilter,
  o: SectionOrder,
  page: { page: number; size: number },
): Promise<SectionPage> {
  const offset = (page.page - 1) * page.size;
  let rows: (SectionRow & { total?: unknown })[];
  let total: number;
  if (offset === 0) {
    rows = await selectPage(db, f, o).select(db.raw('COUNT(*) OVER () as total')).limit(page.size);
    total = rows.length > 0 ? Number(rows[0]!.total) : 0;
  } else {
    const countRow = (await filtered(db, f).count('* as n').first()) as { n?: unknown } | undefined;
    total = Number(countRow?.n ?? 0);
    rows = offset < total ? await selectPage(db, f, o).limit(page.size).offset(offset) : [];
  }
  return { items: await hydrate(db, rows), total, page: page.page, size: page.size };
}

/** Every matching section (the CSV export), in five queries. */
export async function listSections(db: Knex, f: SectionFilter, o: SectionOrder): Promise<Section[]> {
  return hydrate(db, await selectPage(db, f, o));
}

export async function findSection(db: Knex, id: number): Promise<Section | undefined> {
  const [s] = await listSections(db, { ids: [id] }, { sort: 'code' });
  return s;
}

// ---- the search's term catalog (see search-catalog.ts) ------------------------------------------

/**
 * The current term (the one flagged is_current, as `termId: 'current'` resolves it) and every one
 * of its sections without the live counts, ordered by code: five queries whatever the size (the
 * term, the sections, then meetings, majors and reservations by a subquery on the term).
 */
export async function loadTermCatalog(db: Knex): Promise<{ termId: number | undefined; sections: StaticSection[] }> {
  const term = (await db('term').select('id').where('is_current', true).orderBy('id').first()) as { id: number } | undefined;
  if (!term) return { termId: undefined, sections: [] };
  const termId = Number(term.id);
  const rows = (await selectPage(db, { termId }, { sort: 'code' }, false)) as Omit<SectionRow, 'enrolled'>[];
  if (rows.length === 0) return { termId, sections: [] };
  const details = await loadDetails(db, db('section').select('id').where('term_id', termId));
  return { termId, sections: rows.map((r) => staticSection(r, details)) };
}

/** `enrolled` (section_seat) and `cartCount` (cart_item) of every section of a term: one query. */
export async function loadTermCounts(db: Knex, termId: number): Promise<{ id: number; enrolled: number; carts: number }[]> {
  const rows = (await db('section as s')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('s.term_id', termId)
    .select(
      's.id',
      db.raw('COALESCE(ss.enrolled, 0) as enrolled'),
      db.raw('(SELECT COUNT(*) FROM cart_item ci WHERE ci.section_id = s.id) as carts'),
    )) as { id: number; enrolled: unknown; carts: unknown }[];
  return rows.map((r) => ({ id: Number(r.id), enrolled: Number(r.enrolled), carts: Number(r.carts) }));
}

/** The ids of every matching section, in the search's order (no page): one query. */
export async function matchingSectionIds(db: Knex, f: SectionFilter, o: SectionOrder): Promise<number[]> {
  const qb = filtered(db, f, true);
  if (o.sort === 'seatsLeft') qb.leftJoin('section_seat as ss', 'ss.section_id', 's.id');
  const rows = (await qb.select('s.id').orderByRaw(orderSql(o))) as { id: number }[];
  return rows.map((r) => Number(r.id));
}

// ---- writes -------------------------------------------------------------------------------------

export interface SectionState {
  id: number;
  termId: number;
  lectureId: number;
  capacity: number;
  enrolled: number;
  hasEnrollments: boolean;
}

/** The section as the write path needs it: what it points at and how many seats are taken. */
export async function findSectionState(db: Knex, id: number): Promise<SectionState | undefined> {
  const row = (await db('section as s')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('s.id', id)
    .first(
      's.id',
      's.term_id',
      's.lecture_id',
      's.capacity',
      db.raw('COALESCE(ss.enrolled, 0) as enrolled'),
      db.raw('(SELECT COUNT(*) FROM enrollment e WHERE e.section_id = s.id) as enrollments'),
    )) as
    | { id: number; term_id: number; lecture_id: number; capacity: number; enrolled: unknown; enrollments: unknown }
    | undefined;
  if (!row) return undefined;
  const enrolled = Number(row.enrolled);
  return {
    id: Number(row.id),
    termId: Number(row.term_id),
    lectureId: Number(row.lecture_id),
    capacity: Number(row.capacity),
    enrolled,
    hasEnrollments: enrolled > 0 || Number(row.enrollments) > 0,
  };
}

export interface ReferenceIds {
  term: number[];
  lecture: number[];
  professor: number[];
  major: number[];
}
export type ExistingReferences = { [K in keyof ReferenceIds]: Set<number> };

/** Which of the referenced rows exist, in one UNION ALL query whatever the number of ids. */
export async function existingReferences(db: Knex, refs: ReferenceIds): Promise<ExistingReferences> {
  const found: ExistingReferences = { term: new Set(), lecture: new Set(), professor: new Set(), major: new Set() };
  const parts = (Object.keys(refs) as (keyof ReferenceIds)[])
    .filter((table) => refs[table].length > 0)
    .map((table) => db(table).select(db.raw(`'${table}' as kind`), 'id').whereIn('id', [...new Set(refs[table])]));
  const [first, ...rest] = parts;
  if (!first) return found;
  const rows = (await (rest.length ? first.unionAll(rest) : first)) as { kind: keyof ReferenceIds; id: number }[];
  for (const r of rows) found[r.kind].add(Number(r.id));
  return found;
}

export async function existingSectionIds(db: Knex, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = (await db('section').whereIn('id', ids).select('id')) as { id: number }[];
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * Serialises catalog writes of one term (MySQL row lock; SQLite's BEGIN IMMEDIATE already holds
 * the write lock), so two concurrent writes cannot both pass the schedule check.
 */
export async function lockTerm(db: Knex, termId: number): Promise<void> {
  await db('term').where('id', termId).select('id').forUpdate();
}

export async function findDuplicateSection(
  db: Knex,
  k: { termId: number; lectureId: number; sectionNo: number; excludeId?: number | undefined },
): Promise<number | undefined> {
  const q = db('section').where({ term_id: k.termId, lecture_id: k.lectureId, section_no: k.sectionNo }).first('id');
  if (k.excludeId !== undefined) q.whereNot('id', k.excludeId);
  const row = (await q) as { id: number } | undefined;
  return row ? Number(row.id) : undefined;
}

/**
 * Another section of the same term, taught by the same professor or held in the same room, that
 * meets at an overlapping time. Uses `section(term_id, professor_id)` and `section(term_id, room)`.
 */
export async function findScheduleConflict(
  db: Knex,
  c: { termId: number; professorId: number; room: string; meetings: Meeting[]; excludeId?: number | undefined },
): Promise<ScheduleConflict | undefined> {
  const q = db('section as s')
    .join('section_meeting as m', 'm.section_id', 's.id')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .where('s.term_id', c.termId)
    .where((b) => b.where('s.professor_id', c.professorId).orWhere('s.room', c.room))
    .where((b) => {
      for (const mt of c.meetings) {
        b.orWhere((x) => x.where('m.day', mt.day).where('m.start_period', '<=', mt.endPeriod).where('m.end_period', '>=', mt.startPeriod));
      }
    })
    .select('s.id', 'l.code', 's.section_no', 's.professor_id', 'm.day', 'm.start_period', 'm.end_period')
    .orderByRaw(`CASE WHEN s.professor_id = ? THEN 0 ELSE 1 END, s.id, m.id`, [c.professorId])
    .first();
  if (c.excludeId !== undefined) q.whereNot('s.id', c.excludeId);
  const row = (await q) as
    | { id: number; code: string; section_no: number; professor_id: number; day: Day; start_period: number; end_period: number }
    | undefined;
  if (!row) return undefined;
  return {
    sectionId: Number(row.id),
    lectureCode: row.code,
    sectionNo: Number(row.section_no),
    day: row.day,
    startPeriod: Number(row.start_period),
    endPeriod: Number(row.end_period),
    reason: Number(row.professor_id) === c.professorId ? 'PROFESSOR' : 'ROOM',
  };
}

const sectionColumns = (s: SectionInput) => ({
  term_id: s.termId,
  lecture_id: s.lectureId,
  section_no: s.sectionNo,
  professor_id: s.professorId,
  capacity: s.capacity,
  room: s.room,
  grade_mask: gradesToMask(s.grades),
});

export async function insertSection(db: Knex, s: SectionInput, now: Date): Promise<number> {
  const [id] = await db('section').insert({ ...sectionColumns(s), created_at: now, updated_at: now });
  return Number(id);
}

/**
 * Updates the section only if the new capacity still holds every enrolled student and, when it moves
 * to another lecture or term, only if nobody is enrolled: one statement, so an enrollment committed
 * after the checks cannot slip under it. Returns rows changed.
 */
export async function updateSectionIfCapacityHolds(db: Knex, id: number, s: SectionInput, now: Date): Promise<number> {
  return db('section')
    .where('id', id)
    .whereRaw('? >= COALESCE((SELECT ss.enrolled FROM section_seat ss WHERE ss.section_id = ?), 0)', [s.capacity, id])
    .whereRaw(
      '((lecture_id = ? AND term_id = ?) OR (COALESCE((SELECT ss.enrolled FROM section_seat ss WHERE ss.section_id = ?), 0) = 0 AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.section_id = ?)))',
      [s.lectureId, s.termId, id, id],
    )
    .update({ ...sectionColumns(s), updated_at: now });
}

/**
 * MySQL: locks the section's seat row (enrollment's table; a read, never a write) so that an enroll
 * holding it commits before the section's seats are read for a write. SQLite: the write transaction
 * already excludes every other writer.
 */
export async function lockSeats(db: Knex, id: number): Promise<void> {
  if (engineOf(db) === 'mysql') await db('section_seat').where('section_id', id).select('section_id').forUpdate();
}

/** Meetings and allowed majors are replaced as a whole (nothing else refers to their rows). */
export async function replaceMeetingsAndMajors(db: Knex, id: number, s: SectionInput, replacing: boolean): Promise<void> {
  if (replacing) {
    await db('section_meeting').where('section_id', id).delete();
    await db('section_major').where('section_id', id).delete();
  }
  await db('section_meeting').insert(
    s.meetings.map((m) => ({ section_id: id, day: m.day, start_period: m.startPeriod, end_period: m.endPeriod })),
  );
  if (s.allowedMajorIds.length > 0) {
    await db('section_major').insert(s.allowedMajorIds.map((majorId) => ({ section_id: id, major_id: majorId })));
  }
}

export interface ReservationKey {
  id: number;
  majorId: number | null;
  gradeMask: number;
}

export async function findReservationKeys(db: Knex, sectionId: number): Promise<ReservationKey[]> {
  const rows = (await db('section_reservation').where('section_id', sectionId).orderBy('id').select('id', 'major_id', 'grade_mask')) as {
    id: number;
    major_id: number | null;
    grade_mask: number;
  }[];
  return rows.map((r) => ({ id: Number(r.id), majorId: r.major_id === null ? null : Number(r.major_id), gradeMask: Number(r.grade_mask) }));
}

/**
 * Seats taken from each reservation, as enrollment counts them (`reservation_seat.used`, owned by
 * enrollment; absent table or row = 0).
 */
export async function reservationSeatsUsed(db: Knex, reservationIds: number[]): Promise<Map<number, number>> {
  if (reservationIds.length === 0 || !(await db.schema.hasTable('reservation_seat'))) return new Map();
  const rows = (await db('reservation_seat').whereIn('reservation_id', reservationIds).select('reservation_id', 'used')) as {
    reservation_id: number;
    used: number;
  }[];
  return new Map(rows.map((r) => [Number(r.reservation_id), Number(r.used)]));
}

type Reservation = SectionInput['reserved'][number];
const reservationColumns = (r: Reservation) => ({
  major_id: r.majorId,
  grade_mask: gradesToMask(r.grades),
  seats: r.seats,
  release_at: new Date(r.releaseAt),
});

/** Applies a reservation plan: rows with an id are changed in place (ids stay), others inserted. */
export async function saveReservations(db: Knex, sectionId: number, plan: { id?: number | undefined; r: Reservation }[], removeIds: number[]) {
  if (removeIds.length > 0) await db('section_reservation').whereIn('id', removeIds).delete();
  for (const { id, r } of plan) {
    if (id !== undefined) await db('section_reservation').where({ id, section_id: sectionId }).update(reservationColumns(r));
  }
  const inserts = plan.filter((p) => p.id === undefined).map(({ r }) => ({ section_id: sectionId, ...reservationColumns(r) }));
  if (inserts.length > 0) await db('section_reservation').insert(inserts);
}

/** Deletes the section (meetings, majors, reservations cascade) only while nobody is enrolled. */
export async function deleteSectionIfUnused(db: Knex, id: number): Promise<number> {
  return db('section')
    .where('id', id)
    .whereRaw('COALESCE((SELECT ss.enrolled FROM section_seat ss WHERE ss.section_id = ?), 0) = 0', [id])
    .whereNotExists(db('enrollment as e').select(db.raw('1')).where('e.section_id', id))
    .delete();
}
