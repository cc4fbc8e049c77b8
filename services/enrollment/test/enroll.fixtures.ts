/**
 * Test data for the enroll / drop / swap tests: plain knex inserts into the other services'
 * tables (tests arrange data directly; the enrollment service only reads them), a fixed clock,
 * and small helpers to call the app and read what it wrote.
 */
import type { Express } from 'express';
import request from 'supertest';
import type { Knex } from '@goorm/common';
import { createTestDb, migrateAll, testLogger, testMetrics, type TestAuth, type TestDb } from '@goorm/common/testing';
import type { DbEngine } from '@goorm/common';
import { authMigrations } from '@goorm/auth/migrations';
import { cartsMigrations } from '@goorm/carts/migrations';
import { lecturesMigrations } from '@goorm/lectures/migrations';
import { enrollmentMigrations } from '../src/db/migrations.ts';
import { createApp, type EnrollmentAppDeps } from '../src/app.ts';
import { checkInvariants } from '../src/invariants/invariants.ts';

export const ALL_MIGRATIONS = [authMigrations, lecturesMigrations, cartsMigrations, enrollmentMigrations];

/** Registration opens an hour before T0 for grades 1-3 (see openStandardWindows). */
export const T0 = new Date('2026-02-16T01:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const at = (ms: number) => new Date(T0.getTime() + ms);

let seq = 0;
const next = () => ++seq;

async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [id] = await db(table).insert(row);
  return Number(id);
}

/** A test database opened as the service opens its own (batched statements on MySQL). */
export async function makeDb(engine: DbEngine): Promise<TestDb> {
  const t = await createTestDb(engine, { multipleStatements: true });
  await migrateAll(t.db, ALL_MIGRATIONS);
  return t;
}

export async function makeTerm(db: Knex, current = true): Promise<number> {
  const n = next();
  return insertId(db, 'term', { code: `E${n}`, name: `term ${n}`, starts_on: '2026-03-02', ends_on: '2026-06-20', is_current: current });
}

export async function makeMajor(db: Knex): Promise<number> {
  const n = next();
  return insertId(db, 'major', { code: `EM${n}`, name: `전공${n}`, name_en: `Major ${n}`, college: '공과대학' });
}

export async function makeLecture(db: Knex, o: { credits?: number; majorId?: number } = {}): Promise<number> {
  const n = next();
  const majorId = o.majorId ?? (await makeMajor(db));
  return insertId(db, 'lecture', { code: `LEC${n}`, title: `강의 ${n}`, credits: o.credits ?? 3, category: 'MAJOR_ELECTIVE', major_id: majorId });
}

export type Slot = [day: string, start: number, end: number];
const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
let slot = 0;
/** A one-period slot no other default slot uses (72 of them, then they repeat). */
export function freshSlot(): Slot {
  const i = slot++ % 72;
  const p = 1 + Math.floor(i / 6);
  return [DAYS[i % 6]!, p, p];
}

export interface SectionOpts {
  termId: number;
  lectureId?: number;
  credits?: number;
  capacity?: number;
  meetings?: Slot[];
  /** bit (g-1) = grade g may enroll. */
  gradeMask?: number;
  majors?: number[];
}

export interface SectionRef {
  id: number;
  lectureId: number;
}

export async function makeSection(db: Knex, o: SectionOpts): Promise<SectionRef> {
  const n = next();
  const majorId = await makeMajor(db);
  const professorId = await insertId(db, 'professor', { name: `교수${n}`, name_en: `Prof ${n}`, major_id: majorId });
  const lectureId = o.lectureId ?? (await makeLecture(db, { credits: o.credits ?? 3, majorId }));
  const id = await insertId(db, 'section', {
    term_id: o.termId,
    lecture_id: lectureId,
    section_no: n,
    professor_id: professorId,
    capacity: o.capacity ?? 30,
    room: `R${n}`,
    grade_mask: o.gradeMask ?? 15,
    created_at: T0,
    updated_at: T0,
  });
  const meetings = o.meetings ?? [freshSlot()];
  if (meetings.length) {
    await db('section_meeting').insert(meetings.map(([day, s, e]) => ({ section_id: id, day, start_period: s, end_period: e })));
  }
  if (o.majors?.length) await db('section_major').insert(o.majors.map((m) => ({ section_id: id, major_id: m })));
  return { id, lectureId };
}

