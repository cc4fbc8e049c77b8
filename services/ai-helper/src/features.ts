/**
 * The features of both models, computed the same way by the trainer (from simulated terms) and by
 * the service (from the live catalog): one code path, so what was evaluated is what is served.
 *
 * A term is seen as a `TermSnapshot`: its sections and lectures, and every cart item with the
 * student's major and grade. `buildTermStats` aggregates it once (per catalog refresh in the
 * service); the per-pair features then cost a few map lookups.
 */
import { firstClash, gradeBit, type Category, type Day, type Meeting } from '@goorm/contracts';

export interface CatalogLecture {
  id: number;
  title: string;
  credits: number;
  category: Category;
  majorId: number;
  /** Year level: the first digit of the code number (CSE2010 → 2). */
  level: number;
}

export interface CatalogSection {
  id: number;
  lectureId: number;
  professorId: number;
  capacity: number;
  enrolled: number;
  gradeMask: number;
  allowedMajorIds: readonly number[];
  meetings: readonly Meeting[];
}

export interface StudentInfo {
  id: number;
  majorId: number;
  grade: number;
}

export interface TermSnapshot {
  sections: readonly CatalogSection[];
  lectures: ReadonlyMap<number, CatalogLecture>;
  /** Every cart item of the term, with who holds it. */
  carts: ReadonlyArray<{ student: StudentInfo; sectionId: number }>;
  /** Students per major and grade (`${majorId}:${grade}`), the denominators of the shares. */
  studentsByMajorGrade: ReadonlyMap<string, number>;
  /** Each major's college (friends of one college share tastes). */
  collegeOfMajor: ReadonlyMap<number, string>;
}

/** Fill history of past terms: minutes from each section's opening until it was full (null: it did not fill in the window). */
export interface FillHistory {
  lecture: ReadonlyMap<number, readonly (number | null)[]>;
  professor: ReadonlyMap<number, readonly (number | null)[]>;
}

export const mgKey = (majorId: number, grade: number) => `${majorId}:${grade}`;

/** Morning (periods 1-4), afternoon (5-8) or evening (9+) of a day. */
export const blockOf = (period: number): 'AM' | 'PM' | 'EV' => (period <= 4 ? 'AM' : period <= 8 ? 'PM' : 'EV');
export const slotKeys = (meetings: readonly Meeting[]): string[] => [...new Set(meetings.map((m) => `${m.day}:${blockOf(m.startPeriod)}`))];

export interface TermStats {
  snapshot: TermSnapshot;
  sectionById: Map<number, CatalogSection>;
  sectionCarts: Map<number, number>;
  /** Cart items per section by the holder's grade. */
  sectionCartsByGrade: Map<number, number[]>;
  lectureCarts: Map<number, number>;
  lectureCartsByMajorGrade: Map<number, Map<string, number>>;
  lectureCartsByMajor: Map<number, Map<number, number>>;
  lectureCartsByCollege: Map<number, Map<string, number>>;
  studentsByMajor: Map<number, number>;
  studentsByCollege: Map<string, number>;
  /** Students who carted both lectures (each unordered pair counted both ways). */
  coCarts: Map<number, Map<number, number>>;
  /** Cart items per seat over the sections of each professor / each time slot. */
  professorDemand: Map<number, number>;
  slotDemand: Map<string, number>;
  /** Mean slot demand over each section's own slots (computed once, read per candidate). */
  sectionSlotDemand: Map<number, number>;
}

const inc = <K>(m: Map<K, number>, k: K, by = 1) => m.set(k, (m.get(k) ?? 0) + by);
const inner = <K, V>(m: Map<K, V>, k: K, make: () => V): V => {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
};

