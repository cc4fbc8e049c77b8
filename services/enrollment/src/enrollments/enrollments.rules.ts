import { AppError, notFound, type ErrorCode } from '@goorm/common';
import { ENROLL_PHASES, firstClash, gradeBit, type IneligibilityReason } from '@goorm/contracts';
import type { CatalogMeeting, CatalogReservation, CatalogSection, CatalogSnapshot } from '../catalog/catalog.service.ts';

/**
 * The registration rules as pure functions over the cached catalog and the student's locked
 * enrollments: no I/O, so the transaction spends no round trip on them.
 */

export interface StudentFacts {
  id: number;
  majorId: number;
  grade: number;
  maxCredits: number;
}

/** A held section, as the catalog knows it (other terms' sections are not in the catalog). */
export interface HeldRef {
  sectionId: number;
  lectureId: number;
  termId: number;
}

// ---- refusals (stable codes, rendered as problem+json) ----

export const windowClosed = (detail = 'No enrollment window is open for your grade right now') =>
  new AppError('WINDOW_CLOSED', { detail });

export const sectionNotFound = (sectionId: number) => notFound('Section in the current term', sectionId);

export const notEnrolled = (sectionId: number) => notFound('Enrollment in section', sectionId);

export const notEligible = (detail: string, reason: IneligibilityReason) => new AppError('NOT_ELIGIBLE', { detail, extra: { reason } });

function describe(held: HeldRef, section: CatalogSection | undefined) {
  return {
    sectionId: held.sectionId,
    lectureId: held.lectureId,
    ...(section ? { lectureCode: section.lecture.code, lectureTitle: section.lecture.title, sectionNo: section.sectionNo } : {}),
  };
}

export const alreadyEnrolled = (held: HeldRef, section: CatalogSection | undefined) =>
  new AppError('ALREADY_ENROLLED', {
    detail: section
      ? `You already hold ${section.lecture.code} section ${section.sectionNo}`
      : `You already hold a section of this lecture (section ${held.sectionId})`,
    extra: { conflict: describe(held, section) },
  });

export const timeConflict = (clash: CatalogSection, m: CatalogMeeting) =>
  new AppError('TIME_CONFLICT', {
    detail: `Overlaps ${clash.lecture.code} section ${clash.sectionNo} (${m.day} ${m.startPeriod}-${m.endPeriod})`,
    extra: {
      conflict: {
        sectionId: clash.id,
        lectureCode: clash.lecture.code,
        lectureTitle: clash.lecture.title,
        sectionNo: clash.sectionNo,
        day: m.day,
        startPeriod: m.startPeriod,
        endPeriod: m.endPeriod,
      },
    },
  });

export const creditLimit = (current: number, adding: number, max: number) =>
  new AppError('CREDIT_LIMIT', {
    detail: `${current} + ${adding} credits would exceed your maximum of ${max}`,
    extra: { credits: { current, adding, max } },
  });

/** A transaction still conflicting after its bounded retries: 429 with Retry-After, as registration answers it, never a 500. */
export const stillBusy = () => new AppError('RATE_LIMITED', { detail: 'Registration is very busy; try again in a moment', headers: { 'Retry-After': '1' } });

export const sectionFull = (reservedLeft = false) =>
  new AppError('SECTION_FULL', {
    detail: reservedLeft ? 'The section is full (the remaining seats are reserved)' : 'The section is full',
  });

// ---- checks ----

export function eligibilityRefusal(section: CatalogSection, student: StudentFacts): AppError | undefined {
  if (section.majors.length > 0 && !section.majors.includes(student.majorId)) {
    return notEligible(`${section.lecture.code} section ${section.sectionNo} is restricted to other majors`, 'MAJOR_RESTRICTED');
  }
  if ((section.gradeMask & gradeBit(student.grade)) === 0) {
    return notEligible(`${section.lecture.code} section ${section.sectionNo} is not open to grade ${student.grade}`, 'GRADE_RESTRICTED');
  }
  return undefined;
}

export function creditsOf(sections: readonly CatalogSection[]): number {
  return sections.reduce((sum, s) => sum + s.lecture.credits, 0);
}

/** What the student holds of `section`'s lecture (any term; the section itself included), if anything. */
/** The held section of the same lecture in the section's term (a lecture taken in an earlier term may be taken again). */
function sameLecture(section: CatalogSection, held: readonly HeldRef[]): HeldRef | undefined {
  return held.find((h) => h.sectionId === section.id || (h.lectureId === section.lectureId && h.termId === section.termId));
}

