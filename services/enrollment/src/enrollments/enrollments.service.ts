import { performance } from 'node:perf_hooks';
import {
  AppError,
  forbidden,
  isRetryableDbError,
  notFound,
  validationFailed,
  withRetries,
  withTransaction,
  type AuthUser,
  type Knex,
  type Logger,
  type TxOptions,
} from '@goorm/common';
import { ENROLL_PHASES, type DropQuery, type Dropped, type EnrollBody, type Enrolled, type SwapBody, type Swapped, type Timetable } from '@goorm/contracts';
import { writeAudit, type AuditEntry } from '../audit/audit.repository.ts';
import type { CatalogCache, CatalogSection, CatalogSnapshot } from '../catalog/catalog.service.ts';
import { findAnswer, storeAnswer, storeAnswerIfAbsent, type StoredAnswer } from '../idempotency/idempotency.repository.ts';
import { BatchedTransaction, canBatch, type WriteResult } from './enrollments.batched.ts';
import { heldInTerm, takeSeatFor, type SeatTaken } from './enrollments.seats.ts';
import { promoteWaiting } from '../waitlist/waitlist.promote.ts';
import { clearRetryOf, deleteEntriesOfLecture } from '../waitlist/waitlist.repository.ts';
import { idempotencyOf, replay, storedProblem, type Answer, type Idempotency } from '../idempotency/idempotency.service.ts';
import { conflictKind, type EnrollmentMetrics } from './enrollments.metrics.ts';
import {
  deleteEnrollment,
  DuplicateEnrollmentError,
  findHeldForLecture,
  findMeetings,
  findTimetable,
  insertEnrollment,
  insertEventSql,
  insertEvents,
  isUniqueViolation,
  lockStudent,
  lockStudentSql,
  releaseReservedSeat,
  releaseSeat,
  storeAnswerSql,
  takeSeatAndWriteSql,
  toLockedStudent,
  type EnrollmentEvent,
  type EventAction,
  type LockedStudent,
  type LockRow,
  type NewEnrollment,
} from './enrollments.repository.ts';
import {
  addRefusal,
  creditsOf,
  eligibilityRefusal,
  enrollRefusal,
  alreadyEnrolled,
  notEnrolled,
  sectionFull,
  sectionNotFound,
  stillBusy,
  unreleased,
  windowClosed,
} from './enrollments.rules.ts';

/**
 * Enroll, drop and swap, each a list of named steps (CONVENTIONS, services 10):
 *
 *   enroll = admission.check (the waiting room) → loadSection (catalog facts, cheap refusals)
 *            → one transaction: lock the student → enrollRefusal (ENROLL_RULES) → take the seat
 *              → insert the row, leave the lecture's waitlists → record (event, audit, key's answer)
 *            → answerOf
 *   The transaction has two renderings: knex's (`enrollIn`, every engine) and, for a student's
 *   enroll on MySQL in a section without unreleased reservations, SQL text in two round trips
 *   (`enrollSqlText`; docs/decisions/0011-enroll-sql-text-path.md). Both ask the same
 *   `enrollRefusal`; test/enrollments.paths.test.ts runs the same enrolls through each.
 *   drop = loadTerm → one transaction: lock → `dropIn` (give the seat back, the waitlist takes it) → record
 *   swap = admission.check → loadSection → one transaction: lock → `swapIn` (drop-if-add) → record
 *
 * A refusal before the transaction is answered by the Idempotency-Key's stored answer when there
 * is one (`replayInstead`); a refusal or a conflict out of the transaction is recorded
 * (`recordRefused`); every decision is counted once with its outcome (`Op.outcome`).
 */

/** The waiting room's hook (next issue): throws QUEUE_REQUIRED (428) while the room is active. */
export interface AdmissionGate {
  check(user: AuthUser, token: string | undefined): Promise<void>;
}

export interface EnrollmentServiceDeps {
  db: Knex;
  catalog: CatalogCache;
  clock: () => Date;
  logger: Logger;
  metrics: EnrollmentMetrics;
  admission?: AdmissionGate | undefined;
  /** Bounded retries of deadlocks / lock timeouts / SQLITE_BUSY inside the service. */
  txRetries: number;
}

