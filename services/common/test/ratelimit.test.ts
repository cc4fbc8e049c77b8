import { z } from 'zod';
import { endpoint, serviceContract } from '@goorm/contracts';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRouter, createServiceApp } from '../src/index.ts';
import {
  MemoryRateLimitStore,
  msUntilAllowed,
  slidingCount,
  RedisRateLimitStore,
  rateLimit,
  rateLimitKeys,
  type RateLimitKey,
  type RateLimitStore,
} from '../src/ratelimit/index.ts';
import { createTestAuth, testLogger, testMetrics, type TestAuth } from '../src/testing/index.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function connectRedis(): Promise<Redis | undefined> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1_000, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return r;
  } catch (err) {
    r.disconnect();
    if (process.env.CI === 'true') throw new Error(`CI=true but Redis is not reachable at ${REDIS_URL}: ${(err as Error).message}`);
    return undefined;
  }
}

const redis = await connectRedis();
/** One prefix per test file run, removed afterwards, so parallel files never share keys. */
const PREFIX = `test:rl:${randomBytes(4).toString('hex')}:`;

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

interface StoreCase {
  name: string;
  /** A fresh store; `advance` moves its clock (memory) or waits for real (Redis). */
  make(): Promise<{ store: RateLimitStore; advance(ms: number): Promise<void> }>;
  /** Window short enough to wait out in a test. */
  windowMs: number;
}

const cases: StoreCase[] = [
  {
    name: 'memory store',
    windowMs: 60_000,
    async make() {
      let now = Date.UTC(2026, 1, 10, 1, 0, 0);
      return {
        store: new MemoryRateLimitStore({ clock: () => now }),
        advance: async (ms) => {
          now += ms;
        },
      };
    },
  },
];
if (redis) {
  let n = 0;
  const windowMs = 1_000;
  cases.push({
    name: 'redis store',
    windowMs,
    async make() {
      // Slots are aligned to the (Redis server's) clock: start each test at the start of a slot, so that its
      // few requests fall in one slot as they would with a clock of our own.
      await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 5));
      return {
        store: new RedisRateLimitStore({ client: redis, prefix: `${PREFIX}${++n}:` }),
        advance: (ms) => new Promise((r) => setTimeout(r, ms)),
      };
    },
  });
}

const thingsApi = serviceContract('/api/things', {
  doThing: endpoint({
    method: 'post',
    path: '/',
    summary: 'do a thing',
    tags: [],
    access: 'public',
    responses: { 201: { description: 'done', schema: z.object({ ok: z.boolean() }) } },
  }),
});

function buildApp(store: RateLimitStore, o: { limit: number; windowMs: number; key: RateLimitKey; auth: TestAuth }) {
  let reached = 0;
  const api = new ApiRouter(o.auth.verifier, thingsApi);
  api.route(thingsApi.endpoints.doThing, (_i, res) => {
    reached++;
    res.status(201).json({ ok: true });
  });
  const metrics = testMetrics();
  const app = createServiceApp({
    name: 'things',
    logger: testLogger(),
    metrics,
    readiness: async () => {},
    routers: [api],
    configure: (a) => a.use('/api/things', rateLimit({ store, name: 'things', limit: o.limit, windowMs: o.windowMs, key: o.key, registry: metrics.registry })),
  });
  return { app, metrics, reached: () => reached };
}

