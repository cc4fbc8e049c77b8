import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLogger, testMetrics } from '@goorm/common/testing';
import { createGatewayApp, type Upstreams } from '../src/app.ts';
import { upstreamAgent } from '../src/proxy/proxy.ts';

interface Seen {
  service: string;
  method: string;
  url: string;
  requestId: string | undefined;
  forwardedFor: string | undefined;
  body: unknown;
}

interface Upstream {
  url: string;
  seen: Seen[];
  connections: number;
  close(): Promise<void>;
}

/** A tiny stand-in service on an ephemeral port that records what reached it. */
async function startUpstream(service: string, opts: { delayMs?: number } = {}): Promise<Upstream> {
  const seen: Seen[] = [];
  const app = express();
  app.use(express.json());
  app.all('/{*rest}', async (req, res) => {
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    seen.push({
      service,
      method: req.method,
      url: req.originalUrl,
      requestId: req.headers['x-request-id'] as string | undefined,
      forwardedFor: req.headers['x-forwarded-for'] as string | undefined,
      body: req.body,
    });
    res.status(req.path.endsWith('/missing') ? 404 : 200).json({ service, url: req.originalUrl });
  });
  const server = http.createServer(app);
  const state = { connections: 0 };
  server.on('connection', () => state.connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    get connections() {
      return state.connections;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A port that was free a moment ago and has nothing listening now. */
async function closedPortUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('gateway', () => {
  const names = ['auth', 'lectures', 'carts', 'enrollment', 'ai'] as const;
  const upstreams = {} as Record<(typeof names)[number], Upstream>;
  let slow: Upstream;
  let agent: http.Agent;
  let app: express.Express;
  let metrics: ReturnType<typeof testMetrics>;
  let dist: string;

  beforeAll(async () => {
    for (const n of names) upstreams[n] = await startUpstream(n);
    slow = await startUpstream('slow', { delayMs: 2_000 });
    dist = mkdtempSync(path.join(tmpdir(), 'gateway-dist-'));
    mkdirSync(path.join(dist, 'student', 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'student', 'index.html'), '<!doctype html><title>student app</title>');
    writeFileSync(path.join(dist, 'student', 'assets', 'app-3f2a.js'), 'console.log("student")');
    writeFileSync(path.join(dist, 'student', 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    mkdirSync(path.join(dist, 'admin'), { recursive: true });
    writeFileSync(path.join(dist, 'admin', 'index.html'), '<!doctype html><title>admin app</title>');
    agent = new http.Agent({ keepAlive: true });
    metrics = testMetrics('gateway');
    app = createGatewayApp({
      upstreams: Object.fromEntries(names.map((n) => [n, upstreams[n].url])) as Upstreams,
      studentDist: path.join(dist, 'student'),
      adminDist: path.join(dist, 'admin'),
      logger: testLogger(),
      metrics,
      agent,
    });
  });
  afterAll(async () => {
    agent.destroy();
    await Promise.all([...names.map((n) => upstreams[n].close()), slow.close()]);
    rmSync(dist, { recursive: true, force: true });
  });

  describe('/api/<service>/*', () => {
    it.each([
      ['/api/auth/me', 'auth'],
      ['/api/lectures/sections?q=%EC%9E%90%EB%A3%8C%EA%B5%AC%EC%A1%B0&page=2', 'lectures'],
      ['/api/carts/me', 'carts'],
      ['/api/enrollments/windows', 'enrollment'],
      ['/api/enrollments', 'enrollment'],
      ['/api/ai/recommendations?limit=5', 'ai'],
    ] as const)('when asked for %s, forwards to %s with the path and query unchanged', async (url, service) => {
      const res = await request(app).get(url).expect(200);
      expect(res.body).toEqual({ service, url });
      expect(upstreams[service].seen.at(-1)).toMatchObject({ method: 'GET', url });
    });

    it('forwards the method, the JSON body and the upstream status as they are', async () => {
      const res = await request(app).post('/api/auth/login').send({ role: 'student', loginId: '20230001', password: 'x' }).expect(200);
      expect(res.body.service).toBe('auth');
      expect(upstreams.auth.seen.at(-1)).toMatchObject({
        method: 'POST',
        url: '/api/auth/login',
        body: { role: 'student', loginId: '20230001', password: 'x' },
      });
      await request(app).delete('/api/carts/me/items/missing').expect(404);
      expect(upstreams.carts.seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/carts/me/items/missing' });
    });

    it('when the client sends no request id, creates one, forwards it and returns it', async () => {
      const res = await request(app).get('/api/lectures/terms').expect(200);
      const id = res.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(upstreams.lectures.seen.at(-1)!.requestId).toBe(id);
    });

    it("forwards the client's own request id unchanged", async () => {
      const res = await request(app).get('/api/lectures/terms').set('X-Request-Id', 'client-trace-42').expect(200);
      expect(res.headers['x-request-id']).toBe('client-trace-42');
      expect(upstreams.lectures.seen.at(-1)!.requestId).toBe('client-trace-42');
    });

    it('replaces a request id that is not a safe token', async () => {
      const res = await request(app).get('/api/lectures/terms').set('X-Request-Id', 'bad id <script>').expect(200);
      expect(res.headers['x-request-id']).not.toBe('bad id <script>');
      expect(upstreams.lectures.seen.at(-1)!.requestId).toBe(res.headers['x-request-id']);
    });

    it('tells the service the client address in X-Forwarded-For', async () => {
      await request(app).get('/api/carts/me').expect(200);
      expect(upstreams.carts.seen.at(-1)!.forwardedFor).toMatch(/127\.0\.0\.1|::1/);
    });

    it('reuses connections to a service (keep-alive) instead of opening one per request', async () => {
      const before = upstreams.enrollment.connections;
      for (let i = 0; i < 5; i++) await request(app).get('/api/enrollments/me').expect(200);
      expect(upstreams.enrollment.connections - before).toBeLessThanOrEqual(1);
    });

    it.each<[string, Record<string, string>]>([
      ['DELETE', { 'transfer-encoding': 'chunked' }],
      ['OPTIONS', { 'transfer-encoding': 'chunked' }],
      ['DELETE', { 'content-length': '5' }],
    ])('refuses a %s with a body (%o) with 400 and forwards nothing: no route takes one, and the proxy would smuggle it', async (method, headers) => {
      const server = http.createServer(app);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const { port } = server.address() as AddressInfo;
      const seen = upstreams.carts.seen.length;
      try {
        const res = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, method, path: '/api/carts/me/items/1', headers, agent: false }, (r) => {
            let body = '';
            r.on('data', (c: Buffer) => (body += c.toString()));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, type: String(r.headers['content-type']), body }));
          });
          req.on('error', reject);
          req.end('GET /api/carts/me HTTP/1.1\r\nHost: x\r\n\r\n'.slice(0, headers['content-length'] ? 5 : undefined));
        });
        expect(res.status).toBe(400);
        expect(res.type).toContain('application/problem+json');
        expect(JSON.parse(res.body)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body' }] });
        expect(upstreams.carts.seen.length).toBe(seen);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    });

    it('when the prefix is unknown, answers 404 problem+json and forwards nothing', async () => {
      const counts = names.map((n) => upstreams[n].seen.length);
      const res = await request(app).get('/api/nothing/here').expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      expect(names.map((n) => upstreams[n].seen.length)).toEqual(counts);
    });

    it('does not forward the probes: /healthz, /readyz and /metrics are the gateway\'s own', async () => {
      const counts = names.map((n) => upstreams[n].seen.length);
      expect((await request(app).get('/healthz').expect(200)).body).toEqual({ status: 'ok', service: 'gateway' });
      expect((await request(app).get('/readyz').expect(200)).body).toEqual({ status: 'ready', service: 'gateway' });
      await request(app).get('/metrics').expect(200);
      expect(names.map((n) => upstreams[n].seen.length)).toEqual(counts);
    });

    it('records proxied requests in the histogram under the route template, not the URL', async () => {
      await request(app).get('/api/lectures/sections/17').expect(200);
      const text = (await request(app).get('/metrics').expect(200)).text;
      const count = text.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count{') && l.includes('route="/api/lectures/*"') && l.includes('status_code="200"'));
      expect(count).toMatch(/ [1-9]\d*$/);
      expect(text).not.toContain('sections/17');
    });
  });

  describe('when a service is down or slow', () => {
    it('answers 502 problem+json SERVICE_UNAVAILABLE at once when the service is not listening', async () => {
      const down = createGatewayApp({
        upstreams: { auth: await closedPortUrl(), lectures: await closedPortUrl(), carts: upstreams.carts.url, enrollment: upstreams.enrollment.url },
        logger: testLogger(),
        metrics: testMetrics('gateway'),
      });
      const started = Date.now();
      const res = await request(down).post('/api/auth/login').send({ loginId: 'admin' }).expect(502);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 502, code: 'SERVICE_UNAVAILABLE', instance: '/api/auth/login' });
      expect(res.body.detail).toContain('auth');
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });

    it('answers 504 when the service does not answer within the upstream timeout', async () => {
      const impatient = createGatewayApp({
        upstreams: { auth: slow.url, lectures: slow.url, carts: slow.url, enrollment: slow.url },
        logger: testLogger(),
        metrics: testMetrics('gateway'),
        upstreamTimeoutMs: 200,
      });
      const res = await request(impatient).get('/api/lectures/sections').expect(504);
      expect(res.body).toMatchObject({ status: 504, code: 'SERVICE_UNAVAILABLE' });
    });

    it('answers 503 for /api/ai/* when no AI helper is configured', async () => {
      const noAi = createGatewayApp({
        upstreams: { auth: upstreams.auth.url, lectures: upstreams.lectures.url, carts: upstreams.carts.url, enrollment: upstreams.enrollment.url },
        logger: testLogger(),
        metrics: testMetrics('gateway'),
      });
      const res = await request(noAi).get('/api/ai/model').expect(503);
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    });
  });

  describe('the apps', () => {
    it('serves the student app at / and its hashed assets with a long cache', async () => {
      const index = await request(app).get('/').expect(200);
      expect(index.text).toContain('student app');
      expect(index.headers['cache-control']).toBe('no-cache');
      const asset = await request(app).get('/assets/app-3f2a.js').expect(200);
      expect(asset.headers['content-type']).toContain('javascript');
      expect(asset.headers['cache-control']).toContain('immutable');
      await request(app).get('/favicon.svg').expect(200);
    });

    it('answers a client-side route of the student app with index.html (SPA fallback)', async () => {
      const res = await request(app).get('/timetable/2026-1').expect(200);
      expect(res.text).toContain('student app');
    });

    it('answers a missing file with 404, not with index.html', async () => {
      const res = await request(app).get('/assets/gone-1234.js').expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('serves the staff app under /admin/ with its own fallback, and redirects /admin', async () => {
      await request(app).get('/admin').expect(301).expect('location', '/admin/');
      expect((await request(app).get('/admin/').expect(200)).text).toContain('admin app');
      expect((await request(app).get('/admin/sections/12').expect(200)).text).toContain('admin app');
    });

    it('sends the security headers on the apps, their assets and the API; HSTS only over TLS; never a source map', async () => {
      for (const url of ['/', '/admin/', '/assets/app-3f2a.js', '/api/lectures/sections']) {
        const res = await request(app).get(url).expect(200);
        expect(res.headers['x-content-type-options'], url).toBe('nosniff');
        expect(res.headers['referrer-policy'], url).toBe('same-origin');
        expect(res.headers['x-frame-options'], url).toBe('DENY');
        expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
        expect(res.headers['strict-transport-security'], url).toBeUndefined();
      }
      // Behind the ALB, which ends TLS and says so.
      const tls = await request(app).get('/').set('X-Forwarded-Proto', 'https').expect(200);
      expect(tls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      // A source map left in dist is still not served (the builds make none).
      writeFileSync(path.join(dist, 'student', 'assets', 'app-3f2a.js.map'), '{"version":3,"sources":["src/secret.ts"]}');
      const map = await request(app).get('/assets/app-3f2a.js.map').expect(404);
      expect(map.text).not.toContain('secret.ts');
    });

    it('keeps CORS closed: another origin gets no Access-Control-Allow-Origin, and no preflight is granted', async () => {
      const simple = await request(app).get('/api/lectures/sections').set('Origin', 'https://evil.example').expect(200);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await request(app)
        .options('/api/enrollments')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    });

    it('when an app is not built, shows a Korean/English placeholder page', async () => {
      const bare = createGatewayApp({
        upstreams: { auth: upstreams.auth.url, lectures: upstreams.lectures.url, carts: upstreams.carts.url, enrollment: upstreams.enrollment.url },
        studentDist: path.join(dist, 'nothing-here'),
        logger: testLogger(),
        metrics: testMetrics('gateway'),
      });
      const student = await request(bare).get('/').expect(200);
      expect(student.headers['content-type']).toContain('text/html');
      expect(student.text).toContain('아직 빌드되지 않았습니다');
      expect(student.text).toContain('not built yet');
      const admin = await request(bare).get('/admin/').expect(200);
      expect(admin.text).toContain('교직원용 관리 앱');
    });
  });
});

describe('gateway under concurrent POSTs with bodies', () => {
  it('proxies every request when the upstream agent has fewer sockets than requests in flight (no crash, no lost answer)', async () => {
    // Regression: with no free socket, http-proxy pipes a POST body into the upstream request
    // before its socket exists, which flushes the headers; setting a header in the proxyReq
    // listener then threw ERR_HTTP_HEADERS_SENT and killed the gateway process.
    const upstream = await startUpstream('enrollment');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const app = createGatewayApp({
      upstreams: { auth: upstream.url, lectures: upstream.url, carts: upstream.url, enrollment: upstream.url },
      logger: testLogger(),
      metrics: testMetrics('gateway'),
      agent,
    });
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          fetch(`http://127.0.0.1:${port}/api/enrollments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', connection: 'close' },
            body: JSON.stringify({ sectionId: i + 1, padding: 'x'.repeat(2_000) }),
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as { service: string } })),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(60).fill(200));
      expect(upstream.seen.filter((s) => s.method === 'POST').map((s) => (s.body as { sectionId: number }).sectionId).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
      await upstream.close();
    }
  });
});

describe('connections to a service under load (decision 0015)', () => {
  it('uses at most its pool of connections, keeps them open between bursts, and queues the rest in order: no new connection under load', async () => {
    const upstream = await startUpstream('enrollment', { delayMs: 30 });
    const pool = 8;
    const agent = upstreamAgent(pool);
    const app = createGatewayApp({
      upstreams: { auth: upstream.url, lectures: upstream.url, carts: upstream.url, enrollment: upstream.url },
      logger: testLogger(),
      metrics: testMetrics('gateway'),
      agent,
    });
    const gateway = http.createServer(app);
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
    const { port } = gateway.address() as AddressInfo;
    const client = new http.Agent({ keepAlive: true, maxSockets: 100 });
    const get = (i: number) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: `/api/enrollments/me?i=${i}`, agent: client }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    try {
      for (let wave = 0; wave < 3; wave++) {
        const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => get(wave * 100 + i)));
        expect(statuses.every((s) => s === 200)).toBe(true);
        await new Promise((r) => setTimeout(r, 100)); // a lull: the connections must stay open through it
      }
      expect(upstream.seen).toHaveLength(180);
      // 180 requests, 60 at a time, over 3 bursts: never more than the pool, and none opened again after a lull.
      expect(upstream.connections).toBeLessThanOrEqual(pool);
      // Queued in arrival order: the first wave's requests reached the service before the second's.
      const waves = upstream.seen.map((r) => Math.floor(Number(new URL(r.url, 'http://x').searchParams.get('i')) / 100));
      expect(waves).toEqual([...waves].sort((a, b) => a - b));
    } finally {
      client.destroy();
      agent.destroy();
      gateway.closeAllConnections();
      await new Promise<void>((r) => gateway.close(() => r()));
      await upstream.close();
    }
  });
});
