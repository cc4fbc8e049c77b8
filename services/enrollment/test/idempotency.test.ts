import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '@goorm/common';
import { queueRequired } from '../src/queue/queue.service.ts';
import { createTestAuth, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import {
  as,
  buildApp,
  count,
  DAY,
  eventsOf,
  expectNoBreach,
  footprint,
  makeDb,
  makeSection,
  makeStudent,
  makeTerm,
  openStandardWindows,
  rowsOf,
  seatOf,
  tally,
  T0,
} from './enroll.fixtures.ts';

const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let termId: number;
  let app: Express;

  beforeAll(async () => {
    t = await makeDb(engine);
    db = t.db;
    auth = await createTestAuth();
    termId = await makeTerm(db);
    await openStandardWindows(db, termId);
    app = buildApp(db, auth);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  describe('Idempotency-Key', () => {
    it('a retried enroll returns the first answer and writes one row, one seat and one event', async () => {
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      const key = { 'Idempotency-Key': 'click-1' };
      const first = await as(app, auth, st).enroll(s.id, key);
      const again = await as(app, auth, st).enroll(s.id, key);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await rowsOf(db, { studentId: st.id })).toHaveLength(1);
      expect(await seatOf(db, s.id)).toBe(1);
      expect(await eventsOf(db, { studentId: st.id })).toHaveLength(1);
    });

    it('a retry refused before the transaction (room token now refused, window now closed) still gets its stored answer', async () => {
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      const key = { 'Idempotency-Key': 'late-retry' };
      const first = await as(app, auth, st).enroll(s.id, key);
      expect(first.status).toBe(201);
      const events = await count(db, 'enrollment_event');
      const gated = buildApp(db, auth, {
        admission: {
          check: async () => {
            throw queueRequired('expired');
          },
        },
      });
      const afterGate = await as(gated, auth, st).enroll(s.id, key);
      expect(afterGate.status).toBe(201);
      expect(afterGate.body).toEqual(first.body);
      expect(afterGate.headers['idempotent-replayed']).toBe('true');
      const closed = buildApp(db, auth, { clock: () => new Date(T0.getTime() + 4 * DAY) }); // between the windows
      const afterClose = await as(closed, auth, st).enroll(s.id, key);
      expect(afterClose.status).toBe(201);
      expect(afterClose.body).toEqual(first.body);
      // a request without a stored answer is still refused, and only it leaves an event
      expect((await as(gated, auth, st).enroll(s.id, { 'Idempotency-Key': 'never-sent' })).status).toBe(428);
      expect((await as(closed, auth, st).enroll(s.id, { 'Idempotency-Key': 'never-sent-2' })).body.code).toBe('WINDOW_CLOSED');
      expect(await count(db, 'enrollment_event')).toBe(events + 1);
      expect(await rowsOf(db, { studentId: st.id })).toHaveLength(1);
    });

    it('the same key fired in parallel (two app instances) still makes one row, and every answer is the same 201', async () => {
      const s = await makeSection(db, { termId, capacity: 50 });
      const st = await makeStudent(db);
      const apps = [app, buildApp(t.connect(), auth)];
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => as(apps[i % 2]!, auth, st).enroll(s.id, { 'Idempotency-Key': 'double-click' })));
      expect(tally(results)).toEqual({ '201': 12 });
      expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
      expect(await rowsOf(db, { studentId: st.id })).toHaveLength(1);
      expect(await seatOf(db, s.id)).toBe(1);
      expect((await eventsOf(db, { studentId: st.id })).filter((e) => e.outcome === 'OK')).toHaveLength(1);
      await expectNoBreach(db);
    });

    it('the same key with a different request answers 409 IDEMPOTENCY_CONFLICT and changes nothing', async () => {
      const [a, b] = [await makeSection(db, { termId }), await makeSection(db, { termId })];
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(a.id, { 'Idempotency-Key': 'k-conflict' });
      const before = await footprint(db);
      const res = await as(app, auth, st).enroll(b.id, { 'Idempotency-Key': 'k-conflict' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('IDEMPOTENCY_CONFLICT');
      expect(await footprint(db)).toEqual(before);
      expect(await seatOf(db, b.id)).toBe(0);
    });

    it('a refusal is the first answer too: a retry after a seat frees up still answers SECTION_FULL', async () => {
      const s = await makeSection(db, { termId, capacity: 1 });
      const [holder, st] = [await makeStudent(db), await makeStudent(db)];
      await as(app, auth, holder).enroll(s.id);
      const first = await as(app, auth, st).enroll(s.id, { 'Idempotency-Key': 'full-1' });
      expect(first.body.code).toBe('SECTION_FULL');
      await as(app, auth, holder).drop(s.id);
      const again = await as(app, auth, st).enroll(s.id, { 'Idempotency-Key': 'full-1' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'SECTION_FULL', detail: first.body.detail });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await rowsOf(db, { studentId: st.id })).toEqual([]);
      // a new click (new key) is a new attempt
      expect((await as(app, auth, st).enroll(s.id, { 'Idempotency-Key': 'full-2' })).status).toBe(201);
    });

    it('keys are per caller: two students may use the same key', async () => {
      const s = await makeSection(db, { termId });
      const [x, y] = [await makeStudent(db), await makeStudent(db)];
      expect((await as(app, auth, x).enroll(s.id, { 'Idempotency-Key': 'shared' })).status).toBe(201);
      const res = await as(app, auth, y).enroll(s.id, { 'Idempotency-Key': 'shared' });
      expect(res.status).toBe(201);
      expect(res.body.studentId).toBe(y.id);
    });

    it('a retried drop gives the seat back once', async () => {
      const s = await makeSection(db, { termId });
      const [st, other] = [await makeStudent(db), await makeStudent(db)];
      await as(app, auth, other).enroll(s.id);
      await as(app, auth, st).enroll(s.id);
      const first = await as(app, auth, st).drop(s.id, {}, { 'Idempotency-Key': 'drop-1' });
      const again = await as(app, auth, st).drop(s.id, {}, { 'Idempotency-Key': 'drop-1' });
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.body).toEqual(first.body);
      expect(await seatOf(db, s.id)).toBe(1);
      expect((await eventsOf(db, { studentId: st.id })).map((e) => e.action)).toEqual(['ENROLL', 'DROP']);
    });

    it('a retried swap swaps once', async () => {
      const [a, b] = [await makeSection(db, { termId }), await makeSection(db, { termId })];
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(a.id);
      const first = await as(app, auth, st).swap(a.id, b.id, { 'Idempotency-Key': 'swap-1' });
      const again = await as(app, auth, st).swap(a.id, b.id, { 'Idempotency-Key': 'swap-1' });
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.body).toEqual(first.body);
      expect(await rowsOf(db, { studentId: st.id })).toEqual([expect.objectContaining({ sectionId: b.id })]);
    });

    it('a malformed key answers 400 and stores nothing', async () => {
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      const before = await count(db, 'idempotency_record');
      const res = await as(app, auth, st).enroll(s.id, { 'Idempotency-Key': 'no spaces allowed' });
      expect(res.status).toBe(400);
      expect(await count(db, 'idempotency_record')).toBe(before);
      expect(await rowsOf(db, { studentId: st.id })).toEqual([]);
    });
  });
});
