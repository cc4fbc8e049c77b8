import { engineOf, type Knex } from '@goorm/common';
import type { Day, Meeting } from '@goorm/contracts';

/**
 * Reads the current term's catalog (lectures' tables, read only) in a fixed number of queries,
 * and makes sure every section and reservation of the term has its seat counter row (enrollment's
 * own tables) so the enroll path can always take a seat with one conditional UPDATE.
 */

/** A weekly meeting: the contract's `Meeting` (day, periods inclusive). */
export type CatalogMeeting = Meeting;

export interface CatalogReservation {
  id: number;
  /** null: any major. */
  majorId: number | null;
  /** bit (g-1) = grade g. */
  gradeMask: number;
  seats: number;
  releaseAtMs: number;
}

export interface CatalogSection {
  id: number;
  termId: number;
  lectureId: number;
  sectionNo: number;
  capacity: number;
  /** Allowed grades, bit (g-1) = grade g. */
  gradeMask: number;
  room: string;
  professorName: string;
  lecture: { code: string; title: string; credits: number; category: string };
  meetings: CatalogMeeting[];
  /** Allowed majors; empty = open to every major. */
  majors: number[];
  /** By id ascending (the order locks are taken in). */
  reservations: CatalogReservation[];
}

export async function findCurrentTermId(db: Knex): Promise<number | undefined> {
  const row = await db('term').select<{ id: number }[]>('id').where('is_current', true).orderBy('id', 'desc').first();
  return row ? Number(row.id) : undefined;
}

/** Whether a section exists in the term (a primary-key read). */
export async function sectionInTerm(db: Knex, id: number, termId: number): Promise<boolean> {
  const row = await db('section').where({ id, term_id: termId }).first<{ id: number } | undefined>('id');
  return row !== undefined;
}

interface SectionRow {
  id: number;
  term_id: number;
  lecture_id: number;
  section_no: number;
  capacity: number;
  grade_mask: number;
  room: string;
  professor_name: string | null;
  code: string;
  title: string;
  credits: number;
  category: string;
  has_seat: number | string | null;
}

function epochMs(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  const s = String(v);
  const n = Number(s);
  if (s !== '' && Number.isFinite(n)) return n;
  return new Date(s.includes('T') ? s : s.replace(' ', 'T') + 'Z').getTime();
}

/**
 * The term's sections with lecture, professor, meetings, allowed majors and reservations: four
 * queries whatever the number of sections. Also reports whether seat rows are missing.
 */
export async function loadTermCatalog(
  db: Knex,
  termId: number,
): Promise<{ sections: Map<number, CatalogSection>; missingSeatRows: boolean }> {
  const [sectionRows, meetingRows, majorRows, reservationRows] = await Promise.all([
    db('section as s')
      .join('lecture as l', 'l.id', 's.lecture_id')
      .leftJoin('professor as p', 'p.id', 's.professor_id')
      .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
      .where('s.term_id', termId)
      .select<SectionRow[]>(
        's.id',
        's.term_id',
        's.lecture_id',
        's.section_no',
        's.capacity',
        's.grade_mask',
        's.room',
        'p.name as professor_name',
        'l.code',
        'l.title',
        'l.credits',
        'l.category',
        db.raw('ss.section_id as has_seat'),
      ),
    db('section_meeting as m')
      .join('section as s', 's.id', 'm.section_id')
      .where('s.term_id', termId)
      .select<{ section_id: number; day: Day; start_period: number; end_period: number }[]>(
        'm.section_id',
        'm.day',
        'm.start_period',
        'm.end_period',
      )
      .orderBy([{ column: 'm.section_id' }, { column: 'm.id' }]),
    db('section_major as sm')
      .join('section as s', 's.id', 'sm.section_id')
      .where('s.term_id', termId)
      .select<{ section_id: number; major_id: number }[]>('sm.section_id', 'sm.major_id'),
    db('section_reservation as r')
      .join('section as s', 's.id', 'r.section_id')
      .leftJoin('reservation_seat as rs', 'rs.reservation_id', 'r.id')
      .where('s.term_id', termId)
      .select<
        { id: number; section_id: number; major_id: number | null; grade_mask: number; seats: number; release_at: unknown; has_seat: unknown }[]
      >('r.id', 'r.section_id', 'r.major_id', 'r.grade_mask', 'r.seats', 'r.release_at', db.raw('rs.reservation_id as has_seat'))
      .orderBy('r.id'),
  ]);

  const sections = new Map<number, CatalogSection>();
  let missingSeatRows = false;
  for (const r of sectionRows) {
    if (r.has_seat === null || r.has_seat === undefined) missingSeatRows = true;
    sections.set(Number(r.id), {
      id: Number(r.id),
      termId: Number(r.term_id),
      lectureId: Number(r.lecture_id),
      sectionNo: Number(r.section_no),
      capacity: Number(r.capacity),
      gradeMask: Number(r.grade_mask),
      room: r.room,
      professorName: r.professor_name ?? '',
      lecture: { code: r.code, title: r.title, credits: Number(r.credits), category: r.category },
      meetings: [],
      majors: [],
      reservations: [],
    });
  }
  for (const m of meetingRows) {
    sections.get(Number(m.section_id))?.meetings.push({ day: m.day, startPeriod: Number(m.start_period), endPeriod: Number(m.end_period) });
  }
  for (const m of majorRows) sections.get(Number(m.section_id))?.majors.push(Number(m.major_id));
  for (const r of reservationRows) {
    if (r.has_seat === null || r.has_seat === undefined) missingSeatRows = true;
    sections.get(Number(r.section_id))?.reservations.push({
      id: Number(r.id),
      majorId: r.major_id === null ? null : Number(r.major_id),
      gradeMask: Number(r.grade_mask),
      seats: Number(r.seats),
      releaseAtMs: epochMs(r.release_at),
    });
  }
  return { sections, missingSeatRows };
}

/**
 * Creates the missing seat counter rows of a term, insert-if-absent, so concurrent processes
 * doing the same never collide. A new row starts at the number of enrollment rows it counts
 * (always 0 in practice: nobody can enroll without the row).
 */
export async function ensureSeatRows(db: Knex, termId: number): Promise<void> {
  const ignore = engineOf(db) === 'mysql' ? 'insert ignore' : 'insert or ignore';
  await db.raw(
    `${ignore} into section_seat (section_id, enrolled)
     select s.id, (select count(*) from enrollment e where e.section_id = s.id)
     from section s left join section_seat ss on ss.section_id = s.id
     where s.term_id = ? and ss.section_id is null`,
    [termId],
  );
  await db.raw(
    `${ignore} into reservation_seat (reservation_id, section_id, used)
     select r.id, r.section_id, (select count(*) from enrollment e where e.reservation_id = r.id)
     from section_reservation r
     join section s on s.id = r.section_id
     left join reservation_seat rs on rs.reservation_id = r.id
     where s.term_id = ? and rs.reservation_id is null`,
    [termId],
  );
}
