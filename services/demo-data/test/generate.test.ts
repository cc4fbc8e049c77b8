import { describe, expect, it } from 'vitest';
import { BENCHMARK_UNIVERSITY, DAYS, generateUniversity, type Meeting, type Section, type University } from '../src/index.ts';

/** Every pair of sections that share a key (professor or room) and meet at overlapping times. */
function doubleBookings(sections: Section[], key: (s: Section) => string | number): Array<[number, number]> {
  const byKey = new Map<string | number, Section[]>();
  for (const s of sections) byKey.set(key(s), [...(byKey.get(key(s)) ?? []), s]);
  const overlap = (a: Meeting, b: Meeting) => a.day === b.day && a.startPeriod <= b.endPeriod && b.startPeriod <= a.endPeriod;
  const clashes: Array<[number, number]> = [];
  for (const list of byKey.values()) {
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++)
        if (list[i]!.meetings.some((a) => list[j]!.meetings.some((b) => overlap(a, b)))) clashes.push([list[i]!.id, list[j]!.id]);
  }
  return clashes;
}

const small = generateUniversity();

describe('generateUniversity', () => {
  it('when called twice with the same seed, gives the same university', () => {
    expect(generateUniversity({ seed: 7 })).toEqual(generateUniversity({ seed: 7 }));
  });

  it('when the seed differs, gives a different university of the same size', () => {
    const a = generateUniversity({ seed: 1 });
    const b = generateUniversity({ seed: 2 });
    expect(a.students.map((s) => s.name)).not.toEqual(b.students.map((s) => s.name));
    expect(a.sections.map((s) => s.meetings)).not.toEqual(b.sections.map((s) => s.meetings));
    expect(b.sections).toHaveLength(a.sections.length);
  });

  it('by default builds the small demo university of term 2026-1', () => {
    expect(small.currentTerm).toMatchObject({ code: '2026-1', isCurrent: true });
    expect(small.majors).toHaveLength(12);
    expect(small.professors).toHaveLength(60);
    expect(small.lectures).toHaveLength(150);
    expect(small.sections).toHaveLength(250);
    expect(small.students).toHaveLength(400);
  });

  it('scales every count with its option', () => {
    const u = generateUniversity({ majors: 20, professors: 90, lectures: 300, sections: 420, students: 1000, staff: 4, carts: false });
    expect([u.majors.length, u.professors.length, u.lectures.length, u.sections.length, u.students.length, u.staff.length]).toEqual([
      20, 90, 300, 420, 1000, 4,
    ]);
    expect(u.carts).toEqual([]);
  });

  it('groups majors by college and has one general-education major, 교양학부', () => {
    const ged = small.majors.filter((m) => m.isGeneralEducation);
    expect(ged).toEqual([expect.objectContaining({ code: 'GED', name: '교양학부' })]);
    expect(small.majors.find((m) => m.code === 'CSE')).toMatchObject({ name: '컴퓨터공학과', college: '공과대학' });
    expect(new Set(small.majors.map((m) => m.college)).size).toBeGreaterThanOrEqual(5);
  });

  it('has 자료구조 as CSE2010 and the usual CSE and 교양 lectures', () => {
    expect(small.lectures.find((l) => l.code === 'CSE2010')).toMatchObject({
      title: '자료구조',
      titleEn: 'Data Structures',
      category: 'MAJOR_REQUIRED',
      level: 2,
    });
    const titles = small.lectures.map((l) => l.title);
    expect(titles).toEqual(expect.arrayContaining(['운영체제', '알고리즘', '데이터베이스', '컴퓨터네트워크', '글쓰기와 토론', '대학영어']));
    expect(small.lectures.find((l) => l.title === '대학영어')).toMatchObject({ category: 'GENERAL' });
  });

  it('even in a tiny university keeps 자료구조 with a section', () => {
    const u = generateUniversity({ majors: 3, professors: 3, lectures: 20, sections: 3, students: 4, staff: 1 });
    const ds = u.lectures.find((l) => l.code === 'CSE2010');
    expect(ds).toBeDefined();
    expect(u.sections.some((s) => s.lectureId === ds!.id)).toBe(true);
  });

  it('gives lectures unique codes of major code + 4 digits whose first digit is the year level', () => {
    const codes = small.lectures.map((l) => l.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const l of small.lectures) {
      const major = small.majors[l.majorId - 1]!;
      expect(l.code).toMatch(new RegExp(`^${major.code}${l.level}\\d{3}$`));
      expect(l.credits).toBeGreaterThanOrEqual(1);
      expect(l.credits).toBeLessThanOrEqual(4);
      expect(l.category === 'GENERAL').toBe(major.isGeneralEducation);
    }
    const credits = small.lectures.map((l) => l.credits);
    expect(credits.filter((c) => c === 3).length).toBeGreaterThan(credits.length / 2);
  });

  it('gives every section 1-3 meetings on MON-SAT within periods 1-15, and a capacity of 20-120', () => {
    const bad = small.sections.filter(
      (s) =>
        s.meetings.length < 1 ||
        s.meetings.length > 3 ||
        s.meetings.some((m) => !DAYS.includes(m.day) || m.startPeriod < 1 || m.endPeriod > 15 || m.startPeriod > m.endPeriod) ||
        s.capacity < 20 ||
        s.capacity > 120 ||
        !/^\S+관 \d{3,4}$/.test(s.room),
    );
    expect(bad).toEqual([]);
    expect(new Set(small.sections.map((s) => s.meetings.length))).toEqual(new Set([1, 2, 3]));
  });

  it('numbers the sections of a lecture 1, 2, 3, ...', () => {
    const byLecture = new Map<number, number[]>();
    for (const s of small.sections) byLecture.set(s.lectureId, [...(byLecture.get(s.lectureId) ?? []), s.sectionNo]);
    for (const nos of byLecture.values()) expect(nos).toEqual(nos.map((_, i) => i + 1));
  });

  it('never puts a professor or a room in two sections at the same time, even at benchmark size', () => {
    const big = generateUniversity({ ...BENCHMARK_UNIVERSITY, carts: false });
    for (const u of [small, big] as University[]) {
      expect(doubleBookings(u.sections, (s) => s.professorId)).toEqual([]);
      expect(doubleBookings(u.sections, (s) => s.room)).toEqual([]);
    }
    expect(big.sections).toHaveLength(3000);
    expect(big.students).toHaveLength(20_000);
    expect(big.majors).toHaveLength(40);
  });

  it('restricts some sections by grade or major and reserves seats in some', () => {
    expect(small.sections.filter((s) => s.gradeMask !== 15).length).toBeGreaterThan(0);
    expect(small.sections.filter((s) => s.allowedMajorIds.length > 0).length).toBeGreaterThan(0);
    const reserved = small.sections.filter((s) => s.reservations.length > 0);
    expect(reserved.length).toBeGreaterThan(0);
    for (const s of reserved) for (const r of s.reservations) expect(r.seats).toBeLessThan(s.capacity);
  });

  it('contains the demo logins: admin and the first student of each entrance year, in the right grade', () => {
    expect(small.staff[0]).toMatchObject({ loginId: 'admin' });
    const byNo = new Map(small.students.map((s) => [s.studentNo, s]));
    expect(byNo.get('20230001')?.grade).toBe(4);
    expect(byNo.get('20240001')?.grade).toBe(3);
    expect(byNo.get('20250001')?.grade).toBe(2);
    expect(byNo.get('20260001')?.grade).toBe(1);
    const bad = small.students.filter(
      (s) =>
        !new RegExp(`^${2027 - s.grade}\\d{4}$`).test(s.studentNo) ||
        s.maxCredits < 18 ||
        s.maxCredits > 21 ||
        !/^[가-힣]{3}$/.test(s.name) ||
        small.majors[s.majorId - 1]!.isGeneralEducation,
    );
    expect(bad).toEqual([]);
    expect(new Set(small.students.map((s) => s.studentNo)).size).toBe(small.students.length);
  });

  it('gives professors Korean names with a romanised English name', () => {
    for (const p of small.professors) {
      expect(p.name).toMatch(/^[가-힣]{3}$/);
      expect(p.nameEn).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]*-[a-z]+$/);
    }
  });

  it('fills carts from a skewed popularity: a few sections wanted by many, none ineligible or overlapping', () => {
    const u = generateUniversity({ students: 2000, carts: { min: 6, max: 8 } });
    const perStudent = new Map<number, number[]>();
    for (const c of u.carts) perStudent.set(c.studentId, [...(perStudent.get(c.studentId) ?? []), c.sectionId]);
    for (const demo of ['20230001', '20240001', '20250001', '20260001']) {
      expect(perStudent.has(u.students.find((s) => s.studentNo === demo)!.id)).toBe(false);
    }
    const problems: string[] = [];
    for (const [studentId, sectionIds] of perStudent) {
      const student = u.students[studentId - 1]!;
      const sections = sectionIds.map((id) => u.sections[id - 1]!);
      const credits = sections.reduce((sum, s) => sum + u.lectures[s.lectureId - 1]!.credits, 0);
      if (new Set(sections.map((s) => s.lectureId)).size !== sections.length) problems.push(`${studentId}: a lecture twice`);
      if (sections.length > 8) problems.push(`${studentId}: ${sections.length} sections`);
      if (credits > 24) problems.push(`${studentId}: ${credits} credits`);
      if (doubleBookings(sections, () => 'same student').length) problems.push(`${studentId}: overlapping times`);
      for (const s of sections) {
        if (!(s.gradeMask & (1 << (student.grade - 1)))) problems.push(`${studentId}: grade not allowed in ${s.id}`);
        if (s.allowedMajorIds.length && !s.allowedMajorIds.includes(student.majorId)) problems.push(`${studentId}: major not allowed in ${s.id}`);
      }
    }
    expect(problems).toEqual([]);
    const counts = new Map<number, number>();
    for (const c of u.carts) counts.set(c.sectionId, (counts.get(c.sectionId) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(sorted[0]!).toBeGreaterThan(20 * median);
    expect(u.carts.length / perStudent.size).toBeGreaterThan(5);
  });

  it('with `now`, opens the CART and REGISTRATION windows at once for every grade, for 30 days', () => {
    const now = new Date('2025-11-20T12:00:00Z');
    const u = generateUniversity({ now });
    expect(u.windows.map((w) => [w.phase, w.gradeMask, w.opensAt.toISOString(), w.closesAt.toISOString()])).toEqual([
      ['CART', 15, '2025-11-20T12:00:00.000Z', '2025-12-20T12:00:00.000Z'],
      ['REGISTRATION', 15, '2025-11-20T12:00:00.000Z', '2025-12-20T12:00:00.000Z'],
    ]);
  });

  it('without `now`, follows the term calendar: one registration day per grade, seniors first', () => {
    const reg = small.windows.filter((w) => w.phase === 'REGISTRATION');
    expect(reg.map((w) => w.gradeMask)).toEqual([8, 4, 2, 1]);
    expect(reg[0]!.opensAt.getTime()).toBeLessThan(reg[3]!.opensAt.getTime());
    expect(small.windows.map((w) => w.phase)).toEqual(['CART', 'REGISTRATION', 'REGISTRATION', 'REGISTRATION', 'REGISTRATION', 'ADD_DROP']);
  });

  it('refuses impossible options with a readable message', () => {
    expect(() => generateUniversity({ majors: 41 })).toThrow(/majors must be an integer in 2..40/);
    expect(() => generateUniversity({ students: 3 })).toThrow(/students/);
  });
});
