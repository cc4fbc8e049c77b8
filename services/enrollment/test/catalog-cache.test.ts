import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, type Knex } from '@goorm/common';
import { createTestAuth, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import { as, buildApp, makeDb, makeSection, makeStudent, makeTerm, openStandardWindows } from './enroll.fixtures.ts';

/**
 * The catalog cache (README "Config keys", CATALOG_TTL_MS): a section staff created a moment ago
 * is there for the next enroll (a miss reads through to the database), and an id that does not
 * exist costs one primary-key read, never a catalog reload.
 */
const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let termId: number;

  beforeAll(async () => {
    t = await makeDb(engine);
    db = t.db;
    auth = await createTestAuth();
    termId = await makeTerm(db);
    await openStandardWindows(db, termId);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('a section created after the catalog was loaded is enrollable at once', async () => {
    const app = buildApp(db, auth, { catalogTtlMs: 60_000 });
    const warm = await makeSection(db, { termId });
    expect((await as(app, auth, await makeStudent(db)).enroll(warm.id)).status).toBe(201);
    const fresh = await makeSection(db, { termId });
    const res = await as(app, auth, await makeStudent(db)).enroll(fresh.id);
    expect(res.status).toBe(201);
  });

  it('an unknown section id is 404 after one read, with no catalog reload', async () => {
    const app = buildApp(db, auth, { catalogTtlMs: 60_000 });
    const st = await makeStudent(db);
    await as(app, auth, st).get('/api/enrollments/me');
    const q = countQueries(db);
    const res = await as(app, auth, st).enroll(987_654);
    q.stop();
    expect(res.body.code).toBe('NOT_FOUND');
    expect(q.statements.filter((s) => /from [`"]section_meeting[`"]/i.test(s))).toEqual([]);
    expect(q.count).toBeLessThanOrEqual(3);
  });
});