function clashRefusal(section: CatalogSection, heldSections: readonly CatalogSection[]): AppError | undefined {
  for (const other of heldSections) {
    const m = firstClash(other.meetings, section.meetings);
    if (m) return timeConflict(other, m);
  }
  return undefined;
}

function creditRefusal(section: CatalogSection, student: StudentFacts, heldSections: readonly CatalogSection[]): AppError | undefined {
  const current = creditsOf(heldSections);
  return current + section.lecture.credits > student.maxCredits ? creditLimit(current, section.lecture.credits, student.maxCredits) : undefined;
}

/**
 * Rules 3-5 for adding `section` to what the student holds (`held`: every term; `heldSections`:
 * the current term's, as catalog sections; for a swap both already exclude the section given up).
 */
export function addRefusal(
  section: CatalogSection,
  student: StudentFacts,
  held: readonly HeldRef[],
  heldSections: readonly CatalogSection[],
  lookup: (id: number) => CatalogSection | undefined,
): AppError | undefined {
  const same = sameLecture(section, held);
  if (same) return alreadyEnrolled(same, lookup(same.sectionId));
  return clashRefusal(section, heldSections) ?? creditRefusal(section, student, heldSections);
}

// ---- the enroll rules, once for both renderings of the enroll transaction ----

/** The student an enroll decides for: the locked row and everything they hold (every term). */
export interface EnrollingStudent extends StudentFacts {
  held: readonly HeldRef[];
}

export interface EnrollRule {
  /** The refusal's code: the problem's `code`, the event's outcome. */
  code: ErrorCode;
  /** A staff override skips it (the window and eligibility); the others hold for everyone. */
  overridable: boolean;
  /**
   * The refusal, if the rule refuses, from the facts both renderings gather: the cached catalog,
   * the locked student, `heldSections` = their current term's sections (`heldInTerm`). Undefined
   * for the seat, which the database decides (knex: `takeSeatFor`; SQL text: the conditional
   * UPDATE of `takeSeatAndWriteSql`).
   */
  check:
    | ((snapshot: CatalogSnapshot, section: CatalogSection, student: EnrollingStudent, heldSections: readonly CatalogSection[], now: Date) => AppError | undefined)
    | undefined;
}

/**
 * The enroll rules in the order they refuse (README "The enroll transaction": the checks between
 * round trips 1 and 2). Both renderings of the enroll transaction, knex's and the SQL text, ask
 * `enrollRefusal` below, then take the seat, the last rule (docs/decisions/0011-enroll-sql-text-path.md;
 * test/enrollments.paths.test.ts runs the same enrolls through both).
 */
export const ENROLL_RULES: readonly EnrollRule[] = [
  {
    code: 'WINDOW_CLOSED',
    overridable: true,
    check: (snapshot, _section, student, _held, now) => (snapshot.openWindow(ENROLL_PHASES, now, student.grade) ? undefined : windowClosed()),
  },
  { code: 'NOT_ELIGIBLE', overridable: true, check: (_snapshot, section, student) => eligibilityRefusal(section, student) },
  {
    code: 'ALREADY_ENROLLED',
    overridable: false,
    check: (snapshot, section, student) => {
      const same = sameLecture(section, student.held);
      return same && alreadyEnrolled(same, snapshot.section(same.sectionId));
    },
  },
  { code: 'TIME_CONFLICT', overridable: false, check: (_snapshot, section, _student, heldSections) => clashRefusal(section, heldSections) },
  { code: 'CREDIT_LIMIT', overridable: false, check: (_snapshot, section, student, heldSections) => creditRefusal(section, student, heldSections) },
  { code: 'SECTION_FULL', overridable: false, check: undefined },
];

/** The first of ENROLL_RULES (before the seat) that refuses `student` taking `section`, if one does. */
export function enrollRefusal(
  snapshot: CatalogSnapshot,
  section: CatalogSection,
  student: EnrollingStudent,
  heldSections: readonly CatalogSection[],
  now: Date,
  override: boolean,
): AppError | undefined {
  for (let i = 0; i < ENROLL_RULES.length; i++) {
    const rule = ENROLL_RULES[i]!;
    if (rule.check === undefined || (override && rule.overridable)) continue;
    const refusal = rule.check(snapshot, section, student, heldSections, now);
    if (refusal) return refusal;
  }
  return undefined;
}

export function matchesReservation(r: CatalogReservation, student: StudentFacts): boolean {
  return (r.majorId === null || r.majorId === student.majorId) && (r.gradeMask & gradeBit(student.grade)) !== 0;
}

/** Reservations still holding seats back at `nowMs`. */
export function unreleased(section: CatalogSection, nowMs: number): CatalogReservation[] {
  return section.reservations.filter((r) => r.releaseAtMs > nowMs);
}
