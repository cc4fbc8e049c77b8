import { engineOf, toIso, type Knex } from '@goorm/common';
import type { NoticeKind, TimetableSection, WaitlistSettings } from '@goorm/contracts';
import { TIMETABLE_SECTION_COLUMNS, timetableSection, type NativeStatement, type TimetableRowSql } from '../enrollments/enrollments.repository.ts';

/**
 * Every statement of the waitlists, the notices and the auto-enrollment runs (README "Waitlists").
 * Knex only here; plain camelCase objects out.
 */

type Db = Knex | Knex.Transaction;

const isMysql = (db: Db) => engineOf(db as Knex) === 'mysql';

// ---- settings ----

export const DEFAULT_WAITLIST_SETTINGS: WaitlistSettings = { enabled: true, maxEntriesPerStudent: 3, countWaitlistedCredits: false, updatedAt: null };

export async function readSettings(db: Db): Promise<WaitlistSettings> {
  const row = await db('waitlist_settings')
    .where('id', 1)
    .first<{ enabled: unknown; max_entries: number; count_credits: unknown; updated_at: unknown } | undefined>('enabled', 'max_entries', 'count_credits', 'updated_at');
  if (!row) return DEFAULT_WAITLIST_SETTINGS;
  return {
    enabled: Boolean(Number(row.enabled)),
    maxEntriesPerStudent: Number(row.max_entries),
    countWaitlistedCredits: Boolean(Number(row.count_credits)),
    updatedAt: row.updated_at ? toIso(row.updated_at) : null,
  };
}

export async function writeSettings(db: Db, s: Omit<WaitlistSettings, 'updatedAt'>, now: Date): Promise<void> {
  const row = { enabled: s.enabled, max_entries: s.maxEntriesPerStudent, count_credits: s.countWaitlistedCredits, updated_at: now };
  await db('waitlist_settings')
    .insert({ id: 1, ...row })
    .onConflict('id')
    .merge(row);
}

// ---- entries ----

export interface EntryRow {
  id: number;
  /** The student's major and grade (null when the student row is gone). */
  majorId: number | null;
  grade: number | null;
  sectionId: number;
  studentId: number;
  lectureId: number;
  rank: number;
  joinedAt: string;
  skipCode: string | null;
  skippedAt: string | null;
}

export interface EntrySql {
  id: number;
  major_id?: number | null;
  grade?: number | null;
  section_id: number;
  student_id: number;
  lecture_id: number;
  sort_key: number | string;
  joined_at: unknown;
  skip_code: string | null;
  skipped_at: unknown;
}

const ENTRY_COLUMNS = ['id', 'section_id', 'student_id', 'lecture_id', 'sort_key', 'joined_at', 'skip_code', 'skipped_at'];

export const toEntry = (r: EntrySql): EntryRow => ({
  id: Number(r.id),
  majorId: r.major_id === null || r.major_id === undefined ? null : Number(r.major_id),
  grade: r.grade === null || r.grade === undefined ? null : Number(r.grade),
  sectionId: Number(r.section_id),
  studentId: Number(r.student_id),
  lectureId: Number(r.lecture_id),
  rank: Number(r.sort_key),
  joinedAt: toIso(r.joined_at),
  skipCode: r.skip_code,
  skippedAt: r.skipped_at ? toIso(r.skipped_at) : null,
});

/**
 * Locks the section's seat counter row (MySQL `FOR UPDATE`; SQLite's BEGIN IMMEDIATE holds the
 * database) and reads the seats taken: every writer of a section's waitlist order that must agree
 * with its seats (join, the sweeper's promotion) takes it, after the student's row.
 */
export async function lockSeatRow(trx: Knex.Transaction, sectionId: number): Promise<number> {
  const q = trx('section_seat').where('section_id', sectionId).first<{ enrolled: number } | undefined>('enrolled');
  if (isMysql(trx)) q.forUpdate();
  const row = await q;
  return Number(row?.enrolled ?? 0);
}

/** The section's capacity and seats taken (the seat row locked by the caller, or not). */
export async function seatsOf(db: Db, sectionId: number): Promise<{ capacity: number; enrolled: number } | undefined> {
  const row = await db('section as s')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('s.id', sectionId)
    .first<{ capacity: number; enrolled: number | null } | undefined>('s.capacity', 'ss.enrolled');
  return seatsFromRows(row ? [row] : []);
}

/** The reservation counters of a section (used seats per reservation). */
export async function reservationUse(db: Db, sectionId: number): Promise<Map<number, number>> {
  return useFromRows(await db('reservation_seat').where('section_id', sectionId).select<{ reservation_id: number; used: number }[]>('reservation_id', 'used'));
}

