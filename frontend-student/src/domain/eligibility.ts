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

/** Why the student may not take the section: a grade restriction, a major restriction, or only the server's word. */
export type IneligibleReason = { kind: 'grade'; grades: number[] } | { kind: 'major'; majorIds: number[] } | { kind: 'unknown' };

/** The restrictions the student does not meet (empty when eligible or when nothing is known). */
export function ineligibleReasons(section: Section, student: Student | undefined): IneligibleReason[] {
  if (isEligible(section, student) !== false) return [];
  const reasons: IneligibleReason[] = [];
  if (section.grades && student?.grade !== undefined && !section.grades.includes(student.grade)) reasons.push({ kind: 'grade', grades: section.grades });
  if (section.majorIds && section.majorIds.length > 0 && student?.majorId !== undefined && !section.majorIds.includes(student.majorId))
    reasons.push({ kind: 'major', majorIds: section.majorIds });
  return reasons.length > 0 ? reasons : [{ kind: 'unknown' }];
}

type T = (key: string, params?: Record<string, string | number>) => string;

/** `신청 불가: 1·2학년만 수강 가능, 컴퓨터공학과 학생만 수강 가능`; `majorName` names a major when the majors are loaded. */
export function ineligibleText(reasons: IneligibleReason[], t: T, majorName?: (id: number) => string | undefined): string {
  const parts = reasons.map((r) => {
    if (r.kind === 'grade') return t('section.reasonGrade', { grades: r.grades.join('·') });
    if (r.kind === 'major') {
      const names = r.majorIds.map((id) => majorName?.(id)).filter((n): n is string => !!n);
      return names.length === r.majorIds.length ? t('section.reasonMajorNamed', { majors: names.join(', ') }) : t('section.reasonMajor');
    }
    return t('section.reasonUnknown');
  });
  return t('section.cannotRegister', { reasons: parts.join(', ') });
}
