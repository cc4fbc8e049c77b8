import { GENERAL_EDUCATION, MAJORS, MAX_MAJORS, TITLE_VARIANTS, type MajorSpec, type TitleSpec } from './catalog.ts';
import { koreanName } from './names.ts';
import { Random, ZipfSampler } from './random.ts';
import {
  ALL_GRADES,
  DAYS,
  type CartItem,
  type Category,
  type EnrollmentWindow,
  type Lecture,
  type Major,
  type Meeting,
  type Professor,
  type Reservation,
  type Room,
  type Section,
  type Staff,
  type Student,
  type Term,
  type University,
} from './types.ts';

export interface CartOptions {
  /** Sections per student's cart, inclusive range. */
  min: number;
  max: number;
  /** Most credits one cart holds (the carts service's CART_CREDIT_LIMIT, 24 by default). */
  maxCredits?: number;
}

export interface GenerateOptions {
  /** Same seed, same university. */
  seed?: number;
  /** Majors including the general-education major 교양학부 (2..40). */
  majors?: number;
  professors?: number;
  lectures?: number;
  /** Sections in the current term. */
  sections?: number;
  students?: number;
  staff?: number;
  /** Pre-filled carts (the demo logins always start with an empty cart); false for none. */
  carts?: CartOptions | false;
  /** Zipf exponent of section popularity (1 = a few sections wanted by thousands). */
  popularitySkew?: number;
  /**
   * When given, the enrollment windows are the demo's: CART and REGISTRATION open at `now` for
   * every grade, closing 30 days later. Without it, the realistic calendar of term 2026-1.
   */
  now?: Date;
}

/** What `npm start` loads. */
export const SMALL_UNIVERSITY = {
  majors: 12,
  professors: 60,
  lectures: 150,
  sections: 250,
  students: 400,
  staff: 3,
  carts: { min: 3, max: 6 },
} as const satisfies GenerateOptions;

/** The registration-day benchmark's university (shared/BENCHMARK.md). */
export const BENCHMARK_UNIVERSITY = {
  majors: 40,
  professors: 600,
  lectures: 1500,
  sections: 3000,
  students: 20_000,
  staff: 5,
  carts: { min: 6, max: 8 },
} as const satisfies GenerateOptions;

export const DEFAULT_SEED = 2026;
const CURRENT_TERM_CODE = '2026-1';
/** Entrance year of grade g in term 2026-1: grade 1 entered in 2026, grade 4 in 2023. */
export const entranceYear = (grade: number) => 2027 - grade;

const PERIODS = 15;
const SLOT_WIDTH = 16;
const slot = (dayIndex: number, period: number) => dayIndex * SLOT_WIDTH + period;
const newSchedule = () => new Uint8Array(DAYS.length * SLOT_WIDTH);

function isFree(schedule: Uint8Array, meetings: Meeting[]): boolean {
  for (const m of meetings) {
    const d = DAYS.indexOf(m.day);
    for (let p = m.startPeriod; p <= m.endPeriod; p++) if (schedule[slot(d, p)]) return false;
  }
  return true;
}
function occupy(schedule: Uint8Array, meetings: Meeting[]) {
  for (const m of meetings) {
    const d = DAYS.indexOf(m.day);
    for (let p = m.startPeriod; p <= m.endPeriod; p++) schedule[slot(d, p)] = 1;
  }
}

/** Splits `total` into parts proportional to `weights` (largest remainder), each at least `min`. */
function apportion(total: number, weights: number[], min = 1): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const base = Math.min(min, Math.floor(total / n));
  const rest = total - base * n;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (rest * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let left = rest - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) parts[order[k]![1]]! += 1;
  return parts.map((p) => p + base);
}

function checkOptions(o: Required<Omit<GenerateOptions, 'now' | 'carts'>> & { carts: CartOptions | false }) {
  const problems: string[] = [];
  const int = (name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(v) || v < min || v > max) problems.push(`${name} must be an integer in ${min}..${max} (got ${v})`);
  };
  int('seed', o.seed, 0, 2 ** 32 - 1);
  int('majors', o.majors, 2, MAX_MAJORS);
  int('professors', o.professors, o.majors);
  int('lectures', o.lectures, o.majors);
  int('sections', o.sections, 1);
  int('students', o.students, 4, 40_000);
  int('staff', o.staff, 1);
  if (o.carts) {
    int('carts.min', o.carts.min, 0, 12);
    int('carts.max', o.carts.max, o.carts.min, 12);
  }
  if (problems.length) throw new Error(`generateUniversity: ${problems.join('; ')}`);
}

