import request from 'supertest';
import { pingDb, type DbEngine, type Knex } from '@goorm/common';
import { createTestAuth, createTestDb, migrateAll, testLogger, testMetrics, type TestAuth, type TestDb } from '@goorm/common/testing';
import { enrollmentMigrations } from '@goorm/enrollment/migrations';
import { lecturesMigrations } from '@goorm/lectures/migrations';
import { createApp } from '../src/app.ts';
import { authMigrations } from '../src/db/migrations.ts';
import type { ThrottlePolicy } from '../src/login/login.service.ts';
import { createPasswordHasher, type PasswordHasher } from '../src/passwords/passwords.service.ts';

/** Cheap argon2id for tests (the production parameters are asserted once in service.test.ts). */
export const TEST_ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
export const PASSWORD = 'correct horse 1';
export const THROTTLE: ThrottlePolicy = { maxFailures: 3, windowSeconds: 900, lockSeconds: 600 };

let seq = 0;
/** A student number no other test in this process uses. */
export const nextStudentNo = () => String(20_250_000 + ++seq);
export const uniqueSuffix = () => `${Date.now().toString(36)}${(++seq).toString(36)}`;

export interface AuthTestContext {
  testDb: TestDb;
  db: Knex;
  auth: TestAuth;
  passwords: PasswordHasher;
  /** The hash of PASSWORD, computed once per file. */
  passwordHash: string;
  app: ReturnType<typeof createApp>;
  http: ReturnType<typeof request>;
  metrics: ReturnType<typeof testMetrics>;
  /** The injected clock runs at real time plus this offset. */
  clock: { offsetMs: number };
  majors: { cse: number; math: number; ge: number };
  staffBearer: () => Promise<string>;
  studentBearer: (id?: number) => Promise<string>;
  insertStudent(s?: Partial<{ studentNo: string; name: string; majorId: number; grade: number; maxCredits: number }>): Promise<{ id: number; studentNo: string }>;
  insertStaff(s?: Partial<{ loginId: string; name: string }>): Promise<{ id: number; loginId: string }>;
  count(table: string): Promise<number>;
  destroy(): Promise<void>;
}

export async function setup(engine: DbEngine): Promise<AuthTestContext> {
  const testDb = await createTestDb(engine);
  const db = testDb.db;
  await migrateAll(db, [lecturesMigrations, enrollmentMigrations, authMigrations]);
  const majorRows = [
    { code: 'CSE', name: '컴퓨터공학과', name_en: 'Computer Science', college: '공과대학', is_general_education: false },
    { code: 'MATH', name: '수학과', name_en: 'Mathematics', college: '자연과학대학', is_general_education: false },
    { code: 'GE', name: '교양학부', name_en: 'General Education', college: '교양대학', is_general_education: true },
  ];
  for (const m of majorRows) await db('major').insert(m);
  const ids = Object.fromEntries((await db('major').select('id', 'code')).map((r: { id: number; code: string }) => [r.code, Number(r.id)]));
  const majors = { cse: ids.CSE!, math: ids.MATH!, ge: ids.GE! };

  const auth = await createTestAuth();
  const passwords = createPasswordHasher(TEST_ARGON2);
  const passwordHash = await passwords.hash(PASSWORD);
  const clock = { offsetMs: 0 };
  const metrics = testMetrics('auth');
  const app = createApp({
    db,
    verifier: auth.verifier,
    signer: auth.signer,
    logger: testLogger(),
    metrics,
    readiness: () => pingDb(db),
    clock: () => new Date(Date.now() + clock.offsetMs),
    passwords,
    throttle: THROTTLE,
  });

  const now = new Date();
  const insertStudent: AuthTestContext['insertStudent'] = async (s = {}) => {
    const studentNo = s.studentNo ?? nextStudentNo();
    const [id] = await db('student').insert({
      student_no: studentNo,
      name: s.name ?? '김학생',
      major_id: s.majorId ?? majors.cse,
      grade: s.grade ?? 2,
      max_credits: s.maxCredits ?? 18,
      password_hash: passwordHash,
      created_at: now,
      updated_at: now,
    });
    return { id: Number(id), studentNo };
  };
  const insertStaff: AuthTestContext['insertStaff'] = async (s = {}) => {
    const loginId = s.loginId ?? `staff${uniqueSuffix()}`;
    const [id] = await db('staff').insert({ login_id: loginId, name: s.name ?? '이직원', password_hash: passwordHash, created_at: now, updated_at: now });
    return { id: Number(id), loginId };
  };
  const admin = await insertStaff({ loginId: `admin${uniqueSuffix()}`, name: '관리자' });

  return {
    testDb,
    db,
    auth,
    passwords,
    passwordHash,
    app,
    http: request(app),
    metrics,
    clock,
    majors,
    staffBearer: () => auth.bearer({ id: admin.id, role: 'staff', loginId: admin.loginId, name: '관리자' }),
    studentBearer: (id = 1) => auth.bearer({ id, role: 'student' }),
    insertStudent,
    insertStaff,
    async count(table) {
      const row = (await db(table).count({ n: '*' }).first()) as { n: number | string };
      return Number(row.n);
    },
    destroy: () => testDb.destroy(),
  };
}
