import { createDb, pingDb } from '@goorm/common';
import { createTestAuth, testEngines, testLogger, testMetrics, TEST_MYSQL_URL } from '@goorm/common/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { startHarness, type Harness } from './harness.ts';

const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  describe('probes and documents', () => {
    it('GET /healthz answers ok and GET /readyz answers ready while the database answers', async () => {
      expect((await request(h.app).get('/healthz')).body).toEqual({ status: 'ok', service: 'lectures' });
      const ready = await request(h.app).get('/readyz');
      expect(ready.status).toBe(200);
    });

    it('GET /readyz answers 503 when the database is unreachable', async () => {
      const deadDb = engine === 'sqlite' ? createDb('sqlite::memory:') : createDb(TEST_MYSQL_URL.replace(/:\d+\//, ':1/'));
      await deadDb.destroy();
      const app = createApp({ db: deadDb, verifier: h.auth.verifier, logger: testLogger(), metrics: testMetrics(), readiness: () => pingDb(deadDb, 500) });
      const res = await request(app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    });

    it('GET /metrics shows the request histogram under the route template after a request', async () => {
      await h.catalog.term('2026-1', true);
      await request(h.app).get('/api/lectures/sections/12345').set('Authorization', h.student);
      const res = await request(h.app).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/lectures\/sections\/:id"[^}]*status_code="404"[^}]*\} 1/);
    });
  });

  describe('tokens', () => {
    it('an expired token answers 401 UNAUTHENTICATED', async () => {
      const expired = await h.auth.token({ id: 7, role: 'student' }, 60, new Date(Date.now() - 2 * 3600_000));
      const res = await request(h.app).get('/api/lectures/sections').set('Authorization', `Bearer ${expired}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('a token signed with another key answers 401 UNAUTHENTICATED', async () => {
      const forger = await createTestAuth();
      const res = await request(h.app).post('/api/lectures/terms').set('Authorization', await forger.bearer({ id: 1, role: 'staff' })).send({});
      expect(res.status).toBe(401);
      expect(await h.db('term').where('code', '2027-1').first()).toBeUndefined();
    });
  });
});
