/**
 * The waiting room over HTTP: its routes (in the enrollment app, as server.ts wires them) and the
 * admission check in front of the real POST /api/enrollments, on both database engines.
 */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import knexFactory from 'knex';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRouter, createServiceApp, type Knex } from '@goorm/common';
import { endpoint, serviceContract } from '@goorm/contracts';
import { createTestAuth, testEngines, testLogger, testMetrics, type TestAuth, type TestDb } from '@goorm/common/testing';
import { InProcessWaitingRoom } from '../src/queue/queue.memory.ts';
import type { QueueMode } from '../src/queue/queue.room.ts';
import { observeEnrollLatency } from '../src/queue/queue.routes.ts';
import { changeSettings, createAdmissionCheck } from '../src/queue/queue.service.ts';
import { QueueTokens } from '../src/queue/queue.tokens.ts';
import { listWindows } from '../src/windows/windows.repository.ts';
import { as, buildApp, eventsOf, footprint, HOUR, makeDb, makeSection, makeStudent, makeTerm, openStandardWindows, rowsOf, seatOf, T0 } from './enroll.fixtures.ts';

const engines = await testEngines();
const STAFF = { id: 7, role: 'staff' as const };

describe.each(engines)('waiting room over HTTP on %s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let termId: number;
  let now = T0.getTime();
  const clock = () => new Date(now);
  const tokens = new QueueTokens(randomBytes(32), 120);

  beforeAll(async () => {
    t = await makeDb(engine);
    db = t.db;
    auth = await createTestAuth({ now: () => now });
    termId = await makeTerm(db);
    await openStandardWindows(db, termId); // REGISTRATION for grades 1-3 opened at T0 - 1 h
  });
  afterAll(async () => {
    await t?.destroy();
  });

  /** A fresh room (auto mode: active for 2 h after a window opens) with the queue routes and the real enrollment app in front of it. */
  function setup(o: { rate?: number; mode?: QueueMode } = {}) {
    now = T0.getTime();
    const metrics = testMetrics('enrollment');
    const room = new InProcessWaitingRoom({
      registry: metrics.registry,
      tokens,
      defaults: { mode: o.mode ?? 'auto', ratePerSecond: o.rate ?? 2, adaptive: false },
      windows: () => listWindows(db),
      activeMinutes: 120,
      clock: () => now,
      windowsCacheMs: 0,
      settingsCacheMs: 0,
    });
    const queue = buildApp(db, auth, { clock, room });
    const enrollments = buildApp(db, auth, { clock, admission: createAdmissionCheck(room, { registry: metrics.registry }) });
    return { room, queue, enrollments, metrics };
  }

  const join = async (app: Express, id: number) =>
    request(app).post('/api/enrollments/queue').set('Authorization', await auth.bearer({ id, role: 'student' }));
  const poll = async (app: Express, id: number, ticket: string) =>
    request(app).get(`/api/enrollments/queue/${ticket}`).set('Authorization', await auth.bearer({ id, role: 'student' }));
  const audits = () => db('audit_log').where('action', 'QUEUE_SETTINGS').orderBy('id');

  describe('POST /api/enrollments/queue', () => {
    it('while a REGISTRATION window has just opened, gives the student a ticket, a position and an estimated wait, and no token yet', async () => {
      const { queue } = setup({ rate: 2 });
      const res = await join(queue, 501);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ ticket: expect.any(String), position: 1, etaSeconds: 1, admitted: false, active: true, retryAfterMs: expect.any(Number) });
      // admitted 1 / rate = 500 ms from now: poll then (plus this student's spread of at most 100 ms)
      expect(res.body.retryAfterMs).toBeGreaterThanOrEqual(500);
      expect(res.body.retryAfterMs).toBeLessThanOrEqual(601);
      expect(tokens.readTicket(res.body.ticket)).toMatchObject({ studentId: 501, admitted: false });
    });

    it('the same student in ten tabs: ten parallel joins answer one ticket and one position', async () => {
      const { queue, room } = setup();
      await join(queue, 1);
      const tabs = await Promise.all(Array.from({ length: 10 }, () => join(queue, 502)));
      expect(tabs.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(new Set(tabs.map((r) => r.body.ticket)).size).toBe(1);
      expect(tabs.map((r) => r.body.position)).toEqual(Array(10).fill(2));
      expect((await room.overview()).waiting).toBe(2);
    });

    it('concurrent joins of 40 students get the places 1..40, in the order the room recorded their arrival', async () => {
      const { queue } = setup();
      const res = await Promise.all(Array.from({ length: 40 }, (_, i) => join(queue, 600 + i)));
      const byArrival = res.map((r) => ({ p: r.body.position as number, a: tokens.readTicket(r.body.ticket)!.arrival! })).sort((x, y) => x.a - y.a);
      expect(byArrival.map((x) => x.p)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    it('answers 401 without a token and 403 to staff', async () => {
      const { queue } = setup();
      expect((await request(queue).post('/api/enrollments/queue')).status).toBe(401);
      const staff = await request(queue).post('/api/enrollments/queue').set('Authorization', await auth.bearer(STAFF));
      expect(staff.status).toBe(403);
    });
  });

  describe('GET /api/enrollments/queue/:ticket', () => {
    it('polls the place; when the turn comes, answers admitted with an admission token', async () => {
      const { queue } = setup({ rate: 1 });
      const a = (await join(queue, 511)).body;
      const b = (await join(queue, 512)).body;
      expect((await poll(queue, 512, b.ticket)).body).toMatchObject({ position: 2, etaSeconds: 2, admitted: false });
      now += 1_000;
      const turn = await poll(queue, 511, a.ticket);
      expect(turn.status).toBe(200);
      expect(turn.body).toMatchObject({ position: 0, etaSeconds: 0, admitted: true, active: true, admissionToken: expect.any(String) });
      expect(turn.body.admissionExpiresAt).toBe(new Date(now + 120_000).toISOString());
      expect((await poll(queue, 512, b.ticket)).body).toMatchObject({ position: 1, admitted: false });
    });

    it("answers 403 for another student's ticket, 404 for a forged one, 400 for something that is not a ticket", async () => {
      const { queue } = setup();
      const a = (await join(queue, 521)).body;
      const other = await poll(queue, 522, a.ticket);
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('FORBIDDEN');
      const forged = new QueueTokens(randomBytes(32), 120).signTicket({ studentId: 521, arrival: 1, admitted: true, expiresAtMs: now + 60_000 });
      const f = await poll(queue, 521, forged);
      expect(f.status).toBe(404);
      expect(f.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(f.body.code).toBe('NOT_FOUND');
      expect((await poll(queue, 521, 'not-a-ticket')).status).toBe(400);
    });
  });

  describe('GET and PUT /api/enrollments/queue/settings', () => {
    it('staff read the settings and live numbers; a student is refused 403 (the route is not taken for a ticket)', async () => {
      const { queue } = setup({ rate: 3 });
      await join(queue, 531);
      const res = await request(queue).get('/api/enrollments/queue/settings').set('Authorization', await auth.bearer(STAFF));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ mode: 'auto', ratePerSecond: 3, adaptive: false, active: true, waiting: 1, admitted: 0 });
      const student = await request(queue).get('/api/enrollments/queue/settings').set('Authorization', await auth.bearer({ id: 531, role: 'student' }));
      expect(student.status).toBe(403);
    });

    it('staff switch the room and set the rate; the change is audited with before and after', async () => {
      const { queue, room } = setup({ rate: 3 });
      const before = (await audits()).length;
      const res = await request(queue)
        .put('/api/enrollments/queue/settings')
        .set('Authorization', await auth.bearer(STAFF))
        .send({ mode: 'off', ratePerSecond: 50, adaptive: true, reason: '점검' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ mode: 'off', ratePerSecond: 50, adaptive: true, updatedAt: T0.toISOString() });
      expect(await room.settings()).toMatchObject({ mode: 'off', ratePerSecond: 50, adaptive: true });
      expect(await room.isActive()).toBe(false);
      const rows = await audits();
      expect(rows).toHaveLength(before + 1);
      const row = rows.at(-1)!;
      expect(row).toMatchObject({ staff_id: 7, target: 'queue', reason: '점검' });
      expect(JSON.parse(row.details)).toMatchObject({ before: { mode: 'auto', ratePerSecond: 3 }, after: { mode: 'off', ratePerSecond: 50 } });
    });

    it('every change of mode, rate or adaptive is audited with who and why (a default reason when none is given)', async () => {
      const { queue } = setup({ rate: 3 });
      const before = (await audits()).length;
      const put = async (body: Record<string, unknown>, staffId: number) =>
        request(queue).put('/api/enrollments/queue/settings').set('Authorization', await auth.bearer({ id: staffId, role: 'staff' })).send(body);
      expect((await put({ mode: 'on', ratePerSecond: 3, adaptive: false, reason: '개방 5분 전' }, 7)).status).toBe(200);
      expect((await put({ mode: 'on', ratePerSecond: 80, adaptive: false }, 8)).status).toBe(200);
      expect((await put({ mode: 'on', ratePerSecond: 80, adaptive: true, reason: '자동 조절' }, 7)).status).toBe(200);
      const rows = (await audits()).slice(before);
      expect(rows.map((r: { staff_id: number; reason: string; details: string }) => [Number(r.staff_id), r.reason, JSON.parse(r.details).after])).toEqual([
        [7, '개방 5분 전', { mode: 'on', ratePerSecond: 3, adaptive: false }],
        [8, 'waiting room settings', { mode: 'on', ratePerSecond: 80, adaptive: false }],
        [7, '자동 조절', { mode: 'on', ratePerSecond: 80, adaptive: true }],
      ]);
      expect(JSON.parse(rows[2].details).before).toMatchObject({ mode: 'on', ratePerSecond: 80, adaptive: false });
    });

    it('a change that cannot be audited is not made', async () => {
      const { room } = setup({ rate: 3 });
      // a database without the audit_log table: the audit insert fails
      const broken = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
      try {
        await expect(changeSettings({ room, db: broken, clock }, { mode: 'off', ratePerSecond: 9, adaptive: true, reason: 'x' }, 7)).rejects.toThrow(/audit_log/);
      } finally {
        await broken.destroy();
      }
      expect(await room.settings()).toMatchObject({ mode: 'auto', ratePerSecond: 3, adaptive: false });
    });

    it('refuses a bad body with 400 and a student with 403, and changes and audits nothing', async () => {
      const { queue, room } = setup({ rate: 3 });
      const before = (await audits()).length;
      const bad = await request(queue)
        .put('/api/enrollments/queue/settings')
        .set('Authorization', await auth.bearer(STAFF))
        .send({ mode: 'sometimes', ratePerSecond: 0, adaptive: 'yes' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.adaptive', 'body.mode', 'body.ratePerSecond']);
      const student = await request(queue)
        .put('/api/enrollments/queue/settings')
        .set('Authorization', await auth.bearer({ id: 1, role: 'student' }))
        .send({ mode: 'off', ratePerSecond: 5, adaptive: false });
      expect(student.status).toBe(403);
      expect(await room.settings()).toMatchObject({ mode: 'auto', ratePerSecond: 3 });
      expect(await audits()).toHaveLength(before);
    });
  });

  describe('POST /api/enrollments while the waiting room is active', () => {
    it('without an admission token, answers 428 QUEUE_REQUIRED, counts the refusal and writes nothing', async () => {
      const { enrollments, metrics } = setup();
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      const before = await footprint(db);
      const res = await as(enrollments, auth, st).enroll(s.id);
      expect(res.status).toBe(428);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 428, code: 'QUEUE_REQUIRED', reason: 'missing', queue: '/api/enrollments/queue' });
      expect(await footprint(db)).toEqual(before);
      expect(await rowsOf(db, { studentId: st.id })).toEqual([]);
      expect(await eventsOf(db, { studentId: st.id })).toEqual([]);
      expect(await seatOf(db, s.id)).toBeFalsy();
      expect(await metrics.registry.metrics()).toMatch(/waiting_room_admission_refusals_total\{reason="missing",service="enrollment"\} 1/);
    });

    it("refuses a forged, an expired or another student's admission token with 428 and writes nothing", async () => {
      const { enrollments, room } = setup({ rate: 100 });
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      const other = await makeStudent(db);
      const places = [await room.join(st.id), await room.join(other.id)];
      now += 1_000;
      const mine = await room.status(places[0]!.ticket, st.id);
      const theirs = await room.status(places[1]!.ticket, other.id);
      expect(mine.admitted && theirs.admitted).toBe(true);
      const before = await footprint(db);

      const forgedToken = new QueueTokens(randomBytes(32), 120).signAdmission(st.id, now).token;
      const forged = await as(enrollments, auth, st).enroll(s.id, { 'X-Admission-Token': forgedToken });
      expect(forged.status).toBe(428);
      expect(forged.body.reason).toBe('invalid');
      const stolen = await as(enrollments, auth, st).enroll(s.id, { 'X-Admission-Token': theirs.admissionToken! });
      expect(stolen.status).toBe(428);
      expect(stolen.body.reason).toBe('other-student');
      now += 120_000; // the token's lifetime
      const expired = await as(enrollments, auth, st).enroll(s.id, { 'X-Admission-Token': mine.admissionToken! });
      expect(expired.status).toBe(428);
      expect(expired.body.reason).toBe('expired');

      expect(await footprint(db)).toEqual(before);
      expect(await rowsOf(db, { studentId: st.id })).toEqual([]);
    });

    it('end to end: the student joins, waits, is admitted and registers with the token', async () => {
      const { queue, enrollments } = setup({ rate: 1 });
      const s = await makeSection(db, { termId, capacity: 5 });
      const first = await makeStudent(db);
      const st = await makeStudent(db);
      await join(queue, first.id);
      const place = (await join(queue, st.id)).body;
      expect(place).toMatchObject({ position: 2, admitted: false });
      now += 1_000;
      expect((await poll(queue, st.id, place.ticket)).body).toMatchObject({ position: 1, admitted: false });
      now += 1_000;
      const turn = (await poll(queue, st.id, place.ticket)).body;
      expect(turn.admitted).toBe(true);
      const res = await as(enrollments, auth, st).enroll(s.id, { 'X-Admission-Token': turn.admissionToken });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ sectionId: s.id, studentId: st.id });
      expect(await rowsOf(db, { studentId: st.id })).toEqual([expect.objectContaining({ sectionId: s.id })]);
      expect(await seatOf(db, s.id)).toBe(1);
    });

    it('a staff override needs no admission token', async () => {
      const { enrollments } = setup();
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      const res = await as(enrollments, auth, STAFF).enroll({ sectionId: s.id, studentId: st.id, reason: '학과 승인' });
      expect(res.status).toBe(201);
      expect(await rowsOf(db, { studentId: st.id })).toHaveLength(1);
    });

    it('when staff switch the room off, or the opening is long past, a student registers without a token', async () => {
      const off = setup({ mode: 'off' });
      const s1 = await makeSection(db, { termId });
      const a = await makeStudent(db);
      expect((await as(off.enrollments, auth, a).enroll(s1.id)).status).toBe(201);

      const auto = setup({ mode: 'auto' });
      const s2 = await makeSection(db, { termId });
      const b = await makeStudent(db);
      now = T0.getTime() + HOUR + 1; // the window opened at T0 - 1 h; the room is active for 2 h
      expect(await auto.room.isActive()).toBe(false);
      const res = await as(auto.enrollments, auth, b).enroll(s2.id);
      expect(res.status).toBe(201);
      expect(await rowsOf(db, { studentId: b.id })).toHaveLength(1);
    });
  });

  describe('observeEnrollLatency', () => {
    /** A contract of three routes, for an app whose enroll takes 50 ms and whose swap fails with a 500. */
    const ok = { description: 'ok' };
    const testApi = serviceContract('/api/enrollments', {
      enroll: endpoint({ method: 'post', path: '/', summary: 'enroll', tags: [], access: 'public', responses: { 201: ok } }),
      swap: endpoint({ method: 'post', path: '/swap', summary: 'swap', tags: [], access: 'public', responses: { 200: ok } }),
      timetable: endpoint({ method: 'get', path: '/me', summary: 'timetable', tags: [], access: 'public', responses: { 200: ok } }),
    });

    /** That app, the latency observer mounted in front of enroll and swap as app.ts mounts it, fed into a recording room. */
    function observedApp() {
      const seen: Array<{ ms: number; ok: boolean; inFlight: number | undefined }> = [];
      const api = new ApiRouter(auth.verifier, testApi);
      const observe = observeEnrollLatency({ observe: (ms, ok, inFlight) => seen.push({ ms, ok, inFlight }) });
      api.router.post('/', observe);
      api.router.post('/swap', observe);
      api.route(testApi.endpoints.enroll, async (_i, res) => {
        await new Promise((r) => setTimeout(r, 50));
        res.status(201).end();
      });
      api.route(testApi.endpoints.swap, () => {
        throw new Error('boom');
      });
      api.route(testApi.endpoints.timetable, (_i, res) => {
        res.status(200).end();
      });
      const app = createServiceApp({ name: 'enrollment', logger: testLogger(), metrics: testMetrics(), readiness: async () => {}, routers: [api], accessLog: false });
      return { app, seen };
    }

    it('reports the duration and outcome of enroll and swap decisions only, a 5xx as a failure', async () => {
      const { app, seen } = observedApp();
      expect((await request(app).post('/api/enrollments').send({})).status).toBe(201);
      expect((await request(app).post('/api/enrollments/swap').send({})).status).toBe(500);
      expect((await request(app).get('/api/enrollments/me')).status).toBe(200);
      expect(seen).toHaveLength(2);
      expect(seen[0]!.ms).toBeGreaterThanOrEqual(15);
      expect(seen.map((o) => o.ok)).toEqual([true, false]);
    });

    it('reports how many enroll requests were in flight in the process when each started', async () => {
      const { app, seen } = observedApp();
      const statuses = await Promise.all(Array.from({ length: 4 }, () => request(app).post('/api/enrollments').send({}).then((r) => r.status)));
      expect(statuses).toEqual([201, 201, 201, 201]);
      expect(seen.map((o) => o.inFlight).sort()).toEqual([0, 1, 2, 3]);
      // all finished: the next one starts with none in flight
      await request(app).post('/api/enrollments').send({});
      expect(seen.at(-1)!.inFlight).toBe(0);
    });
  });
});
