import type { FieldError } from '@goorm/common';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Section } from '@goorm/contracts';

/**
 * The sections CSV (export and import use the same columns):
 *   id               empty on import = a new section; otherwise the section to replace
 *   termId, lectureId, sectionNo, professorId, capacity, room
 *   grades           1;2;3;4
 *   allowedMajorIds  3;5 (empty: open to every major)
 *   meetings         MON 1-2; WED 3-3
 *   reserved         id=4 majorId=3 grades=1,2 seats=10 releaseAt=2026-02-20T00:00:00.000Z; majorId=* grades=1 seats=5 releaseAt=...
 *                    (id: the reservation to keep; leave it out for a new one, or when copying to a new section)
 * followed by columns for people reading the file, ignored on import:
 *   lectureCode, lectureTitle, professorName, enrolled
 * The file starts with a UTF-8 BOM so spreadsheet programs show Korean correctly. A cell that a
 * spreadsheet would run as a formula (= + - @ tab CR first) is written with a leading apostrophe;
 * the import drops it again.
 */
export const CSV_COLUMNS = ['id', 'termId', 'lectureId', 'sectionNo', 'professorId', 'capacity', 'room', 'grades', 'allowedMajorIds', 'meetings', 'reserved'] as const;
export const CSV_READ_ONLY_COLUMNS = ['lectureCode', 'lectureTitle', 'professorName', 'enrolled'] as const;
const REQUIRED_COLUMNS = CSV_COLUMNS.filter((c) => !['grades', 'allowedMajorIds', 'reserved'].includes(c));

export function sectionsToCsv(sections: Section[]): string {
  return stringify(
    sections.map((s) => ({
      id: s.id,
      termId: s.termId,
      lectureId: s.lectureId,
      sectionNo: s.sectionNo,
      professorId: s.professorId,
      capacity: s.capacity,
      room: s.room,
      grades: s.grades.join(';'),
      allowedMajorIds: s.allowedMajorIds.join(';'),
      meetings: s.meetings.map((m) => `${m.day} ${m.startPeriod}-${m.endPeriod}`).join('; '),
      reserved: s.reserved
        .map((r) => `id=${r.id} majorId=${r.majorId ?? '*'} grades=${r.grades.join(',')} seats=${r.seats} releaseAt=${r.releaseAt}`)
        .join('; '),
      lectureCode: s.lecture.code,
      lectureTitle: s.lecture.title,
      professorName: s.professor.name,
      enrolled: s.enrolled,
    })),
    // A cell starting with = + - @ tab or CR gets a leading apostrophe: spreadsheet programs show it as text instead of running it.
    { bom: true, header: true, columns: [...CSV_COLUMNS, ...CSV_READ_ONLY_COLUMNS], escape_formulas: true },
  );
}

export interface CsvRow {
  /** Line of the file the row ends on (the header is line 1). */
  line: number;
  id: unknown;
  /** The row as a section body, for sectionBody to validate. */
  candidate: Record<string, unknown>;
  /** Cells that could not be read at all (then the row is not validated further). */
  errors: FieldError[];
}

/** An integer cell as a number; anything else is left as text for the schema to refuse. */
function int(cell: string): unknown {
  return /^-?\d+$/.test(cell) ? Number(cell) : cell;
}
/** What the export wrote: a formula-looking cell loses the apostrophe `escape_formulas` put before it. */
export const unescapeFormula = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

const list = (cell: string, sep: string) =>
  cell
    .split(sep)
    .map((x) => x.trim())
    .filter(Boolean);

/** Splits a file into rows of candidate section bodies; cell-format problems become field errors. */
export function parseSectionsCsv(text: string): { rows: CsvRow[]; errors: FieldError[] } {
  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return { rows: [], errors: [{ field: line ? `row ${line}` : 'body', message: `not valid CSV: ${(err as Error).message}` }] };
  }
  const [header, ...data] = records;
  if (!header) return { rows: [], errors: [{ field: 'row 1', message: 'the file is empty; expected a header row' }] };
  const index = new Map(header.record.map((name, i) => [name, i]));
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    return { rows: [], errors: missing.map((c) => ({ field: `row 1.${c}`, message: 'missing column' })) };
  }

  const rows = data.map(({ info, record }): CsvRow => {
    const row = `row ${info.lines}`;
    const errors: FieldError[] = [];
    const cell = (name: string) => {
      const i = index.get(name);
      return i === undefined ? '' : unescapeFormula(record[i] ?? '');
    };
    const candidate: Record<string, unknown> = {
      termId: int(cell('termId')),
      lectureId: int(cell('lectureId')),
      sectionNo: int(cell('sectionNo')),
      professorId: int(cell('professorId')),
      capacity: int(cell('capacity')),
      room: cell('room'),
      meetings: list(cell('meetings'), ';').map((m, i) => {
        const match = /^([A-Za-z]+)\s+(\d+)\s*-\s*(\d+)$/.exec(m);
        if (!match) {
          errors.push({ field: `${row}.meetings.${i}`, message: `"${m}" is not like MON 1-2` });
          return m;
        }
        return { day: match[1]!.toUpperCase(), startPeriod: Number(match[2]), endPeriod: Number(match[3]) };
      }),
    };
    if (cell('grades') !== '') candidate.grades = list(cell('grades'), ';').map(int);
    candidate.allowedMajorIds = list(cell('allowedMajorIds'), ';').map(int);
    candidate.reserved = list(cell('reserved'), ';').map((entry, i) => {
      const r: Record<string, unknown> = {};
      for (const token of entry.split(/\s+/)) {
        const [key, value = ''] = token.split('=', 2);
        if (key === 'id') r.id = int(value);
        else if (key === 'majorId') r.majorId = value === '*' ? null : int(value);
        else if (key === 'grades') r.grades = value === '*' ? [1, 2, 3, 4] : list(value, ',').map(int);
        else if (key === 'seats') r.seats = int(value);
        else if (key === 'releaseAt') r.releaseAt = value;
        else errors.push({ field: `${row}.reserved.${i}`, message: `unknown part "${token}"; expected id=, majorId=, grades=, seats=, releaseAt=` });
      }
      return r;
    });
    const id = cell('id');
    return { line: info.lines, id: id === '' ? undefined : int(id), candidate, errors };
  });
  return { rows, errors: [] };
}
