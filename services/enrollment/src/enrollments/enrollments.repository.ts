import { engineOf, isUniqueViolation, toIso, type Knex } from '@goorm/common';
import type { Category, Day, Meeting, TimetableItem, TimetableSection } from '@goorm/contracts';
import type { StoredAnswer } from '../idempotency/idempotency.repository.ts';

/**
 * Every statement of the enroll / drop / swap transactions lives here (README "The enroll
 * transaction"). Knex only here; plain camelCase objects out.
 */

type Db = Knex | Knex.Transaction;

const isMysql = (db: Db) => engineOf(db as Knex) === 'mysql';

export interface HeldEnrollment {
  sectionId: number;
  lectureId: number;
  termId: number;
  reservationId: number | null;
}

export interface LockedStudent {
  id: number;
  majorId: number;
  grade: number;
  maxCredits: number;
  /** All of the student's enrollments (every term: the unique key spans terms). */
  held: HeldEnrollment[];
  /** The answer already stored under the request's Idempotency-Key, if any. */
  stored: StoredAnswer | undefined;
}

export interface LockRow {
  id: number;
  major_id: number;
  grade: number;
  max_credits: number;
  section_id: number | null;
  lecture_id: number | null;
  term_id: number | null;
  reservation_id: number | null;
  idem_hash?: string | null;
  idem_status?: number | null;
  idem_body?: string | null;
}

/**
 * Round trip 1: locks the student's row (MySQL `FOR UPDATE`; on SQLite the BEGIN IMMEDIATE
 * transaction already holds the write lock) and reads their enrollments in the same statement,
 * plus the stored answer of an Idempotency-Key as scalar subqueries. Under READ COMMITTED this
 * locks exactly the student's row and their own enrollment rows; no gap locks.
 */
export async function lockStudent(trx: Knex.Transaction, studentId: number, idemKey?: string): Promise<LockedStudent | undefined> {
  const q = trx('student as s')
    .leftJoin('enrollment as e', 'e.student_id', 's.id')
    .where('s.id', studentId)
    .select<LockRow[]>('s.id', 's.major_id', 's.grade', 's.max_credits', 'e.section_id', 'e.lecture_id', 'e.term_id', 'e.reservation_id');
  if (idemKey !== undefined) {
    const sub = (col: string, alias: string) =>
      trx.raw(`(select ${col} from idempotency_record where idem_key = ?) as ${alias}`, [idemKey]);
    q.select(sub('request_hash', 'idem_hash'), sub('status', 'idem_status'), sub('body', 'idem_body'));
  }
  if (isMysql(trx)) q.forUpdate();
  return toLockedStudent(await q);
}

/** The rows of the locking read (either path) as the student and what they hold. */
export function toLockedStudent(rows: LockRow[]): LockedStudent | undefined {
  const first = rows[0];
  if (!first) return undefined;
  // One pass over the rows (no intermediate array): this runs on every enroll.
  const held: HeldEnrollment[] = [];
  for (const r of rows) {
    if (r.section_id === null) continue;
    held.push({
      sectionId: Number(r.section_id),
      lectureId: Number(r.lecture_id),
      termId: Number(r.term_id),
      reservationId: r.reservation_id === null ? null : Number(r.reservation_id),
    });
  }
  return {
    id: Number(first.id),
    majorId: Number(first.major_id),
    grade: Number(first.grade),
    maxCredits: Number(first.max_credits),
    held,
    stored:
      first.idem_hash !== null && first.idem_hash !== undefined
        ? { requestHash: first.idem_hash, status: Number(first.idem_status), body: String(first.idem_body) }
        : undefined,
  };
}

/**
 * Round trip 2: takes one seat with one conditional UPDATE. `heldBack` is the number of seats
 * still reserved for others (0 unless unreleased reservations exist); the capacity is read in
 * the same statement, so a staff change of capacity applies at once.
 */
export async function takeSeat(trx: Knex.Transaction, sectionId: number, heldBack: number): Promise<boolean> {
  const n = await trx('section_seat')
    .where('section_id', sectionId)
    .whereRaw('enrolled + ? < (select capacity from section where id = ?)', [heldBack, sectionId])
    .update({ enrolled: trx.raw('enrolled + 1') });
  return n === 1;
}

/** Staff past capacity: the one unconditional seat increment, only when explicitly asked. */
export async function forceSeat(trx: Knex.Transaction, sectionId: number): Promise<boolean> {
  const n = await trx('section_seat').where('section_id', sectionId).update({ enrolled: trx.raw('enrolled + 1') });
  return n === 1;
}

/** Gives a seat back; never below zero. */
export async function releaseSeat(trx: Knex.Transaction, sectionId: number): Promise<boolean> {
  const n = await trx('section_seat').where('section_id', sectionId).where('enrolled', '>', 0).update({ enrolled: trx.raw('enrolled - 1') });
  return n === 1;
}

