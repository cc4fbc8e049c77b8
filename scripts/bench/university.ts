/**
 * The bench's database: a fresh MySQL schema (or SQLite file) per engine pass, the generated
 * university loaded into it, the registration state reset between runs, and access tokens minted
 * with the dev signing key (logging 5,000 students in would only measure argon2).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createDb,
  createTokenSigner,
  engineOf,
  ensureDevKeyPair,
  type DbEngine,
  type Knex,
} from '@goorm/common';
import {
  generateUniversity,
  hashDemoPassword,
  loadUniversity,
  migrateUniversity,
  type University,
} from '@goorm/demo-data';
import { universitySize, type BenchOptions } from './options.ts';

export interface BenchDatabase {
  engine: DbEngine;
  /** The URL the services get (no password in the default setup). */
  url: string;
  /** The bench's own pool (loading, resets, invariants, the naive peer). */
  db: Knex;
  drop(): Promise<void>;
}

export async function createBenchDatabase(engine: DbEngine, o: BenchOptions, dataDir: string, runId: string): Promise<BenchDatabase> {
  if (engine === 'sqlite') {
    const url = `sqlite:${path.join(dataDir, `bench-${runId}.sqlite`)}`;
    const db = createDb(url);
    return { engine, url, db, drop: () => db.destroy() };
  }
  const name = `bench_${runId}_${randomBytes(2).toString('hex')}`;
  const server = new URL(o.mysqlUrl);
  server.pathname = '/';
  const admin = createDb(server.toString(), { poolMax: 1 });
  try {
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.destroy();
  }
  const u = new URL(server.toString());
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url, { poolMax: Math.max(o.pool, 4) });
  return {
    engine,
    url,
    db,
    async drop() {
      await db.destroy();
      if (o.keep) return;
      const a = createDb(server.toString(), { poolMax: 1 });
      try {
        await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await a.destroy();
      }
    },
  };
}

export interface BenchStudent {
  id: number;
  studentNo: string;
  name: string;
  majorId: number;
  grade: number;
  maxCredits: number;
  cart: number[];
  token: string;
}

export interface BenchUniversity {
  university: University;
  termId: number;
  /** The opening grade's students with their carts (in cart order) and access tokens. */
  students: BenchStudent[];
  staffToken: string;
  /** Search words students type: lecture code prefixes and title words. */
  searchTerms: string[];
  cartItems: number;
}

/** Generates the university (reservations held back for three days from `now`), without its calendar: each run opens its own window. */
export function buildUniversity(o: Pick<BenchOptions, 'students' | 'sections' | 'seed'>, now: Date): University {
  const u = generateUniversity({ ...universitySize(o), seed: o.seed, now });
  return { ...u, windows: [] };
}

export async function loadBenchUniversity(db: Knex, u: University, now: Date): Promise<void> {
  await migrateUniversity(db);
  await loadUniversity(db, u, { passwordHash: await hashDemoPassword(), now, chunkSize: engineOf(db) === 'mysql' ? 1000 : 500 });
}

/** Mints 2-hour access tokens for the opening grade's students and one staff member. */
export async function prepareStudents(u: University, grade: number, dataDir: string): Promise<BenchUniversity> {
  const keys = ensureDevKeyPair(dataDir);
  const signer = await createTokenSigner(readFileSync(keys.privateKeyFile, 'utf8'), { issuer: 'goorm-auth', audience: 'goorm-registration' });
  const carts = new Map<number, number[]>();
  for (const c of u.carts) {
    const list = carts.get(c.studentId) ?? [];
    list.push(c.sectionId);
    carts.set(c.studentId, list);
  }
  const students: BenchStudent[] = [];
  for (const s of u.students) {
    if (s.grade !== grade) continue;
    const cart = carts.get(s.id) ?? [];
    if (cart.length === 0) continue; // the demo logins start with an empty cart
    const { token } = await signer.sign({ id: s.id, role: 'student', loginId: s.studentNo, name: s.name }, 7200);
    students.push({ id: s.id, studentNo: s.studentNo, name: s.name, majorId: s.majorId, grade: s.grade, maxCredits: s.maxCredits, cart, token });
  }
  const admin = u.staff[0]!;
  const { token: staffToken } = await signer.sign({ id: admin.id, role: 'staff', loginId: admin.loginId, name: admin.name }, 7200);
  const words = new Set<string>();
  for (const l of u.lectures) {
    words.add(l.code.replace(/\d+$/, ''));
    const first = l.title.split(/\s+/)[0];
    if (first && first.length >= 2) words.add(first.slice(0, 2));
  }
  return {
    university: u,
    termId: u.currentTerm.id,
    students,
    staffToken,
    searchTerms: [...words],
    cartItems: students.reduce((n, s) => n + s.cart.length, 0),
  };
}

const ACTIVITY = [
  'enrollment',
  'enrollment_event',
  'idempotency_record',
  'audit_log',
  'enrollment_window',
  'waitlist_entry',
  'waitlist_event',
  'notice',
  'auto_enroll_run',
] as const;

/** Empties the registration state (enrollments, events, counters, windows, waitlists, notices, auto-enrollment runs) for the next run. */
export async function resetRegistration(db: Knex): Promise<void> {
  const mysql = engineOf(db) === 'mysql';
  for (const table of ACTIVITY) {
    if (!(await db.schema.hasTable(table))) continue;
    if (mysql) await db(table).truncate();
    else await db(table).del();
  }
  await db('section_seat').update({ enrolled: 0 });
  if (await db.schema.hasTable('reservation_seat')) await db('reservation_seat').update({ used: 0 });
}

/** Opens the REGISTRATION window directly in the table (the ceiling runs with no HTTP at all). */
export async function insertWindow(db: Knex, termId: number, grade: number, opensAt: Date, closesAt: Date): Promise<void> {
  await db('enrollment_window').insert({ term_id: termId, phase: 'REGISTRATION', grade_mask: 1 << (grade - 1), opens_at: opensAt, closes_at: closesAt });
}