export function buildTermStats(snapshot: TermSnapshot): TermStats {
  const sectionById = new Map(snapshot.sections.map((s) => [s.id, s]));
  const sectionCarts = new Map<number, number>();
  const sectionCartsByGrade = new Map<number, number[]>();
  const lectureCarts = new Map<number, number>();
  const lectureCartsByMajorGrade = new Map<number, Map<string, number>>();
  const lectureCartsByMajor = new Map<number, Map<number, number>>();
  const lectureCartsByCollege = new Map<number, Map<string, number>>();
  const byStudent = new Map<number, number[]>();
  for (const { student, sectionId } of snapshot.carts) {
    const section = sectionById.get(sectionId);
    if (!section) continue;
    inc(sectionCarts, sectionId);
    inner(sectionCartsByGrade, sectionId, () => [0, 0, 0, 0, 0])[student.grade]! += 1;
    inc(lectureCarts, section.lectureId);
    inc(inner(lectureCartsByMajorGrade, section.lectureId, () => new Map()), mgKey(student.majorId, student.grade));
    inc(inner(lectureCartsByMajor, section.lectureId, () => new Map()), student.majorId);
    inc(inner(lectureCartsByCollege, section.lectureId, () => new Map()), snapshot.collegeOfMajor.get(student.majorId) ?? '');
    inner(byStudent, student.id, () => []).push(section.lectureId);
  }
  const coCarts = new Map<number, Map<number, number>>();
  for (const lectures of byStudent.values()) {
    for (const a of lectures) {
      const row = inner(coCarts, a, () => new Map<number, number>());
      for (const b of lectures) if (a !== b) inc(row, b);
    }
  }
  const studentsByMajor = new Map<number, number>();
  const studentsByCollege = new Map<string, number>();
  for (const [key, n] of snapshot.studentsByMajorGrade) {
    const majorId = Number(key.split(':')[0]);
    inc(studentsByMajor, majorId, n);
    inc(studentsByCollege, snapshot.collegeOfMajor.get(majorId) ?? '', n);
  }
  const profCarts = new Map<number, number>();
  const profSeats = new Map<number, number>();
  const slotCarts = new Map<string, number>();
  const slotSeats = new Map<string, number>();
  for (const s of snapshot.sections) {
    const carts = sectionCarts.get(s.id) ?? 0;
    inc(profCarts, s.professorId, carts);
    inc(profSeats, s.professorId, s.capacity);
    for (const k of slotKeys(s.meetings)) {
      inc(slotCarts, k, carts);
      inc(slotSeats, k, s.capacity);
    }
  }
  const ratio = <K>(num: Map<K, number>, den: Map<K, number>) => new Map([...den].map(([k, d]) => [k, d > 0 ? (num.get(k) ?? 0) / d : 0]));
  const slotDemand = ratio(slotCarts, slotSeats);
  const sectionSlotDemand = new Map(
    snapshot.sections.map((s) => {
      const slots = slotKeys(s.meetings);
      return [s.id, slots.length ? slots.reduce((sum, k) => sum + (slotDemand.get(k) ?? 0), 0) / slots.length : 0];
    }),
  );
  return {
    snapshot,
    sectionById,
    sectionCarts,
    sectionCartsByGrade,
    lectureCarts,
    lectureCartsByMajorGrade,
    lectureCartsByMajor,
    lectureCartsByCollege,
    studentsByMajor,
    studentsByCollege,
    coCarts,
    professorDemand: ratio(profCarts, profSeats),
    slotDemand,
    sectionSlotDemand,
  };
}

// ---------------------------------------------------------------------------------------------
// Recommendations

export const RECOMMEND_FEATURES = [
  'same_major',
  'general_education',
  'level_match',
  'level_gap',
  'required_for_me',
  'major_grade_share',
  'major_share',
  'college_share',
  'carted_together',
  'section_demand',
  'professor_demand',
  'slot_demand',
  'credits',
] as const;
export type RecommendFeature = (typeof RECOMMEND_FEATURES)[number];

/** What is known about the student asking: who they are and the lectures they already hold or carted (their own carts are left out of every count). */
export interface StudentContext {
  student: StudentInfo;
  /** Sections the student holds or carted this term (own contribution, removed from the counts). */
  ownSectionIds: readonly number[];
  /** The lectures the "carted together" feature looks from (held or carted). */
  contextLectureIds: readonly number[];
}