const DESCRIPTIONS = [
  (t: string) => `${t}의 기본 개념과 핵심 이론을 배우고, 예제와 과제를 통해 응용력을 기른다.`,
  (t: string) => `${t}의 주요 주제를 체계적으로 다루며, 토론과 발표로 이해를 심화한다.`,
  (t: string) => `${t}에 필요한 기초 지식과 방법론을 익히고 실제 사례에 적용해 본다.`,
  (t: string) => `${t}의 최신 동향을 살펴보고 팀 프로젝트로 문제 해결 역량을 키운다.`,
];

interface PlannedLecture {
  spec: MajorSpec;
  majorId: number;
  title: string;
  titleEn: string;
  level: 1 | 2 | 3 | 4;
  required: boolean;
}

/** Chooses `count` lecture titles for a major (stretching its list with variants) and gives them codes. */
function planLectures(spec: MajorSpec, majorId: number, count: number): Array<PlannedLecture & { code: string }> {
  const base = spec.titles;
  // Selection order: 자료구조-like anchors first (CSE2010 must exist in every university), then required, then the rest.
  const anchor = (t: TitleSpec) => spec.code === 'CSE' && t.title === '자료구조';
  const order = [...base].sort((a, b) => Number(anchor(b)) - Number(anchor(a)) || Number(b.required) - Number(a.required));
  const chosen: PlannedLecture[] = [];
  const seen = new Set<string>();
  for (const t of order.slice(0, count)) {
    chosen.push({ spec, majorId, title: t.title, titleEn: t.titleEn, level: t.level, required: t.required });
    seen.add(t.title);
  }
  for (let i = 0; chosen.length < count; i++) {
    const t = base[i % base.length]!;
    const round = Math.floor(i / base.length);
    const sp = t.title.includes(' ') ? ' ' : '';
    let title: string;
    let titleEn: string;
    let level: 1 | 2 | 3 | 4;
    if (round < TITLE_VARIANTS.length) {
      const v = TITLE_VARIANTS[round]!;
      title = v.ko(t.title, sp);
      titleEn = v.en(t.titleEn);
      level = v.level(t.level);
    } else {
      const n = round - TITLE_VARIANTS.length + 1;
      title = `${t.title}${sp}특강 ${n}`;
      titleEn = `Special Lecture in ${t.titleEn} ${n}`;
      level = 4;
    }
    if (seen.has(title)) continue;
    seen.add(title);
    chosen.push({ spec, majorId, title, titleEn, level, required: false });
  }
  // Codes: major code + level + a running number per level in the catalog's order (CSE2010 is the
  // first 2xxx title of CSE); stretched titles continue after the catalog's numbers.
  const baseIndex = new Map<string, number>();
  const next = new Map<number, number>();
  for (const t of base) {
    const k = (next.get(t.level) ?? 0) + 1;
    next.set(t.level, k);
    baseIndex.set(t.title, k * 10);
  }
  const used = new Set<string>();
  const codeOf = (level: number, n: number) => `${spec.code}${level}${String(n).padStart(3, '0')}`;
  const out: Array<PlannedLecture & { code: string }> = [];
  for (const c of chosen) {
    let code = baseIndex.has(c.title) ? codeOf(c.level, baseIndex.get(c.title)!) : '';
    if (!code || used.has(code)) {
      let n = ((next.get(c.level) ?? 0) + 1) * 10;
      while (n <= 990 && used.has(codeOf(c.level, n))) n += 10;
      if (n > 990) for (n = 1; used.has(codeOf(c.level, n)); n++);
      else next.set(c.level, n / 10);
      code = codeOf(c.level, n);
    }
    used.add(code);
    out.push({ ...c, code });
  }
  return out;
}