export interface Caller {
  user: AuthUser;
  idempotencyKey?: string | undefined;
  admissionToken?: string | undefined;
}

/** What the routes pass in: the contract's parsed body / query (and the path's section for a drop). */
export type EnrollInput = EnrollBody;
export type DropInput = DropQuery & { sectionId: number };
export type SwapInput = SwapBody;

/** The actions a caller decides (the waitlist's and auto-enrollment's are their own services'). */
type Action = 'ENROLL' | 'OVERRIDE_ENROLL' | 'DROP' | 'OVERRIDE_DROP' | 'SWAP';
const ACTIONS: readonly Action[] = ['ENROLL', 'OVERRIDE_ENROLL', 'DROP', 'OVERRIDE_DROP', 'SWAP'];

/** The dependencies, and what is derived from them once per service instead of per request. */
interface Ctx extends EnrollmentServiceDeps {
  /** This pool can run the SQL-text enroll (MySQL with `multipleStatements`). */
  sqlText: boolean;
  /** The bounded retries of each action's transaction, counted in its metrics. */
  retrying: Record<Action, TxOptions>;
  /** `{ action }`, the label of each action's transaction metrics. */
  labels: Record<Action, { action: Action }>;
}

/** One decision: what is attempted, for whom, by whom, and (as it goes) its outcome. */
interface Op {
  action: Action;
  studentId: number;
  /** The section the attempt's event row names. */
  sectionId: number;
  actorStaffId: number | null;
  idem: Idempotency | undefined;
  /** What `enrollment_decisions_total` counts: OK, a refusal code, REPLAY, BUSY or ERROR. */
  outcome: string;
}

interface Override {
  studentId: number;
  reason: string;
  staffId: number;
}

type Decision =
  | { ok: true; status: number; body: unknown; events: EnrollmentEvent[]; audit: AuditEntry | undefined }
  | { ok: false; refusal: AppError };

type TxResult =
  | { kind: 'done'; status: number; body: unknown }
  | { kind: 'refused'; refusal: AppError }
  | { kind: 'replay'; stored: StoredAnswer };

const refuse = (refusal: AppError): Decision => ({ ok: false, refusal });

/** SECTION_FULL with no reserved seats left, as ENROLL_RULES' seat rule refuses it (never thrown: built once). */
const FULL_REFUSAL = sectionFull(false);
/** Its stored answer, the same for every request. */
const FULL_ANSWER = storedProblem(FULL_REFUSAL);

/** The key's scope; built (with the hashed request) only when the request has an Idempotency-Key. */
const scopeOf = (user: AuthUser) => `${user.role}${user.id}`;

export function createEnrollmentService(deps: EnrollmentServiceDeps) {
  const ctx = contextOf(deps);
  return {
    enroll: (caller: Caller, input: EnrollInput): Promise<Answer> => enroll(ctx, caller, input),
    drop: (caller: Caller, input: DropInput): Promise<Answer> => drop(ctx, caller, input),
    swap: (caller: Caller, input: SwapInput): Promise<Answer> => swap(ctx, caller, input),
    timetable: (studentId: number): Promise<Timetable> => timetable(ctx, studentId),
  };
}

export type EnrollmentService = ReturnType<typeof createEnrollmentService>;

function contextOf(deps: EnrollmentServiceDeps): Ctx {
  const retrying = {} as Record<Action, TxOptions>;
  const labels = {} as Record<Action, { action: Action }>;
  for (const action of ACTIONS) {
    const label = { action };
    labels[action] = label;
    retrying[action] = {
      retries: deps.txRetries,
      onRetry: (err: unknown) => {
        deps.metrics.txRetries.inc(label);
        deps.metrics.txConflicts.inc({ action, kind: conflictKind(err) });
      },
    };
  }
  return { ...deps, sqlText: canBatch(deps.db), retrying, labels };
}

// =============================================================================================
// The use cases

/**
 * The knex transaction every use case runs (drop, swap, and the enroll off the SQL-text path):
 * lock the student (reading the Idempotency-Key's stored answer with it), decide, record. A twin
 * request with the same key that committed while this one waited for the lock is replayed.
 */
