import { performance } from 'node:perf_hooks';
import { conflict, isRetryableDbError, notFound, withTransaction, type AuthUser, type Knex, type Logger } from '@goorm/common';
import type { AutoEnrollBody, AutoEnrollReport, AutoEnrollRun } from '@goorm/contracts';
import { writeAudit } from '../audit/audit.repository.ts';
import type { CatalogCache, CatalogSection, CatalogSnapshot } from '../catalog/catalog.service.ts';
import { insertEnrollment, insertEvents, lockStudent, type EnrollmentEvent, type HeldEnrollment } from '../enrollments/enrollments.repository.ts';
import { addRefusal, eligibilityRefusal, stillBusy, unreleased } from '../enrollments/enrollments.rules.ts';
import { heldInTerm, takeSeatFor } from '../enrollments/enrollments.seats.ts';
import { deleteEntriesOfLecture, insertNotices, type NewNotice } from '../waitlist/waitlist.repository.ts';
import { findWindow } from '../windows/windows.repository.ts';
import { cartDemand, claimRun, dueRuns, findRun, finishRun, insertRun, listRuns, skipNoticesOf, termSeats, type CartDemandRow } from './autoenroll.repository.ts';

/**
 * Cart auto-enrollment (자동신청, README "Cart auto-enrollment"): before a REGISTRATION window
 * opens, every section whose cart demand from the window's grades is at most its free seats
 * (after the seats reservations still hold back) enrolls its carting students, each one checked
 * by the enroll rules on what they hold (in cart order), in transactions of at most `batchSize`
 * students. Contested sections are left for the opening. A run changes nothing the second time:
 * the demand leaves out students who hold the lecture, and nobody is told of a skip twice.
 */

export interface AutoEnrollDeps {
  db: Knex;
  catalog: CatalogCache;
  clock: () => Date;
  logger: Logger;
  txRetries: number;
  /** Students per transaction. Default 100. */
  batchSize?: number;
}

/** Thrown to roll a dry run's batch back. */
class DryRun extends Error {}

/** The sections whose demand fits their free seats, and the demand of those. */
export function uncontested(snapshot: CatalogSnapshot, demand: readonly CartDemandRow[], seats: Awaited<ReturnType<typeof termSeats>>, now: Date) {
  const perSection = new Map<number, number>();
  for (const d of demand) perSection.set(d.sectionId, (perSection.get(d.sectionId) ?? 0) + 1);
  const fits = new Set<number>();
  for (const [sectionId, n] of perSection) {
    const s = snapshot.section(sectionId);
    if (!s) continue;
    const heldBack = unreleased(s, now.getTime()).reduce((sum, r) => sum + Math.max(0, r.seats - (seats.reservationUsed.get(r.id) ?? 0)), 0);
    const free = s.capacity - (seats.enrolled.get(sectionId) ?? 0) - heldBack;
    if (n <= free) fits.add(sectionId);
  }
  return { sectionsWithDemand: perSection.size, fits };
}