const START_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [1, 8], [2, 10], [3, 12], [4, 8], [5, 12], [6, 12], [7, 10], [8, 6], [9, 4], [10, 2], [11, 1], [12, 1], [13, 1],
];
const PAIRS: ReadonlyArray<readonly [number, number]> = [[0, 2], [1, 3], [2, 4], [0, 3]];
const TRIPLES: ReadonlyArray<readonly [number, number, number]> = [[0, 2, 4], [1, 3, 4]];

/** A typical weekly pattern for a lecture of this many credits (MON 1-2 + WED 1-2, TUE 5-7, ...). */
function meetingPattern(rng: Random, credits: number, lab: boolean): Meeting[] {
  const block = (dayIndex: number, start: number, len: number): Meeting => ({
    day: DAYS[dayIndex]!,
    startPeriod: start,
    endPeriod: Math.min(PERIODS, start + len - 1),
  });
  const start = (len: number) => Math.min(rng.weighted(START_WEIGHTS), PERIODS - len + 1);
  const weekday = () => (rng.chance(0.03) ? 5 : rng.int(0, 4));
  if (lab || credits <= 1) {
    const len = lab ? Math.max(2, Math.min(3, credits + 1)) : 1;
    return [block(weekday(), start(len), len)];
  }
  if (credits === 2) {
    if (rng.chance(0.7)) return [block(weekday(), start(2), 2)];
    const [a, b] = rng.pick(PAIRS);
    const s = start(1);
    return [block(a, s, 1), block(b, s, 1)];
  }
  if (credits === 3) {
    const r = rng.next();
    if (r < 0.5) {
      const [a, b] = rng.pick(PAIRS);
      const s = start(2);
      return [block(a, s, 2), block(b, s, 2)];
    }
    if (r < 0.85) return [block(weekday(), start(3), 3)];
    const [a, b, c] = rng.pick(TRIPLES);
    const s = start(1);
    return [block(a, s, 1), block(b, s, 1), block(c, s, 1)];
  }
  if (rng.chance(0.6)) {
    const [a, b] = rng.pick(PAIRS);
    const s = start(2);
    return [block(a, s, 2), block(b, s, 2)];
  }
  const [a, b, c] = rng.pick(TRIPLES);
  const s = start(2);
  return [block(a, s, 2), block(b, s, 1), block(c, s, 1)];
}

const ROOM_SIZES = [30, 40, 50, 60, 80, 100, 120];

class Rooms {
  private readonly byBuilding = new Map<string, Array<Room & { schedule: Uint8Array }>>();
  private readonly numbers = new Map<string, string[]>();
  readonly all: Room[] = [];

  constructor(private readonly rng: Random) {}

  private nextNumber(building: string): string {
    let list = this.numbers.get(building);
    if (!list) {
      list = [];
      for (let floor = 1; floor <= 6; floor++) for (let n = 1; n <= 15; n++) list.push(`${floor}${String(n).padStart(2, '0')}`);
      this.rng.shuffle(list);
      this.numbers.set(building, list);
    }
    const used = this.byBuilding.get(building)?.length ?? 0;
    if (used < list.length) return list[used]!;
    const extra = used - list.length;
    return `${7 + Math.floor(extra / 15)}${String((extra % 15) + 1).padStart(2, '0')}`;
  }

  /** A room of the building big enough and free at those times; builds one when none is. */
  find(building: string, capacity: number, meetings: Meeting[]): Room & { schedule: Uint8Array } {
    const rooms = this.byBuilding.get(building) ?? [];
    for (const r of rooms) {
      if (r.size >= capacity && r.size <= capacity * 3 && isFree(r.schedule, meetings)) return r;
    }
    const size = ROOM_SIZES.find((s) => s >= capacity) ?? ROOM_SIZES[ROOM_SIZES.length - 1]!;
    const room = { name: `${building} ${this.nextNumber(building)}`, building, size, schedule: newSchedule() };
    rooms.push(room);
    this.byBuilding.set(building, rooms);
    this.all.push({ name: room.name, building, size });
    return room;
  }
}

/**
 * Generates a realistic Korean university term, deterministically: the same options (seed
 * included) always give the same university.
 */