function lockedTransaction(ctx: Ctx, op: Op, now: Date, decide: (trx: Knex.Transaction, student: LockedStudent) => Promise<Decision>): Promise<TxResult> {
  return withTransaction(
    ctx.db,
    async (trx): Promise<TxResult> => {
      const student = await lockStudent(trx, op.studentId, op.idem?.key);
      if (op.idem && student?.stored) return { kind: 'replay', stored: student.stored };
      const decision = student ? await decide(trx, student) : refuse(notFound('Student', op.studentId));
      return record(trx, op, decision, now);
    },
    ctx.retrying[op.action],
  );
}

/** POST /api/enrollments: a student registers; staff register a student by override. */
async function enroll(ctx: Ctx, caller: Caller, input: EnrollInput): Promise<Answer> {
  const override = overrideOf(caller.user, input, input.allowOverCapacity !== undefined);
  const force = override !== undefined && input.allowOverCapacity === true;
  const op: Op = {
    action: override ? 'OVERRIDE_ENROLL' : 'ENROLL',
    studentId: override?.studentId ?? caller.user.id,
    sectionId: input.sectionId,
    actorStaffId: override?.staffId ?? null,
    idem: caller.idempotencyKey === undefined ? undefined : idempotencyOf(caller.idempotencyKey, scopeOf(caller.user), { op: 'enroll', ...input }),
    outcome: 'ERROR',
  };
  const now = ctx.clock();
  try {
    if (!override && ctx.admission) {
      try {
        await ctx.admission.check(caller.user, caller.admissionToken);
      } catch (err) {
        return await replayInstead(ctx.db, op, err);
      }
    }
    let result: TxResult;
    try {
      let snapshot: CatalogSnapshot;
      let section: CatalogSection;
      try {
        ({ snapshot, section } = await loadSection(ctx.catalog, input.sectionId, now, override === undefined));
      } catch (err) {
        return await replayInstead(ctx.db, op, err);
      }
      const started = performance.now();
      if (ctx.sqlText && !override && unreleased(section, now.getTime()).length === 0) {
        // A student's enroll in a section with no seats held back: 2 round trips on MySQL.
        result = await withRetries(() => enrollSqlText(ctx.db, op, snapshot, section, now), ctx.retrying[op.action]);
      } else {
        result = await lockedTransaction(ctx, op, now, (trx, student) => enrollIn(trx, op, snapshot, section, student, override, force, now));
      }
      ctx.metrics.txSeconds.observe(ctx.labels[op.action], (performance.now() - started) / 1000);
    } catch (err) {
      return await recordRefused(ctx, op, err, now);
    }
    return answerOf(op, result);
  } catch (err) {
    throw failed(op, err);
  } finally {
    ctx.metrics.decisions.inc({ action: op.action, outcome: op.outcome });
  }
}

/** DELETE /api/enrollments/:sectionId: the seat goes back in the same transaction. */
async function drop(ctx: Ctx, caller: Caller, input: DropInput): Promise<Answer> {
  const override = overrideOf(caller.user, input, false);
  const op: Op = {
    action: override ? 'OVERRIDE_DROP' : 'DROP',
    studentId: override?.studentId ?? caller.user.id,
    sectionId: input.sectionId,
    actorStaffId: override?.staffId ?? null,
    idem: caller.idempotencyKey === undefined ? undefined : idempotencyOf(caller.idempotencyKey, scopeOf(caller.user), { op: 'drop', ...input }),
    outcome: 'ERROR',
  };
  const now = ctx.clock();
  try {
    let result: TxResult;
    try {
      let snapshot: CatalogSnapshot;
      try {
        snapshot = await loadTerm(ctx.catalog, now, override === undefined);
      } catch (err) {
        return await replayInstead(ctx.db, op, err);
      }
      const started = performance.now();
      result = await lockedTransaction(ctx, op, now, (trx, student) => dropIn(ctx, trx, op, snapshot, student, input.sectionId, override, now));
      ctx.metrics.txSeconds.observe(ctx.labels[op.action], (performance.now() - started) / 1000);
    } catch (err) {
      return await recordRefused(ctx, op, err, now);
    }
    return answerOf(op, result);
  } catch (err) {
    throw failed(op, err);
  } finally {
    ctx.metrics.decisions.inc({ action: op.action, outcome: op.outcome });
  }
}

