/**
 * Test data typed by the contract (`@goorm/contracts`): a spec that builds an answer the server could
 * not send fails to compile, and so does every fixture when the contract changes.
 */
import { competitionLevelOf } from '@goorm/contracts';
import type {
  Cart,
  CartItem,
  Eligibility,
  Lecture,
  LectureSummary,
  LoginResult,
  MyWaitlistItem,
  MyWaitlists,
  Notice,
  QueuePlace,
  Recommendation,
  Recommendations,
  Section,
  SectionForecast,
  SectionCore,
  Timetable,
  TimetableItem,
} from '@goorm/contracts';

let nextId = 100;

export type SectionOverrides = Partial<Omit<Section, 'lecture' | 'professor'>> & {
  lecture?: Partial<LectureSummary>;
  professor?: Partial<Section['professor']>;
};

/** A search item (or section page) as the lectures service answers it; override what a test is about. */
export function makeSection(over: SectionOverrides = {}): Section {
  const { lecture, professor, ...rest } = over;
  const l: LectureSummary = { id: 10, code: 'CSE2010', title: '자료구조', titleEn: 'Data Structures', credits: 3, category: 'MAJOR_REQUIRED', majorId: 1, ...lecture };
  const capacity = rest.capacity ?? 40;
  const enrolled = rest.enrolled ?? 0;
  return {
    id: rest.id ?? nextId++,
    termId: 1,
    lectureId: l.id,
    sectionNo: 1,
    professorId: 3,
    capacity,
    enrolled,
    cartCount: 0,
    room: '공학관 301',
    grades: [1, 2, 3, 4],
    allowedMajorIds: [],
    meetings: [{ day: 'MON', startPeriod: 1, endPeriod: 2 }],
    seatsLeft: Math.max(0, capacity - enrolled),
    reserved: [],
    ...rest,
    lecture: l,
    professor: { id: 3, name: '이교수', nameEn: 'Prof. Lee', ...professor },
  };
}

/** The core every section variant shares. */
export function coreOf(s: SectionCore): SectionCore {
  const { id, termId, lectureId, sectionNo, professorId, capacity, enrolled, cartCount, room, grades, allowedMajorIds, meetings, lecture, professor } = s;
  return { id, termId, lectureId, sectionNo, professorId, capacity, enrolled, cartCount, room, grades, allowedMajorIds, meetings, lecture, professor };
}

/** A cart item: the section's core and the caller's eligibility for it, as the carts service answers it. */
export function cartItemOf(s: SectionCore, eligibility: Eligibility = { eligible: true }): CartItem {
  return { sectionId: s.id, addedAt: '2026-02-09T01:00:00.000Z', section: { ...coreOf(s), eligibility } };
}

export function cartOf(items: CartItem[], creditLimit = 18): Cart {
  return { items, totalCredits: items.reduce((n, i) => n + i.section.lecture.credits, 0), creditLimit };
}

/** A timetable entry: the section in its timetable variant, as the enrollment service answers it. */
export function timetableItemOf(s: SectionCore, studentId = 7): TimetableItem {
  const { id, termId, lectureId, sectionNo, professorId, room, meetings, lecture, professor } = s;
  return {
    sectionId: id,
    lectureId,
    studentId,
    createdAt: '2026-02-10T01:00:00.000Z',
    section: { id, termId, lectureId, sectionNo, professorId, room, meetings, lecture, professor },
  };
}

export function timetableOf(items: TimetableItem[], maxCredits = 18): Timetable {
  return { items, totalCredits: items.reduce((n, i) => n + i.section.lecture.credits, 0), maxCredits };
}

/** A lecture with its syllabus. */
export function makeLecture(over: Partial<Lecture> = {}): Lecture {
  return { id: 10, code: 'CSE2010', title: '자료구조', titleEn: 'Data Structures', credits: 3, category: 'MAJOR_REQUIRED', majorId: 1, description: null, ...over };
}

/** A place in the waiting room. */
export function place(over: Partial<QueuePlace> = {}): QueuePlace {
  return { ticket: 't-1', position: 30, etaSeconds: 90, admitted: false, active: true, ...over };
}

/** What POST /api/auth/login answers for the demo student. */
export function studentLogin(over: Partial<Extract<LoginResult['user'], { role: 'student' }>> = {}): LoginResult {
  return {
    accessToken: 'jwt',
    tokenType: 'Bearer',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    user: { id: 7, role: 'student', studentNo: '20240001', name: '김구름', majorId: 1, grade: 3, maxCredits: 18, ...over },
  };
}

/** A forecast as the AI helper answers it (its level from pFill by the contract's thresholds). */
export function makeForecast(sectionId: number, over: Partial<SectionForecast> = {}): SectionForecast {
  const pFill = over.pFill ?? 0.82;
  return {
    sectionId,
    pFillWithin: { '1': 0.12, '2': 0.2, '5': 0.33, '10': 0.41, '30': 0.6, '60': 0.7 },
    pFill,
    expectedFillMinutes: 2.4,
    level: competitionLevelOf(pFill),
    capacity: 40,
    cartCount: 120,
    openingGrade: 4,
    ...over,
  };
}

/** One recommendation of a section, with its reasons. */
export function recommendationOf(s: Section, reasons: Recommendation['reasons'] = [{ code: 'MAJOR_GRADE_POPULAR', text: '컴퓨터공학과 3학년 학생들이 많이 담은 강의' }], score = 0.9): Recommendation {
  return { sectionId: s.id, score, reasons, section: { ...coreOf(s), seatsLeft: s.seatsLeft } };
}

export function recommendationsOf(items: Recommendation[], candidates = 120): Recommendations {
  return { items, candidates, modelVersion: '2026.12.03-s42' };
}

/** One of the student's waitlists as GET /api/enrollments/waitlist/me answers it. */
export function waitlistItemOf(s: SectionCore, over: Partial<Omit<MyWaitlistItem, 'section'>> = {}): MyWaitlistItem {
  const { section } = timetableItemOf(s);
  return { sectionId: s.id, lectureId: s.lectureId, studentId: 7, position: 1, waiting: 1, joinedAt: '2026-02-10T01:00:00.000Z', lastSkip: null, ...over, section };
}

export function waitlistsOf(items: MyWaitlistItem[], settings: Partial<MyWaitlists['settings']> = {}): MyWaitlists {
  return { items, settings: { enabled: true, maxEntriesPerStudent: 5, countWaitlistedCredits: false, ...settings } };
}

/** An unread notice of 자료구조 1분반 (a promotion unless told otherwise). */
export function makeNotice(over: Partial<Notice> = {}): Notice {
  return {
    id: 1,
    kind: 'WAITLIST_PROMOTED',
    sectionId: 100,
    lectureCode: 'CSE2010',
    lectureTitle: '자료구조',
    sectionNo: 1,
    code: null,
    reason: null,
    createdAt: '2026-02-10T01:00:00.000Z',
    readAt: null,
    ...over,
  };
}
