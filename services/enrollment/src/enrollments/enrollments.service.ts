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
} from './enrollments.repository.ts';
import {
  addRefusal,
  alreadyEnrolled,
  creditsOf,
  eligibilityRefusal,
  notEnrolled,
  sectionFull,
  sectionNotFound,
  stillBusy,
  unreleased,
  windowClosed,
} from './enrollments.rules.ts';

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

/** One decision: what is attempted, for whom, by whom. */
interface Op {
  action: EventAction;
  studentId: number;
  /** The section the attempt's event row names. */
  sectionId: number;
  actorStaffId: number | null;
  idem: Idempotency | undefined;
}

type Decision =
  | { ok: true; status: number; body: unknown; events: EnrollmentEvent[]; audit?: AuditEntry }
  | { ok: false; refusal: AppError };

type TxResult =
  | { kind: 'done'; status: number; body: unknown }
  | { kind: 'refused'; refusal: AppError }
  | { kind: 'replay'; stored: StoredAnswer };


const refuse = (refusal: AppError): Decision => ({ ok: false, refusal });

/** The stored answer of a SECTION_FULL refusal (no reserved seats left), the same for every request. */
const FULL_ANSWER = storedProblem(sectionFull(false));

const scopeOf = (user: AuthUser) => `${user.role}${user.id}`;

