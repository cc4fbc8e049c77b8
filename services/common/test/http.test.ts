import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import knexFactory from 'knex';
import { endpoint, serviceContract } from '@goorm/contracts';
import { ApiRouter, AppError, createServiceApp, requestIdFrom } from '../src/index.ts';
import { createTestAuth, testLogger, testMetrics } from '../src/testing/index.ts';

const thingsApi = serviceContract('/api/things', {
  create: endpoint({
    method: 'post',
    path: '/',
    summary: 'create a thing',
    tags: [],
    access: 'staff',
    body: z.object({ name: z.string().min(1), size: z.coerce.number().int().min(1).max(10) }),
    responses: { 201: { description: 'created', schema: z.object({ name: z.string(), size: z.number() }) } },
  }),
  one: endpoint({
    method: 'get',
    path: '/:id',
    summary: 'one thing',
    tags: [],
    access: 'authenticated',
    params: z.object({ id: z.coerce.number().int().positive() }),
    responses: { 200: { description: 'the thing', schema: z.object({ id: z.number(), caller: z.number().optional() }) } },
  }),
  boom: endpoint({ method: 'get', path: '/boom/now', summary: 'a bug', tags: [], access: 'public', responses: {} }),
  full: endpoint({ method: 'get', path: '/full/now', summary: 'a refusal', tags: [], access: 'public', responses: {}, errors: ['TIME_CONFLICT'] }),
  db: endpoint({ method: 'get', path: '/db/now', summary: 'a query', tags: [], access: 'public', responses: { 200: { description: 'rows', schema: z.unknown() } } }),
});

const clash = { sectionId: 7, lectureCode: 'CSE2010', lectureTitle: '자료구조', sectionNo: 1, day: 'MON' as const, startPeriod: 1, endPeriod: 2 };

async function buildApp(opts: { ready?: () => Promise<void> } = {}) {
  const auth = await createTestAuth();
  const api = new ApiRouter(auth.verifier, thingsApi);
  const created: unknown[] = [];
  api.route(thingsApi.endpoints.create, ({ body }, res) => {
    created.push(body);
    res.status(201).json(body);
  });
  api.route(thingsApi.endpoints.one, ({ params, user }, res) => {
    res.json({ id: params.id, caller: user?.id });
  });
  api.route(thingsApi.endpoints.boom, () => {
    throw new Error('kaboom');
  });
  api.route(thingsApi.endpoints.full, async () => {
    throw new AppError('TIME_CONFLICT', { detail: 'overlaps', extra: { conflict: clash } });
  });
  api.route(thingsApi.endpoints.db, () => {
    throw new Error('not used here');
  });
  const metrics = testMetrics('things');
  const app = createServiceApp({
    name: 'things',
    logger: testLogger(),
    metrics,
    readiness: opts.ready ?? (async () => {}),
    routers: [api],
  });
  return { app, auth, created, metrics };
}