/**
 * POST /api/enrollments/swap: drop-if-add in one transaction. The new section is checked as if
 * the old one were already dropped; either both happen or neither.
 */
async function swap(ctx: Ctx, caller: Caller, input: SwapInput): Promise<Answer> {
  const op: Op = {
    action: 'SWAP',
    studentId: caller.user.id,
    sectionId: input.toSectionId,
    actorStaffId: null,
    idem: caller.idempotencyKey === undefined ? undefined : idempotencyOf(caller.idempotencyKey, scopeOf(caller.user), { op: 'swap', ...input }),
    outcome: 'ERROR',
  };
  const now = ctx.clock();
  try {
    if (ctx.admission) {
      try {
        await ctx.admission.check(caller.user, caller.admissionToken);
      } catch (err) {
        return await replayInstead(ctx.db, op, err);
      }
    }
    let result: TxResult;
    try {
      let snapshot: CatalogSnapshot;
      let to: CatalogSection;
      try {
        ({ snapshot, section: to } = await loadSection(ctx.catalog, input.toSectionId, now, true));
      } catch (err) {
        return await replayInstead(ctx.db, op, err);
      }
      const started = performance.now();
      result = await lockedTransaction(ctx, op, now, (trx, student) => swapIn(ctx, trx, op, snapshot, student, input.fromSectionId, to, now));
      ctx.metrics.txSeconds.observe(ctx.labels[op.action], (performance.now() - started) / 1000);
    } catch (err) {
      return await recordRefused(ctx, op, err, now);
    }
    return answerOf(op, result);
  } catch (err) {
    throw failed(op, err);
  } finally {
    ctx.metrics.decisions.inc({ action: op.action, outcome: op.outcome });
  }
}

/**
 * GET /api/enrollments/me: the current term's timetable, each section in the contract's timetable
 * variant; two queries (the student, enrollments, sections, lectures, professors in one join; the
 * meetings in one whereIn) with a warm catalog, whatever the number of enrollments.
 */
async function timetable(ctx: Ctx, studentId: number): Promise<Timetable> {
  const snapshot = await ctx.catalog.get();
  const t = await findTimetable(ctx.db, studentId, snapshot.termId ?? 0);
  if (!t) throw notFound('Student', studentId);
  const meetings = await findMeetings(
    ctx.db,
    t.items.map((i) => i.sectionId),
  );
  for (const i of t.items) i.section.meetings = meetings.get(i.sectionId) ?? [];
  return { items: t.items, totalCredits: t.items.reduce((n, i) => n + i.section.lecture.credits, 0), maxCredits: t.maxCredits };
}

// =============================================================================================
// Before the transaction

/** Staff act for a student (with a reason); a student may not use the staff fields. */
function overrideOf(user: AuthUser, input: { studentId?: number | undefined; reason?: string | undefined }, extra: boolean): Override | undefined {
  if (user.role !== 'staff') {
    if (input.studentId !== undefined || input.reason !== undefined || extra) throw forbidden('studentId, reason and allowOverCapacity are for staff overrides');
    return undefined;
  }
  const missing = [
    ...(input.studentId === undefined ? [{ field: 'studentId', message: 'required for a staff override' }] : []),
    ...(input.reason === undefined ? [{ field: 'reason', message: 'required for a staff override' }] : []),
  ];
  if (missing.length) throw validationFailed(missing);
  return { studentId: input.studentId!, reason: input.reason!, staffId: user.id };
}

/** The term's catalog; WINDOW_CLOSED when `windowed` and no window is open for any grade. */
async function loadTerm(catalog: CatalogCache, now: Date, windowed: boolean): Promise<CatalogSnapshot> {
  const snapshot = await catalog.get();
  if (windowed && !snapshot.openWindow(ENROLL_PHASES, now)) throw windowClosed();
  return snapshot;
}

