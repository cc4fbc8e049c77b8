import { toIso, type Knex } from '@goorm/common';
import type { RosterEntry, RosterSection } from '@goorm/contracts';

/** The section with its lecture and seat counter; one query. */
export async function findRosterSection(db: Knex, sectionId: number): Promise<RosterSection | undefined> {
  const row = await db('section as s')
    .join('lecture as l', 'l.id', 's.lecture_id')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('s.id', sectionId)
    .first<{ id: number; term_id: number; code: string; title: string; section_no: number; capacity: number; enrolled: number | string | null } | undefined>(
      's.id',
      's.term_id',
      'l.code',
      'l.title',
      's.section_no',
      's.capacity',
      'ss.enrolled',
    );
  if (!row) return undefined;
  return {
    id: Number(row.id),
    termId: Number(row.term_id),
    lectureCode: row.code,
    title: row.title,
    sectionNo: Number(row.section_no),
    capacity: Number(row.capacity),
    enrolled: Number(row.enrolled ?? 0),
  };
}

/**
 * Everyone enrolled in the section, first come first; one join (student is auth's table, read only).
 * studentNo, name, majorId and grade are null only if the student row has vanished from auth (it never should).
 */
export async function listRoster(db: Knex, sectionId: number): Promise<RosterEntry[]> {
  const rows = await db('enrollment as e')
    .leftJoin('student as st', 'st.id', 'e.student_id')
    .where('e.section_id', sectionId)
    .orderBy([{ column: 'e.created_at' }, { column: 'e.id' }])
    .select<
      { student_id: number; student_no: string | null; name: string | null; major_id: number | null; grade: number | null; created_at: unknown }[]
    >('e.student_id', 'st.student_no', 'st.name', 'st.major_id', 'st.grade', 'e.created_at');
  return rows.map((r) => ({
    studentId: Number(r.student_id),
    studentNo: r.student_no,
    name: r.name,
    majorId: r.major_id === null ? null : Number(r.major_id),
    grade: r.grade === null ? null : Number(r.grade),
    enrolledAt: toIso(r.created_at),
  }));
}