/** The features of one (student, section) pair, in RECOMMEND_FEATURES order. */
export function recommendFeatures(stats: TermStats, ctx: StudentContext, section: CatalogSection, own: OwnCounts): number[] {
  const lecture = stats.snapshot.lectures.get(section.lectureId)!;
  const { student } = ctx;
  const v = studentConstants(stats, ctx);
  const ownLecture = own.lectures.has(section.lectureId) ? 1 : 0;
  const sameMajor = lecture.majorId === student.majorId ? 1 : 0;
  const gap = Math.abs(lecture.level - student.grade);
  const mgCarts = (stats.lectureCartsByMajorGrade.get(section.lectureId)?.get(v.key) ?? 0) - ownLecture;
  const majorCarts = (stats.lectureCartsByMajor.get(section.lectureId)?.get(student.majorId) ?? 0) - ownLecture;
  const collegeCarts = (stats.lectureCartsByCollege.get(section.lectureId)?.get(v.college) ?? 0) - ownLecture;
  let together = 0;
  for (let i = 0; i < v.context.length; i++) {
    const yCarts = v.contextCarts[i]!;
    if (yCarts <= 0) continue;
    const both = (v.context[i]!.get(section.lectureId) ?? 0) - ownLecture;
    if (both / yCarts > together) together = both / yCarts;
  }
  const sectionCarts = (stats.sectionCarts.get(section.id) ?? 0) - (own.sections.has(section.id) ? 1 : 0);
  return [
    sameMajor,
    lecture.category === 'GENERAL' ? 1 : 0,
    gap === 0 ? 1 : 0,
    gap / 3,
    lecture.category === 'MAJOR_REQUIRED' && sameMajor && gap === 0 ? 1 : 0,
    Math.max(0, mgCarts) / v.mgStudents,
    Math.max(0, majorCarts) / v.majorStudents,
    Math.max(0, collegeCarts) / v.collegeStudents,
    Math.max(0, together),
    Math.log1p(Math.max(0, sectionCarts)) / Math.log1p(Math.max(1, section.capacity)),
    Math.min(5, stats.professorDemand.get(section.professorId) ?? 0),
    Math.min(5, stats.sectionSlotDemand.get(section.id) ?? 0),
    lecture.credits / 3,
  ];
}

/** What does not change between one student's candidates, computed once per (stats, context). */
const constantsCache = new WeakMap<StudentContext, { stats: TermStats; value: ReturnType<typeof computeConstants> }>();
function studentConstants(stats: TermStats, ctx: StudentContext) {
  const hit = constantsCache.get(ctx);
  if (hit && hit.stats === stats) return hit.value;
  const value = computeConstants(stats, ctx);
  constantsCache.set(ctx, { stats, value });
  return value;
}
function computeConstants(stats: TermStats, ctx: StudentContext) {
  const { student } = ctx;
  const key = mgKey(student.majorId, student.grade);
  const college = stats.snapshot.collegeOfMajor.get(student.majorId) ?? '';
  const empty = new Map<number, number>();
  return {
    key,
    college,
    mgStudents: Math.max(1, (stats.snapshot.studentsByMajorGrade.get(key) ?? 0) - 1),
    majorStudents: Math.max(1, (stats.studentsByMajor.get(student.majorId) ?? 0) - 1),
    collegeStudents: Math.max(1, (stats.studentsByCollege.get(college) ?? 0) - 1),
    // For "carted together": each context lecture's co-cart row and its cart count without the student.
    context: ctx.contextLectureIds.map((y) => stats.coCarts.get(y) ?? empty),
    contextCarts: ctx.contextLectureIds.map((y) => (stats.lectureCarts.get(y) ?? 0) - 1),
  };
}

export interface OwnCounts {
  sections: Set<number>;
  lectures: Set<number>;
}
export const ownCounts = (stats: TermStats, ownSectionIds: readonly number[]): OwnCounts => ({
  sections: new Set(ownSectionIds),
  lectures: new Set(ownSectionIds.map((id) => stats.sectionById.get(id)?.lectureId).filter((x): x is number => x !== undefined)),
});