/** The section from the term's catalog (404 when not in it), and the same window check as `loadTerm`. */
async function loadSection(catalog: CatalogCache, sectionId: number, now: Date, windowed: boolean): Promise<{ snapshot: CatalogSnapshot; section: CatalogSection }> {
  const found = await catalog.withSection(sectionId);
  if (!found.section) throw sectionNotFound(sectionId);
  if (windowed && !found.snapshot.openWindow(ENROLL_PHASES, now)) throw windowClosed();
  return found as { snapshot: CatalogSnapshot; section: CatalogSection };
}

/**
 * A stored answer under the Idempotency-Key wins over a refusal decided before the transaction
 * (the room's token expired since, the window closed since). Inside the transaction the locking
 * read returns it, so a request that gets that far needs no read of its own.
 */
async function replayInstead(db: Knex, op: Op, err: unknown): Promise<Answer> {
  if (op.idem && err instanceof AppError) {
    const stored = await findAnswer(db, op.idem.key);
    if (stored) {
      op.outcome = 'REPLAY';
      return replay(stored, op.idem.requestHash);
    }
  }
  throw err;
}

// =============================================================================================
// Inside the transaction (knex's; every engine)

/** Enroll: ENROLL_RULES in memory, then the seat, the row, and the lecture's waitlists left. */
async function enrollIn(
  trx: Knex.Transaction,
  op: Op,
  snapshot: CatalogSnapshot,
  section: CatalogSection,
  student: LockedStudent,
  override: Override | undefined,
  force: boolean,
  now: Date,
): Promise<Decision> {
  const held = heldInTerm(student.held, snapshot);
  const rule = enrollRefusal(snapshot, section, student, held, now, override !== undefined);
  if (rule) return refuse(rule);
  const seat = await takeSeatFor(trx, section, student, now, force);
  if (!seat.ok) return refuse(sectionFull(seat.reservedLeft));
  await insertOrRefuse(trx, snapshot, enrollmentOf(student.id, section, seat.reservationId, seat.overCapacity, now));
  await deleteEntriesOfLecture(trx, student.id, section.lectureId);
  return {
    ok: true,
    status: 201,
    body: enrolledBody(section, student, held, now),
    events: [eventOf(op, 'OK', now)],
    audit: override && {
      staffId: override.staffId,
      action: 'OVERRIDE_ENROLL',
      target: `student:${student.id}/section:${section.id}`,
      reason: override.reason,
      details: { lectureCode: section.lecture.code, sectionNo: section.sectionNo, allowOverCapacity: force, overCapacity: seat.overCapacity },
    },
  };
}

/** Drop: the row goes, the seat (and a reserved seat) goes back, and the waitlist takes it. */
async function dropIn(
  ctx: Ctx,
  trx: Knex.Transaction,
  op: Op,
  snapshot: CatalogSnapshot,
  student: LockedStudent,
  sectionId: number,
  override: Override | undefined,
  now: Date,
): Promise<Decision> {
  if (!override && !snapshot.openWindow(ENROLL_PHASES, now, student.grade)) return refuse(windowClosed());
  const row = student.held.find((h) => h.sectionId === sectionId && (override !== undefined || h.termId === snapshot.termId));
  if (!row) return refuse(notEnrolled(sectionId));
  await deleteEnrollment(trx, student.id, row.sectionId);
  if (row.reservationId !== null) await releaseReservedSeat(trx, row.reservationId);
  if (!(await releaseSeat(trx, row.sectionId))) ctx.logger.warn({ sectionId: row.sectionId }, 'seat counter already at zero on drop');
  await fillFreedSeat(ctx, trx, snapshot, row.sectionId, student.id, now);
  const remaining = heldInTerm(
    student.held.filter((h) => h.sectionId !== row.sectionId),
    snapshot,
  );
  const section = snapshot.section(row.sectionId);
  const body: Dropped = {
    sectionId: row.sectionId,
    lectureId: row.lectureId,
    studentId: student.id,
    droppedAt: now.toISOString(),
    totalCredits: creditsOf(remaining),
    maxCredits: student.maxCredits,
  };
  return {
    ok: true,
    status: 200,
    body,
    events: [eventOf(op, 'OK', now)],
    audit: override && {
      staffId: override.staffId,
      action: 'OVERRIDE_DROP',
      target: `student:${student.id}/section:${row.sectionId}`,
      reason: override.reason,
      details: section ? { lectureCode: section.lecture.code, sectionNo: section.sectionNo } : {},
    },
  };
}