export async function findEntry(db: Db, studentId: number, sectionId: number): Promise<EntryRow | undefined> {
  const row = await db('waitlist_entry').where({ student_id: studentId, section_id: sectionId }).first<EntrySql | undefined>(ENTRY_COLUMNS);
  return row ? toEntry(row) : undefined;
}

/** The student's entries of a term (oldest first). */
export async function entriesOfStudent(db: Db, studentId: number, termId: number): Promise<EntryRow[]> {
  const rows = await db('waitlist_entry').where({ student_id: studentId, term_id: termId }).orderBy('id').select<EntrySql[]>(ENTRY_COLUMNS);
  return rows.map(toEntry);
}

/** The sections of these entries in the timetable variant (meetings still empty: `findMeetings` fills them), one query. */
export async function entrySections(db: Knex, entryIds: readonly number[]): Promise<Map<number, TimetableSection>> {
  const out = new Map<number, TimetableSection>();
  if (entryIds.length === 0) return out;
  const rows = await db('waitlist_entry as w')
    .join('section as s', 's.id', 'w.section_id')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .leftJoin('professor as p', 'p.id', 's.professor_id')
    .whereIn('w.id', entryIds)
    .select<(TimetableRowSql & { entry_id: number })[]>('w.id as entry_id', 'w.section_id', 'w.lecture_id', ...TIMETABLE_SECTION_COLUMNS);
  for (const r of rows) out.set(Number(r.entry_id), timetableSection(r));
  return out;
}

/** A section's entries in waitlist order (MySQL: locked, for a staff move). */
export async function entriesOfSection(
  db: Db,
  sectionId: number,
  opts: { lock?: boolean; limit?: number; excludeIds?: readonly number[]; onlyId?: number } = {},
): Promise<EntryRow[]> {
  const q = db('waitlist_entry').where('section_id', sectionId).orderBy([{ column: 'sort_key' }, { column: 'id' }]).select<EntrySql[]>(ENTRY_COLUMNS);
  if (opts.excludeIds?.length) q.whereNotIn('id', opts.excludeIds);
  if (opts.onlyId !== undefined) q.where('id', opts.onlyId);
  if (opts.limit !== undefined) q.limit(opts.limit);
  if (opts.lock && isMysql(db)) q.forUpdate();
  return (await q).map(toEntry);
}

/** The next entries of a section in waitlist order with their student's major and grade (a promotion's candidates), no locks. */
export async function candidatesOf(db: Db, sectionId: number, limit: number, excludeIds: readonly number[]): Promise<EntryRow[]> {
  const q = db('waitlist_entry as w')
    .leftJoin('student as st', 'st.id', 'w.student_id')
    .where('w.section_id', sectionId)
    .orderBy([{ column: 'w.sort_key' }, { column: 'w.id' }])
    .limit(limit)
    .select<EntrySql[]>(...ENTRY_COLUMNS.map((c) => `w.${c}`), 'st.major_id', 'st.grade');
  if (excludeIds.length) q.whereNotIn('w.id', excludeIds);
  return (await q).map(toEntry);
}

/** Appends an entry at the end of the section's list: its rank is its own id (FIFO by join time). */
export async function insertEntry(trx: Knex.Transaction, e: { sectionId: number; studentId: number; lectureId: number; termId: number; joinedAt: Date }): Promise<number> {
  const [id] = await trx('waitlist_entry').insert({
    section_id: e.sectionId,
    student_id: e.studentId,
    lecture_id: e.lectureId,
    term_id: e.termId,
    joined_at: e.joinedAt,
  });
  await trx('waitlist_entry').where('id', Number(id)).update({ sort_key: Number(id) });
  return Number(id);
}

/** Removes one entry; false when it was gone already (left, removed or promoted meanwhile). */
export async function deleteEntry(db: Db, id: number): Promise<boolean> {
  return (await db('waitlist_entry').where('id', id).delete()) === 1;
}

/** A promoted student's other entries of the same lecture (they now hold it). */
export async function deleteEntriesOfLecture(db: Db, studentId: number, lectureId: number): Promise<number> {
  return db('waitlist_entry').where({ student_id: studentId, lecture_id: lectureId }).delete();
}

export async function markSkipped(db: Db, id: number, code: string, now: Date, retryAt: Date): Promise<void> {
  await db('waitlist_entry').where('id', id).update({ skip_code: code.slice(0, 32), skipped_at: now, retry_at: retryAt });
}

