import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loginLimiters, MemoryRateLimitStore, rateLimitConfigShape } from '@goorm/common';
import { testEngines, testLogger, testMetrics } from '@goorm/common/testing';
import { createApp } from '../src/app.ts';
import { PASSWORD, setup, THROTTLE, type AuthTestContext } from './helpers.ts';

const engines = await testEngines();

describe.each(engines)('POST /api/auth/login rate limit per client address on %s', (engine) => {
  let ctx: AuthTestContext;
  beforeAll(async () => {
    ctx = await setup(engine);
  });
  afterAll(async () => {
    await ctx.destroy();
  });

  it('when one address sends more attempts than allowed, answers 429 RATE_LIMITED with Retry-After, even for a right password', async () => {
    const config = loadConfig(rateLimitConfigShape, { RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '3' });
    const app = createApp({
      db: ctx.db,
      verifier: ctx.auth.verifier,
      signer: ctx.auth.signer,
      logger: testLogger(),
      metrics: testMetrics('auth'),
      readiness: async () => {},
      passwords: ctx.passwords,
      throttle: THROTTLE,
      loginLimiters: loginLimiters(config, new MemoryRateLimitStore(), {}),
    });
    const a = await ctx.insertStudent();
    const b = await ctx.insertStudent();
    // three wrong guesses on different accounts (so the per-account lock does not kick in)
    for (const loginId of [a.studentNo, b.studentNo, '29999999']) {
      const r = await request(app).post('/api/auth/login').send({ role: 'student', loginId, password: 'wrong-password' });
      expect(r.status).toBe(401);
    }
    const limited = await request(app).post('/api/auth/login').send({ role: 'student', loginId: a.studentNo, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.body.accessToken).toBeUndefined();
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // other routes are not limited
    expect((await request(app).get('/api/auth/me').set('Authorization', await ctx.studentBearer(a.id))).status).toBe(200);
  });
});
