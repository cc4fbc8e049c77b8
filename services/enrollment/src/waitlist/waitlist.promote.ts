import type { Knex } from '@goorm/common';
import type { CatalogReservation, CatalogSection, CatalogSnapshot } from '../catalog/catalog.service.ts';
import { heldInTerm, takeSeatFor } from '../enrollments/enrollments.seats.ts';
import { DuplicateEnrollmentError, insertEnrollment, insertEvents, lockStudent } from '../enrollments/enrollments.repository.ts';
import { addRefusal, eligibilityRefusal, matchesReservation, unreleased } from '../enrollments/enrollments.rules.ts';
import {
  candidatesOf,
  deleteEntriesOfLecture,
  deleteEntry,
  entriesOfSection,
  insertNotices,
  insertWaitlistEvents,
  markSkipped,
  reservationUse,
  seatsOf,
  type EntryRow,
} from './waitlist.repository.ts';

/**
 * The promotion (README "Waitlists"): the free seats of a section go to its waiting students in
 * order, inside the caller's transaction: the drop or swap that freed the seat (so a freed seat
 * is never free between two transactions), or the sweeper's, which has locked the section's seat
 * row first. Each candidate's row is locked (as their own enroll would), the enroll rules are
 * applied to what they hold now, and a student the rules refuse is skipped: the skip is recorded,
 * they are told once per reason, and they keep their place (unless they hold the lecture already:
 * that entry is removed). The promoted student's other entries of the lecture go.
 */

/** How many candidates one drop or swap tries at most; the sweeper goes on from there. */
export const PROMOTE_TRIES_IN_TX = 50;
/**
 * A skipped entry is tried again at once when its student drops or swaps (what they hold changed),
 * and by the sweeper after this long otherwise (staff changed their maximum or the section's rules).
 */
export const SKIP_RETRY_MS = 60_000;

export interface Promotion {
  promoted: number[];
  skipped: { studentId: number; code: string }[];
}

type Outcome = 'promoted' | 'skipped' | 'gone' | 'reserved' | 'full';

async function promoteOne(trx: Knex.Transaction, snapshot: CatalogSnapshot, section: CatalogSection, entry: EntryRow, now: Date, out: Promotion): Promise<Outcome> {
  const student = await lockStudent(trx, entry.studentId);
  if (!student) {
    await deleteEntry(trx, entry.id); // the student's account is gone
    return 'gone';
  }
  // Under the student's lock the entry cannot change hands: was it still there?
  const [still] = await entriesOfSection(trx, section.id, { limit: 1, onlyId: entry.id });
  if (!still) return 'gone';
  const held = heldInTerm(student.held, snapshot);
  const refusal = eligibilityRefusal(section, student) ?? addRefusal(section, student, student.held, held, (id) => snapshot.section(id));
  if (refusal) {
    const code = refusal.code;
    if (code === 'ALREADY_ENROLLED') {
      out.skipped.push({ studentId: student.id, code });
      await insertWaitlistEvents(trx, [{ sectionId: section.id, studentId: student.id, kind: 'SKIP', code, at: now }]);
      await deleteEntry(trx, entry.id);
      await insertNotices(trx, [{ studentId: student.id, kind: 'WAITLIST_REMOVED', sectionId: section.id, code, at: now }]);
      return 'skipped';
    }
    await markSkipped(trx, entry.id, code, now, new Date(now.getTime() + SKIP_RETRY_MS));
    // Recorded and told once per reason: the sweeper's later tries of the same refusal write nothing more.
    if (entry.skipCode !== code) {
      out.skipped.push({ studentId: student.id, code });
      await insertWaitlistEvents(trx, [{ sectionId: section.id, studentId: student.id, kind: 'SKIP', code, at: now }]);
      await insertNotices(trx, [{ studentId: student.id, kind: 'WAITLIST_SKIPPED', sectionId: section.id, code, at: now }]);
    }
    return 'skipped';
  }
  const seat = await takeSeatFor(trx, section, student, now, false);
  if (!seat.ok) return seat.reservedLeft ? 'reserved' : 'full';
  try {
    await insertEnrollment(trx, {
      studentId: student.id,
      sectionId: section.id,
      lectureId: section.lectureId,
      termId: section.termId,
      reservationId: seat.reservationId,
      overCapacity: false,
      createdAt: now,
    });
  } catch (err) {
    // The rules above ran on the rows locked with the student: a duplicate here is a bug, not a race.
    if (err instanceof DuplicateEnrollmentError) throw new Error(`waitlist promotion of student ${student.id} into section ${section.id} hit the unique key`, { cause: err });
    throw err;
  }
  await deleteEntriesOfLecture(trx, student.id, section.lectureId);
  await insertEvents(trx, [{ studentId: student.id, sectionId: section.id, action: 'WAITLIST_PROMOTE', outcome: 'OK', actorStaffId: null, at: now }]);
  await insertWaitlistEvents(trx, [{ sectionId: section.id, studentId: student.id, kind: 'PROMOTE', at: now }]);
  await insertNotices(trx, [{ studentId: student.id, kind: 'WAITLIST_PROMOTED', sectionId: section.id, at: now }]);
  out.promoted.push(student.id);
  return 'promoted';
}

/**
 * Fills the free seats of `section` from its waitlist inside `trx`; at most `maxTries` candidates.
 * The caller holds the section's seat row (it has just written it, or `lockSeatRow`).
 */
export async function promoteWaiting(
  trx: Knex.Transaction,
  snapshot: CatalogSnapshot,
  section: CatalogSection,
  now: Date,
  maxTries = PROMOTE_TRIES_IN_TX,
): Promise<Promotion> {
  const out: Promotion = { promoted: [], skipped: [] };
  const tried: number[] = [];
  const pending = unreleased(section, now.getTime());
  while (tried.length < maxTries) {
    const seats = await seatsOf(trx, section.id);
    if (!seats || seats.enrolled >= seats.capacity) break;
    // Open seats, or only seats unreleased reservations hold back (then only students they are for
    // can have one: the others are passed over without locking their rows).
    let reservedFor: CatalogReservation[] | undefined;
    if (pending.length > 0) {
      const used = await reservationUse(trx, section.id);
      const heldBack = pending.reduce((n, r) => n + Math.max(0, r.seats - (used.get(r.id) ?? 0)), 0);
      if (seats.enrolled + heldBack >= seats.capacity) reservedFor = pending.filter((r) => (used.get(r.id) ?? 0) < r.seats);
    }
    if (reservedFor?.length === 0) break;
    const batch = await candidatesOf(trx, section.id, Math.min(10, maxTries - tried.length), tried);
    if (batch.length === 0) break;
    let promoted = false;
    for (const entry of batch) {
      tried.push(entry.id);
      if (reservedFor && !reservedFor.some((r) => entry.majorId !== null && entry.grade !== null && matchesReservation(r, { id: entry.studentId, majorId: entry.majorId, grade: entry.grade, maxCredits: 0 }))) continue;
      const outcome = await promoteOne(trx, snapshot, section, entry, now, out);
      if (outcome === 'full') return out;
      // 'reserved': the free seats are held for students this one is not; the next may be.
      if (outcome === 'promoted') {
        promoted = true;
        break; // read the seats again before the next candidate
      }
    }
    if (!promoted && batch.length < 10) break;
  }
  return out;
}
