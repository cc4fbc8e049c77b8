/** Contract-typed answers for the waitlist and auto-enrollment specs (a contract change breaks their compile). */
import type { AutoEnrollReport, AutoEnrollRun, SectionWaitlist, StaffWaitlistEntry, WaitlistOverview, WaitlistSettings } from '@goorm/contracts';

export const entry = (over: Partial<StaffWaitlistEntry> = {}): StaffWaitlistEntry => ({
  position: 1,
  studentId: 7,
  studentNo: '20240001',
  name: '김구름',
  grade: 3,
  majorId: 1,
  joinedAt: '2026-03-02T01:00:00.000Z',
  lastSkip: null,
  ...over,
});

/** A full section (40/40) with three students waiting, in order. */
export const sectionWaitlist = (items: StaffWaitlistEntry[] = threeWaiting()): SectionWaitlist => ({
  section: { id: 42, termId: 1, lectureCode: 'CSE2010', title: '자료구조', sectionNo: 1, capacity: 40, enrolled: 40 },
  items,
});

export function threeWaiting(): StaffWaitlistEntry[] {
  return [
    entry(),
    entry({ position: 2, studentId: 8, studentNo: '20250001', name: '이하늘', grade: 2, joinedAt: '2026-03-02T01:01:00.000Z', lastSkip: { code: 'TIME_CONFLICT', at: '2026-03-02T02:00:00.000Z' } }),
    entry({ position: 3, studentId: 9, studentNo: '20260001', name: '박바다', grade: 1, joinedAt: '2026-03-02T01:02:00.000Z' }),
  ];
}

/** The list with `studentId` moved to `position` (1-based), positions renumbered: what the API answers to a move. */
export function moved(items: StaffWaitlistEntry[], studentId: number, position: number): StaffWaitlistEntry[] {
  const rest = items.filter((i) => i.studentId !== studentId);
  const it = items.find((i) => i.studentId === studentId)!;
  rest.splice(Math.min(position, rest.length + 1) - 1, 0, it);
  return rest.map((i, n) => ({ ...i, position: n + 1 }));
}

export const waitlistOverview = (over: Partial<WaitlistOverview> = {}): WaitlistOverview => ({
  termId: 1,
  entries: 57,
  students: 41,
  sections: 9,
  top: [
    { sectionId: 42, lectureCode: 'CSE2010', title: '자료구조', sectionNo: 1, capacity: 40, enrolled: 40, waiting: 18 },
    { sectionId: 43, lectureCode: 'CSE3010', title: '운영체제', sectionNo: 2, capacity: 30, enrolled: 30, waiting: 11 },
  ],
  lastHour: { promoted: 6, skipped: 2 },
  ...over,
});

export const waitlistSettings = (over: Partial<WaitlistSettings> = {}): WaitlistSettings => ({
  enabled: true,
  maxEntriesPerStudent: 3,
  countWaitlistedCredits: false,
  updatedAt: null,
  ...over,
});

export const report = (over: Partial<AutoEnrollReport> = {}): AutoEnrollReport => ({
  sectionsWithDemand: 120,
  uncontestedSections: 85,
  contestedSections: 35,
  considered: 950,
  enrolled: 902,
  students: 410,
  skipped: { TIME_CONFLICT: 31, CREDIT_LIMIT: 17 },
  transactions: 9,
  durationMs: 1840,
  ...over,
});

export const run = (over: Partial<AutoEnrollRun> = {}): AutoEnrollRun => ({
  id: 1,
  termId: 1,
  windowId: 5,
  status: 'DONE',
  dryRun: false,
  runAt: '2026-02-09T00:30:00.000Z',
  startedAt: '2026-02-09T00:30:00.000Z',
  finishedAt: '2026-02-09T00:30:02.000Z',
  staffId: 1,
  reason: '4학년 수강신청 전 자동신청',
  report: report(),
  error: null,
  ...over,
});
