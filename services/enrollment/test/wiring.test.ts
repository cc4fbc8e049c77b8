import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollLimiters, loadConfig, MemoryRateLimitStore, rateLimitConfigShape, type DbEngine } from '@goorm/common';
import { createTestAuth, testEngines, testLogger, type TestAuth, type TestDb } from '@goorm/common/testing';
import { createWaitingRoom, queueConfigShape } from '../src/queue/index.ts';
import { as, buildApp, count, makeDb, makeSection, makeStudents, makeTerm, openStandardWindows, T0 } from './enroll.fixtures.ts';

const engines = await testEngines();

/** What server.ts builds, from the same config keys. */
function limitsFrom(env: Record<string, string>, auth: TestAuth) {
  const config = loadConfig(rateLimitConfigShape, env);
  return enrollLimiters(config, new MemoryRateLimitStore(), { verifier: auth.verifier });
}

describe.each(engines)('enrollment app wiring on %s', (engine: DbEngine) => {
  let t: TestDb;
  let auth: TestAuth;
  let sectionId: number;
  beforeAll(async () => {
    t = await makeDb(engine);
    auth = await createTestAuth();
    const termId = await makeTerm(t.db);
    await openStandardWindows(t.db, termId);
    sectionId = (await makeSection(t.db, { termId, capacity: 50 })).id;
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('when a student exceeds the per-student limit, answers 429 RATE_LIMITED with Retry-After and records nothing', async () => {
    const app = buildApp(t.db, auth, {
      limiters: limitsFrom({ RATE_LIMIT_ENROLL_PER_STUDENT_PER_10S: '3', RATE_LIMIT_ENROLL_PER_IP_PER_10S: '0' }, auth),
    });
    const [a, b] = await makeStudents(t.db, 2);
    const student = as(app, auth, { id: a!.id });
    for (let i = 0; i < 3; i++) expect((await student.drop(sectionId)).status).not.toBe(429);
    const events = await count(t.db, 'enrollment_event');
    const limited = await student.enroll(sectionId);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await count(t.db, 'enrollment_event')).toBe(events);
    expect(await count(t.db, 'enrollment')).toBe(0);
    // another student is not affected, and reads are not limited
    expect((await as(app, auth, { id: b!.id }).enroll(sectionId)).status).toBe(201);
    expect((await student.get('/api/enrollments/me')).status).toBe(200);
  });

  it('past ENROLL_MAX_IN_FLIGHT registration writes, answers 503 with Retry-After at once and records nothing', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let waiting = 0;
    // The first enroll waits at the admission gate, so it stays in flight.
    const app = buildApp(t.db, auth, { maxInFlight: 1, admission: { check: async () => { waiting++; await held; } } });
    const [a, b] = await makeStudents(t.db, 2);
    const first = as(app, auth, { id: a!.id }).enroll(sectionId);
    const pending = first.then((r) => r); // supertest sends on then()
    while (waiting === 0) await new Promise((r) => setTimeout(r, 5));
    const events = await count(t.db, 'enrollment_event');
    const rows = await count(t.db, 'enrollment');
    const shed = await as(app, auth, { id: b!.id }).enroll(sectionId);
    expect(shed.status).toBe(503);
    expect(shed.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(shed.headers['retry-after']).toBe('1');
    expect((await as(app, auth, { id: b!.id }).drop(sectionId)).status).toBe(503);
    // reads and the waiting room's routes are not counted
    expect((await as(app, auth, { id: b!.id }).get('/api/enrollments/me')).status).toBe(200);
    expect(await count(t.db, 'enrollment_event')).toBe(events);
    expect(await count(t.db, 'enrollment')).toBe(rows);
    release();
    expect((await pending).status).toBe(201);
    // the slot is free again
    expect((await as(app, auth, { id: b!.id }).enroll(sectionId)).status).toBe(201);
    expect(await count(t.db, 'enrollment')).toBe(rows + 2);
  });

  it('limits per client address when configured', async () => {
    const app = buildApp(t.db, auth, {
      limiters: limitsFrom({ RATE_LIMIT_ENROLL_PER_STUDENT_PER_10S: '0', RATE_LIMIT_ENROLL_PER_IP_PER_10S: '2' }, auth),
    });
    const students = await makeStudents(t.db, 3);
    const statuses = [];
    for (const s of students) statuses.push((await as(app, auth, { id: s.id }).drop(sectionId)).status);
    expect(statuses[2]).toBe(429);
  });

  it('without a waiting room, its routes answer 404 NOT_FOUND and enrolls need no token', async () => {
    const app = buildApp(t.db, auth);
    const [s] = await makeStudents(t.db, 1);
    const joined = await request(app).post('/api/enrollments/queue').set('Authorization', await auth.bearer({ id: s!.id, role: 'student' }));
    const settings = await request(app).get('/api/enrollments/queue/settings').set('Authorization', await auth.bearer({ id: 7, role: 'staff' }));
    expect([joined.status, joined.body.code, settings.status, settings.body.code]).toEqual([404, 'NOT_FOUND', 404, 'NOT_FOUND']);
    expect((await as(app, auth, { id: s!.id }).enroll(sectionId)).status).toBe(201);
  });

  it('mounts the waiting room: while it is on, an enroll without an admission token is 428 and /queue gives a place', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'goorm-wiring-'));
    const queueConfig = { ...loadConfig(queueConfigShape, { QUEUE_MODE: 'on' }), NODE_ENV: 'test', DATA_DIR: dataDir };
    const waiting = createWaitingRoom(queueConfig, { db: t.db, logger: testLogger(), clock: () => T0.getTime() });
    const app = buildApp(t.db, auth, { admission: waiting.admission, room: waiting.room });
    const [s] = await makeStudents(t.db, 1);
    const student = as(app, auth, { id: s!.id });
    const refused = await student.enroll(sectionId);
    expect(refused.status).toBe(428);
    expect(refused.body.code).toBe('QUEUE_REQUIRED');
    const joined = await request(app).post('/api/enrollments/queue').set('Authorization', await auth.bearer({ id: s!.id, role: 'student' }));
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ position: expect.any(Number), etaSeconds: expect.any(Number), admitted: expect.any(Boolean) });
    await waiting.close();
  });
});