/**
 * Locks the section's reservation counters (ascending id; MySQL `FOR UPDATE`) and reads them.
 * Every writer of a section's seats with reservations takes these before section_seat.
 */
export async function lockReservationUse(trx: Knex.Transaction, sectionId: number): Promise<Map<number, number>> {
  const q = trx('reservation_seat').where('section_id', sectionId).select<{ reservation_id: number; used: number }[]>('reservation_id', 'used').orderBy('reservation_id');
  if (isMysql(trx)) q.forUpdate();
  const rows = await q;
  return new Map(rows.map((r) => [Number(r.reservation_id), Number(r.used)]));
}

/** One reserved seat of a reservation, conditionally. */
export async function takeReservedSeat(trx: Knex.Transaction, reservationId: number, seats: number): Promise<boolean> {
  const n = await trx('reservation_seat')
    .where('reservation_id', reservationId)
    .where('used', '<', seats)
    .update({ used: trx.raw('used + 1') });
  return n === 1;
}

export async function releaseReservedSeat(trx: Knex.Transaction, reservationId: number): Promise<void> {
  await trx('reservation_seat').where('reservation_id', reservationId).where('used', '>', 0).update({ used: trx.raw('used - 1') });
}

export class DuplicateEnrollmentError extends Error {
  constructor(readonly lectureId: number) {
    super(`duplicate enrollment for lecture ${lectureId}`);
  }
}

export { isUniqueViolation };

export interface NewEnrollment {
  studentId: number;
  sectionId: number;
  lectureId: number;
  termId: number;
  reservationId: number | null;
  overCapacity: boolean;
  createdAt: Date;
}

/**
 * Round trip 3: the enrollment row. The unique keys (student, term, lecture) and (student, section)
 * are the last word on "one section per lecture per term": a duplicate throws DuplicateEnrollmentError.
 */
