import { hash } from '@node-rs/argon2';
import { engineOf, type Knex } from '@goorm/common';
import { generateUniversity, type GenerateOptions } from './generate.ts';
import { DEMO_PASSWORD, type University } from './types.ts';

export interface LoadOptions {
  /** One password hash for every generated account (hashing 20,000 times would take minutes). */
  passwordHash: string;
  /** created_at / updated_at of the rows (app-written timestamps, never DB defaults). */
  now?: Date;
  /** Rows per INSERT statement. */
  chunkSize?: number;
}

export interface LoadCounts {
  terms: number;
  majors: number;
  professors: number;
  lectures: number;
  sections: number;
  meetings: number;
  students: number;
  staff: number;
  windows: number;
  cartItems: number;
}

/**
 * Every table the generator fills, children after parents. The seeder writes all services' tables
 * in one transaction: a deliberate exception to table ownership (docs/decisions/0001).
 */
export const UNIVERSITY_TABLES = [
  'term',
  'major',
  'professor',
  'lecture',
  'section',
  'section_meeting',
  'section_major',
  'section_reservation',
  'section_seat',
  'reservation_seat',
  'student',
  'staff',
  'enrollment_window',
  'cart_item',
] as const;

/** Tables that hold activity on top of the generated university (emptied by a reset). */
const ACTIVITY_TABLES = ['enrollment', 'enrollment_event', 'audit_log', 'idempotency_record', 'login_throttle'] as const;

/** Hashes the demo password once (argon2id), for loadUniversity's passwordHash. */
export function hashDemoPassword(password: string = DEMO_PASSWORD): Promise<string> {
  return hash(password);
}

async function insertChunks(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[], size: number) {
  for (let i = 0; i < rows.length; i += size) await trx(table).insert(rows.slice(i, i + size));
}

/** Writes a generated university into an empty, migrated database (all services' tables) in one transaction. */
export async function loadUniversity(db: Knex, u: University, opts: LoadOptions): Promise<LoadCounts> {
  const now = opts.now ?? new Date();
  const size = opts.chunkSize ?? 500;
  const stamps = { created_at: now, updated_at: now };
  let meetings = 0;
  await db.transaction(async (trx) => {
    const put = (table: string, rows: Record<string, unknown>[]) => insertChunks(trx, table, rows, size);
    await put(
      'term',
      u.terms.map((t) => ({ id: t.id, code: t.code, name: t.name, starts_on: t.startsOn, ends_on: t.endsOn, is_current: t.isCurrent })),
    );
    await put(
      'major',
      u.majors.map((m) => ({
        id: m.id,
        code: m.code,
        name: m.name,
        name_en: m.nameEn,
        college: m.college,
        is_general_education: m.isGeneralEducation,
      })),
    );
    await put(
      'professor',
      u.professors.map((p) => ({ id: p.id, name: p.name, name_en: p.nameEn, major_id: p.majorId, email: p.email })),
    );
    await put(
      'lecture',
      u.lectures.map((l) => ({
        id: l.id,
        code: l.code,
        title: l.title,
        title_en: l.titleEn,
        credits: l.credits,
        category: l.category,
        major_id: l.majorId,
        description: l.description,
      })),
    );
    await put(
      'section',
      u.sections.map((s) => ({
        id: s.id,
        term_id: s.termId,
        lecture_id: s.lectureId,
        section_no: s.sectionNo,
        professor_id: s.professorId,
        capacity: s.capacity,
        room: s.room,
        grade_mask: s.gradeMask,
        ...stamps,
      })),
    );
    const meetingRows = u.sections.flatMap((s) =>
      s.meetings.map((m) => ({ section_id: s.id, day: m.day, start_period: m.startPeriod, end_period: m.endPeriod })),
    );
    meetings = meetingRows.length;
    await put('section_meeting', meetingRows);
    await put(
      'section_major',
      u.sections.flatMap((s) => s.allowedMajorIds.map((majorId) => ({ section_id: s.id, major_id: majorId }))),
    );
    let reservationId = 0;
    const reservations = u.sections.flatMap((s) =>
      s.reservations.map((r) => ({
        id: ++reservationId,
        section_id: s.id,
        major_id: r.majorId,
        grade_mask: r.gradeMask,
        seats: r.seats,
        release_at: r.releaseAt,
      })),
    );
    await put('section_reservation', reservations);
    // The enrollment service's per-reservation counters (used = 0), when its schema has them.
    if (await trx.schema.hasTable('reservation_seat')) {
      await put(
        'reservation_seat',
        reservations.map((r) => ({ reservation_id: r.id, section_id: r.section_id, used: 0 })),
      );
    }
    await put(
      'section_seat',
      u.sections.map((s) => ({ section_id: s.id, enrolled: 0 })),
    );
    await put(
      'student',
      u.students.map((s) => ({
        id: s.id,
        student_no: s.studentNo,
        name: s.name,
        major_id: s.majorId,
        grade: s.grade,
        max_credits: s.maxCredits,
        password_hash: opts.passwordHash,
        ...stamps,
      })),
    );
    await put(
      'staff',
      u.staff.map((s) => ({ id: s.id, login_id: s.loginId, name: s.name, password_hash: opts.passwordHash, ...stamps })),
    );
    await put(
      'enrollment_window',
      u.windows.map((w) => ({
        id: w.id,
        term_id: w.termId,
        phase: w.phase,
        grade_mask: w.gradeMask,
        opens_at: w.opensAt,
        closes_at: w.closesAt,
      })),
    );
    await put(
      'cart_item',
      u.carts.map((c) => ({ student_id: c.studentId, section_id: c.sectionId, created_at: now })),
    );
  });
  return {
    terms: u.terms.length,
    majors: u.majors.length,
    professors: u.professors.length,
    lectures: u.lectures.length,
    sections: u.sections.length,
    meetings,
    students: u.students.length,
    staff: u.staff.length,
    windows: u.windows.length,
    cartItems: u.carts.length,
  };
}