/**
 * Swap: the window, the section given up, then the rules for `to` as if it were already given up
 * (not ENROLL_RULES' list: a swap asks NOT_FOUND for the old section between the window and
 * eligibility); the seats change in section id order.
 */
async function swapIn(
  ctx: Ctx,
  trx: Knex.Transaction,
  op: Op,
  snapshot: CatalogSnapshot,
  student: LockedStudent,
  fromSectionId: number,
  to: CatalogSection,
  now: Date,
): Promise<Decision> {
  if (!snapshot.openWindow(ENROLL_PHASES, now, student.grade)) return refuse(windowClosed());
  const from = student.held.find((h) => h.sectionId === fromSectionId && h.termId === snapshot.termId);
  if (!from) return refuse(notEnrolled(fromSectionId));
  const inel = eligibilityRefusal(to, student);
  if (inel) return refuse(inel);
  const rest = student.held.filter((h) => h.sectionId !== from.sectionId);
  const restSections = heldInTerm(rest, snapshot);
  const rule = addRefusal(to, student, rest, restSections, (id) => snapshot.section(id));
  if (rule) return refuse(rule);

  const giveBack = async () => {
    if (from.reservationId !== null) await releaseReservedSeat(trx, from.reservationId);
    await releaseSeat(trx, from.sectionId);
  };
  // Seat rows are locked in section id order, so two opposite swaps cannot deadlock.
  let seat: SeatTaken;
  if (from.sectionId < to.id) {
    await giveBack();
    seat = await takeSeatFor(trx, to, student, now, false);
    if (!seat.ok) throw sectionFull(seat.reservedLeft); // the old seat went back: roll back
  } else {
    seat = await takeSeatFor(trx, to, student, now, false);
    if (!seat.ok) return refuse(sectionFull(seat.reservedLeft));
    await giveBack();
  }
  await deleteEnrollment(trx, student.id, from.sectionId);
  await insertOrRefuse(trx, snapshot, enrollmentOf(student.id, to, seat.reservationId, false, now));
  await deleteEntriesOfLecture(trx, student.id, to.lectureId);
  await fillFreedSeat(ctx, trx, snapshot, from.sectionId, student.id, now);
  const body: Swapped = {
    dropped: { sectionId: from.sectionId, lectureId: from.lectureId },
    enrolled: { sectionId: to.id, lectureId: to.lectureId, studentId: student.id, createdAt: now.toISOString() },
    totalCredits: creditsOf(restSections) + to.lecture.credits,
    maxCredits: student.maxCredits,
  };
  return {
    ok: true,
    status: 200,
    body,
    events: [eventOf(op, 'OK', now), eventOf(op, 'OK', now, 'SWAP_DROP', from.sectionId)],
    audit: undefined,
  };
}

/** Inserts the enrollment row; the unique key's refusal names the section held. */
async function insertOrRefuse(trx: Knex.Transaction, snapshot: CatalogSnapshot, row: NewEnrollment): Promise<void> {
  try {
    await insertEnrollment(trx, row);
  } catch (err) {
    if (!(err instanceof DuplicateEnrollmentError)) throw err;
    // A seat was taken in this transaction: throwing rolls it back.
    throw await alreadyHeld(trx, snapshot, row);
  }
}

/**
 * A seat of `sectionId` was just given back in this transaction: the waitlist takes it now
 * (README "Waitlists"); the student whose holdings changed may now pass the rules of their own skipped entries.
 */
async function fillFreedSeat(ctx: Ctx, trx: Knex.Transaction, snapshot: CatalogSnapshot, sectionId: number, studentId: number, now: Date): Promise<void> {
  await clearRetryOf(trx, studentId);
  const section = snapshot.section(sectionId);
  if (!section) return; // another term's section: its waitlist is closed
  const p = await promoteWaiting(trx, snapshot, section, now);
  if (p.promoted.length) ctx.metrics.waitlistPromotions.inc({ via: 'transaction' }, p.promoted.length);
  if (p.skipped.length) ctx.metrics.waitlistSkips.inc(p.skipped.length);
}

