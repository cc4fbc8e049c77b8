import { countQueries, toIso, type Knex } from '@goorm/common';
import { createTestAuth, createTestDb, migrateAll, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOpenWindow } from '../src/windows/windows.repository.ts';
import { ALL_MIGRATIONS, T0, makeTerm, serviceApp } from './stats.fixtures.ts';

const engines = await testEngines();

describe.each(engines)('enrollment windows on %s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let app: Express;
  let staff: string;
  let student: string;
  const clock = () => T0;

  beforeAll(async () => {
    t = await createTestDb(engine);
    db = t.db;
    await migrateAll(db, ALL_MIGRATIONS);
    auth = await createTestAuth();
    app = serviceApp(db, auth.verifier, clock);
    staff = await auth.bearer({ id: 7, role: 'staff' });
    student = await auth.bearer({ id: 1001, role: 'student' });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const body = (termId: number, o: Partial<{ phase: string; grades: number[]; opensAt: string; closesAt: string; reason: string }> = {}) => ({
    termId,
    phase: 'REGISTRATION',
    grades: [1, 2],
    opensAt: '2026-02-10T10:00:00+09:00',
    closesAt: '2026-02-10T18:00:00+09:00',
    ...o,
  });
  const rows = (termId: number) => db('enrollment_window').where('term_id', termId).orderBy('id');
  const audits = (target?: string) => db('audit_log').modify((q) => (target ? q.where('target', target) : q)).orderBy('id');
  const post = (b: unknown, who = staff) => request(app).post('/api/enrollments/windows').set('Authorization', who).send(b as object);

  describe('POST /api/enrollments/windows', () => {
    it('creates a window, answers 201 with ISO instants and grades, and writes the row and an audit entry', async () => {
      const termId = await makeTerm(db);
      const res = await post(body(termId, { grades: [3, 1] }));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        termId,
        phase: 'REGISTRATION',
        grades: [1, 3],
        opensAt: '2026-02-10T01:00:00.000Z',
        closesAt: '2026-02-10T09:00:00.000Z',
      });
      expect(res.headers.location).toBe(`/api/enrollments/windows/${res.body.id}`);
      const [row] = await rows(termId);
      expect(row).toMatchObject({ id: res.body.id, phase: 'REGISTRATION', grade_mask: 0b101 });
      expect(toIso(row.opens_at)).toBe('2026-02-10T01:00:00.000Z');
      expect(toIso(row.closes_at)).toBe('2026-02-10T09:00:00.000Z');
      const [a] = await audits(`window:${res.body.id}`);
      expect(a).toMatchObject({ staff_id: 7, action: 'WINDOW_CREATE', reason: 'window change' });
      expect(JSON.parse(a.details).after).toEqual(res.body);
      expect(toIso(a.created_at)).toBe(T0.toISOString());
    });

    it('when a window of the same term and phase overlaps for a shared grade, answers 409 CONFLICT naming it and writes nothing', async () => {
      const termId = await makeTerm(db);
      const first = await post(body(termId, { grades: [1, 2] }));
      expect(first.status).toBe(201);
      const auditsBefore = (await audits()).length;
      const res = await post(body(termId, { grades: [2, 3], opensAt: '2026-02-10T17:59:59+09:00', closesAt: '2026-02-11T10:00:00+09:00' }));
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('CONFLICT');
      expect(res.body.conflict).toMatchObject({ id: first.body.id, grades: [1, 2] });
      expect(res.body.detail).toContain(`window ${first.body.id}`);
      expect(await rows(termId)).toHaveLength(1);
      expect(await audits()).toHaveLength(auditsBefore);
    });

    it('accepts windows that touch end to start, differ in phase, or share no grade', async () => {
      const termId = await makeTerm(db);
      expect((await post(body(termId))).status).toBe(201);
      // opens exactly when the first closes (half-open intervals)
      expect((await post(body(termId, { opensAt: '2026-02-10T18:00:00+09:00', closesAt: '2026-02-10T20:00:00+09:00' }))).status).toBe(201);
      expect((await post(body(termId, { phase: 'ADD_DROP' }))).status).toBe(201);
      expect((await post(body(termId, { grades: [3, 4] }))).status).toBe(201);
      expect(await rows(termId)).toHaveLength(4);
    });

    it('when staff race to create overlapping windows, exactly one per grade is created', async () => {
      const termId = await makeTerm(db);
      const other = t.connect();
      const app2 = serviceApp(other, auth.verifier, clock);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          request(i % 2 ? app : app2)
            .post('/api/enrollments/windows')
            .set('Authorization', staff)
            .send(body(termId, { grades: [1 + (i % 4)], opensAt: `2026-02-10T1${i}:00:00Z`, closesAt: '2026-02-11T00:00:00Z' })),
        ),
      );
      // grades 1..4 each asked twice over overlapping ranges: one per grade wins
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 409, 409, 409, 409]);
      expect(await rows(termId)).toHaveLength(4);
    });

    it('when the term does not exist, answers 400 naming termId and writes nothing', async () => {
      const before = (await db('enrollment_window')).length;
      const res = await post(body(999_999));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'body.termId', message: 'term 999999 does not exist' }]);
      expect(await db('enrollment_window')).toHaveLength(before);
    });

    it.each([
      ['grades', { grades: [] }],
      ['grades.0', { grades: [5] }],
      ['grades', { grades: [2, 2] }],
      ['phase', { phase: 'LOTTERY' }],
      ['opensAt', { opensAt: 'tomorrow' }],
      ['opensAt', { opensAt: '2026-02-10T10:00:00' }],
      ['closesAt', { closesAt: '2026-02-10T10:00:00+09:00' }],
      ['termId', { termId: 'one' }],
    ])('when %s is invalid (%o), answers 400 naming the field and writes nothing', async (field, patch) => {
      const termId = await makeTerm(db);
      const res = await post({ ...body(termId), ...patch });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(`body.${field}`);
      expect(await rows(termId)).toHaveLength(0);
    });

    it('refuses students with 403 and callers without a token with 401, writing nothing', async () => {
      const termId = await makeTerm(db);
      const res = await post(body(termId), student);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const anon = await request(app).post('/api/enrollments/windows').send(body(termId));
      expect(anon.status).toBe(401);
      expect(anon.body.code).toBe('UNAUTHENTICATED');
      expect(await rows(termId)).toHaveLength(0);
    });
  });

  describe('GET /api/enrollments/windows', () => {
    it('lists the windows of a term by opening time with the server time, to any signed-in user, in one query', async () => {
      const termId = await makeTerm(db);
      const otherTerm = await makeTerm(db);
      const late = await post(body(termId, { phase: 'ADD_DROP', opensAt: '2026-03-02T00:00:00Z', closesAt: '2026-03-09T00:00:00Z' }));
      const early = await post(body(termId, { phase: 'CART', grades: [1, 2, 3, 4] }));
      await post(body(otherTerm));
      const c = countQueries(db);
      const res = await request(app).get(`/api/enrollments/windows?termId=${termId}`).set('Authorization', student);
      c.stop();
      expect(res.status).toBe(200);
      expect(res.body.serverTime).toBe(T0.toISOString());
      expect(res.body.items.map((w: { id: number }) => w.id)).toEqual([early.body.id, late.body.id]);
      expect(res.body.items[0]).toEqual(early.body);
      expect(c.count).toBe(1);
    });

    it('answers 401 without a token and 400 for a bad termId', async () => {
      expect((await request(app).get('/api/enrollments/windows')).status).toBe(401);
      const bad = await request(app).get('/api/enrollments/windows?termId=abc').set('Authorization', student);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('query.termId');
    });

    it('GET /windows/:id answers one window or 404', async () => {
      const termId = await makeTerm(db);
      const w = await post(body(termId));
      const res = await request(app).get(`/api/enrollments/windows/${w.body.id}`).set('Authorization', student);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(w.body);
      const missing = await request(app).get('/api/enrollments/windows/987654').set('Authorization', student);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('NOT_FOUND');
    });
  });

  describe('PUT /api/enrollments/windows/:id', () => {
    it('replaces the window, may keep its own range, and audits before and after with the reason', async () => {
      const termId = await makeTerm(db);
      const w = await post(body(termId));
      const res = await request(app)
        .put(`/api/enrollments/windows/${w.body.id}`)
        .set('Authorization', staff)
        .send(body(termId, { grades: [1, 2, 3], closesAt: '2026-02-10T20:00:00+09:00', reason: 'extend for grade 3' }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: w.body.id, grades: [1, 2, 3], closesAt: '2026-02-10T11:00:00.000Z' });
      const [row] = await rows(termId);
      expect(row.grade_mask).toBe(0b111);
      expect(toIso(row.closes_at)).toBe('2026-02-10T11:00:00.000Z');
      const a = (await audits(`window:${w.body.id}`)).at(-1);
      expect(a).toMatchObject({ action: 'WINDOW_UPDATE', reason: 'extend for grade 3', staff_id: 7 });
      expect(JSON.parse(a.details)).toEqual({ before: w.body, after: res.body });
    });

    it('when the new range overlaps another window, answers 409 CONFLICT and changes nothing', async () => {
      const termId = await makeTerm(db);
      const a = await post(body(termId));
      const b = await post(body(termId, { opensAt: '2026-02-11T10:00:00+09:00', closesAt: '2026-02-11T18:00:00+09:00' }));
      const res = await request(app)
        .put(`/api/enrollments/windows/${b.body.id}`)
        .set('Authorization', staff)
        .send(body(termId, { opensAt: '2026-02-10T12:00:00+09:00', closesAt: '2026-02-11T18:00:00+09:00' }));
      expect(res.status).toBe(409);
      expect(res.body.conflict.id).toBe(a.body.id);
      const row = await db('enrollment_window').where('id', b.body.id).first();
      expect(toIso(row.opens_at)).toBe(b.body.opensAt);
      expect(await audits(`window:${b.body.id}`)).toHaveLength(1);
    });

    it('answers 404 for an unknown window and 403 for a student', async () => {
      const termId = await makeTerm(db);
      const res = await request(app).put('/api/enrollments/windows/987654').set('Authorization', staff).send(body(termId));
      expect(res.status).toBe(404);
      const w = await post(body(termId));
      const st = await request(app).put(`/api/enrollments/windows/${w.body.id}`).set('Authorization', student).send(body(termId, { grades: [4] }));
      expect(st.status).toBe(403);
      expect((await rows(termId))[0].grade_mask).toBe(0b11);
    });
  });

  describe('DELETE /api/enrollments/windows/:id', () => {
    it('deletes the window, answers 204 and audits it with the reason', async () => {
      const termId = await makeTerm(db);
      const w = await post(body(termId));
      const res = await request(app).delete(`/api/enrollments/windows/${w.body.id}?reason=opened%20by%20mistake`).set('Authorization', staff);
      expect(res.status).toBe(204);
      expect(await rows(termId)).toHaveLength(0);
      const a = (await audits(`window:${w.body.id}`)).at(-1);
      expect(a).toMatchObject({ action: 'WINDOW_DELETE', reason: 'opened by mistake' });
      expect(JSON.parse(a.details).before).toEqual(w.body);
    });

    it('answers 404 for an unknown window and 403 for a student, deleting nothing', async () => {
      const termId = await makeTerm(db);
      const w = await post(body(termId));
      expect((await request(app).delete('/api/enrollments/windows/987654').set('Authorization', staff)).status).toBe(404);
      expect((await request(app).delete(`/api/enrollments/windows/${w.body.id}`).set('Authorization', student)).status).toBe(403);
      expect(await rows(termId)).toHaveLength(1);
    });
  });

  describe('findOpenWindow', () => {
    it('finds a window for opensAt <= now < closesAt, for its grades and phases only', async () => {
      const termId = await makeTerm(db);
      const w = await post(body(termId, { grades: [2], opensAt: '2026-02-10T01:00:00.000Z', closesAt: '2026-02-10T09:00:00.000Z' }));
      const at = (iso: string, o: Partial<{ grade: number; phases: ('CART' | 'REGISTRATION' | 'ADD_DROP')[]; termId: number }> = {}) =>
        findOpenWindow(db, { termId, grade: 2, phases: ['REGISTRATION', 'ADD_DROP'], now: new Date(iso), ...o });
      expect(await at('2026-02-10T01:00:00.000Z')).toEqual(w.body);
      expect(await at('2026-02-10T08:59:59.999Z')).toEqual(w.body);
      expect(await at('2026-02-10T00:59:59.999Z')).toBeUndefined();
      expect(await at('2026-02-10T09:00:00.000Z')).toBeUndefined();
      expect(await at('2026-02-10T05:00:00.000Z', { grade: 1 })).toBeUndefined();
      expect(await at('2026-02-10T05:00:00.000Z', { grade: 3 })).toBeUndefined();
      expect(await at('2026-02-10T05:00:00.000Z', { phases: ['ADD_DROP'] })).toBeUndefined();
      expect(await at('2026-02-10T05:00:00.000Z', { phases: [] })).toBeUndefined();
      expect(await at('2026-02-10T05:00:00.000Z', { termId: termId + 1000 })).toBeUndefined();
    });
  });

  describe('GET /api/enrollments/audit', () => {
    it('lists staff actions newest first, filtered by target, to staff only', async () => {
      const termId = await makeTerm(db);
      const w = await post(body(termId));
      await request(app).delete(`/api/enrollments/windows/${w.body.id}`).set('Authorization', staff);
      const res = await request(app).get(`/api/enrollments/audit?target=window:${w.body.id}`).set('Authorization', staff);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      expect(res.body.items.map((i: { action: string }) => i.action)).toEqual(['WINDOW_DELETE', 'WINDOW_CREATE']);
      expect(res.body.items[1]).toMatchObject({ staffId: 7, reason: 'window change', createdAt: T0.toISOString(), details: { after: w.body } });
      expect((await request(app).get('/api/enrollments/audit').set('Authorization', student)).status).toBe(403);
    });
  });
});
