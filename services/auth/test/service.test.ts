import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingDb } from '@goorm/common';
import { testEngines, testLogger, testMetrics } from '@goorm/common/testing';
import request from 'supertest';
import { createApp } from '../src/app.ts';
import { createPasswordHasher, DEFAULT_ARGON2 } from '../src/passwords/passwords.service.ts';
import { setup, type AuthTestContext } from './helpers.ts';

const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let t: AuthTestContext;
  beforeAll(async () => {
    t = await setup(engine);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  describe('GET /metrics', () => {
    it('shows the request-duration histogram under the route template after a login', async () => {
      await t.http.post('/api/auth/login').send({ role: 'student', loginId: '20259999', password: 'whatever1' });
      const s = await t.insertStudent();
      await t.http.get(`/api/auth/students/${s.id}`).set('Authorization', await t.staffBearer());
      const res = await t.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*method="POST"[^}]*route="\/api\/auth\/login"[^}]*status_code="401"[^}]*\} 1/);
      expect(res.text).toContain('route="/api/auth/students/:id"');
      expect(res.text).not.toContain(`/api/auth/students/${s.id}"`);
    });
  });

  describe('GET /readyz', () => {
    it('answers 200 while the database answers, then 503 once it is gone', async () => {
      const db = t.testDb.connect();
      const app = createApp({
        db,
        verifier: t.auth.verifier,
        signer: t.auth.signer,
        logger: testLogger(),
        metrics: testMetrics('auth'),
        readiness: () => pingDb(db),
        passwords: t.passwords,
      });
      expect((await request(app).get('/readyz')).status).toBe(200);
      expect((await request(app).get('/healthz')).status).toBe(200);
      await db.destroy();
      const res = await request(app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    });
  });

  it('an unknown route answers 404 problem+json', async () => {
    const res = await t.http.get('/api/auth/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('password hashing', () => {
  it('uses argon2id with the production parameters by default, and salts every hash', async () => {
    const hasher = createPasswordHasher();
    const [a, b] = await Promise.all([hasher.hash('password123'), hasher.hash('password123')]);
    expect(a).toMatch(new RegExp(`^\\$argon2id\\$v=19\\$m=${DEFAULT_ARGON2.memoryCost},t=${DEFAULT_ARGON2.timeCost},p=1\\$`));
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, 'password123')).toBe(true);
    expect(await hasher.verify(a, 'password124')).toBe(false);
    expect(await hasher.verifyDummy('password123')).toBe(false);
  });
});