export interface StudentRef {
  id: number;
  majorId: number;
  grade: number;
}

export async function makeStudent(db: Knex, o: { grade?: number; majorId?: number; maxCredits?: number } = {}): Promise<StudentRef> {
  const n = next();
  const majorId = o.majorId ?? (await makeMajor(db));
  const grade = o.grade ?? 2;
  const id = await insertId(db, 'student', {
    student_no: `26${String(n).padStart(6, '0')}`,
    name: `학생${n}`,
    major_id: majorId,
    grade,
    max_credits: o.maxCredits ?? 18,
    password_hash: 'x',
    created_at: T0,
    updated_at: T0,
  });
  return { id, majorId, grade };
}

/** Many students of one major in one INSERT (a fast arrange step for the races). */
export async function makeStudents(db: Knex, count: number, o: { grade?: number; majorId?: number; maxCredits?: number } = {}): Promise<StudentRef[]> {
  const majorId = o.majorId ?? (await makeMajor(db));
  const grade = o.grade ?? 2;
  const nos: string[] = [];
  for (let i = 0; i < count; i++) nos.push(`26${String(next()).padStart(6, '0')}`);
  await db('student').insert(
    nos.map((no) => ({
      student_no: no,
      name: `학생${no}`,
      major_id: majorId,
      grade,
      max_credits: o.maxCredits ?? 18,
      password_hash: 'x',
      created_at: T0,
      updated_at: T0,
    })),
  );
  const rows = await db('student').whereIn('student_no', nos).orderBy('id').select<{ id: number }[]>('id');
  return rows.map((r) => ({ id: Number(r.id), majorId, grade }));
}

export async function makeWindow(db: Knex, o: { termId: number; phase: 'CART' | 'REGISTRATION' | 'ADD_DROP'; grades: number[]; opensAt: Date; closesAt: Date }) {
  return insertId(db, 'enrollment_window', {
    term_id: o.termId,
    phase: o.phase,
    grade_mask: o.grades.reduce((m, g) => m | (1 << (g - 1)), 0),
    opens_at: o.opensAt,
    closes_at: o.closesAt,
  });
}

/**
 * CART T0-10d..T0-5d (all grades); REGISTRATION T0-1h..T0+1d (grades 1-3) and T0+2d..T0+3d
 * (grade 4); ADD_DROP T0+7d..T0+8d (all grades). Nothing is open at T0+5d.
 */
export async function openStandardWindows(db: Knex, termId: number) {
  await makeWindow(db, { termId, phase: 'CART', grades: [1, 2, 3, 4], opensAt: at(-10 * DAY), closesAt: at(-5 * DAY) });
  await makeWindow(db, { termId, phase: 'REGISTRATION', grades: [1, 2, 3], opensAt: at(-HOUR), closesAt: at(DAY) });
  await makeWindow(db, { termId, phase: 'REGISTRATION', grades: [4], opensAt: at(2 * DAY), closesAt: at(3 * DAY) });
  await makeWindow(db, { termId, phase: 'ADD_DROP', grades: [1, 2, 3, 4], opensAt: at(7 * DAY), closesAt: at(8 * DAY) });
}

export async function makeReservation(
  db: Knex,
  o: { sectionId: number; majorId?: number | null; gradeMask?: number; seats: number; releaseAt: Date },
): Promise<number> {
  return insertId(db, 'section_reservation', {
    section_id: o.sectionId,
    major_id: o.majorId ?? null,
    grade_mask: o.gradeMask ?? 15,
    seats: o.seats,
    release_at: o.releaseAt,
  });
}

/** A test clock the tests move. */
export function testClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    set(d: Date) {
      now = d;
    },
  };
}

export function buildApp(db: Knex, auth: TestAuth, o: Partial<EnrollmentAppDeps> = {}): Express {
  return createApp({
    db,
    verifier: auth.verifier,
    logger: testLogger(),
    metrics: testMetrics('enrollment'),
    readiness: async () => {},
    clock: () => T0,
    catalogTtlMs: 0,
    accessLog: false,
    ...o,
  });
}