/** Entries of a section not yet deferred are not due before `retryAt` (the sweeper found nobody to give its seat to). */
export async function deferRetry(db: Db, sectionId: number, retryAt: Date): Promise<void> {
  await db('waitlist_entry').where('section_id', sectionId).whereNull('retry_at').update({ retry_at: retryAt });
}

/** The student's holdings changed (a drop or a swap): their skipped entries are worth trying again at once. */
export async function clearRetryOf(db: Db, studentId: number): Promise<void> {
  await db('waitlist_entry').where('student_id', studentId).whereNotNull('retry_at').update({ retry_at: null });
}

export async function setRank(db: Db, id: number, rank: number): Promise<void> {
  await db('waitlist_entry').where('id', id).update({ sort_key: rank });
}

/** Position (1-based) and list length of each of these entries, in one query. */
export async function positionsOf(db: Db, entryIds: readonly number[]): Promise<Map<number, { position: number; waiting: number }>> {
  const out = new Map<number, { position: number; waiting: number }>();
  if (entryIds.length === 0) return out;
  const rows = await db('waitlist_entry as me')
    .join('waitlist_entry as o', 'o.section_id', 'me.section_id')
    .whereIn('me.id', entryIds)
    .groupBy('me.id')
    .select<{ id: number; position: number | string; waiting: number | string }[]>(
      'me.id',
      db.raw('sum(case when o.sort_key < me.sort_key or (o.sort_key = me.sort_key and o.id <= me.id) then 1 else 0 end) as position'),
      db.raw('count(*) as waiting'),
    );
  for (const r of rows) out.set(Number(r.id), { position: Number(r.position), waiting: Number(r.waiting) });
  return out;
}

/**
 * Sections of the term with an open seat and someone waiting who is due a try: the sweeper's work
 * list, one query.
 */
export async function sectionsToFill(db: Db, termId: number, now: Date, limit: number): Promise<number[]> {
  const rows = await db('section as s')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('s.term_id', termId)
    // An open seat: not one an unreleased reservation still holds back (the drop that frees a
    // reserved seat offers it to the matching students on the list itself).
    .whereRaw(
      `coalesce(ss.enrolled, 0) + coalesce((
         select sum(case when sr.seats > coalesce(rs.used, 0) then sr.seats - coalesce(rs.used, 0) else 0 end)
         from section_reservation sr left join reservation_seat rs on rs.reservation_id = sr.id
         where sr.section_id = s.id and sr.release_at > ?), 0) < s.capacity`,
      [now],
    )
    .whereExists((q) => {
      q.select(db.raw('1'))
        .from('waitlist_entry as w')
        .whereRaw('w.section_id = s.id')
        .andWhere((w) => w.whereNull('w.retry_at').orWhere('w.retry_at', '<=', now));
    })
    .orderBy('s.id')
    .limit(limit)
    .select<{ id: number }[]>('s.id');
  return rows.map((r) => Number(r.id));
}

// ---- the staff view ----

export interface StaffEntryRow extends EntryRow {
  studentNo: string | null;
  name: string | null;
  grade: number | null;
  majorId: number | null;
}

export async function staffEntries(db: Db, sectionId: number): Promise<StaffEntryRow[]> {
  const rows = await db('waitlist_entry as w')
    .leftJoin('student as st', 'st.id', 'w.student_id')
    .where('w.section_id', sectionId)
    .orderBy([{ column: 'w.sort_key' }, { column: 'w.id' }])
    .select<(EntrySql & { student_no: string | null; name: string | null; grade: number | null; major_id: number | null })[]>(
      ...ENTRY_COLUMNS.map((c) => `w.${c}`),
      'st.student_no',
      'st.name',
      'st.grade',
      'st.major_id',
    );
  return rows.map((r) => ({
    ...toEntry(r),
    studentNo: r.student_no,
    name: r.name,
    grade: r.grade === null ? null : Number(r.grade),
    majorId: r.major_id === null ? null : Number(r.major_id),
  }));
}

export interface SectionHead {
  id: number;
  termId: number;
  lectureCode: string;
  title: string;
  sectionNo: number;
  capacity: number;
  enrolled: number;
}

export async function sectionHead(db: Db, sectionId: number): Promise<SectionHead | undefined> {
  const r = await db('section as s')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('s.id', sectionId)
    .first<{ id: number; term_id: number; code: string; title: string; section_no: number; capacity: number; enrolled: number | null } | undefined>(
      's.id',
      's.term_id',
      'l.code',
      'l.title',
      's.section_no',
      's.capacity',
      'ss.enrolled',
    );
  return r
    ? { id: Number(r.id), termId: Number(r.term_id), lectureCode: r.code, title: r.title, sectionNo: Number(r.section_no), capacity: Number(r.capacity), enrolled: Number(r.enrolled ?? 0) }
    : undefined;
}