/** The decision's rows: its events, the staff action's audit entry, the key's answer (a refusal: its event and answer). */
async function record(trx: Knex.Transaction, op: Op, d: Decision, now: Date): Promise<TxResult> {
  if (!d.ok) {
    await insertEvents(trx, [eventOf(op, d.refusal.code, now)]);
    if (op.idem) await storeAnswer(trx, { key: op.idem.key, requestHash: op.idem.requestHash, ...storedProblem(d.refusal), createdAt: now });
    return { kind: 'refused', refusal: d.refusal };
  }
  await insertEvents(trx, d.events);
  if (d.audit) await writeAudit(trx, d.audit, now);
  if (op.idem) {
    await storeAnswer(trx, { key: op.idem.key, requestHash: op.idem.requestHash, status: d.status, body: JSON.stringify(d.body), createdAt: now });
  }
  return { kind: 'done', status: d.status, body: d.body };
}

// =============================================================================================
// The enroll as SQL text (MySQL): the same decision as `enrollIn` in two round trips

/**
 * A student's enroll in a section without unreleased reservations, in two round trips on MySQL
 * (README "The enroll transaction"; docs/decisions/0011-enroll-sql-text-path.md):
 *   1. BEGIN; lock the student and read their enrollments (and the Idempotency-Key's answer)
 *   2. the conditional seat UPDATE; the enrollment row, the event, the lecture's waitlists left and
 *      the key's answer for whichever outcome the UPDATE had (decided in SQL from its ROW_COUNT()); COMMIT
 * Between them `enrollRefusal` decides in memory, as in `enrollIn`. A refusal by the rules is also
 * 2: its event (and answer) ride with the COMMIT.
 */
async function enrollSqlText(db: Knex, op: Op, snapshot: CatalogSnapshot, section: CatalogSection, now: Date): Promise<TxResult> {
  return BatchedTransaction.run(db, async (tx): Promise<TxResult> => {
    const student = toLockedStudent(await tx.begin<LockRow[]>(lockStudentSql(op.studentId, op.idem?.key)));
    if (op.idem && student?.stored) return { kind: 'replay', stored: student.stored };
    if (!student) return commitRefusal(tx, op, notFound('Student', op.studentId), now);
    const held = heldInTerm(student.held, snapshot);
    const rule = enrollRefusal(snapshot, section, student, held, now, false);
    if (rule) return commitRefusal(tx, op, rule, now);
    const body = enrolledBody(section, student, held, now);
    const row = enrollmentOf(student.id, section, null, false, now);
    let seat: WriteResult | undefined;
    try {
      [seat] = (await tx.commitWith(
        ...takeSeatAndWriteSql({
          sectionId: section.id,
          enrollment: row,
          event: eventOf(op, 'OK', now),
          fullOutcome: FULL_REFUSAL.code,
          answer: op.idem && {
            key: op.idem.key,
            requestHash: op.idem.requestHash,
            createdAt: now,
            taken: { status: 201, body: JSON.stringify(body) },
            full: FULL_ANSWER,
          },
        }),
      )) as WriteResult[];
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await tx.rollback(); // the seat goes back
      // Either a twin request with the same key answered first, or the unique key on (student, term, lecture) refused.
      const stored = op.idem ? await findAnswer(db, op.idem.key) : undefined;
      if (stored) return { kind: 'replay', stored };
      throw await alreadyHeld(db, snapshot, row);
    }
    // The refusal is built only when it happened (an Error captures a stack: not on every enroll).
    return seat?.affectedRows === 1 ? { kind: 'done', status: 201, body } : { kind: 'refused', refusal: sectionFull(false) };
  });
}

/** A refusal decided after round trip 1: its event (and the key's answer) ride with the COMMIT. */
async function commitRefusal(tx: BatchedTransaction, op: Op, refusal: AppError, now: Date): Promise<TxResult> {
  const event = insertEventSql(eventOf(op, refusal.code, now));
  if (op.idem) {
    await tx.commitWith(event, storeAnswerSql({ key: op.idem.key, requestHash: op.idem.requestHash, ...storedProblem(refusal), createdAt: now }));
  } else {
    await tx.commitWith(event);
  }
  return { kind: 'refused', refusal };
}

