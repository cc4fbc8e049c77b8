/**
 * Simulated past terms to learn from (assumptions in ../../SIMULATION.md).
 *
 * One university from the shared generator (@goorm/demo-data): majors, lectures, professors and
 * students stay; each term re-offers the sections with some capacities and time slots changed.
 * Students fill carts by a latent utility (Plackett-Luce: the true utility plus Gumbel noise, then
 * greedy under the cart rules), then registration is replayed in windows by grade (seniors
 * first), every attempt recorded as the enrollment service records it: `cart_item`, `enrollment`
 * and `enrollment_event` rows with their timestamps.
 *
 * The simulator keeps its own truth: the utility of every (student, section) pair and, by
 * replaying each opening many times with fresh arrival times, the probability that each section
 * fills within T minutes. Those are the oracles no model can beat.
 */
import { generateUniversity, Random, type Section, type Student, type University } from '@goorm/demo-data';
import { firstClash, REGISTRATION_WINDOW_MINUTES, type Meeting } from '@goorm/contracts';
import { blockOf, isEligible, mgKey, openingGradeOf, type CatalogLecture, type CatalogSection, type StudentInfo, type TermSnapshot } from '../features.ts';

export interface SimulationOptions {
  seed: number;
  terms: number;
  majors: number;
  professors: number;
  lectures: number;
  sections: number;
  students: number;
  /** How many times each opening of the last term is replayed for the forecast oracle. */
  oracleReplays: number;
}

export const FULL_SIMULATION: SimulationOptions = {
  seed: 2026,
  terms: 5,
  majors: 16,
  professors: 220,
  lectures: 520,
  sections: 900,
  students: 4000,
  oracleReplays: 40,
};
export const SMALL_SIMULATION: SimulationOptions = {
  seed: 7,
  terms: 3,
  majors: 8,
  professors: 60,
  lectures: 140,
  sections: 220,
  students: 900,
  oracleReplays: 12,
};

/** Rows exactly as the services store them (column names included). */
export interface CartItemRow {
  student_id: number;
  section_id: number;
  created_at: Date;
}
export interface EnrollmentRow {
  student_id: number;
  section_id: number;
  lecture_id: number;
  term_id: number;
  created_at: Date;
}
export interface EnrollmentEventRow {
  student_id: number;
  section_id: number;
  action: 'ENROLL';
  outcome: 'OK' | 'SECTION_FULL' | 'TIME_CONFLICT';
  actor_staff_id: null;
  created_at: Date;
}

export interface SimulatedTerm {
  id: number;
  code: string;
  sections: CatalogSection[];
  /** When each grade's REGISTRATION window opens (index = grade). */
  opensAt: Date[];
  /** The term's windows as `enrollment_window` rows. */
  windows: Array<{ term_id: number; phase: 'CART' | 'REGISTRATION'; grade_mask: number; opens_at: Date; closes_at: Date }>;
  cartItems: CartItemRow[];
  enrollments: EnrollmentRow[];
  events: EnrollmentEventRow[];
  snapshot: TermSnapshot;
  /** Registration minutes from the section's opening (its first grade's window) until full; null: it never filled. */
  fillMinutes: Map<number, number | null>;
  /** The latent utility of (student, section): the recommendation oracle. */
  utility(studentId: number, sectionId: number): number;
  /** Forecast oracle: per section, fill times over many replays of the same carts (null: not within the window). */
  oracleFills?: Map<number, (number | null)[]>;
}

export interface Simulation {
  options: SimulationOptions;
  university: University;
  lectures: Map<number, CatalogLecture>;
  students: StudentInfo[];
  maxCredits: Map<number, number>;
  terms: SimulatedTerm[];
}

const CART_CREDIT_LIMIT = 24;
/** Each grade's REGISTRATION window lasts 8 hours; seniors' first (the contract's forecast clock). */
const WINDOW_MINUTES = REGISTRATION_WINDOW_MINUTES;
/**
 * The registration clock: minutes counted only while a window is open, from the opening of the
 * first (grade 4) window: grade 3's window starts at 480, grade 2's at 960, grade 1's at 1,440.
 */
export const registrationMinutes = (grade: number, minutesIntoWindow: number) => (4 - grade) * WINDOW_MINUTES + minutesIntoWindow;

const levelOf = (code: string) => Number(/\d/.exec(code)?.[0] ?? 1);

/** A standard normal from the seeded stream (Box-Muller). */
const normal = (rng: Random) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const gumbel = (rng: Random) => -Math.log(-Math.log(1 - rng.next() * 0.999999 - 1e-7));