export interface CandidateRules {
  student: StudentInfo;
  /** Sections held or carted: their lectures are excluded, and their meetings must not clash. */
  heldSections: readonly CatalogSection[];
  /** Credits still free: max credits minus the credits of what is held or carted. */
  remainingCredits: number;
  /** Require seats left (capacity - enrolled > 0). */
  seatsLeft: boolean;
}

export const isEligible = (section: CatalogSection, student: StudentInfo) =>
  (section.allowedMajorIds.length === 0 || section.allowedMajorIds.includes(student.majorId)) && (section.gradeMask & gradeBit(student.grade)) !== 0;

/** The sections a student may be recommended: offered this term (the snapshot's), eligible, lecture not held or carted, no clash, credits fit, seats left. */
export function candidateSections(stats: TermStats, rules: CandidateRules): CatalogSection[] {
  const heldLectures = new Set(rules.heldSections.map((s) => s.lectureId));
  const heldMeetings = rules.heldSections.flatMap((s) => s.meetings);
  const out: CatalogSection[] = [];
  for (const s of stats.snapshot.sections) {
    if (heldLectures.has(s.lectureId)) continue;
    if (!isEligible(s, rules.student)) continue;
    if (rules.seatsLeft && s.capacity - s.enrolled <= 0) continue;
    const lecture = stats.snapshot.lectures.get(s.lectureId);
    if (!lecture || lecture.credits > rules.remainingCredits) continue;
    if (firstClash(s.meetings, heldMeetings)) continue;
    out.push(s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Seat-competition forecast (discrete time-to-event)

/**
 * Bin upper edges in registration minutes from the section's opening (minutes counted only while a
 * REGISTRATION window is open: four 8-hour windows by grade, seniors first, so 480 = the next
 * grade's opening); the last edge is the horizon, the end of registration.
 */
export const FORECAST_BIN_EDGES = [1, 2, 5, 10, 30, 60, 120, 240, 480, 482, 490, 960, 962, 970, 1440, 1442, 1450, 1920] as const;
export const FORECAST_HORIZON_MINUTES = 1920;
/** The T of P(fill within T) the API answers (each a bin edge). */
export const FORECAST_WITHIN = [1, 5, 10, 30, 60] as const;

export const FORECAST_FEATURES = [
  'log_capacity',
  'cart_ratio',
  'opening_grade_cart_ratio',
  'grade4_cart_ratio',
  'grade3_cart_ratio',
  'grade2_cart_ratio',
  'grade1_cart_ratio',
  'log_carts',
  'lecture_fill_rate',
  'lecture_fill_minutes',
  'professor_fill_rate',
  'has_history',
  'slot_demand',
  'major_required',
  'general_education',
] as const;

/** The grade whose window opens first for a section: the highest allowed (seniors register first). */
export const openingGradeOf = (gradeMask: number): number => [4, 3, 2, 1].find((g) => (gradeMask & gradeBit(g)) !== 0) ?? 4;

const fillRate = (xs: readonly (number | null)[] | undefined) => (xs && xs.length ? xs.filter((x) => x !== null).length / xs.length : 0);
const logMedianFill = (xs: readonly (number | null)[] | undefined): number => {
  const filled = (xs ?? []).filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (!filled.length) return Math.log1p(FORECAST_HORIZON_MINUTES);
  return Math.log1p(filled[Math.floor(filled.length / 2)]!);
};

export function forecastFeatures(stats: TermStats, history: FillHistory, section: CatalogSection): number[] {
  const lecture = stats.snapshot.lectures.get(section.lectureId)!;
  const capacity = Math.max(1, section.capacity);
  const carts = stats.sectionCarts.get(section.id) ?? 0;
  const byGrade = stats.sectionCartsByGrade.get(section.id) ?? [0, 0, 0, 0, 0];
  const openingCarts = byGrade[openingGradeOf(section.gradeMask)] ?? 0;
  const lectureHistory = history.lecture.get(section.lectureId);
  const professorHistory = history.professor.get(section.professorId);
  const slotDemand = stats.sectionSlotDemand.get(section.id) ?? 0;
  return [
    Math.log(capacity),
    Math.min(6, carts / capacity),
    Math.min(6, openingCarts / capacity),
    ...[4, 3, 2, 1].map((g) => Math.min(6, (byGrade[g] ?? 0) / capacity)),
    Math.log1p(carts),
    fillRate(lectureHistory),
    logMedianFill(lectureHistory),
    fillRate(professorHistory),
    lectureHistory?.length ? 1 : 0,
    Math.min(5, slotDemand),
    lecture.category === 'MAJOR_REQUIRED' ? 1 : 0,
    lecture.category === 'GENERAL' ? 1 : 0,
  ];
}

/** From survival S(edge_k) per bin: P(fill within each T), P(fill in the window), E[minutes to fill | fills]. */
export function summariseSurvival(survival: ArrayLike<number>): { pFillWithin: Record<string, number>; pFill: number; expectedFillMinutes: number | null } {
  const pFillWithin: Record<string, number> = {};
  for (const t of FORECAST_WITHIN) pFillWithin[String(t)] = 1 - survival[FORECAST_BIN_EDGES.indexOf(t)]!;
  const pFill = 1 - survival[FORECAST_BIN_EDGES.length - 1]!;
  let mean = 0;
  let previous = 1;
  let lower = 0;
  FORECAST_BIN_EDGES.forEach((edge, k) => {
    mean += (previous - survival[k]!) * ((lower + edge) / 2);
    previous = survival[k]!;
    lower = edge;
  });
  return { pFillWithin, pFill, expectedFillMinutes: pFill >= 0.05 ? mean / pFill : null };
}

/** The minute bin an observed fill time falls in (FORECAST_BIN_EDGES index), or null when it did not fill within the horizon. */
export const binOf = (minutes: number | null): number | null => {
  if (minutes === null || minutes > FORECAST_HORIZON_MINUTES) return null;
  const k = FORECAST_BIN_EDGES.findIndex((edge) => minutes <= edge);
  return k < 0 ? null : k;
};

export const DAY_NAMES: Record<Day, string> = { MON: '월', TUE: '화', WED: '수', THU: '목', FRI: '금', SAT: '토' };

// ---------------------------------------------------------------------------------------------
// Fill times from the enrollment service's own rows (past terms' history, in serving and in tests)

export interface WindowRow {
  phase: string;
  grade_mask: number;
  opens_at: Date;
  closes_at: Date;
}
export interface OkEventRow {
  section_id: number;
  created_at: Date;
}

/**
 * Minutes from each section's opening until its `capacity`-th successful enrollment, on the
 * registration clock (minutes count only while a REGISTRATION window of the term is open). The
 * opening is the first REGISTRATION window whose grades the section admits. null: never full.
 */
export function fillMinutesFromEvents(
  sections: ReadonlyArray<Pick<CatalogSection, 'id' | 'capacity' | 'gradeMask'>>,
  okEvents: readonly OkEventRow[],
  windows: readonly WindowRow[],
): Map<number, number | null> {
  const registration = windows.filter((w) => w.phase === 'REGISTRATION').sort((a, b) => a.opens_at.getTime() - b.opens_at.getTime());
  const clock = (at: Date) => {
    let minutes = 0;
    for (const w of registration) {
      const open = w.opens_at.getTime();
      const close = w.closes_at.getTime();
      if (at.getTime() <= open) break;
      minutes += (Math.min(at.getTime(), close) - open) / 60_000;
    }
    return minutes;
  };
  const byTime = [...okEvents].sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  const counts = new Map<number, number>();
  const fullAt = new Map<number, Date>();
  const capacity = new Map(sections.map((s) => [s.id, s.capacity]));
  for (const e of byTime) {
    const n = (counts.get(e.section_id) ?? 0) + 1;
    counts.set(e.section_id, n);
    if (n === capacity.get(e.section_id)) fullAt.set(e.section_id, e.created_at);
  }
  const out = new Map<number, number | null>();
  for (const s of sections) {
    const opening = registration.find((w) => (w.grade_mask & s.gradeMask) !== 0);
    const at = fullAt.get(s.id);
    out.set(s.id, at && opening ? Math.max(0, clock(at) - clock(opening.opens_at)) : null);
  }
  return out;
}