export function createEnrollmentService(deps: EnrollmentServiceDeps) {
  const { db, catalog, clock, logger, metrics } = deps;
  const batching = canBatch(db);

  const event = (op: Op, outcome: string, at: Date, over: Partial<EnrollmentEvent> = {}): EnrollmentEvent => ({
    studentId: op.studentId,
    sectionId: op.sectionId,
    action: op.action,
    outcome,
    actorStaffId: op.actorStaffId,
    at,
    ...over,
  });

  /** Inserts the enrollment row; the unique key's refusal names the section held. */
  async function insertOrRefuse(trx: Knex.Transaction, snapshot: CatalogSnapshot, row: Parameters<typeof insertEnrollment>[1]): Promise<void> {
    try {
      await insertEnrollment(trx, row);
    } catch (err) {
      if (!(err instanceof DuplicateEnrollmentError)) throw err;
      const heldId = (await findHeldForLecture(trx, row.studentId, row.lectureId)) ?? row.sectionId;
      // A seat was taken in this transaction: throwing rolls it back.
      throw alreadyEnrolled({ sectionId: heldId, lectureId: row.lectureId }, snapshot.section(heldId));
    }
  }

  /** A refusal decided before or after the transaction: its event (and stored answer) on their own. */
  async function recordRefusal(op: Op, refusal: AppError, now: Date): Promise<Answer | undefined> {
    const ev = event(op, refusal.code, now);
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

  function busy(op: Op, err: unknown): AppError {
    logger.warn({ err, action: op.action }, 'enrollment transaction still conflicting after retries');
    return stillBusy();
  }

  /**
   * Runs one decision: replay of a stored answer, the gate (waiting room), cheap refusals before
   * the transaction, then the transaction itself (lock student, decide, write, commit).
   */
  async function run<C>(
    op: Op,
    steps: {
      gate?: (() => Promise<void>) | undefined;
      before: (now: Date) => Promise<C>;
      decide: (trx: Knex.Transaction, student: LockedStudent, ctx: C, now: Date) => Promise<Decision>;
      /** The same decision as `decide` in fewer round trips (MySQL), when it applies to `ctx`. */
      batched?: ((ctx: C, now: Date) => (() => Promise<TxResult>) | undefined) | undefined;
    },
  ): Promise<Answer> {
    const now = clock();
    let outcome = 'ERROR';
    /**
     * A stored answer under the Idempotency-Key wins over a refusal decided before the
     * transaction (the room's token expired since, the window closed since). Inside the
     * transaction the locking read returns it, so a request that gets that far needs no read of its own.
     */
    const refusedBefore = async (err: unknown): Promise<Answer> => {
      if (op.idem && err instanceof AppError) {
        const stored = await findAnswer(db, op.idem.key);
        if (stored) {
          outcome = 'REPLAY';
          return replay(stored, op.idem.requestHash);
        }
      }
      throw err;
    };
    try {
      if (steps.gate) {
        try {
          await steps.gate();
        } catch (err) {
          return await refusedBefore(err);
        }
      }
      let result: TxResult;
      try {
        let ctx: C;
        try {
          ctx = await steps.before(now);
        } catch (err) {
          return await refusedBefore(err);
        }
        const started = performance.now();
        const fast = steps.batched?.(ctx, now);
        const retrying = {
          retries: deps.txRetries,
          onRetry: (err: unknown) => {
            metrics.txRetries.inc({ action: op.action });
            metrics.txConflicts.inc({ action: op.action, kind: conflictKind(err) });
          },
        };
        result = fast
          ? await withRetries(fast, retrying)
          : await withTransaction(
          db,
          async (trx): Promise<TxResult> => {
            const student = await lockStudent(trx, op.studentId, op.idem?.key);
            // A twin request with the same key committed while we waited for the lock.
            if (op.idem && student?.stored) return { kind: 'replay', stored: student.stored };
            const d = student ? await steps.decide(trx, student, ctx, now) : refuse(notFound('Student', op.studentId));
            if (!d.ok) {
              await insertEvents(trx, [event(op, d.refusal.code, now)]);
              if (op.idem) await storeAnswer(trx, { key: op.idem.key, requestHash: op.idem.requestHash, ...storedProblem(d.refusal), createdAt: now });
              return { kind: 'refused', refusal: d.refusal };
            }
            await insertEvents(trx, d.events);
            if (d.audit) await writeAudit(trx, d.audit, now);
            if (op.idem) {
              await storeAnswer(trx, { key: op.idem.key, requestHash: op.idem.requestHash, status: d.status, body: JSON.stringify(d.body), createdAt: now });
            }
            return { kind: 'done', status: d.status, body: d.body };
          },
          retrying,
        );
        metrics.txSeconds.observe({ action: op.action }, (performance.now() - started) / 1000);
      } catch (err) {
        if (err instanceof AppError) {
          // Refused before the transaction, or inside it after a write (rolled back).
          outcome = err.code;
          const twin = await recordRefusal(op, err, now);
          if (twin) {
            outcome = 'REPLAY';
            return twin;
          }
          throw err;
        }
        if (op.idem && isUniqueViolation(err)) {
          // A twin with the same key committed between our check and our insert.
          const stored = await findAnswer(db, op.idem.key);
          if (stored) {
            outcome = 'REPLAY';
            return replay(stored, op.idem.requestHash);
          }
        }
        if (isRetryableDbError(err)) {
          outcome = 'BUSY';
          throw busy(op, err);
        }
        throw err;
      }
      if (result.kind === 'replay') {
        outcome = 'REPLAY';
        return replay(result.stored, op.idem!.requestHash);
      }
      if (result.kind === 'refused') {
        outcome = result.refusal.code;
        throw result.refusal;
      }
      outcome = 'OK';
      return { status: result.status, body: result.body, replayed: false };
    } catch (err) {
      if (err instanceof AppError && (outcome === 'ERROR' || err.code === 'IDEMPOTENCY_CONFLICT')) outcome = err.code;
      throw err;
    } finally {
      metrics.decisions.inc({ action: op.action, outcome });
    }
  }

  /**
   * A seat of `sectionId` was just given back in this transaction: the waitlist takes it now
   * (README "Waitlists"); the student whose holdings changed may now pass the rules of their own skipped entries.
   */
  async function fillFreedSeat(trx: Knex.Transaction, snapshot: CatalogSnapshot, sectionId: number, studentId: number, now: Date): Promise<void> {
    await clearRetryOf(trx, studentId);
    const section = snapshot.section(sectionId);
    if (!section) return; // another term's section: its waitlist is closed
    const p = await promoteWaiting(trx, snapshot, section, now);
    if (p.promoted.length) metrics.waitlistPromotions.inc({ via: 'transaction' }, p.promoted.length);
    if (p.skipped.length) metrics.waitlistSkips.inc(p.skipped.length);
  }

  function overrideFields(user: AuthUser, input: { studentId?: number | undefined; reason?: string | undefined }, extra: boolean) {
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

  /**
   * Why this student may not take this section (before any seat is looked at), if they may not.
   * `held`: the term's sections they hold (`heldInTerm`).
   */
  function enrollRefusal(snapshot: CatalogSnapshot, section: CatalogSection, student: LockedStudent, held: CatalogSection[], now: Date, override: boolean): AppError | undefined {
    if (!override) {
      if (!snapshot.openWindow(ENROLL_PHASES, now, student.grade)) return windowClosed();
      const inel = eligibilityRefusal(section, student);
      if (inel) return inel;
    }
    return addRefusal(section, student, student.held, held, (id) => snapshot.section(id));
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

  /**
   * The student's enroll of `decide` above, for a section without unreleased reservations, in
   * two round trips on MySQL (README "The enroll transaction"):
   *   1. BEGIN; lock the student and read their enrollments (and the Idempotency-Key's answer)
   *   2. the conditional seat UPDATE; the enrollment row, the event and the key's answer for
   *      whichever outcome the UPDATE had (decided in SQL from its ROW_COUNT()); COMMIT
   * A refusal by the rules is also 2: its event (and answer) ride with the COMMIT.
   */
  async function enrollBatched(op: Op, snapshot: CatalogSnapshot, section: CatalogSection, now: Date): Promise<TxResult> {
    return BatchedTransaction.run(db, async (tx): Promise<TxResult> => {
      const student = toLockedStudent(await tx.begin<LockRow[]>(lockStudentSql(op.studentId, op.idem?.key)));
      if (op.idem && student?.stored) return { kind: 'replay', stored: student.stored };
      const refusedNow = async (refusal: AppError): Promise<TxResult> => {
        const p = storedProblem(refusal);
        await tx.commitWith(
          insertEventSql(event(op, refusal.code, now)),
          ...(op.idem ? [storeAnswerSql({ key: op.idem.key, requestHash: op.idem.requestHash, ...p, createdAt: now })] : []),
        );
        return { kind: 'refused', refusal };
      };
      if (!student) return refusedNow(notFound('Student', op.studentId));
      const held = heldInTerm(student.held, snapshot);
      const rule = enrollRefusal(snapshot, section, student, held, now, false);
      if (rule) return refusedNow(rule);
      const body = enrolledBody(section, student, held, now);
      const row = { studentId: student.id, sectionId: section.id, lectureId: section.lectureId, termId: section.termId, reservationId: null, overCapacity: false, createdAt: now };
      let seat: WriteResult | undefined;
      try {
        [seat] = (await tx.commitWith(
          ...takeSeatAndWriteSql({
            sectionId: section.id,
            enrollment: row,
            event: event(op, 'OK', now),
            fullOutcome: 'SECTION_FULL',
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
        // Either a twin request with the same key answered first, or the unique key on (student, lecture) refused.
        const stored = op.idem ? await findAnswer(db, op.idem.key) : undefined;
        if (stored) return { kind: 'replay', stored };
        const heldId = (await findHeldForLecture(db, row.studentId, row.lectureId)) ?? row.sectionId;
        throw alreadyEnrolled({ sectionId: heldId, lectureId: row.lectureId }, snapshot.section(heldId));
      }
      // The refusal is built only when it happened (an Error captures a stack: not on every enroll).
      return seat?.affectedRows === 1 ? { kind: 'done', status: 201, body } : { kind: 'refused', refusal: sectionFull(false) };
    });
  }

  /** POST /api/enrollments: a student registers; staff register a student by override. */
  async function enroll(caller: Caller, input: EnrollInput): Promise<Answer> {
    const override = overrideFields(caller.user, input, input.allowOverCapacity !== undefined);
    const force = override !== undefined && input.allowOverCapacity === true;
    const op: Op = {
      action: override ? 'OVERRIDE_ENROLL' : 'ENROLL',
      studentId: override?.studentId ?? caller.user.id,
      sectionId: input.sectionId,
      actorStaffId: override?.staffId ?? null,
      idem: idempotencyOf(caller.idempotencyKey, scopeOf(caller.user), { op: 'enroll', ...input }),
    };
    return run(op, {
      gate: override || !deps.admission ? undefined : () => deps.admission!.check(caller.user, caller.admissionToken),
      before: async (now) => {
        const { snapshot, section } = await catalog.withSection(input.sectionId);
        if (!section) throw sectionNotFound(input.sectionId);
        if (!override && !snapshot.openWindow(ENROLL_PHASES, now)) throw windowClosed();
        return { snapshot, section };
      },
      // A student's enroll in a section with no seats held back: 2 round trips on MySQL.
      batched:
        override || !batching
          ? undefined
          : ({ snapshot, section }, now) => (unreleased(section, now.getTime()).length === 0 ? () => enrollBatched(op, snapshot, section, now) : undefined),
      decide: async (trx, student, { snapshot, section }, now) => {
        const held = heldInTerm(student.held, snapshot);
        const rule = enrollRefusal(snapshot, section, student, held, now, override !== undefined);
        if (rule) return refuse(rule);
        const seat = await takeSeatFor(trx, section, student, now, force);
        if (!seat.ok) return refuse(sectionFull(seat.reservedLeft));
        await insertOrRefuse(trx, snapshot, {
          studentId: student.id,
          sectionId: section.id,
          lectureId: section.lectureId,
          termId: section.termId,
          reservationId: seat.reservationId,
          overCapacity: seat.overCapacity,
          createdAt: now,
        });
        await deleteEntriesOfLecture(trx, student.id, section.lectureId);
        return {
          ok: true,
          status: 201,
          body: enrolledBody(section, student, held, now),
          events: [event(op, 'OK', now)],
          ...(override
            ? {
                audit: {
                  staffId: override.staffId,
                  action: 'OVERRIDE_ENROLL',
                  target: `student:${student.id}/section:${section.id}`,
                  reason: override.reason,
                  details: { lectureCode: section.lecture.code, sectionNo: section.sectionNo, allowOverCapacity: force, overCapacity: seat.overCapacity },
                },
              }
            : {}),
        };
      },
    });
  }

  /** DELETE /api/enrollments/:sectionId: the seat goes back in the same transaction. */
  async function drop(caller: Caller, input: DropInput): Promise<Answer> {
    const override = overrideFields(caller.user, input, false);
    const op: Op = {
      action: override ? 'OVERRIDE_DROP' : 'DROP',
      studentId: override?.studentId ?? caller.user.id,
      sectionId: input.sectionId,
      actorStaffId: override?.staffId ?? null,
      idem: idempotencyOf(caller.idempotencyKey, scopeOf(caller.user), { op: 'drop', ...input }),
    };
    return run(op, {
      before: async (now) => {
        const snapshot = await catalog.get();
        if (!override && !snapshot.openWindow(ENROLL_PHASES, now)) throw windowClosed();
        return snapshot;
      },
      decide: async (trx, student, snapshot, now) => {
        if (!override && !snapshot.openWindow(ENROLL_PHASES, now, student.grade)) return refuse(windowClosed());
        const row = student.held.find((h) => h.sectionId === input.sectionId && (override !== undefined || h.termId === snapshot.termId));
        if (!row) return refuse(notEnrolled(input.sectionId));
        await deleteEnrollment(trx, student.id, row.sectionId);
        if (row.reservationId !== null) await releaseReservedSeat(trx, row.reservationId);
        if (!(await releaseSeat(trx, row.sectionId))) logger.warn({ sectionId: row.sectionId }, 'seat counter already at zero on drop');
        await fillFreedSeat(trx, snapshot, row.sectionId, student.id, now);
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
          events: [event(op, 'OK', now)],
          ...(override
            ? {
                audit: {
                  staffId: override.staffId,
                  action: 'OVERRIDE_DROP',
                  target: `student:${student.id}/section:${row.sectionId}`,
                  reason: override.reason,
                  details: section ? { lectureCode: section.lecture.code, sectionNo: section.sectionNo } : {},
                },
              }
            : {}),
        };
      },
    });
  }

  /**
   * POST /api/enrollments/swap: drop-if-add in one transaction. The new section is checked as if
   * the old one were already dropped; either both happen or neither.
   */
  async function swap(caller: Caller, input: SwapInput): Promise<Answer> {
    const op: Op = {
      action: 'SWAP',
      studentId: caller.user.id,
      sectionId: input.toSectionId,
      actorStaffId: null,
      idem: idempotencyOf(caller.idempotencyKey, scopeOf(caller.user), { op: 'swap', ...input }),
    };
    return run(op, {
      gate: deps.admission ? () => deps.admission!.check(caller.user, caller.admissionToken) : undefined,
      before: async (now) => {
        const { snapshot, section } = await catalog.withSection(input.toSectionId);
        if (!section) throw sectionNotFound(input.toSectionId);
        if (!snapshot.openWindow(ENROLL_PHASES, now)) throw windowClosed();
        return { snapshot, to: section };
      },
      decide: async (trx, student, { snapshot, to }, now) => {
        if (!snapshot.openWindow(ENROLL_PHASES, now, student.grade)) return refuse(windowClosed());
        const from = student.held.find((h) => h.sectionId === input.fromSectionId && h.termId === snapshot.termId);
        if (!from) return refuse(notEnrolled(input.fromSectionId));
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
        await insertOrRefuse(trx, snapshot, {
          studentId: student.id,
          sectionId: to.id,
          lectureId: to.lectureId,
          termId: to.termId,
          reservationId: seat.reservationId,
          overCapacity: false,
          createdAt: now,
        });
        await deleteEntriesOfLecture(trx, student.id, to.lectureId);
        await fillFreedSeat(trx, snapshot, from.sectionId, student.id, now);
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
          events: [event(op, 'OK', now), event(op, 'OK', now, { action: 'SWAP_DROP', sectionId: from.sectionId })],
        };
      },
    });
  }

  /**
   * GET /api/enrollments/me: the current term's timetable, each section in the contract's timetable
   * variant; two queries (the student, enrollments, sections, lectures, professors in one join; the
   * meetings in one whereIn) with a warm catalog, whatever the number of enrollments.
   */
  async function timetable(studentId: number): Promise<Timetable> {
    const snapshot = await catalog.get();
    const t = await findTimetable(db, studentId, snapshot.termId ?? 0);
    if (!t) throw notFound('Student', studentId);
    const meetings = await findMeetings(
      db,
      t.items.map((i) => i.sectionId),
    );
    for (const i of t.items) i.section.meetings = meetings.get(i.sectionId) ?? [];
    return { items: t.items, totalCredits: t.items.reduce((n, i) => n + i.section.lecture.credits, 0), maxCredits: t.maxCredits };
  }

  return { enroll, drop, swap, timetable };
}

export type EnrollmentService = ReturnType<typeof createEnrollmentService>;