/** Calls the app as one user; each method resolves to the supertest response. */
export function as(app: Express, auth: TestAuth, user: { id: number; role?: 'student' | 'staff' }) {
  const bearer = auth.bearer({ id: user.id, role: user.role ?? 'student' });
  const go = async (build: (auth: string) => request.Test, headers: Record<string, string> = {}): Promise<request.Response> =>
    build(await bearer).set(headers);
  return {
    enroll: (body: Record<string, unknown> | number, headers?: Record<string, string>) =>
      go((h) => request(app).post('/api/enrollments').set('Authorization', h).send(typeof body === 'number' ? { sectionId: body } : body), headers),
    drop: (sectionId: number, query: Record<string, string | number> = {}, headers?: Record<string, string>) =>
      go((h) => request(app).delete(`/api/enrollments/${sectionId}`).query(query).set('Authorization', h), headers),
    swap: (fromSectionId: number, toSectionId: number, headers?: Record<string, string>) =>
      go((h) => request(app).post('/api/enrollments/swap').set('Authorization', h).send({ fromSectionId, toSectionId }), headers),
    get: (path: string) => go((h) => request(app).get(path).set('Authorization', h)),
  };
}

// ---- reading what was written ----

export async function seatOf(db: Knex, sectionId: number): Promise<number | undefined> {
  const row = await db('section_seat').where('section_id', sectionId).first<{ enrolled: number } | undefined>('enrolled');
  return row ? Number(row.enrolled) : undefined;
}

export async function rowsOf(db: Knex, where: { sectionId?: number; studentId?: number }) {
  const rows = await db('enrollment')
    .modify((q) => {
      if (where.sectionId !== undefined) q.where('section_id', where.sectionId);
      if (where.studentId !== undefined) q.where('student_id', where.studentId);
    })
    .select<{ student_id: number; section_id: number; lecture_id: number; reservation_id: number | null; over_capacity: number | boolean }[]>(
      'student_id',
      'section_id',
      'lecture_id',
      'reservation_id',
      'over_capacity',
    )
    .orderBy('id');
  return rows.map((r) => ({
    studentId: Number(r.student_id),
    sectionId: Number(r.section_id),
    lectureId: Number(r.lecture_id),
    reservationId: r.reservation_id === null ? null : Number(r.reservation_id),
    overCapacity: Boolean(Number(r.over_capacity)),
  }));
}

export async function eventsOf(db: Knex, where: { sectionId?: number; studentId?: number }) {
  const rows = await db('enrollment_event')
    .modify((q) => {
      if (where.sectionId !== undefined) q.where('section_id', where.sectionId);
      if (where.studentId !== undefined) q.where('student_id', where.studentId);
    })
    .select<{ student_id: number; section_id: number; action: string; outcome: string; actor_staff_id: number | null }[]>(
      'student_id',
      'section_id',
      'action',
      'outcome',
      'actor_staff_id',
    )
    .orderBy('id');
  return rows.map((r) => ({
    studentId: Number(r.student_id),
    sectionId: Number(r.section_id),
    action: r.action,
    outcome: r.outcome,
    actorStaffId: r.actor_staff_id === null ? null : Number(r.actor_staff_id),
  }));
}

export async function count(db: Knex, table: string): Promise<number> {
  const [row] = await db(table).count<{ n: number | string }[]>({ n: '*' });
  return Number(row?.n ?? 0);
}

/** Row counts of every table a decision may write, to assert "nothing written". */
export async function footprint(db: Knex) {
  const [enrollment, seats, reservationSeats, idem, audit] = await Promise.all([
    count(db, 'enrollment'),
    db('section_seat').sum<{ n: number | string | null }[]>({ n: 'enrolled' }),
    db('reservation_seat').sum<{ n: number | string | null }[]>({ n: 'used' }),
    count(db, 'idempotency_record'),
    count(db, 'audit_log'),
  ]);
  return { enrollment, seats: Number(seats[0]?.n ?? 0), reservationSeats: Number(reservationSeats[0]?.n ?? 0), idem, audit };
}

export async function expectNoBreach(db: Knex) {
  const report = await checkInvariants(db);
  if (report.breaches.length) throw new Error(`invariant breaches: ${JSON.stringify(report.breaches, null, 2)}`);
  return report;
}

/** Tallies the status + code of many answers, e.g. { '201': 7, '409 SECTION_FULL': 53 }. */
export function tally(responses: { status: number; body: { code?: string } }[]) {
  const out: Record<string, number> = {};
  for (const r of responses) {
    const k = r.status >= 400 ? `${r.status} ${r.body.code}` : String(r.status);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
