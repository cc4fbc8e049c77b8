/** Contract-typed answers the catalog specs give through msw. */
import { http, HttpResponse } from 'msw';
import type { Lecture, LecturePage, Major, MajorList, Professor, ProfessorPage, Section, Term, TermList } from '@goorm/contracts';

export const term = (over: Partial<Term> = {}): Term => ({ id: 1, code: '2026-1', name: '2026학년도 1학기', startsOn: '2026-03-02', endsOn: '2026-06-19', isCurrent: true, ...over });
export const major = (over: Partial<Major> = {}): Major => ({ id: 1, code: 'CSE', name: '컴퓨터공학과', nameEn: 'Computer Science', college: '공과대학', isGeneralEducation: false, ...over });
export const lecture = (over: Partial<Lecture> = {}): Lecture => ({
  id: 10,
  code: 'CSE2010',
  title: '자료구조',
  titleEn: 'Data Structures',
  credits: 3,
  category: 'MAJOR_REQUIRED',
  majorId: 1,
  description: null,
  ...over,
});
export const professor = (over: Partial<Professor> = {}): Professor => ({ id: 20, name: '김교수', nameEn: 'Kim', majorId: 1, email: null, ...over });

export function section(over: Partial<Section> = {}): Section {
  const l = lecture();
  const p = professor();
  return {
    id: 100,
    termId: 1,
    lectureId: l.id,
    sectionNo: 1,
    professorId: p.id,
    capacity: 40,
    enrolled: 12,
    cartCount: 30,
    room: '공학관 101',
    grades: [1, 2, 3, 4],
    allowedMajorIds: [],
    meetings: [
      { day: 'MON', startPeriod: 1, endPeriod: 2 },
      { day: 'WED', startPeriod: 3, endPeriod: 3 },
    ],
    lecture: { id: l.id, code: l.code, title: l.title, titleEn: l.titleEn, credits: l.credits, category: l.category, majorId: l.majorId },
    professor: { id: p.id, name: p.name, nameEn: p.nameEn },
    seatsLeft: 28,
    reserved: [],
    ...over,
  };
}

const page = <T>(items: T[]) => ({ items, total: items.length, page: 1, size: 50 });

/** The reference lists every section screen reads: terms, majors, and the pickers' lectures and professors. */
export const referenceHandlers = () => [
  http.get('*/api/lectures/terms', () => HttpResponse.json({ items: [term(), term({ id: 2, code: '2025-2', name: '2025학년도 2학기', isCurrent: false })] } satisfies TermList)),
  http.get('*/api/lectures/majors', () => HttpResponse.json({ items: [major(), major({ id: 2, code: 'MTH', name: '수학과', nameEn: 'Mathematics', college: '자연과학대학' })] } satisfies MajorList)),
  http.get('*/api/lectures/lectures', () => HttpResponse.json(page([lecture(), lecture({ id: 11, code: 'CSE3010', title: '운영체제' })]) satisfies LecturePage)),
  http.get('*/api/lectures/professors', () => HttpResponse.json(page([professor(), professor({ id: 21, name: '이교수', nameEn: 'Lee' })]) satisfies ProfessorPage)),
];