export function simulate(options: SimulationOptions): Simulation {
  const rng = new Random(options.seed);
  const university = generateUniversity({
    seed: options.seed,
    majors: options.majors,
    professors: options.professors,
    lectures: options.lectures,
    sections: options.sections,
    students: options.students,
    staff: 1,
    carts: false,
  });
  const lectures = new Map<number, CatalogLecture>(
    university.lectures.map((l) => [l.id, { id: l.id, title: l.title, credits: l.credits, category: l.category, majorId: l.majorId, level: levelOf(l.code) }]),
  );
  const students: StudentInfo[] = university.students.map((s: Student) => ({ id: s.id, majorId: s.majorId, grade: s.grade }));
  const maxCredits = new Map(university.students.map((s) => [s.id, s.maxCredits]));
  const studentsByMajorGrade = new Map<string, number>();
  for (const s of students) studentsByMajorGrade.set(mgKey(s.majorId, s.grade), (studentsByMajorGrade.get(mgKey(s.majorId, s.grade)) ?? 0) + 1);

  // Stable latent tastes: professors' draw, majors' clusters (friends of one college share tastes), time slots.
  const tasteRng = rng.fork('tastes');
  const professorAppeal = new Map(university.professors.map((p) => [p.id, 0.7 * normal(tasteRng)]));
  const collegeOf = new Map(university.majors.map((m) => [m.id, m.college]));
  const clusterTaste = new Map<string, number>();
  const tasteOf = (college: string, lectureId: number) => {
    const key = `${college}:${lectureId}`;
    let v = clusterTaste.get(key);
    if (v === undefined) clusterTaste.set(key, (v = 0.8 * normal(tasteRng)));
    return v;
  };
  // Mid-day slots are liked, early-morning, evening and Saturday ones less.
  const slotAppeal = (meetings: readonly Meeting[]) => {
    if (!meetings.length) return 0;
    let sum = 0;
    for (const m of meetings) sum += (m.day === 'SAT' ? -0.9 : m.day === 'FRI' ? -0.3 : 0) + (m.startPeriod <= 1 ? -0.6 : blockOf(m.startPeriod) === 'EV' ? -0.5 : m.startPeriod >= 3 && m.startPeriod <= 6 ? 0.3 : 0);
    return sum / meetings.length;
  };

  const baseSections = university.sections;
  const slotPatterns = baseSections.map((s) => s.meetings);
  const terms: SimulatedTerm[] = [];
  let appeal = new Map(baseSections.map((s) => [s.id, 0.6 * normal(tasteRng)]));
  // Seats in all are about 1.15 times the cart demand (6.5 sections a student), so popular sections are contested and the rest are not.
  const seatScale = (1.15 * 6.5 * students.length) / baseSections.reduce((sum, s) => sum + s.capacity, 0);
  for (let t = 0; t < options.terms; t++) {
    const termRng = rng.fork(`term-${t}`);
    const id = t + 1;
    const year = 2026 - Math.floor((options.terms - 1 - t) / 2);
    const half = (options.terms - 1 - t) % 2 === 0 ? 1 : 2;
    const code = `${half === 2 ? year - 1 : year}-${half}`;
    // Re-offer: the same lectures and professors; capacities move, a third of the sections move slot.
    const sections: CatalogSection[] = baseSections.map((s: Section, i) => ({
      id: id * 100_000 + i + 1,
      lectureId: s.lectureId,
      professorId: s.professorId,
      capacity: Math.max(8, Math.round(s.capacity * seatScale * (0.85 + 0.3 * termRng.next()))),
      enrolled: 0,
      gradeMask: s.gradeMask,
      allowedMajorIds: s.allowedMajorIds,
      meetings: t > 0 && termRng.chance(0.33) ? termRng.pick(slotPatterns) : s.meetings,
    }));
    // Section appeal drifts a little between terms.
    appeal = new Map([...appeal].map(([k, v]) => [k, 0.8 * v + 0.36 * normal(termRng)]));
    const sectionAppeal = new Map(sections.map((s, i) => [s.id, appeal.get(baseSections[i]!.id)!]));
    // The true utility of every (student, section) pair, dense: students × sections.
    const sectionIndex = new Map(sections.map((s, i) => [s.id, i]));
    const studentIndex = new Map(students.map((s, i) => [s.id, i]));
    const n = sections.length;
    const utilities = new Float64Array(students.length * n);
    students.forEach((student, si) => {
      const college = collegeOf.get(student.majorId)!;
      sections.forEach((section, xi) => {
        const lecture = lectures.get(section.lectureId)!;
        const sameMajor = lecture.majorId === student.majorId;
        const gap = Math.abs(lecture.level - student.grade);
        utilities[si * n + xi] =
          (sameMajor ? 2.0 : lecture.category === 'GENERAL' ? 0.9 : -1.2) +
          (sameMajor && lecture.category === 'MAJOR_REQUIRED' && gap === 0 ? 1.6 : 0) -
          (lecture.category === 'GENERAL' ? 0.15 : 0.7) * gap +
          professorAppeal.get(section.professorId)! +
          slotAppeal(section.meetings) +
          tasteOf(college, lecture.id) +
          sectionAppeal.get(section.id)!;
      });
    });
    const utility = (studentId: number, sectionId: number): number => utilities[studentIndex.get(studentId)! * n + sectionIndex.get(sectionId)!]!;
    // Each student's eligible sections, most wanted first (the alternatives tried when a section is full).
    const preferred = new Map(
      students.map((student, si) => [
        student.id,
        sections
          .filter((s) => isEligible(s, student))
          .sort((a, b) => utilities[si * n + sectionIndex.get(b.id)!]! - utilities[si * n + sectionIndex.get(a.id)!]!)
          .slice(0, 60),
      ]),
    );

    // Windows: CART from day -7; REGISTRATION one day per grade, seniors first, 10:00 KST (01:00 UTC) for 8 hours.
    const start = Date.UTC(year, half === 1 ? 1 : 7, 10, 1, 0, 0);
    const opensAt = [0, 3, 2, 1, 0].map((day) => new Date(start + day * 86_400_000));
    const cartStart = start - 7 * 86_400_000;

    // Carts: Plackett-Luce draw of 5-8 sections under the cart rules.
    const cartRng = termRng.fork('carts');
    const cartItems: CartItemRow[] = [];
    const cartsOf = new Map<number, CatalogSection[]>();
    for (const student of students) {
      const wanted = cartRng.int(5, 8);
      const eligible = sections.filter((s) => isEligible(s, student));
      const ranked = eligible.map((s) => ({ s, key: utility(student.id, s.id) + gumbel(cartRng) })).sort((a, b) => b.key - a.key);
      const chosen: CatalogSection[] = [];
      let credits = 0;
      for (const { s } of ranked) {
        if (chosen.length >= wanted) break;
        const lecture = lectures.get(s.lectureId)!;
        if (credits + lecture.credits > CART_CREDIT_LIMIT) continue;
        if (chosen.some((c) => c.lectureId === s.lectureId)) continue;
        if (firstClash(s.meetings, chosen.flatMap((c) => c.meetings))) continue;
        chosen.push(s);
        credits += lecture.credits;
      }
      cartsOf.set(student.id, chosen);
      for (const s of chosen) cartItems.push({ student_id: student.id, section_id: s.id, created_at: new Date(cartStart + Math.floor(cartRng.next() * 6 * 86_400_000)) });
    }

    const replay = (replayRng: Random, record: boolean) =>
      replayRegistration({ students, sections, lectures, cartsOf, preferred, opensAt, maxCredits, utility, rng: replayRng, record, termId: id });
    const recorded = replay(termRng.fork('registration'), true);
    const snapshot: TermSnapshot = {
      sections,
      lectures,
      carts: cartItems.map((c) => ({ student: students[studentIndex.get(c.student_id)!]!, sectionId: c.section_id })),
      studentsByMajorGrade,
      collegeOfMajor: collegeOf,
    };
    const term: SimulatedTerm = {
      id,
      code,
      sections,
      opensAt,
      windows: [
        { term_id: id, phase: 'CART', grade_mask: 15, opens_at: new Date(cartStart), closes_at: new Date(start) },
        ...[4, 3, 2, 1].map((g) => ({ term_id: id, phase: 'REGISTRATION' as const, grade_mask: 1 << (g - 1), opens_at: opensAt[g]!, closes_at: new Date(opensAt[g]!.getTime() + WINDOW_MINUTES * 60_000) })),
      ],
      cartItems,
      enrollments: recorded.enrollments,
      events: recorded.events,
      snapshot,
      fillMinutes: recorded.fillMinutes,
      utility,
    };
    if (t === options.terms - 1) {
      const oracleFills = new Map<number, (number | null)[]>(sections.map((s) => [s.id, []]));
      for (let r = 0; r < options.oracleReplays; r++) {
        const again = replay(termRng.fork(`oracle-${r}`), false);
        for (const [sectionId, minutes] of again.fillMinutes) oracleFills.get(sectionId)!.push(minutes);
      }
      term.oracleFills = oracleFills;
    }
    terms.push(term);
  }
  return { options, university, lectures, students, maxCredits, terms };
}