export async function insertEnrollment(trx: Knex.Transaction, e: NewEnrollment): Promise<void> {
  try {
    await trx('enrollment').insert({
      student_id: e.studentId,
      section_id: e.sectionId,
      lecture_id: e.lectureId,
      term_id: e.termId,
      reservation_id: e.reservationId,
      over_capacity: e.overCapacity,
      created_at: e.createdAt,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateEnrollmentError(e.lectureId);
    throw err;
  }
}

/** The section a student holds for a lecture in a term, if any. */
export async function findHeldForLecture(db: Db, studentId: number, termId: number, lectureId: number): Promise<number | undefined> {
  const row = await db('enrollment')
    .select<{ section_id: number }[]>('section_id')
    .where({ student_id: studentId, term_id: termId, lecture_id: lectureId })
    .first();
  return row ? Number(row.section_id) : undefined;
}

export async function deleteEnrollment(trx: Knex.Transaction, studentId: number, sectionId: number): Promise<boolean> {
  const n = await trx('enrollment').where({ student_id: studentId, section_id: sectionId }).delete();
  return n === 1;
}

export type EventAction = 'ENROLL' | 'DROP' | 'SWAP' | 'SWAP_DROP' | 'OVERRIDE_ENROLL' | 'OVERRIDE_DROP' | 'WAITLIST_PROMOTE' | 'AUTO_ENROLL';
/** Actions whose OK event accounts for an enrollment row (the invariant checker asks). */
export const ADDING_ACTIONS: readonly EventAction[] = ['ENROLL', 'SWAP', 'OVERRIDE_ENROLL', 'WAITLIST_PROMOTE', 'AUTO_ENROLL'];

export interface EnrollmentEvent {
  studentId: number;
  sectionId: number;
  action: EventAction;
  /** OK or the refusal code. */
  outcome: string;
  actorStaffId: number | null;
  at: Date;
}

/** Appends events (one multi-row INSERT). */
export async function insertEvents(db: Db, events: EnrollmentEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db('enrollment_event').insert(
    events.map((e) => ({
      student_id: e.studentId,
      section_id: e.sectionId,
      action: e.action,
      outcome: e.outcome.slice(0, 32),
      actor_staff_id: e.actorStaffId,
      created_at: e.at,
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Timetable (read side): a fixed number of queries whatever the number of enrollments.

/** The section, lecture and professor columns `timetableSection` reads (aliases s, l, p). */
export const TIMETABLE_SECTION_COLUMNS = [
  's.term_id',
  's.section_no',
  's.professor_id',
  's.room',
  'l.code',
  'l.title',
  'l.title_en',
  'l.credits',
  'l.category',
  'l.major_id',
  'p.name as professor_name',
  'p.name_en as professor_name_en',
] as const;

export interface TimetableRowSql {
  max_credits: number;
  section_id: number | null;
  lecture_id: number | null;
  created_at: unknown;
  term_id: number | null;
  section_no: number | null;
  professor_id: number | null;
  room: string | null;
  code: string | null;
  title: string | null;
  title_en: string | null;
  credits: number | null;
  category: Category | null;
  major_id: number | null;
  professor_name: string | null;
  professor_name_en: string | null;
}

/**
 * The student (max credits) with their enrollments of the term and each one's section (timetable
 * variant, meetings still empty: `findMeetings` fills them), lecture and professor: one query (the
 * student row comes back even with no enrollments).
 */
export async function findTimetable(
  db: Knex,
  studentId: number,
  termId: number,
): Promise<{ maxCredits: number; items: TimetableItem[] } | undefined> {
  const rows = await db('student as st')
    .leftJoin('enrollment as e', (j) => {
      j.on('e.student_id', '=', 'st.id').andOnVal('e.term_id', '=', termId);
    })
    .leftJoin('section as s', 's.id', 'e.section_id')
    .leftJoin('lecture as l', 'l.id', 'e.lecture_id')
    .leftJoin('professor as p', 'p.id', 's.professor_id')
    .where('st.id', studentId)
    .orderBy([{ column: 'e.created_at' }, { column: 'e.id' }])
    .select<TimetableRowSql[]>('st.max_credits', 'e.section_id', 'e.lecture_id', 'e.created_at', ...TIMETABLE_SECTION_COLUMNS);
  const first = rows[0];
  if (!first) return undefined;
  return {
    maxCredits: Number(first.max_credits),
    items: rows
      .filter((r) => r.section_id !== null)
      .map((r) => ({
        sectionId: Number(r.section_id),
        lectureId: Number(r.lecture_id),
        studentId,
        createdAt: toIso(r.created_at),
        section: timetableSection(r),
      })),
  };
}

/** One joined row as the contract's timetable section (the joins are on non-null foreign keys). */
export function timetableSection(r: TimetableRowSql): TimetableSection {
  const lectureId = Number(r.lecture_id);
  const professorId = Number(r.professor_id);
  return {
    id: Number(r.section_id),
    termId: Number(r.term_id),
    lectureId,
    sectionNo: Number(r.section_no),
    professorId,
    room: r.room ?? '',
    meetings: [],
    lecture: {
      id: lectureId,
      code: r.code ?? '',
      title: r.title ?? '',
      titleEn: r.title_en ?? '',
      credits: Number(r.credits ?? 0),
      category: r.category ?? 'GENERAL',
      majorId: Number(r.major_id),
    },
    professor: { id: professorId, name: r.professor_name ?? '', nameEn: r.professor_name_en ?? '' },
  };
}

/** Meetings of these sections, grouped by section: one whereIn query. */
export async function findMeetings(db: Knex, sectionIds: number[]): Promise<Map<number, Meeting[]>> {
  const out = new Map<number, Meeting[]>();
  if (sectionIds.length === 0) return out;
  const rows = await db('section_meeting')
    .whereIn('section_id', sectionIds)
    .orderBy([{ column: 'section_id' }, { column: 'id' }])
    .select<{ section_id: number; day: Day; start_period: number; end_period: number }[]>('section_id', 'day', 'start_period', 'end_period');
  for (const r of rows) {
    const list = out.get(Number(r.section_id)) ?? [];
    list.push({ day: r.day, startPeriod: Number(r.start_period), endPeriod: Number(r.end_period) });
    out.set(Number(r.section_id), list);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The batched MySQL path (enrollments.batched.ts): the same statements as above, written out as
// SQL text with their placeholders so the hot path spends no time in knex's compiler. Every value
// is a binding. Asserted by the same tests as the knex path (both run on MariaDB).

export interface NativeStatement {
  sql: string;
  bindings: unknown[];
}

const LOCK_COLUMNS = 'select `s`.`id`, `s`.`major_id`, `s`.`grade`, `s`.`max_credits`, `e`.`section_id`, `e`.`lecture_id`, `e`.`term_id`, `e`.`reservation_id`';
const LOCK_ANSWER =
  ', (select request_hash from idempotency_record where idem_key = ?) as idem_hash' +
  ', (select status from idempotency_record where idem_key = ?) as idem_status' +
  ', (select body from idempotency_record where idem_key = ?) as idem_body';
const LOCK_FROM = ' from `student` as `s` left join `enrollment` as `e` on `e`.`student_id` = `s`.`id` where `s`.`id` = ? for update';
// The statements' text is built once, not per request.
const LOCK_SQL = LOCK_COLUMNS + LOCK_FROM;
const LOCK_WITH_ANSWER_SQL = LOCK_COLUMNS + LOCK_ANSWER + LOCK_FROM;

/** `lockStudent`'s statement on MySQL. */
export function lockStudentSql(studentId: number, idemKey?: string): NativeStatement {
  return idemKey === undefined ? { sql: LOCK_SQL, bindings: [studentId] } : { sql: LOCK_WITH_ANSWER_SQL, bindings: [idemKey, idemKey, idemKey, studentId] };
}

const INTO_EVENT = 'insert into `enrollment_event` (`student_id`, `section_id`, `action`, `outcome`, `actor_staff_id`, `created_at`) values ';
const INTO_ANSWER = 'insert into `idempotency_record` (`idem_key`, `request_hash`, `status`, `body`, `created_at`) values ';
const EVENT_SQL = INTO_EVENT + '(?, ?, ?, ?, ?, ?)';
const ANSWER_SQL = INTO_ANSWER + '(?, ?, ?, ?, ?)';

/** `insertEvents` of one event on MySQL. */
export function insertEventSql(e: EnrollmentEvent): NativeStatement {
  return { sql: EVENT_SQL, bindings: [e.studentId, e.sectionId, e.action, e.outcome.slice(0, 32), e.actorStaffId, e.at] };
}

/** `storeAnswer` on MySQL. */
export function storeAnswerSql(r: StoredAnswer & { key: string; createdAt: Date }): NativeStatement {
  return { sql: ANSWER_SQL, bindings: [r.key, r.requestHash, r.status, r.body, r.createdAt] };
}

export interface SeatAndWrites {
  sectionId: number;
  enrollment: NewEnrollment;
  /** The event; its outcome is OK when the seat was taken, `fullOutcome` when not. */
  event: EnrollmentEvent;
  fullOutcome: string;
  /** The Idempotency-Key's answer for either outcome. */
  answer?: { key: string; requestHash: string; createdAt: Date; taken: { status: number; body: string }; full: { status: number; body: string } } | undefined;
}

const TAKE_SEAT_SQL = 'update `section_seat` set `enrolled` = enrolled + 1 where `section_id` = ? and enrolled + 0 < (select capacity from section where id = ?)';
const TOOK_SQL = 'set @took = row_count()';
const ENROLLMENT_IF_TOOK_SQL =
  'insert into `enrollment` (`student_id`, `section_id`, `lecture_id`, `term_id`, `reservation_id`, `over_capacity`, `created_at`) ' +
  'select ?, ?, ?, ?, ?, ?, ? from dual where @took = 1';
const EVENT_OF_OUTCOME_SQL = INTO_EVENT + '(?, ?, ?, if(@took = 1, ?, ?), ?, ?)';
const LEAVE_WAITLISTS_IF_TOOK_SQL = 'delete from `waitlist_entry` where `student_id` = ? and `lecture_id` = ? and @took = 1';
const ANSWER_OF_OUTCOME_SQL = INTO_ANSWER + '(?, ?, if(@took = 1, ?, ?), if(@took = 1, ?, ?), ?)';
const TOOK: NativeStatement = { sql: TOOK_SQL, bindings: [] };

/**
 * Takes the seat and writes every row of both outcomes in one round trip (with COMMIT after
 * them), MySQL deciding which apply from the seat UPDATE's ROW_COUNT(): the enrollment row only
 * when the seat was taken; the event with OK or the refusal; the key's answer, 201 or the
 * refusal. The seat row is locked from the UPDATE to the COMMIT with no client round trip in
 * between. The first result is the UPDATE's (affectedRows 1 = taken).
 */
export function takeSeatAndWriteSql(w: SeatAndWrites): NativeStatement[] {
  const e = w.enrollment;
  const ev = w.event;
  const out: NativeStatement[] = [
    { sql: TAKE_SEAT_SQL, bindings: [w.sectionId, w.sectionId] },
    TOOK,
    { sql: ENROLLMENT_IF_TOOK_SQL, bindings: [e.studentId, e.sectionId, e.lectureId, e.termId, e.reservationId, e.overCapacity, e.createdAt] },
    { sql: EVENT_OF_OUTCOME_SQL, bindings: [ev.studentId, ev.sectionId, ev.action, 'OK', w.fullOutcome.slice(0, 32), ev.actorStaffId, ev.at] },
    // A student who takes a section no longer waits for any section of its lecture (README "Waitlists").
    { sql: LEAVE_WAITLISTS_IF_TOOK_SQL, bindings: [e.studentId, e.lectureId] },
  ];
  if (w.answer) {
    const a = w.answer;
    out.push({ sql: ANSWER_OF_OUTCOME_SQL, bindings: [a.key, a.requestHash, a.taken.status, a.full.status, a.taken.body, a.full.body, a.createdAt] });
  }
  return out;
}
