import type { Section, Student } from '../api/types.ts';

/**
 * Whether the student may take the section: the server's word when it gives one, otherwise the
 * grade and major restrictions the section carries; undefined when neither is known.
 */
export function isEligible(section: Section, student: Student | undefined): boolean | undefined {
  if (section.eligible !== undefined) return section.eligible;
  if (!student) return undefined;
  if (section.grades && student.grade !== undefined && !section.grades.includes(student.grade)) return false;
  if (section.majorIds && section.majorIds.length > 0 && student.majorId !== undefined && !section.majorIds.includes(student.majorId))
    return false;
  return section.grades !== undefined || section.majorIds !== undefined ? true : undefined;
}
