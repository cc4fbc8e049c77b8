import { notFound, type Knex } from '@goorm/common';
import { stringify } from 'csv-stringify/sync';
import type { Roster } from '@goorm/contracts';
import { findRosterSection, listRoster } from './roster.repository.ts';

/** Two queries whatever the section's size. */
export async function getRoster(db: Knex, sectionId: number): Promise<Roster> {
  const section = await findRosterSection(db, sectionId);
  if (!section) throw notFound('Section', sectionId);
  return { section, items: await listRoster(db, sectionId) };
}

export const ROSTER_CSV_COLUMNS = ['studentId', 'studentNo', 'name', 'majorId', 'grade', 'enrolledAt'] as const;

/** CSV with a header row; a UTF-8 BOM first so spreadsheet programs read Korean names correctly. */
export function rosterCsv(r: Roster): string {
  return (
    '\uFEFF' +
    stringify(
      r.items.map((i) => ({ ...i })),
      // A name a spreadsheet would run as a formula (= + - @ tab CR first) is written with a leading apostrophe.
      { header: true, columns: [...ROSTER_CSV_COLUMNS], escape_formulas: true },
    )
  );
}

export function rosterFileName(r: Roster): string {
  return `roster-${r.section.lectureCode}-${String(r.section.sectionNo).padStart(2, '0')}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
}