describe.each(cases)('rate limiting with the $name', (c) => {
  let auth: TestAuth;
  beforeAll(async () => {
    auth = await createTestAuth();
  });

  const post = (app: Express, ip: string, body: object = {}) => request(app).post('/api/things').set('X-Forwarded-For', ip).send(body);

  it('when a client address has spent its limit, answers 429 RATE_LIMITED with Retry-After and never reaches the route', async () => {
    const { store } = await c.make();
    const { app, metrics, reached } = buildApp(store, { limit: 3, windowMs: c.windowMs, key: rateLimitKeys.clientIp, auth });
    for (let i = 1; i <= 3; i++) {
      const ok = await post(app, '10.0.0.1');
      expect(ok.status).toBe(201);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(3 - i));
    }
    const res = await post(app, '10.0.0.1');
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', limit: 'things' });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // Refused hits count, so the wait can reach into the next slot, never past it.
    expect(retryAfter).toBeLessThanOrEqual(Math.max(1, Math.ceil((2 * c.windowMs) / 1000)));
    expect(res.body.retryAfterSeconds).toBe(retryAfter);
    expect(res.headers['ratelimit-remaining']).toBe('0');
    expect(reached()).toBe(3);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/rate_limit_decisions_total\{name="things",outcome="limited",service="test"\} 1/);
    expect(text).toMatch(/rate_limit_decisions_total\{name="things",outcome="allowed",service="test"\} 3/);
  });

  it('counts each client address on its own', async () => {
    const { store } = await c.make();
    const { app, reached } = buildApp(store, { limit: 1, windowMs: c.windowMs, key: rateLimitKeys.clientIp, auth });
    expect((await post(app, '10.0.0.1')).status).toBe(201);
    expect((await post(app, '10.0.0.1')).status).toBe(429);
    expect((await post(app, '10.0.0.2')).status).toBe(201);
    expect(reached()).toBe(2);
  });

  it('limits per student from the bearer token, whatever the address, and leaves requests without a token to the route', async () => {
    const { store } = await c.make();
    const { app, reached } = buildApp(store, { limit: 2, windowMs: c.windowMs, key: rateLimitKeys.bearerSubject(auth.verifier), auth });
    const a = await auth.bearer({ id: 1, role: 'student' });
    const b = await auth.bearer({ id: 2, role: 'student' });
    const as = (who: string, ip: string) => request(app).post('/api/things').set('Authorization', who).set('X-Forwarded-For', ip).send({});
    expect((await as(a, '10.0.0.1')).status).toBe(201);
    expect((await as(a, '10.0.0.2')).status).toBe(201);
    expect((await as(a, '10.0.0.3')).status).toBe(429);
    expect((await as(b, '10.0.0.1')).status).toBe(201);
    expect((await post(app, '10.0.0.1')).status).toBe(201);
    expect((await post(app, '10.0.0.1')).status).toBe(201);
    expect((await post(app, '10.0.0.1')).status).toBe(201);
    expect(reached()).toBe(6);
  });

  it('limits login attempts per account from the JSON body', async () => {
    const { store } = await c.make();
    const { app } = buildApp(store, { limit: 1, windowMs: c.windowMs, key: rateLimitKeys.bodyField('loginId'), auth });
    expect((await post(app, '10.0.0.1', { loginId: '20230001' })).status).toBe(201);
    expect((await post(app, '10.0.0.9', { loginId: ' 20230001 ' })).status).toBe(429);
    expect((await post(app, '10.0.0.1', { loginId: '20240001' })).status).toBe(201);
  });

  it('once the hits have slid out of the window (two slots later), lets the same client through again', async () => {
    const { store, advance } = await c.make();
    const { app, reached } = buildApp(store, { limit: 2, windowMs: c.windowMs, key: rateLimitKeys.clientIp, auth });
    await post(app, '10.0.0.1');
    await post(app, '10.0.0.1');
    expect((await post(app, '10.0.0.1')).status).toBe(429);
    await advance(2 * c.windowMs + 50);
    const again = await post(app, '10.0.0.1');
    expect(again.status).toBe(201);
    expect(again.headers['ratelimit-remaining']).toBe('1');
    expect(reached()).toBe(3);
  });

  it('counts concurrent hits atomically: 50 at once get the counts 1..50 exactly once each', async () => {
    const { store } = await c.make();
    const hits = await Promise.all(Array.from({ length: 50 }, () => store.hit('burst', 60_000)));
    // All 50 in one slot, unless the slot turned during the burst: then the counts restart in the new one.
    const slots = new Set(hits.map((h) => h.previous));
    if (slots.size === 1) expect(hits.map((h) => h.current).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (const h of hits) expect(h.elapsedMs).toBeGreaterThanOrEqual(0);
    for (const h of hits) expect(h.elapsedMs).toBeLessThan(60_000);
  });

  it("carries the previous slot's hits into the next one, fading with the time elapsed", async () => {
    const { store, advance } = await c.make();
    const w = c.windowMs;
    const first = await store.hit('fade', w);
    await store.hit('fade', w);
    await store.hit('fade', w);
    await advance(w - first.elapsedMs + Math.floor(w / 4)); // about a quarter into the next slot
    const next = await store.hit('fade', w);
    expect(next).toMatchObject({ current: 1, previous: 3 });
    expect(slidingCount(next, w)).toBe(1 + Math.ceil((3 * (w - next.elapsedMs)) / w));
    expect(slidingCount(next, w)).toBeGreaterThan(1);
  });
});