export function createAutoEnrollService(deps: AutoEnrollDeps) {
  const { db, catalog, clock, logger } = deps;
  const batchSize = deps.batchSize ?? 100;

  /** Enrolls one batch of students in their uncontested cart sections, in one transaction. */
  async function enrollBatch(
    snapshot: CatalogSnapshot,
    batch: [number, CatalogSection[]][],
    told: Set<string>,
    report: AutoEnrollReport,
    dryRun: boolean,
    now: Date,
  ): Promise<void> {
    const tally = { enrolled: 0, students: 0, skipped: {} as Record<string, number> };
    try {
      await withTransaction(
        db,
        async (trx) => {
          tally.enrolled = 0;
          tally.students = 0;
          tally.skipped = {};
          const events: EnrollmentEvent[] = [];
          const notices: NewNotice[] = [];
          for (const [studentId, sections] of batch) {
            const student = await lockStudent(trx, studentId);
            if (!student) continue;
            const held: HeldEnrollment[] = [...student.held];
            const heldSections = heldInTerm(held, snapshot);
            let got = 0;
            for (const section of sections) {
              let code = (eligibilityRefusal(section, student) ?? addRefusal(section, student, held, heldSections, (id) => snapshot.section(id)))?.code;
              let seat: Awaited<ReturnType<typeof takeSeatFor>> | undefined;
              if (!code) {
                seat = await takeSeatFor(trx, section, student, now, false);
                if (!seat.ok) code = 'SECTION_FULL';
              }
              if (code || !seat?.ok) {
                const c = code ?? 'SECTION_FULL';
                tally.skipped[c] = (tally.skipped[c] ?? 0) + 1;
                if (!told.has(`${student.id}:${section.id}`)) notices.push({ studentId: student.id, kind: 'AUTO_ENROLL_SKIPPED', sectionId: section.id, code: c, at: now });
                continue;
              }
              await insertEnrollment(trx, {
                studentId: student.id,
                sectionId: section.id,
                lectureId: section.lectureId,
                termId: section.termId,
                reservationId: seat.reservationId,
                overCapacity: false,
                createdAt: now,
              });
              await deleteEntriesOfLecture(trx, student.id, section.lectureId);
              held.push({ sectionId: section.id, lectureId: section.lectureId, termId: section.termId, reservationId: seat.reservationId });
              heldSections.push(section);
              events.push({ studentId: student.id, sectionId: section.id, action: 'AUTO_ENROLL', outcome: 'OK', actorStaffId: null, at: now });
              notices.push({ studentId: student.id, kind: 'AUTO_ENROLLED', sectionId: section.id, at: now });
              got++;
            }
            tally.enrolled += got;
            if (got) tally.students++;
          }
          for (let i = 0; i < events.length; i += 500) await insertEvents(trx, events.slice(i, i + 500));
          await insertNotices(trx, notices);
          if (dryRun) throw new DryRun();
        },
        { retries: deps.txRetries },
      );
    } catch (err) {
      if (!(err instanceof DryRun)) throw err;
    }
    report.enrolled += tally.enrolled;
    report.students += tally.students;
    for (const [c, n] of Object.entries(tally.skipped)) report.skipped[c] = (report.skipped[c] ?? 0) + n;
    report.transactions++;
  }

  /** The auto-enrollment itself, for the window's term and grades. */
  async function runFor(termId: number, grades: readonly number[], dryRun: boolean): Promise<AutoEnrollReport> {
    const started = performance.now();
    const snapshot = await catalog.reload();
    if (snapshot.termId !== termId) throw conflict('CONFLICT', `Auto-enrollment runs for the current term only (term ${termId} is not current)`);
    const now = clock();
    const [demand, seats] = await Promise.all([cartDemand(db, termId, grades), termSeats(db, termId)]);
    const { sectionsWithDemand, fits } = uncontested(snapshot, demand, seats, now);
    const byStudent = new Map<number, CatalogSection[]>();
    let considered = 0;
    for (const d of demand) {
      const s = fits.has(d.sectionId) ? snapshot.section(d.sectionId) : undefined;
      if (!s) continue;
      considered++;
      const list = byStudent.get(d.studentId) ?? [];
      list.push(s);
      byStudent.set(d.studentId, list);
    }
    const told = await skipNoticesOf(db, [...byStudent.keys()]);
    const report: AutoEnrollReport = {
      sectionsWithDemand,
      uncontestedSections: fits.size,
      contestedSections: sectionsWithDemand - fits.size,
      considered,
      enrolled: 0,
      students: 0,
      skipped: {},
      transactions: 0,
      durationMs: 0,
    };
    const students = [...byStudent.entries()];
    for (let i = 0; i < students.length; i += batchSize) await enrollBatch(snapshot, students.slice(i, i + batchSize), told, report, dryRun, now);
    report.durationMs = Math.round(performance.now() - started);
    if (!dryRun && report.enrolled > 0) catalog.invalidate();
    return report;
  }

  async function execute(runId: number, windowGrades: readonly number[], termId: number, dryRun: boolean): Promise<void> {
    try {
      const report = await runFor(termId, windowGrades, dryRun);
      await finishRun(db, runId, { status: 'DONE', report, at: clock() });
      logger.info({ runId, ...report, skipped: report.skipped }, 'auto-enrollment done');
    } catch (err) {
      logger.error({ err, runId }, 'auto-enrollment failed');
      await finishRun(db, runId, { status: 'FAILED', error: err instanceof Error ? err.message : String(err), at: clock() });
    }
  }

  /** POST /auto-enroll (staff): now, or scheduled at runAt; audited. */
  async function request(staff: AuthUser, body: AutoEnrollBody): Promise<AutoEnrollRun> {
    const now = clock();
    const window = await findWindow(db, body.windowId);
    if (!window) throw notFound('Window', body.windowId);
    if (window.phase !== 'REGISTRATION') throw conflict('CONFLICT', `Window ${window.id} is a ${window.phase} window: auto-enrollment runs before a REGISTRATION window`);
    const opensAt = Date.parse(window.opensAt);
    if (opensAt <= now.getTime()) throw conflict('CONFLICT', `Window ${window.id} opened at ${window.opensAt}: the opening decides the rest`);
    const runAt = body.runAt ?? now;
    if (runAt.getTime() >= opensAt) {
      throw conflict('CONFLICT', `runAt must be before the window opens (${window.opensAt})`, { errors: [{ field: 'body.runAt', message: 'must be before the window opens' }] });
    }
    const scheduled = runAt.getTime() > now.getTime();
    const id = await withTransaction(db, async (trx) => {
      const runId = await insertRun(trx, {
        termId: window.termId,
        windowId: window.id,
        status: scheduled ? 'SCHEDULED' : 'RUNNING',
        dryRun: body.dryRun,
        runAt,
        startedAt: scheduled ? null : now,
        staffId: staff.id,
        reason: body.reason,
      });
      await writeAudit(
        trx,
        { staffId: staff.id, action: 'AUTO_ENROLL', target: `window:${window.id}`, reason: body.reason, details: { runId, dryRun: body.dryRun, runAt: runAt.toISOString() } },
        now,
      );
      return runId;
    }).catch((err: unknown) => {
      throw isRetryableDbError(err) ? stillBusy() : err;
    });
    if (!scheduled) await execute(id, window.grades, window.termId, body.dryRun);
    return (await findRun(db, id))!;
  }

  /** The sweeper's part: scheduled runs whose time has come, each claimed by one replica. */
  async function runDue(): Promise<number> {
    const now = clock();
    let ran = 0;
    for (const id of await dueRuns(db, now)) {
      if (!(await claimRun(db, id, now))) continue;
      const run = (await findRun(db, id))!;
      const window = await findWindow(db, run.windowId);
      if (!window || Date.parse(window.opensAt) <= now.getTime()) {
        await finishRun(db, id, { status: 'FAILED', error: window ? `window ${window.id} opened before the run` : `window ${run.windowId} was deleted`, at: now });
        continue;
      }
      await execute(id, window.grades, window.termId, run.dryRun);
      ran++;
    }
    return ran;
  }

  async function get(id: number): Promise<AutoEnrollRun> {
    const run = await findRun(db, id);
    if (!run) throw notFound('Auto-enrollment run', id);
    return run;
  }

  return { request, runDue, get, list: () => listRuns(db), runFor };
}

export type AutoEnrollService = ReturnType<typeof createAutoEnrollService>;
