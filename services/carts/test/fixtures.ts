/** Catalog and student rows for the carts tests (plain inserts into the owners' tables). */
import type { Knex } from '@goorm/common';
import { authMigrations } from '@goorm/auth/migrations';
import { cartsMigrations } from '@goorm/carts/migrations';
import { enrollmentMigrations } from '@goorm/enrollment/migrations';
import { lecturesMigrations } from '@goorm/lectures/migrations';

export const MIGRATIONS = [authMigrations, lecturesMigrations, cartsMigrations, enrollmentMigrations];
export const T0 = new Date('2026-02-03T00:00:00.000Z');

let seq = 0;
const next = () => ++seq;

async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [id] = await db(table).insert(row);
  return Number(id);
}

export async function makeTerm(db: Knex, current: boolean): Promise<number> {
  const n = next();
  return insertId(db, 'term', { code: `C${n}`, name: `term ${n}`, starts_on: '2026-03-02', ends_on: '2026-06-20', is_current: current });
}

export interface Catalog {
  termId: number;
  pastTermId: number;
  majorId: number;
  otherMajorId: number;
  professorId: number;
}

export async function makeCatalog(db: Knex): Promise<Catalog> {
  const n = next();
  const majorId = await insertId(db, 'major', { code: `CM${n}`, name: `컴퓨터공학과${n}`, name_en: 'CSE', college: '공과대학' });
  const otherMajorId = await insertId(db, 'major', { code: `EE${n}`, name: `전자공학과${n}`, name_en: 'EE', college: '공과대학' });
  const professorId = await insertId(db, 'professor', { name: `김교수${n}`, name_en: 'Prof Kim', major_id: majorId });
  return { termId: await makeTerm(db, true), pastTermId: await makeTerm(db, false), majorId, otherMajorId, professorId };
}

export async function makeLecture(db: Knex, c: Catalog, credits = 3): Promise<{ id: number; code: string }> {
  const code = `CSE${String(next()).padStart(4, '0')}`;
  const id = await insertId(db, 'lecture', { code, title: `자료구조 ${code}`, credits, category: 'MAJOR_REQUIRED', major_id: c.majorId });
  return { id, code };
}

export async function makeSection(
  db: Knex,
  c: Catalog,
  o: { lectureId?: number; credits?: number; termId?: number; enrolled?: number; capacity?: number; gradeMask?: number; majorIds?: number[] } = {},
): Promise<{ sectionId: number; lectureId: number }> {
  const lectureId = o.lectureId ?? (await makeLecture(db, c, o.credits)).id;
  const sectionId = await insertId(db, 'section', {
    term_id: o.termId ?? c.termId,
    lecture_id: lectureId,
    section_no: next(),
    professor_id: c.professorId,
    capacity: o.capacity ?? 40,
    room: '공학관 301',
    ...(o.gradeMask === undefined ? {} : { grade_mask: o.gradeMask }),
    created_at: T0,
    updated_at: T0,
  });
  await db('section_meeting').insert([
    { section_id: sectionId, day: 'WED', start_period: 3, end_period: 4 },
    { section_id: sectionId, day: 'MON', start_period: 1, end_period: 2 },
  ]);
  for (const majorId of o.majorIds ?? []) await db('section_major').insert({ section_id: sectionId, major_id: majorId });
  if (o.enrolled !== undefined) await db('section_seat').insert({ section_id: sectionId, enrolled: o.enrolled });
  return { sectionId, lectureId };
}

export async function makeStudent(db: Knex, c: Catalog): Promise<number> {
  const n = next();
  return insertId(db, 'student', {
    student_no: `2025${String(n).padStart(4, '0')}`,
    name: `학생${n}`,
    major_id: c.majorId,
    grade: 2,
    max_credits: 18,
    password_hash: 'x',
    created_at: T0,
    updated_at: T0,
  });
}