describe('the sliding window (memory store, a clock of its own)', () => {
  const W = 60_000;
  const slotStart = Date.UTC(2026, 1, 10, 1, 0, 0); // a multiple of W
  let auth: TestAuth;
  beforeAll(async () => {
    auth = await createTestAuth();
  });

  it('does not give a second full limit just after a boundary to a client who spent it just before (the fixed window did)', async () => {
    let now = slotStart + 59_000;
    const store = new MemoryRateLimitStore({ clock: () => now });
    const { app, reached } = buildApp(store, { limit: 10, windowMs: W, key: rateLimitKeys.clientIp, auth });
    const post = () => request(app).post('/api/things').set('X-Forwarded-For', '10.0.0.7').send({});
    for (let i = 0; i < 10; i++) expect((await post()).status).toBe(201);
    now = slotStart + W + 1_000; // 2 s later, 1 s into the next slot: 10 × 59/60 of the old hits still count (rounded up)
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(reached()).toBe(10);
    // Retry-After is when one more passes (11 s here: 2 + ceil(10 × 48/60) = 10); waiting it out lets one through.
    expect(refused.headers['retry-after']).toBe('11');
    now += 11_000;
    expect((await post()).status).toBe(201);
    expect(reached()).toBe(11);
  });

  it('msUntilAllowed: 0 while under the limit; within the slot when the old share fades enough; in the next slot otherwise', () => {
    expect(msUntilAllowed({ current: 1, previous: 0, elapsedMs: 10 }, W, 5)).toBe(0);
    expect(msUntilAllowed({ current: 4, previous: 0, elapsedMs: 10 }, W, 5)).toBe(0);
    // 2 now, 6 before, half way: 2 + 1 + ceil(6 × (30,000 − Δ) / 60,000) ≤ 5 once 6 × (30,000 − Δ) / 60,000 ≤ 2: Δ ≥ 10,000.
    expect(msUntilAllowed({ current: 2, previous: 6, elapsedMs: 30_000 }, W, 5)).toBe(10_000);
    expect(msUntilAllowed({ current: 2, previous: 10, elapsedMs: 30_000 }, W, 5)).toBe(18_000);
    // One short of the limit but the old share never fades below 1 in this slot: at the next slot.
    expect(msUntilAllowed({ current: 4, previous: 3, elapsedMs: 30_000 }, W, 5)).toBe(30_000);
    // At the limit in this slot: in the next one, once 1 + ceil(5 × (60,000 − e) / 60,000) ≤ 5, e ≥ 12,000.
    expect(msUntilAllowed({ current: 5, previous: 0, elapsedMs: 40_000 }, W, 5)).toBe(32_000);
    // Hammered (refused hits count): never later than when this slot stops counting.
    expect(msUntilAllowed({ current: 500, previous: 0, elapsedMs: 40_000 }, W, 5)).toBe(79_520);
    expect(msUntilAllowed({ current: 1e9, previous: 0, elapsedMs: 40_000 }, W, 5)).toBe(80_000);
  });
});

describe('rate limiting when the store fails', () => {
  function capture() {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          cb();
        },
      }),
    );
    return { logger, lines };
  }

  async function appWith(store: RateLimitStore, o: { timeoutMs?: number } = {}) {
    const auth = await createTestAuth();
    const { logger, lines } = capture();
    const metrics = testMetrics();
    let reached = 0;
    const api = new ApiRouter(auth.verifier, thingsApi);
    api.route(thingsApi.endpoints.doThing, (_i, res) => {
      reached++;
      res.status(201).json({ ok: true });
    });
    const app = createServiceApp({
      name: 'things',
      logger: testLogger(),
      metrics,
      readiness: async () => {},
      routers: [api],
      configure: (a) =>
        a.use(
          '/api/things',
          rateLimit({ store, name: 'things', limit: 1, windowMs: 60_000, key: rateLimitKeys.clientIp, logger, registry: metrics.registry, ...o }),
        ),
    });
    return { app, lines, metrics, reached: () => reached };
  }

  it('when Redis is unreachable, fails open: every request reaches the route, no 5xx, one warning logged', async () => {
    const down = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
    down.on('error', () => {});
    try {
      const { app, lines, metrics, reached } = await appWith(new RedisRateLimitStore({ client: down }));
      for (let i = 0; i < 3; i++) {
        const res = await request(app).post('/api/things').send({});
        expect(res.status).toBe(201);
        expect(res.headers['ratelimit-limit']).toBeUndefined();
      }
      expect(reached()).toBe(3);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, limiter: 'things', msg: 'rate limit store failed; letting requests through' });
      expect(await metrics.registry.metrics()).toMatch(/rate_limit_decisions_total\{name="things",outcome="store_error",service="test"\} 3/);
    } finally {
      down.disconnect();
    }
  });

  it('when the store hangs, lets the request through after the timeout', async () => {
    const hanging: RateLimitStore = { hit: () => new Promise(() => {}) };
    const { app, reached } = await appWith(hanging, { timeoutMs: 50 });
    const started = Date.now();
    const res = await request(app).post('/api/things').send({});
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(reached()).toBe(1);
  });
});
