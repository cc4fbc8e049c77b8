import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuth, testEngines } from '@goorm/common/testing';
import { BAD_CREDENTIALS } from '../src/login/login.service.ts';
import { PASSWORD, setup, THROTTLE, type AuthTestContext } from './helpers.ts';

const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let t: AuthTestContext;
  beforeAll(async () => {
    t = await setup(engine);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const throttleRow = (key: string) => t.db('login_throttle').where({ throttle_key: key }).first();

  describe('POST /api/auth/login', () => {
    it('when a student gives the right password, answers 200 with a token that /me accepts and no password hash', async () => {
      const s = await t.insertStudent({ name: '박지민', grade: 3, maxCredits: 21 });
      const res = await t.http.post('/api/auth/login').send({ role: 'student', loginId: s.studentNo, password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.user).toEqual({ id: s.id, role: 'student', studentNo: s.studentNo, name: '박지민', majorId: t.majors.cse, grade: 3, maxCredits: 21 });
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);
      const ttlMs = Date.parse(res.body.expiresAt) - Date.now();
      expect(ttlMs).toBeGreaterThan(7100_000);
      expect(ttlMs).toBeLessThanOrEqual(7200_000);

      const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`);
      expect(me.status).toBe(200);
      expect(me.body).toEqual(res.body.user);
      expect(await t.auth.verifier.verify(res.body.accessToken)).toEqual({
        id: s.id,
        role: 'student',
        loginId: s.studentNo,
        name: '박지민',
        majorId: t.majors.cse,
        grade: 3,
      });
    });

    it("a student's token carries the major and grade stored at sign-in (a later change shows in the next token)", async () => {
      const s = await t.insertStudent({ majorId: t.majors.math, grade: 1 });
      const first = await t.http.post('/api/auth/login').send({ role: 'student', loginId: s.studentNo, password: PASSWORD });
      expect(await t.auth.verifier.verify(first.body.accessToken)).toMatchObject({ majorId: t.majors.math, grade: 1 });

      await t.db('student').where({ id: s.id }).update({ major_id: t.majors.cse, grade: 2 });
      const second = await t.http.post('/api/auth/login').send({ role: 'student', loginId: s.studentNo, password: PASSWORD });
      expect(await t.auth.verifier.verify(second.body.accessToken)).toMatchObject({ majorId: t.majors.cse, grade: 2 });
    });

    it('when a staff member signs in (login id in any case), answers 200 with the staff user', async () => {
      const st = await t.insertStaff({ loginId: 'registrar.kim', name: '김교직' });
      const res = await t.http.post('/api/auth/login').send({ role: 'staff', loginId: 'Registrar.Kim', password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body.user).toEqual({ id: st.id, role: 'staff', loginId: 'registrar.kim', name: '김교직' });
      const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`);
      expect(me.body).toEqual(res.body.user);
      // a staff token names no major or grade
      expect(await t.auth.verifier.verify(res.body.accessToken)).toEqual({ id: st.id, role: 'staff', loginId: 'registrar.kim', name: '김교직' });
    });

    it('when the password is wrong, answers 401 UNAUTHENTICATED with no token and counts the failure', async () => {
      const s = await t.insertStudent();
      const res = await t.http.post('/api/auth/login').send({ role: 'student', loginId: s.studentNo, password: 'wrong password' });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: BAD_CREDENTIALS });
      expect(res.body.accessToken).toBeUndefined();
      expect((await throttleRow(`student:${s.studentNo}`))?.failures).toBe(1);
    });

    it('when the account does not exist, answers the very same 401 as a wrong password', async () => {
      const res = await t.http.post('/api/auth/login').send({ role: 'student', loginId: '19990001', password: PASSWORD });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: BAD_CREDENTIALS });
      expect(res.body.accessToken).toBeUndefined();
    });

    it('when a student number is used with role staff, answers 401 (roles are separate account spaces)', async () => {
      const s = await t.insertStudent();
      const res = await t.http.post('/api/auth/login').send({ role: 'staff', loginId: s.studentNo, password: PASSWORD });
      expect(res.status).toBe(401);
    });

    it.each([
      ['role', { role: 'professor', loginId: '20250001', password: 'x' }],
      ['role', { loginId: '20250001', password: 'x' }],
      ['loginId', { role: 'student', loginId: '', password: 'x' }],
      ['loginId', { role: 'student', loginId: 'x'.repeat(65), password: 'x' }],
      ['password', { role: 'student', loginId: '20250001', password: '' }],
      ['password', { role: 'student', loginId: '20250001', password: 12345678 }],
    ])('when %s is invalid, answers 400 VALIDATION_FAILED naming it and counts nothing', async (field, body) => {
      const before = await t.count('login_throttle');
      const res = await t.http.post('/api/auth/login').send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(`body.${field}`);
      expect(await t.count('login_throttle')).toBe(before);
    });

    it(`after ${THROTTLE.maxFailures} failures answers 429 RATE_LIMITED with Retry-After, even to the right password, until the lock has passed`, async () => {
      const s = await t.insertStudent();
      const attempt = (password: string) => t.http.post('/api/auth/login').send({ role: 'student', loginId: s.studentNo, password });
      for (let i = 0; i < THROTTLE.maxFailures; i++) expect((await attempt('guess-' + i)).status).toBe(401);

      const locked = await attempt(PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('RATE_LIMITED');
      expect(locked.headers['retry-after']).toBe(String(THROTTLE.lockSeconds));
      expect(locked.body.accessToken).toBeUndefined();

      t.clock.offsetMs = 300_000; // half-way through the lock: still locked, and the wait shrinks
      const still = await attempt(PASSWORD);
      expect(still.status).toBe(429);
      expect(Number(still.headers['retry-after'])).toBeLessThanOrEqual(THROTTLE.lockSeconds - 299);
      expect(Number(still.headers['retry-after'])).toBeGreaterThan(THROTTLE.lockSeconds - 310);

      t.clock.offsetMs = (THROTTLE.lockSeconds + 5) * 1000;
      try {
        const ok = await attempt(PASSWORD);
        expect(ok.status).toBe(200);
        expect(ok.body.accessToken).toEqual(expect.any(String));
        expect(await throttleRow(`student:${s.studentNo}`)).toBeUndefined();
      } finally {
        t.clock.offsetMs = 0;
      }
    });

    it('a successful login resets the failure count', async () => {
      const s = await t.insertStudent();
      const attempt = (password: string) => t.http.post('/api/auth/login').send({ role: 'student', loginId: s.studentNo, password });
      for (let i = 0; i < THROTTLE.maxFailures - 1; i++) expect((await attempt('nope')).status).toBe(401);
      expect((await attempt(PASSWORD)).status).toBe(200);
      for (let i = 0; i < THROTTLE.maxFailures; i++) expect((await attempt('nope')).status).toBe(401);
      expect((await attempt('nope')).status).toBe(429);
    });

    it('failures older than the window no longer count', async () => {
      const s = await t.insertStudent();
      const attempt = (password: string) => t.http.post('/api/auth/login').send({ role: 'student', loginId: s.studentNo, password });
      try {
        for (let i = 0; i < THROTTLE.maxFailures; i++) expect((await attempt('nope')).status).toBe(401);
        t.clock.offsetMs = (THROTTLE.windowSeconds + 1) * 1000;
        expect((await attempt('nope')).status).toBe(401);
        expect((await throttleRow(`student:${s.studentNo}`))?.failures).toBe(1);
      } finally {
        t.clock.offsetMs = 0;
      }
    });

    it('parallel wrong guesses cannot get past the limit: exactly maxFailures are checked, the rest answer 429', async () => {
      const st = await t.insertStaff();
      const guesses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.http.post('/api/auth/login').send({ role: 'staff', loginId: st.loginId, password: `guess-${i}` })),
      );
      const statuses = guesses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(THROTTLE.maxFailures);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10 - THROTTLE.maxFailures);
      expect((await throttleRow(`staff:${st.loginId}`))?.locked_until).not.toBeNull();
    });

    it('throttles unknown accounts the same way (so the answers do not reveal which ids exist)', async () => {
      for (let i = 0; i < THROTTLE.maxFailures; i++) {
        expect((await t.http.post('/api/auth/login').send({ role: 'staff', loginId: 'nobody', password: 'x' })).status).toBe(401);
      }
      expect((await t.http.post('/api/auth/login').send({ role: 'staff', loginId: 'nobody', password: 'x' })).status).toBe(429);
    });
  });

  describe('GET /api/auth/me', () => {
    it('without a token answers 401 UNAUTHENTICATED with WWW-Authenticate', async () => {
      const res = await t.http.get('/api/auth/me');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('with an expired token answers 401', async () => {
      const s = await t.insertStudent();
      const expired = await t.auth.token({ id: s.id, role: 'student' }, 3600, new Date(Date.now() - 3 * 3600_000));
      const res = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${expired}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(res.body.detail).toMatch(/expired/);
    });

    it('with a token signed by another key pair (forged) answers 401', async () => {
      const s = await t.insertStudent();
      const other = await createTestAuth();
      const res = await t.http.get('/api/auth/me').set('Authorization', await other.bearer({ id: s.id, role: 'student' }));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it.each([['Token abc'], ['Bearer'], ['Bearer not.a.jwt'], ['Basic dXNlcjpwYXNz'], ['Bearer a b']])(
      'with a malformed Authorization header (%s) answers 401',
      async (header) => {
        const res = await t.http.get('/api/auth/me').set('Authorization', header);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      },
    );

    it('answers the caller as stored now (a later change shows up)', async () => {
      const s = await t.insertStudent({ grade: 1 });
      const bearer = await t.studentBearer(s.id);
      await t.db('student').where({ id: s.id }).update({ grade: 2 });
      const res = await t.http.get('/api/auth/me').set('Authorization', bearer);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: s.id, role: 'student', grade: 2 });
    });

    it('when the account has been deleted since the token was issued, answers 404', async () => {
      const s = await t.insertStudent();
      const bearer = await t.studentBearer(s.id);
      await t.db('student').where({ id: s.id }).delete();
      const res = await t.http.get('/api/auth/me').set('Authorization', bearer);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });
  });
});
