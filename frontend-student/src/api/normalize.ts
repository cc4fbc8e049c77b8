/**
 * Turns the services' JSON into the app's types. The contract fixes the field names; these
 * readers also accept the nested/flat variants a service may send (e.g. `lecture.code` or
 * `lectureCode`), so one shape change does not blank the screen.
 */
import { DAYS, type Day, type LectureSummary, type Meeting, type Reservation, type Section, type Student } from './types.ts';

export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
export const num = (...vs: unknown[]): number | undefined => {
  for (const v of vs) {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return undefined;
};
export const str = (...vs: unknown[]): string | undefined => {
  for (const v of vs) if (typeof v === 'string') return v;
  return undefined;
};
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const DAY_ALIASES: Record<string, Day> = { MO: 'MON', TU: 'TUE', WE: 'WED', TH: 'THU', FR: 'FRI', SA: 'SAT' };

export function toMeeting(raw: unknown): Meeting | undefined {
  const m = obj(raw);
  const d = String(m.day ?? '').toUpperCase();
  const day = (DAYS as readonly string[]).includes(d) ? (d as Day) : DAY_ALIASES[d.slice(0, 2)];
  const startPeriod = num(m.startPeriod, m.start_period, m.start);
  const endPeriod = num(m.endPeriod, m.end_period, m.end, startPeriod);
  if (!day || startPeriod === undefined || endPeriod === undefined) return undefined;
  return { day, startPeriod, endPeriod };
}

export function toLecture(raw: Json): LectureSummary {
  const l = obj(raw.lecture);
  return {
    id: num(l.id, raw.lectureId) ?? 0,
    code: str(l.code, raw.lectureCode, raw.code) ?? '',
    title: str(l.title, raw.lectureTitle, raw.title) ?? '',
    titleEn: str(l.titleEn, raw.lectureTitleEn, raw.titleEn) ?? '',
    credits: num(l.credits, raw.credits) ?? 0,
    category: str(l.category, raw.category) ?? '',
    majorId: num(l.majorId, raw.lectureMajorId),
  };
}

export function toReservation(input: unknown): Reservation {
  const r = obj(input);
  return { majorId: num(r.majorId) ?? null, grades: arr(r.grades).map(Number), seats: num(r.seats) ?? 0, releaseAt: str(r.releaseAt) ?? '' };
}

function gradesFromMask(mask: number | undefined): number[] | undefined {
  if (mask === undefined || mask === 15) return undefined;
  return [1, 2, 3, 4].filter((g) => mask & (1 << (g - 1)));
}

export function toSection(input: unknown): Section {
  const raw = obj(input);
  const lecture = toLecture(raw);
  const professor = obj(raw.professor);
  const cart = obj(raw.cart);
  const grades = Array.isArray(raw.grades) ? arr(raw.grades).map(Number) : gradesFromMask(num(raw.gradeMask));
  const majorIds = Array.isArray(raw.allowedMajorIds)
    ? arr(raw.allowedMajorIds).map(Number)
    : Array.isArray(raw.majorIds)
      ? arr(raw.majorIds).map(Number)
      : Array.isArray(raw.majors)
        ? arr(raw.majors).map((m) => num(obj(m).id, m) ?? 0)
        : undefined;
  const eligibility = obj(raw.eligibility);
  const eligible =
    typeof raw.eligible === 'boolean' ? raw.eligible : typeof eligibility.eligible === 'boolean' ? eligibility.eligible : undefined;
  return {
    id: num(raw.id, raw.sectionId) ?? 0,
    termId: num(raw.termId) ?? 0,
    lectureId: num(raw.lectureId, lecture.id) ?? 0,
    sectionNo: num(raw.sectionNo) ?? 0,
    professorId: num(raw.professorId, professor.id) ?? 0,
    professorName: str(professor.name, raw.professorName) ?? '',
    capacity: num(raw.capacity) ?? 0,
    enrolled: num(raw.enrolled, raw.enrolledCount) ?? 0,
    cartCount: num(raw.cartCount, cart.count, raw.carts) ?? 0,
    room: str(raw.room) ?? '',
    meetings: arr(raw.meetings).map(toMeeting).filter((m): m is Meeting => m !== undefined),
    lecture: { ...lecture, id: lecture.id || (num(raw.lectureId) ?? 0) },
    eligible,
    grades,
    majorIds,
    reserved: Array.isArray(raw.reserved) ? arr(raw.reserved).map(toReservation) : undefined,
  };
}

export function toStudent(input: unknown): Student {
  const raw = obj(input);
  return {
    id: num(raw.id) ?? 0,
    studentNo: str(raw.studentNo, raw.loginId) ?? '',
    name: str(raw.name) ?? '',
    majorId: num(raw.majorId),
    grade: num(raw.grade),
    maxCredits: num(raw.maxCredits),
  };
}