export function generateUniversity(options: GenerateOptions = {}): University {
  const o = {
    seed: options.seed ?? DEFAULT_SEED,
    majors: options.majors ?? SMALL_UNIVERSITY.majors,
    professors: options.professors ?? SMALL_UNIVERSITY.professors,
    lectures: options.lectures ?? SMALL_UNIVERSITY.lectures,
    sections: options.sections ?? SMALL_UNIVERSITY.sections,
    students: options.students ?? SMALL_UNIVERSITY.students,
    staff: options.staff ?? SMALL_UNIVERSITY.staff,
    carts: options.carts === undefined ? { ...SMALL_UNIVERSITY.carts } : options.carts,
    popularitySkew: options.popularitySkew ?? 1,
  };
  checkOptions(o);
  const root = new Random(o.seed);
  const rngCatalog = root.fork('catalog');
  const rngPeople = root.fork('people');
  const rngSchedule = root.fork('schedule');
  const rngStudents = root.fork('students');
  const rngCarts = root.fork('carts');

  // Term
  const currentTerm: Term = {
    id: 1,
    code: CURRENT_TERM_CODE,
    name: '2026학년도 1학기',
    startsOn: '2026-03-02',
    endsOn: '2026-06-19',
    isCurrent: true,
  };

  // Majors: the first N-1 regular majors plus 교양학부.
  const specs = [...MAJORS.slice(0, o.majors - 1), GENERAL_EDUCATION];
  const majors: Major[] = specs.map((s, i) => ({
    id: i + 1,
    code: s.code,
    name: s.name,
    nameEn: s.nameEn,
    college: s.college,
    isGeneralEducation: s.isGeneralEducation,
  }));
  const gedId = majors.length;

  // Lectures per major: about an eighth general education, the rest spread with some variety.
  const gedCount = Math.max(1, Math.round(o.lectures * 0.12));
  const majorWeights = specs.slice(0, -1).map((s) => s.titles.length * (0.8 + rngCatalog.next() * 0.4));
  const perMajor = [...apportion(o.lectures - gedCount, majorWeights), gedCount];

  const lectures: Lecture[] = [];
  const labLectures = new Set<number>();
  specs.forEach((spec, mi) => {
    for (const p of planLectures(spec, mi + 1, perMajor[mi]!)) {
      const lab = /실험|실습|연습/.test(p.title);
      let credits: number;
      if (spec.isGeneralEducation) {
        credits = p.title.startsWith('대학생활') ? 1 : p.title.startsWith('건강과') ? 2 : rngCatalog.chance(0.65) ? 3 : 2;
      } else if (lab) {
        credits = rngCatalog.chance(0.6) ? 1 : 2;
      } else {
        credits = rngCatalog.weighted([[3, 84], [4, 10], [2, 6]]);
      }
      const category: Category = spec.isGeneralEducation ? 'GENERAL' : p.required ? 'MAJOR_REQUIRED' : 'MAJOR_ELECTIVE';
      const id = lectures.length + 1;
      if (lab) labLectures.add(id);
      lectures.push({
        id,
        code: p.code,
        title: p.title,
        titleEn: p.titleEn,
        credits,
        category,
        majorId: p.majorId,
        level: p.level,
        description: rngCatalog.pick(DESCRIPTIONS)(p.title),
      });
    }
  });

  // Professors, in proportion to each major's lectures.
  const profCounts = apportion(o.professors, perMajor);
  const professors: Professor[] = [];
  const emails = new Map<string, number>();
  majors.forEach((m, mi) => {
    for (let k = 0; k < profCounts[mi]!; k++) {
      const n = koreanName(rngPeople);
      const [surname, given = ''] = n.nameEn.toLowerCase().split(' ');
      const local = `${given.replace('-', '')}.${surname}`;
      const seen = (emails.get(local) ?? 0) + 1;
      emails.set(local, seen);
      professors.push({
        id: professors.length + 1,
        name: n.name,
        nameEn: n.nameEn,
        majorId: m.id,
        email: `${local}${seen > 1 ? seen : ''}@goorm.ac.kr`,
      });
    }
  });

  // Sections per lecture: one each, the rest to what many students need (교양, 전공필수, 1st year).
  // (자료구조 first: the demo's catalog search for it must always find a section.)
  const anchor = lectures.find((l) => l.code === 'CSE2010')?.id;
  const order = rngSchedule.shuffle(lectures.map((l) => l.id).filter((id) => id !== anchor));
  if (anchor !== undefined) order.unshift(anchor);
  const sectionCount = new Map<number, number>();
  if (o.sections < lectures.length) {
    for (const id of order.slice(0, o.sections)) sectionCount.set(id, 1);
  } else {
    for (const l of lectures) sectionCount.set(l.id, 1);
    const weights = lectures.map(
      (l) =>
        (l.category === 'GENERAL' ? 5 : l.category === 'MAJOR_REQUIRED' ? 3 : 1) *
        (l.level === 1 ? 1.5 : 1) *
        (0.5 + rngSchedule.next()),
    );
    const sampler = cumulative(weights);
    for (let k = lectures.length; k < o.sections; k++) {
      const l = lectures[sampler(rngSchedule)]!;
      sectionCount.set(l.id, sectionCount.get(l.id)! + 1);
    }
  }

  // Schedule every section so that no professor and no room is in two places at once.
  const profSchedule = professors.map(() => newSchedule());
  const profLoad = professors.map(() => 0);
  const profsByMajor = majors.map((m) => professors.filter((p) => p.majorId === m.id));
  const profsByCollege = new Map<string, Professor[]>();
  for (const p of professors) {
    const college = majors[p.majorId - 1]!.college;
    const list = profsByCollege.get(college) ?? [];
    list.push(p);
    profsByCollege.set(college, list);
  }
  const rooms = new Rooms(rngSchedule.fork('rooms'));
  const sections: Section[] = [];
  const collegeMajors = new Map<string, number[]>();
  for (const m of majors) if (!m.isGeneralEducation) collegeMajors.set(m.college, [...(collegeMajors.get(m.college) ?? []), m.id]);

  const byLoad = (list: Professor[]) => [...list].sort((a, b) => profLoad[a.id - 1]! - profLoad[b.id - 1]! || a.id - b.id);

  for (const lecture of lectures) {
    const count = sectionCount.get(lecture.id) ?? 0;
    const major = majors[lecture.majorId - 1]!;
    const spec = specs[lecture.majorId - 1]!;
    const lab = labLectures.has(lecture.id);
    for (let sectionNo = 1; sectionNo <= count; sectionNo++) {
      const capacity = lab
        ? rngSchedule.pick([20, 24, 30])
        : lecture.category === 'GENERAL'
          ? rngSchedule.pick([40, 50, 60, 80, 100, 120])
          : lecture.category === 'MAJOR_REQUIRED'
            ? rngSchedule.pick(lecture.level <= 2 ? [40, 50, 60, 80] : [30, 40, 50, 60])
            : rngSchedule.pick([20, 25, 30, 40, 50]);
      const tiers = [profsByMajor[lecture.majorId - 1]!, profsByCollege.get(major.college) ?? [], professors];
      let placed: { professor: Professor; meetings: Meeting[]; room: string } | undefined;
      for (const tier of tiers) {
        for (const professor of byLoad(tier)) {
          for (let attempt = 0; attempt < 25 && !placed; attempt++) {
            const meetings = meetingPattern(rngSchedule, lecture.credits, lab);
            if (!isFree(profSchedule[professor.id - 1]!, meetings)) continue;
            const room = rooms.find(spec.building, capacity, meetings);
            occupy(room.schedule, meetings);
            occupy(profSchedule[professor.id - 1]!, meetings);
            profLoad[professor.id - 1]! += 1;
            placed = { professor, meetings, room: room.name };
          }
          if (placed) break;
        }
        if (placed) break;
      }
      if (!placed) throw new Error(`generateUniversity: no professor is free for ${lecture.code}; add professors`);

      // Eligibility: some first-year-only, some upper-year-only, some restricted to the major.
      let gradeMask = ALL_GRADES;
      if (major.isGeneralEducation) {
        if (rngSchedule.chance(0.05)) gradeMask = 0b0001;
      } else if (lecture.level === 1 && lecture.category === 'MAJOR_REQUIRED' && rngSchedule.chance(0.15)) {
        gradeMask = 0b0011;
      } else if (lecture.level === 4 && rngSchedule.chance(0.2)) {
        gradeMask = 0b1100;
      }
      const allowedMajorIds: number[] = [];
      if (!major.isGeneralEducation) {
        const r = rngSchedule.next();
        if (r < 0.12) allowedMajorIds.push(major.id);
        else if (r < 0.16) {
          const siblings = (collegeMajors.get(major.college) ?? []).filter((id) => id !== major.id);
          allowedMajorIds.push(major.id);
          if (siblings.length) allowedMajorIds.push(rngSchedule.pick(siblings));
          allowedMajorIds.sort((a, b) => a - b);
        }
      }
      const reservations: Reservation[] = [];
      if (capacity >= 40 && rngSchedule.chance(0.1)) {
        reservations.push({
          majorId: major.isGeneralEducation ? null : major.id,
          gradeMask: major.isGeneralEducation || lecture.level === 1 ? 0b0001 : ALL_GRADES,
          seats: Math.round(capacity * rngSchedule.pick([0.2, 0.3, 0.5])),
          releaseAt: options.now ? new Date(options.now.getTime() + 3 * DAY_MS) : new Date('2026-02-13T01:00:00Z'),
        });
      }
      sections.push({
        id: sections.length + 1,
        termId: currentTerm.id,
        lectureId: lecture.id,
        sectionNo,
        professorId: placed.professor.id,
        capacity,
        room: placed.room,
        gradeMask,
        meetings: placed.meetings,
        allowedMajorIds,
        reservations,
      });
    }
  }

  // Students: four entrance years, numbered YYYY0001...; the first of every year is a demo login (CSE).
  const gradeCounts = apportion(o.students, [24, 25, 25, 26]); // grades 4, 3, 2, 1
  const regular = majors.filter((m) => !m.isGeneralEducation);
  const studentMajorWeights = regular.map((m) => [m.id, perMajor[m.id - 1]! * (0.7 + rngStudents.next() * 0.6)] as const);
  const students: Student[] = [];
  [4, 3, 2, 1].forEach((grade, gi) => {
    const year = entranceYear(grade);
    for (let k = 1; k <= gradeCounts[gi]!; k++) {
      const n = koreanName(rngStudents);
      const majorId = k === 1 ? majors[0]!.id : rngStudents.weighted(studentMajorWeights);
      const maxCredits = rngStudents.weighted([[18, 55], [19, 15], [20, 10], [21, 20]]);
      students.push({
        id: students.length + 1,
        studentNo: `${year}${String(k).padStart(4, '0')}`,
        name: n.name,
        majorId,
        grade: grade as 1 | 2 | 3 | 4,
        maxCredits,
      });
    }
  });

  // Staff: the demo `admin` plus a few colleagues.
  const staff: Staff[] = [{ id: 1, loginId: 'admin', name: '학사관리자' }];
  for (let k = 2; k <= o.staff; k++) {
    staff.push({ id: k, loginId: `staff${String(k).padStart(2, '0')}`, name: koreanName(rngPeople).name });
  }

  const windows = enrollmentWindows(currentTerm.id, options.now);
  const carts = o.carts ? buildCarts(rngCarts, o.carts, o.popularitySkew, { lectures, sections, students, gedId }) : [];

  return {
    seed: o.seed,
    terms: [currentTerm],
    currentTerm,
    majors,
    professors,
    lectures,
    sections,
    rooms: rooms.all,
    students,
    staff,
    windows,
    carts,
  };
}