/** Tables without foreign keys pointing at them: emptied with TRUNCATE on MySQL (fast, resets ids). */
const TRUNCATABLE = new Set<string>([...ACTIVITY_TABLES, 'cart_item', 'section_seat', 'reservation_seat', 'student', 'staff', 'enrollment_window']);

/** Empties every table the generator fills plus the activity on top of it (for `seed --reset`). */
export async function clearUniversity(db: Knex): Promise<void> {
  const mysql = engineOf(db) === 'mysql';
  const tables = [...ACTIVITY_TABLES, ...[...UNIVERSITY_TABLES].reverse()];
  const present: string[] = [];
  for (const table of tables) if (await db.schema.hasTable(table)) present.push(table);
  if (mysql) {
    // TRUNCATE commits implicitly, so it runs outside the transaction; 140,000 cart rows take seconds to DELETE.
    for (const table of present) if (TRUNCATABLE.has(table)) await db(table).truncate();
  }
  await db.transaction(async (trx) => {
    for (const table of present) if (!(mysql && TRUNCATABLE.has(table))) await trx(table).del();
  });
}

export interface SeedDemoOptions {
  /** The demo's windows open at `now` (CART and REGISTRATION, all grades, 30 days). */
  now?: Date;
  /** Size and seed of the university; the small demo by default. */
  size?: Omit<GenerateOptions, 'now'>;
  /** Precomputed hash of the demo password (saves the hashing time in tests). */
  passwordHash?: string;
}

export interface SeedResult {
  seeded: boolean;
  counts?: LoadCounts;
}

/**
 * Fills an empty database with the demo university; does nothing when a term already exists, so
 * it is safe to call on every start.
 */
export async function seedDemo(db: Knex, opts: SeedDemoOptions = {}): Promise<SeedResult> {
  if (await db('term').first('id')) return { seeded: false };
  const now = opts.now ?? new Date();
  const passwordHash = opts.passwordHash ?? (await hashDemoPassword());
  const university = generateUniversity({ ...opts.size, now });
  const counts = await loadUniversity(db, university, { passwordHash, now });
  return { seeded: true, counts };
}
