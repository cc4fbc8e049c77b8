/**
 * Test data for the windows, roster and stats tests: plain knex inserts into the other services'
 * tables (tests arrange data directly; the services themselves only read these tables).
 */
import type { Express } from 'express';
import type { Knex, TokenVerifier } from '@goorm/common';
import { testLogger, testMetrics } from '@goorm/common/testing';
import { authMigrations } from '@goorm/auth/migrations';
import { cartsMigrations } from '@goorm/carts/migrations';
import { enrollmentMigrations } from '@goorm/enrollment/migrations';
import { lecturesMigrations } from '@goorm/lectures/migrations';
import { createApp } from '../src/app.ts';

export const ALL_MIGRATIONS = [authMigrations, lecturesMigrations, cartsMigrations, enrollmentMigrations];

export const T0 = new Date('2026-02-10T01:00:00.000Z');

/** The whole enrollment app (every contract endpoint is mounted) on this database, at a fixed clock. */
export function serviceApp(db: Knex, verifier: TokenVerifier, clock: () => Date = () => T0): Express {
  return createApp({ db, verifier, logger: testLogger(), metrics: testMetrics('enrollment'), readiness: async () => {}, clock, catalogTtlMs: 0, accessLog: false });
}

let seq = 0;
const next = () => ++seq;

async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [id] = await db(table).insert(row);
  return Number(id);
}

export async function makeTerm(db: Knex, o: { current?: boolean } = {}): Promise<number> {
  const n = next();
  return insertId(db, 'term', {
    code: `T${n}`,
    name: `test term ${n}`,
    starts_on: '2026-03-02',
    ends_on: '2026-06-20',
    is_current: o.current ?? false,
  });
}

export async function makeMajor(db: Knex): Promise<number> {
  const n = next();
  return insertId(db, 'major', { code: `M${n}`, name: `전공${n}`, name_en: `Major ${n}`, college: '공과대학' });
}

export interface SectionFixture {
  sectionId: number;
  lectureId: number;
  lectureCode: string;
  professorId: number;
  majorId: number;
}

export async function makeSection(
  db: Knex,
  o: { termId: number; capacity?: number; credits?: number; enrolled?: number; lectureId?: number },
): Promise<SectionFixture> {
  const n = next();
  const majorId = await makeMajor(db);
  const professorId = await insertId(db, 'professor', { name: `교수${n}`, name_en: `Prof ${n}`, major_id: majorId });
  const lectureCode = `L${String(n).padStart(4, '0')}`;
  const lectureId =
    o.lectureId ??
    (await insertId(db, 'lecture', { code: lectureCode, title: `강의 ${n}`, credits: o.credits ?? 3, category: 'MAJOR_ELECTIVE', major_id: majorId }));
  const sectionId = await insertId(db, 'section', {
    term_id: o.termId,
    lecture_id: lectureId,
    section_no: n,
    professor_id: professorId,
    capacity: o.capacity ?? 30,
    room: `R${n}`,
    created_at: T0,
    updated_at: T0,
  });
  await db('section_meeting').insert({ section_id: sectionId, day: 'MON', start_period: 1, end_period: 2 });
  if (o.enrolled !== undefined) await db('section_seat').insert({ section_id: sectionId, enrolled: o.enrolled });
  return { sectionId, lectureId, lectureCode, professorId, majorId };
}

export async function makeStudent(db: Knex, o: { grade?: number; majorId?: number; name?: string } = {}) {
  const n = next();
  const studentNo = `2026${String(n).padStart(5, '0')}`;
  const majorId = o.majorId ?? (await makeMajor(db));
  const id = await insertId(db, 'student', {
    student_no: studentNo,
    name: o.name ?? `학생${n}`,
    major_id: majorId,
    grade: o.grade ?? 2,
    max_credits: 18,
    password_hash: 'x',
    created_at: T0,
    updated_at: T0,
  });
  return { id, studentNo, majorId, grade: o.grade ?? 2 };
}

/** Writes an enrollment row and bumps the seat counter, as the enroll path would. */
export async function enroll(db: Knex, o: { studentId: number; section: SectionFixture; termId: number; at: Date }) {
  await db('enrollment').insert({
    student_id: o.studentId,
    section_id: o.section.sectionId,
    lecture_id: o.section.lectureId,
    term_id: o.termId,
    created_at: o.at,
  });
  const updated = await db('section_seat').where('section_id', o.section.sectionId).increment('enrolled', 1);
  if (updated === 0) await db('section_seat').insert({ section_id: o.section.sectionId, enrolled: 1 });
}

export async function event(db: Knex, o: { studentId: number; sectionId: number; outcome: string; at: Date; action?: string }) {
  await db('enrollment_event').insert({
    student_id: o.studentId,
    section_id: o.sectionId,
    action: o.action ?? 'ENROLL',
    outcome: o.outcome,
    actor_staff_id: null,
    created_at: o.at,
  });
}