describe('createServiceApp', () => {
  it('answers 401 problem+json without a token and 403 for the wrong role, writing nothing', async () => {
    const { app, auth, created } = await buildApp();
    const noToken = await request(app).post('/api/things').send({ name: 'a', size: 1 });
    expect(noToken.status).toBe(401);
    expect(noToken.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(noToken.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const student = await request(app)
      .post('/api/things')
      .set('Authorization', await auth.bearer({ id: 1, role: 'student' }))
      .send({ name: 'a', size: 1 });
    expect(student.status).toBe(403);
    expect(student.body.code).toBe('FORBIDDEN');
    expect(created).toHaveLength(0);
  });

  it('answers 400 VALIDATION_FAILED naming every bad field', async () => {
    const { app, auth, created } = await buildApp();
    const res = await request(app)
      .post('/api/things')
      .set('Authorization', await auth.bearer({ id: 9, role: 'staff' }))
      .send({ name: '', size: 99 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.name', 'body.size']);
    expect(created).toHaveLength(0);
  });

  it('answers 400 for malformed JSON and 404 problem for unknown routes', async () => {
    const { app, auth } = await buildApp();
    const bad = await request(app)
      .post('/api/things')
      .set('Authorization', await auth.bearer({ id: 9, role: 'staff' }))
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const missing = await request(app).get('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('answers 405 METHOD_NOT_ALLOWED with Allow to a route of ours called with another method, and 404 to a path that is none', async () => {
    const { app, created } = await buildApp();
    const put = await request(app).put('/api/things/7').send({});
    expect(put.status).toBe(405);
    expect(put.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(put.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(put.headers.allow).toBe('GET, HEAD');
    const del = await request(app).delete('/api/things/');
    expect([del.status, del.headers.allow]).toEqual([405, 'POST']);
    expect((await request(app).patch('/api/things/boom/now')).headers.allow).toBe('GET, HEAD');
    expect((await request(app).put('/api/things/7/more')).status).toBe(404);
    expect((await request(app).put('/api/other')).status).toBe(404);
    expect(created).toHaveLength(0);
  });

  it('answers 400, never 500, to malformed percent-encoding in the path and to a body its Content-Encoding does not match', async () => {
    const { app, auth, created } = await buildApp();
    const staff = await auth.bearer({ id: 9, role: 'staff' });
    for (const id of ['%', '%E0%A4%A', '%ZZ']) {
      const res = await request(app).get(`/api/things/${id}`).set('Authorization', staff);
      expect(res.status, id).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'params' }] });
    }
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await request(app)
        .post('/api/things')
        .set('Authorization', staff)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('{"name":"a","size":1}');
      expect(res.status, encoding).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body' }] });
    }
    expect(created).toHaveLength(0);
  });

  it('renders domain refusals with their code and extras, and unknown errors as a bare 500', async () => {
    const { app } = await buildApp();
    const full = await request(app).get('/api/things/full/now');
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({ code: 'TIME_CONFLICT', detail: 'overlaps', conflict: clash });
    const boom = await request(app).get('/api/things/boom/now');
    expect(boom.status).toBe(500);
    expect(boom.body.code).toBe('INTERNAL');
    expect(JSON.stringify(boom.body)).not.toContain('kaboom');
  });

  it('answers 503 with Retry-After, not 500, when the database pool gives no connection in time', async () => {
    // A real knex pool of one connection, held by an open transaction: the next query times out.
    const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 }, acquireConnectionTimeout: 100 });
    const auth = await createTestAuth();
    const api = new ApiRouter(auth.verifier, thingsApi);
    for (const e of [thingsApi.endpoints.create, thingsApi.endpoints.one, thingsApi.endpoints.boom, thingsApi.endpoints.full]) {
      api.route(e, () => {
        throw new Error('not used here');
      });
    }
    api.route(thingsApi.endpoints.db, async (_ctx, res) => {
      res.json(await db.raw('select 1 as one'));
    });
    const app = createServiceApp({ name: 'things', logger: testLogger(), metrics: testMetrics('things'), readiness: async () => {}, routers: [api] });
    let release!: () => void;
    const held = db.transaction(() => new Promise<void>((r) => (release = r)));
    try {
      await new Promise((r) => setTimeout(r, 20));
      const busy = await request(app).get('/api/things/db/now');
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('1');
      expect(busy.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(busy.body.code).toBe('SERVICE_UNAVAILABLE');
      release();
      await held;
      expect((await request(app).get('/api/things/db/now')).status).toBe(200);
    } finally {
      release?.();
      await db.destroy();
    }
  });

  it('passes typed params and the caller to the handler; forwards or creates a request id', async () => {
    const { app, auth } = await buildApp();
    const res = await request(app)
      .get('/api/things/42')
      .set('Authorization', await auth.bearer({ id: 5, role: 'student' }))
      .set('x-request-id', 'abc-123');
    expect(res.body).toEqual({ id: 42, caller: 5 });
    expect(res.headers['x-request-id']).toBe('abc-123');
    const fresh = await request(app).get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Every answer, problems included, is never content-sniffed.
    for (const r of [res, fresh, await request(app).get('/api/things/x')]) expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps a client request id only when it is safe to log and forward (the gateway uses the same rule)', () => {
    for (const safe of ['abc-123', 'trace:1.2_3', 'x'.repeat(128)]) expect(requestIdFrom(safe)).toBe(safe);
    for (const unsafe of ['bad id <script>', 'x'.repeat(129), '', 'line\nbreak', ['a', 'b'], undefined]) {
      expect(requestIdFrom(unsafe)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('rejects expired and forged tokens with 401', async () => {
    const { app, auth } = await buildApp();
    const expired = await auth.token({ id: 1, role: 'student' }, 60, new Date(Date.now() - 3600_000));
    const r1 = await request(app).get('/api/things/1').set('Authorization', `Bearer ${expired}`);
    expect(r1.status).toBe(401);
    expect(r1.body.detail).toMatch(/expired/);
    const other = await createTestAuth();
    const r2 = await request(app).get('/api/things/1').set('Authorization', await other.bearer({ id: 1, role: 'staff' }));
    expect(r2.status).toBe(401);
    const r3 = await request(app).get('/api/things/1').set('Authorization', 'Bearer not.a.jwt');
    expect(r3.status).toBe(401);
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const { app, auth } = await buildApp();
    const t = await auth.token({ id: 1, role: 'student' }, 60, new Date(Date.now() - 70_000)); // expired 10 s ago
    const r = await request(app).get('/api/things/1').set('Authorization', `Bearer ${t}`);
    expect(r.status).toBe(200);
  });

  it('records the request histogram by route template on /metrics', async () => {
    const { app, auth } = await buildApp();
    await request(app).get('/api/things/77').set('Authorization', await auth.bearer({ id: 1, role: 'student' }));
    const m = await request(app).get('/metrics');
    expect(m.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/things\/:id"[^}]*status_code="200"[^}]*\} 1/);
    expect(m.text).not.toContain('/api/things/77');
  });

  it('answers /readyz 503 when the readiness check fails', async () => {
    let up = true;
    const { app } = await buildApp({
      ready: async () => {
        if (!up) throw new Error('database unreachable');
      },
    });
    expect((await request(app).get('/readyz')).status).toBe(200);
    up = false;
    const down = await request(app).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.detail).toMatch(/database unreachable/);
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const { app } = await buildApp();
    const doc = (await request(app).get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const post = doc.paths['/api/things'].post;
    expect(post.requestBody.content['application/json'].schema.required).toEqual(['name', 'size']);
    expect(post['x-roles']).toEqual(['staff']);
    expect(doc.paths['/api/things/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });
});

describe('metrics route label', () => {
  it('labels refused requests with the full route template too', async () => {
    const { app } = await buildApp();
    await request(app).post('/api/things').send({});
    const m = await request(app).get('/metrics');
    expect(m.text).toMatch(/http_requests_total\{[^}]*route="\/api\/things"[^}]*status_code="401"[^}]*\} 1/);
  });
});
