import type { Knex } from '@goorm/common';
import type { CatalogSection, CatalogSnapshot } from '../catalog/catalog.service.ts';
import { forceSeat, lockReservationUse, releaseReservedSeat, takeReservedSeat, takeSeat, type HeldEnrollment } from './enrollments.repository.ts';
import { matchesReservation, unreleased, type StudentFacts } from './enrollments.rules.ts';

/** Seats: what a student holds in the term, and taking one seat (enroll, swap, waitlist promotion, auto-enrollment). */

export type SeatTaken = { ok: true; reservationId: number | null; overCapacity: boolean } | { ok: false; reservedLeft: boolean };

/** The current term's sections the student holds, from the cached catalog. */
export function heldInTerm(held: readonly HeldEnrollment[], snapshot: CatalogSnapshot): CatalogSection[] {
  const out: CatalogSection[] = [];
  for (const h of held) {
    const s = h.termId === snapshot.termId ? snapshot.section(h.sectionId) : undefined;
    if (s) out.push(s);
  }
  return out;
}

/**
 * Takes one seat of `section` for `student` (README "Seat accounting"): one conditional UPDATE
 * when no reservation holds seats back; otherwise the section's reservation counters are locked
 * first, a matching student takes a reserved seat, anyone else an open one under a limit that
 * keeps the unused reserved seats free. Writes nothing when it answers not ok.
 */
export async function takeSeatFor(trx: Knex.Transaction, section: CatalogSection, student: StudentFacts, now: Date, force: boolean): Promise<SeatTaken> {
  const pending = unreleased(section, now.getTime());
  let reservedLeft = false;
  if (pending.length === 0) {
    if (await takeSeat(trx, section.id, 0)) return { ok: true, reservationId: null, overCapacity: false };
  } else {
    const used = await lockReservationUse(trx, section.id);
    const mine = pending.find((r) => matchesReservation(r, student) && (used.get(r.id) ?? 0) < r.seats);
    if (mine && (await takeReservedSeat(trx, mine.id, mine.seats))) {
      if (await takeSeat(trx, section.id, 0)) return { ok: true, reservationId: mine.id, overCapacity: false };
      // Capacity cut below the reservations: the reserved seat goes back.
      await releaseReservedSeat(trx, mine.id);
      return { ok: false, reservedLeft: false };
    }
    const heldBack = pending.reduce((n, r) => n + Math.max(0, r.seats - (used.get(r.id) ?? 0)), 0);
    if (await takeSeat(trx, section.id, heldBack)) return { ok: true, reservationId: null, overCapacity: false };
    reservedLeft = heldBack > 0;
  }
  if (force && (await forceSeat(trx, section.id))) return { ok: true, reservationId: null, overCapacity: true };
  return { ok: false, reservedLeft };
}