const DAY_MS = 86_400_000;

function enrollmentWindows(termId: number, now: Date | undefined): EnrollmentWindow[] {
  if (now) {
    const closes = new Date(now.getTime() + 30 * DAY_MS);
    return [
      { id: 1, termId, phase: 'CART', gradeMask: ALL_GRADES, opensAt: new Date(now), closesAt: closes },
      { id: 2, termId, phase: 'REGISTRATION', gradeMask: ALL_GRADES, opensAt: new Date(now), closesAt: new Date(closes) },
    ];
  }
  // The 2026-1 calendar (10:00 KST = 01:00Z): carts a week before, registration one grade a day, add/drop in the first week.
  const w: EnrollmentWindow[] = [
    { id: 1, termId, phase: 'CART', gradeMask: ALL_GRADES, opensAt: new Date('2026-02-02T01:00:00Z'), closesAt: new Date('2026-02-06T09:00:00Z') },
  ];
  [4, 3, 2, 1].forEach((grade, i) => {
    w.push({
      id: w.length + 1,
      termId,
      phase: 'REGISTRATION',
      gradeMask: 1 << (grade - 1),
      opensAt: new Date(Date.UTC(2026, 1, 9 + i, 1)),
      closesAt: new Date('2026-02-13T09:00:00Z'),
    });
  });
  w.push({ id: w.length + 1, termId, phase: 'ADD_DROP', gradeMask: ALL_GRADES, opensAt: new Date('2026-03-03T01:00:00Z'), closesAt: new Date('2026-03-09T09:00:00Z') });
  return w;
}

