import type { Meeting, Section } from '../api/types.ts';

let nextId = 100;

/** A section as the app holds it after normalisation; override what a test is about. */
export function makeSection(over: Partial<Omit<Section, 'lecture'>> & { lecture?: Partial<Section['lecture']> } = {}): Section {
  const id = over.id ?? nextId++;
  const { lecture, ...rest } = over;
  return {
    id,
    termId: 1,
    lectureId: lecture?.id ?? 10,
    sectionNo: 1,
    professorId: 3,
    professorName: '이교수',
    capacity: 40,
    enrolled: 0,
    cartCount: 0,
    room: '공학관 301',
    meetings: [{ day: 'MON', startPeriod: 1, endPeriod: 2 }] as Meeting[],
    eligible: undefined,
    grades: undefined,
    majorIds: undefined,
    ...rest,
    lecture: { id: 10, code: 'CSE2010', title: '자료구조', titleEn: 'Data Structures', credits: 3, category: 'MAJOR_REQUIRED', majorId: 1, ...lecture },
  };
}