// =============================================================================================
// What both renderings build

function eventOf(op: Op, outcome: string, at: Date, action: EventAction = op.action, sectionId = op.sectionId): EnrollmentEvent {
  return { studentId: op.studentId, sectionId, action, outcome, actorStaffId: op.actorStaffId, at };
}

function enrollmentOf(studentId: number, section: CatalogSection, reservationId: number | null, overCapacity: boolean, now: Date): NewEnrollment {
  return { studentId, sectionId: section.id, lectureId: section.lectureId, termId: section.termId, reservationId, overCapacity, createdAt: now };
}

function enrolledBody(section: CatalogSection, student: LockedStudent, held: CatalogSection[], now: Date): Enrolled {
  return {
    sectionId: section.id,
    lectureId: section.lectureId,
    studentId: student.id,
    createdAt: now.toISOString(),
    totalCredits: creditsOf(held) + section.lecture.credits,
    maxCredits: student.maxCredits,
  };
}

/** The unique key (student, term, lecture) refused the row: ALREADY_ENROLLED, naming the section held. */
async function alreadyHeld(db: Knex | Knex.Transaction, snapshot: CatalogSnapshot, row: NewEnrollment): Promise<AppError> {
  const heldId = (await findHeldForLecture(db, row.studentId, row.termId, row.lectureId)) ?? row.sectionId;
  return alreadyEnrolled({ sectionId: heldId, lectureId: row.lectureId, termId: row.termId }, snapshot.section(heldId));
}

// =============================================================================================
// After the transaction

/** Refused before the transaction, or inside it after a write (rolled back), or still conflicting. */
async function recordRefused(ctx: Ctx, op: Op, err: unknown, now: Date): Promise<Answer> {
  if (err instanceof AppError) {
    op.outcome = err.code;
    const twin = await recordRefusal(ctx.db, op, err, now);
    if (twin) {
      op.outcome = 'REPLAY';
      return twin;
    }
    throw err;
  }
  if (op.idem && isUniqueViolation(err)) {
    // A twin with the same key committed between our check and our insert.
    const stored = await findAnswer(ctx.db, op.idem.key);
    if (stored) {
      op.outcome = 'REPLAY';
      return replay(stored, op.idem.requestHash);
    }
  }
  if (isRetryableDbError(err)) {
    op.outcome = 'BUSY';
    ctx.logger.warn({ err, action: op.action }, 'enrollment transaction still conflicting after retries');
    throw stillBusy();
  }
  throw err;
}

/** A refusal decided before or after the transaction: its event (and stored answer) on their own. */
async function recordRefusal(db: Knex, op: Op, refusal: AppError, now: Date): Promise<Answer | undefined> {
  const ev = eventOf(op, refusal.code, now);
  if (!op.idem) {
    await insertEvents(db, [ev]);
    return undefined;
  }
  const idem = op.idem;
  const mine = storedProblem(refusal);
  const stored = await withTransaction(db, async (trx) => {
    await insertEvents(trx, [ev]);
    return storeAnswerIfAbsent(trx, { key: idem.key, requestHash: idem.requestHash, ...mine, createdAt: now });
  });
  // A twin request stored its answer first: that is the answer.
  return stored.body === mine.body && stored.requestHash === idem.requestHash ? undefined : replay(stored, idem.requestHash);
}

/** The transaction's result as the caller's answer: a success, a stored answer again, or the refusal thrown. */
function answerOf(op: Op, result: TxResult): Answer {
  if (result.kind === 'replay') {
    op.outcome = 'REPLAY';
    return replay(result.stored, op.idem!.requestHash);
  }
  if (result.kind === 'refused') {
    op.outcome = result.refusal.code;
    throw result.refusal;
  }
  op.outcome = 'OK';
  return { status: result.status, body: result.body, replayed: false };
}

/** What is thrown to the caller, its outcome noted if no step named one (a replayed key's conflict always). */
function failed(op: Op, err: unknown): unknown {
  if (err instanceof AppError && (op.outcome === 'ERROR' || err.code === 'IDEMPOTENCY_CONFLICT')) op.outcome = err.code;
  return err;
}
