/**
 * The student and section an audit target names (`student:17/section:42`, `section:42`); null when
 * it names none. Shared by writeAudit and the migration that filled in the rows written before.
 */
export function auditSubjects(target: string): { studentId: number | null; sectionId: number | null } {
  const id = (kind: string) => {
    const m = new RegExp(`(?:^|/)${kind}:(\\d+)(?:/|$)`).exec(target);
    return m ? Number(m[1]) : null;
  };
  return { studentId: id('student'), sectionId: id('section') };
}