export async function overview(db: Db, termId: number, top: number, since: Date) {
  const [totals] = await db('waitlist_entry')
    .where('term_id', termId)
    .select<{ entries: number | string; students: number | string; sections: number | string }[]>(
      db.raw('count(*) as entries'),
      db.raw('count(distinct student_id) as students'),
      db.raw('count(distinct section_id) as sections'),
    );
  const longest = await db('waitlist_entry as w')
    .join('section as s', 's.id', 'w.section_id')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('w.term_id', termId)
    .groupBy('s.id', 'l.code', 'l.title', 's.section_no', 's.capacity', 'ss.enrolled')
    .orderBy([{ column: 'waiting', order: 'desc' }, { column: 's.id' }])
    .limit(top)
    .select<{ id: number; code: string; title: string; section_no: number; capacity: number; enrolled: number | null; waiting: number | string }[]>(
      's.id',
      'l.code',
      'l.title',
      's.section_no',
      's.capacity',
      'ss.enrolled',
      db.raw('count(*) as waiting'),
    );
  const recent = await db('waitlist_event as e')
    .join('section as s', 's.id', 'e.section_id')
    .where('s.term_id', termId)
    .where('e.created_at', '>=', since)
    .whereIn('e.kind', ['PROMOTE', 'SKIP'])
    .groupBy('e.kind')
    .select<{ kind: string; n: number | string }[]>('e.kind', db.raw('count(*) as n'));
  const byKind = new Map(recent.map((r) => [r.kind, Number(r.n)]));
  return {
    entries: Number(totals?.entries ?? 0),
    students: Number(totals?.students ?? 0),
    sections: Number(totals?.sections ?? 0),
    top: longest.map((r) => ({
      sectionId: Number(r.id),
      lectureCode: r.code,
      title: r.title,
      sectionNo: Number(r.section_no),
      capacity: Number(r.capacity),
      enrolled: Number(r.enrolled ?? 0),
      waiting: Number(r.waiting),
    })),
    lastHour: { promoted: byKind.get('PROMOTE') ?? 0, skipped: byKind.get('SKIP') ?? 0 },
  };
}

// ---- events and notices ----

export type WaitlistEventKind = 'JOIN' | 'LEAVE' | 'PROMOTE' | 'SKIP' | 'MOVE' | 'REMOVE';

export interface WaitlistEvent {
  sectionId: number;
  studentId: number;
  kind: WaitlistEventKind;
  code?: string | null;
  actorStaffId?: number | null;
  at: Date;
}

export async function insertWaitlistEvents(db: Db, events: readonly WaitlistEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db('waitlist_event').insert(
    events.map((e) => ({
      section_id: e.sectionId,
      student_id: e.studentId,
      kind: e.kind,
      code: e.code ?? null,
      actor_staff_id: e.actorStaffId ?? null,
      created_at: e.at,
    })),
  );
}

export interface NewNotice {
  studentId: number;
  kind: NoticeKind;
  sectionId: number;
  code?: string | null;
  reason?: string | null;
  at: Date;
}

export async function insertNotices(db: Db, notices: readonly NewNotice[]): Promise<void> {
  // SQLite's bound-variable limit: chunks of 100 rows (7 values each).
  for (let i = 0; i < notices.length; i += 100) {
    await db('notice').insert(
      notices.slice(i, i + 100).map((n) => ({
        student_id: n.studentId,
        kind: n.kind,
        section_id: n.sectionId,
        code: n.code ?? null,
        reason: n.reason ?? null,
        created_at: n.at,
      })),
    );
  }
}