/** Weighted index sampler over fixed weights. */
function cumulative(weights: number[]): (rng: Random) => number {
  const cum = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    cum[i] = total;
  });
  return (rng) => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/**
 * Carts the way students fill them before opening day: mostly from their own major and general
 * education, drawn from a Zipf-skewed popularity so that a few sections are wanted by thousands.
 * A cart never holds two sections of one lecture, overlapping times, a section the student may
 * not take, or more credits than the carts service allows. Demo logins start empty.
 */
function buildCarts(
  rng: Random,
  size: CartOptions,
  skew: number,
  u: { lectures: Lecture[]; sections: Section[]; students: Student[]; gedId: number },
): CartItem[] {
  const lectureOf = (s: Section) => u.lectures[s.lectureId - 1]!;
  // Popularity: category and level set the odds, chance does the rest.
  const score = u.sections.map((s) => {
    const l = lectureOf(s);
    const base = l.category === 'GENERAL' ? 3 : l.category === 'MAJOR_REQUIRED' ? 2 : 1;
    return base * (l.level === 1 ? 1.3 : 1) * Math.exp(rng.next() * 2.5);
  });
  const ranked = u.sections.map((s) => s.id).sort((a, b) => score[b - 1]! - score[a - 1]! || a - b);
  const byMajor = new Map<number, number[]>();
  for (const id of ranked) {
    const m = lectureOf(u.sections[id - 1]!).majorId;
    const list = byMajor.get(m) ?? [];
    list.push(id);
    byMajor.set(m, list);
  }
  const samplers = new Map<number[], ZipfSampler>();
  const samplerOf = (list: number[]) => {
    let z = samplers.get(list);
    if (!z) samplers.set(list, (z = new ZipfSampler(list.length, skew)));
    return z;
  };
  const meetingsSchedule = u.sections.map((s) => s.meetings);
  const ged = byMajor.get(u.gedId) ?? [];
  const demo = new Set(['20230001', '20240001', '20250001', '20260001']);

  const items: CartItem[] = [];
  for (const student of u.students) {
    if (demo.has(student.studentNo)) continue;
    const want = rng.int(size.min, size.max);
    const own = byMajor.get(student.majorId) ?? [];
    const lecturesHeld = new Set<number>();
    const schedule = newSchedule();
    const creditLimit = size.maxCredits ?? 24;
    let credits = 0;
    let got = 0;
    for (let attempt = 0; got < want && attempt < want * 10; attempt++) {
      const r = rng.next();
      const list = r < 0.45 && own.length ? own : r < 0.8 && ged.length ? ged : ranked;
      const sectionId = list[samplerOf(list).sample(rng)]!;
      const section = u.sections[sectionId - 1]!;
      if (lecturesHeld.has(section.lectureId)) continue;
      const lectureCredits = u.lectures[section.lectureId - 1]!.credits;
      if (credits + lectureCredits > creditLimit) continue;
      if (!(section.gradeMask & (1 << (student.grade - 1)))) continue;
      if (section.allowedMajorIds.length && !section.allowedMajorIds.includes(student.majorId)) continue;
      const meetings = meetingsSchedule[sectionId - 1]!;
      if (!isFree(schedule, meetings)) continue;
      occupy(schedule, meetings);
      lecturesHeld.add(section.lectureId);
      credits += lectureCredits;
      items.push({ studentId: student.id, sectionId });
      got++;
    }
  }
  return items;
}