interface ReplayInput {
  students: StudentInfo[];
  sections: CatalogSection[];
  lectures: Map<number, CatalogLecture>;
  cartsOf: Map<number, CatalogSection[]>;
  preferred: Map<number, CatalogSection[]>;
  opensAt: Date[];
  maxCredits: Map<number, number>;
  utility: (studentId: number, sectionId: number) => number;
  rng: Random;
  record: boolean;
  termId: number;
}

/**
 * One registration: each grade's window in turn. A student arrives (most within seconds of the
 * opening, some later in the day), tries the cart in priority order (required courses first, then
 * what they want most), a few seconds per attempt; for each section found full they try the best
 * free alternative once. Seats are taken in time order across students.
 */
function replayRegistration(input: ReplayInput) {
  const { students, sections, lectures, cartsOf, preferred, opensAt, maxCredits, utility, rng } = input;
  const seatsLeft = new Map(sections.map((s) => [s.id, s.capacity]));
  const filledAt = new Map<number, number>(); // section → registration minutes when full
  const enrollments: EnrollmentRow[] = [];
  const events: EnrollmentEventRow[] = [];
  for (const grade of [4, 3, 2, 1]) {
    const open = opensAt[grade]!.getTime();
    // An attempt queue ordered by time (a small binary heap).
    type Attempt = { at: number; student: StudentInfo; section: CatalogSection; fallback: boolean };
    const heap: Attempt[] = [];
    const push = (a: Attempt) => {
      heap.push(a);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p]!.at <= a.at) break;
        heap[i] = heap[p]!;
        i = p;
      }
      heap[i] = a;
    };
    const pop = (): Attempt | undefined => {
      const top = heap[0];
      const last = heap.pop();
      if (heap.length && last) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && heap[l]!.at < (m === i ? last.at : heap[m]!.at)) m = l;
          if (r < heap.length && heap[r]!.at < (m === i ? last.at : heap[m]!.at)) m = r;
          if (m === i) break;
          heap[i] = heap[m]!;
          i = m;
        }
        heap[i] = last;
      }
      return top;
    };
    const held = new Map<number, CatalogSection[]>();
    const credits = new Map<number, number>();
    for (const student of students) {
      if (student.grade !== grade) continue;
      // 75% press at the opening (a log-normal delay, median 15 s); the rest come during the day.
      const arrival = rng.chance(0.75) ? 15_000 * Math.exp(0.9 * normal(rng)) : rng.next() * WINDOW_MINUTES * 60_000;
      const cart = [...(cartsOf.get(student.id) ?? [])].sort((a, b) => {
        const ra = lectures.get(a.lectureId)!.category === 'MAJOR_REQUIRED' ? 1 : 0;
        const rb = lectures.get(b.lectureId)!.category === 'MAJOR_REQUIRED' ? 1 : 0;
        return rb - ra || utility(student.id, b.id) - utility(student.id, a.id);
      });
      let at = open + arrival;
      for (const section of cart) {
        at += 2_000 + rng.next() * 4_000;
        push({ at, student, section, fallback: false });
      }
    }
    for (let a = pop(); a; a = pop()) {
      const { student, section } = a;
      const mine = held.get(student.id) ?? [];
      const lecture = lectures.get(section.lectureId)!;
      if (mine.some((s) => s.lectureId === section.lectureId)) continue;
      if ((credits.get(student.id) ?? 0) + lecture.credits > (maxCredits.get(student.id) ?? 18)) continue;
      const record = (outcome: EnrollmentEventRow['outcome']) => {
        if (input.record) events.push({ student_id: student.id, section_id: section.id, action: 'ENROLL', outcome, actor_staff_id: null, created_at: new Date(Math.round(a.at)) });
      };
      if (firstClash(section.meetings, mine.flatMap((s) => s.meetings))) {
        record('TIME_CONFLICT');
        continue;
      }
      const left = seatsLeft.get(section.id)!;
      if (left <= 0) {
        record('SECTION_FULL');
        if (!a.fallback) {
          // The best free alternative the student is eligible for, once.
          const best = preferred
            .get(student.id)!
            .find((s) => s.id !== section.id && (seatsLeft.get(s.id) ?? 0) > 0 && !mine.some((m) => m.lectureId === s.lectureId) && !firstClash(s.meetings, mine.flatMap((m) => m.meetings)));
          const bestU = best ? utility(student.id, best.id) : -Infinity;
          if (best && bestU > 0.5) push({ at: a.at + 5_000 + rng.next() * 20_000, student, section: best, fallback: true });
        }
        continue;
      }
      seatsLeft.set(section.id, left - 1);
      if (left - 1 === 0) filledAt.set(section.id, registrationMinutes(grade, Math.min(a.at - open, WINDOW_MINUTES * 60_000) / 60_000));
      mine.push(section);
      held.set(student.id, mine);
      credits.set(student.id, (credits.get(student.id) ?? 0) + lecture.credits);
      record('OK');
      if (input.record) {
        enrollments.push({ student_id: student.id, section_id: section.id, lecture_id: section.lectureId, term_id: input.termId, created_at: new Date(Math.round(a.at)) });
      }
    }
  }
  const fillMinutes = new Map<number, number | null>();
  for (const s of sections) {
    const at = filledAt.get(s.id);
    fillMinutes.set(s.id, at === undefined ? null : at - registrationMinutes(openingGradeOf(s.gradeMask), 0));
  }
  return { enrollments, events, fillMinutes };
}