export async function listNotices(db: Db, studentId: number, o: { unread: boolean; limit: number }) {
  const rows = await db('notice as n')
    .leftJoin('section as s', 's.id', 'n.section_id')
    .leftJoin('lecture as l', 'l.id', 's.lecture_id')
    .where('n.student_id', studentId)
    .modify((q) => {
      if (o.unread) q.whereNull('n.read_at');
    })
    .orderBy('n.id', 'desc')
    .limit(o.limit)
    .select<
      {
        id: number;
        kind: NoticeKind;
        section_id: number;
        code: string | null;
        reason: string | null;
        created_at: unknown;
        read_at: unknown;
        lecture_code: string | null;
        title: string | null;
        section_no: number | null;
      }[]
    >('n.id', 'n.kind', 'n.section_id', 'n.code', 'n.reason', 'n.created_at', 'n.read_at', 'l.code as lecture_code', 'l.title', 's.section_no');
  const [unread] = await db('notice').where('student_id', studentId).whereNull('read_at').count<{ n: number | string }[]>({ n: '*' });
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      sectionId: Number(r.section_id),
      lectureCode: r.lecture_code ?? '',
      lectureTitle: r.title ?? '',
      sectionNo: Number(r.section_no ?? 0),
      code: r.code,
      reason: r.reason,
      createdAt: toIso(r.created_at),
      readAt: r.read_at ? toIso(r.read_at) : null,
    })),
    unread: Number(unread?.n ?? 0),
  };
}

export async function markNoticesRead(db: Db, studentId: number, upToId: number, now: Date): Promise<void> {
  await db('notice').where('student_id', studentId).where('id', '<=', upToId).whereNull('read_at').update({ read_at: now });
}

// ---------------------------------------------------------------------------------------------
// A join on MySQL as SQL text (waitlist.service.ts `joinSqlText`, over the enroll's
// BatchedTransaction): the same statements as `lockStudent`, `entriesOfStudent`, `seatsOf`,
// `reservationUse`, `insertEntry` and `insertWaitlistEvents` above, written out once with their
// placeholders. Every value is a binding. The same tests assert both paths (they run on MariaDB).

const ENTRIES_OF_STUDENT_SQL = `select ${ENTRY_COLUMNS.map((c) => `\`${c}\``).join(', ')} from \`waitlist_entry\` where \`student_id\` = ? and \`term_id\` = ? order by \`id\` asc`;
const SEATS_OF_SQL = 'select `s`.`capacity`, `ss`.`enrolled` from `section` as `s` left join `section_seat` as `ss` on `ss`.`section_id` = `s`.`id` where `s`.`id` = ? limit 1';
const RESERVATION_USE_SQL = 'select `reservation_id`, `used` from `reservation_seat` where `section_id` = ?';
const INSERT_ENTRY_SQL = 'insert into `waitlist_entry` (`section_id`, `student_id`, `lecture_id`, `term_id`, `joined_at`) values (?, ?, ?, ?, ?)';
// The new entry's rank is its own id (FIFO by join), as insertEntry's second statement sets it.
const RANK_LAST_INSERT_SQL = 'update `waitlist_entry` set `sort_key` = last_insert_id() where `id` = last_insert_id()';
const INSERT_WAITLIST_EVENT_SQL = 'insert into `waitlist_event` (`section_id`, `student_id`, `kind`, `code`, `actor_staff_id`, `created_at`) values (?, ?, ?, ?, ?, ?)';

export const entriesOfStudentSql = (studentId: number, termId: number): NativeStatement => ({ sql: ENTRIES_OF_STUDENT_SQL, bindings: [studentId, termId] });
export const seatsOfSql = (sectionId: number): NativeStatement => ({ sql: SEATS_OF_SQL, bindings: [sectionId] });
export const reservationUseSql = (sectionId: number): NativeStatement => ({ sql: RESERVATION_USE_SQL, bindings: [sectionId] });

/** The entry, its rank, and its event: the writes of a join, to ride with the COMMIT. The first result's insertId is the entry's id. */
export function insertEntrySql(e: { sectionId: number; studentId: number; lectureId: number; termId: number; joinedAt: Date }, ev: WaitlistEvent): NativeStatement[] {
  return [
    { sql: INSERT_ENTRY_SQL, bindings: [e.sectionId, e.studentId, e.lectureId, e.termId, e.joinedAt] },
    { sql: RANK_LAST_INSERT_SQL, bindings: [] },
    { sql: INSERT_WAITLIST_EVENT_SQL, bindings: [ev.sectionId, ev.studentId, ev.kind, ev.code ?? null, ev.actorStaffId ?? null, ev.at] },
  ];
}

/** `seatsOf`'s and `reservationUse`'s answers from their rows. */
export function seatsFromRows(rows: Array<{ capacity: number; enrolled: number | null }>): { capacity: number; enrolled: number } | undefined {
  const row = rows[0];
  return row ? { capacity: Number(row.capacity), enrolled: Number(row.enrolled ?? 0) } : undefined;
}
export function useFromRows(rows: Array<{ reservation_id: number; used: number }>): Map<number, number> {
  return new Map(rows.map((r) => [Number(r.reservation_id), Number(r.used)]));
}
