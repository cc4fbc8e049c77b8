import { eligibilityOf, type CartSection, type Eligibility, type Section, type SectionCore } from '@goorm/contracts';
import type { StudentUser } from '../api/auth.ts';

/** A section as a list row shows it: a search item (or the section page), or a cart item. */
export type ListedSection = Section | CartSection;

/**
 * Whether the student may take the section: a cart item carries the server's word for the caller
 * (`eligibility`); for a search item the contract's rule (`eligibilityOf`) decides from the grades and
 * majors it allows and the signed-in student (`eligible: null` when nobody is signed in).
 */
export function eligibilityFor(section: ListedSection, student: Pick<StudentUser, 'majorId' | 'grade'> | undefined): Eligibility {
  return 'eligibility' in section ? section.eligibility : eligibilityOf(section, student);
}

type T = (key: string, params?: Record<string, string | number>) => string;

/**
 * `신청 불가: 1·2학년만 수강 가능` / `신청 불가: 컴퓨터공학과 학생만 수강 가능`: why the student may not take the
 * section, in words (undefined when eligible or unknown); `majorName` names a major when the majors are loaded.
 */
export function ineligibleText(
  section: Pick<SectionCore, 'grades' | 'allowedMajorIds'>,
  eligibility: Eligibility,
  t: T,
  majorName?: (id: number) => string | undefined,
): string | undefined {
  if (eligibility.eligible !== false) return undefined;
  return t('section.cannotRegister', { reasons: reasonText(section, eligibility.reason, t, majorName) });
}

function reasonText(
  section: Pick<SectionCore, 'grades' | 'allowedMajorIds'>,
  reason: Eligibility['reason'],
  t: T,
  majorName?: (id: number) => string | undefined,
): string {
  if (reason === 'GRADE_RESTRICTED') return t('section.reasonGrade', { grades: [...section.grades].sort().join('·') });
  if (reason === 'MAJOR_RESTRICTED') {
    const ids = section.allowedMajorIds;
    const names = ids.map((id) => majorName?.(id)).filter((n): n is string => !!n);
    return ids.length > 0 && names.length === ids.length ? t('section.reasonMajorNamed', { majors: names.join(', ') }) : t('section.reasonMajor');
  }
  return t('section.reasonUnknown');
}
