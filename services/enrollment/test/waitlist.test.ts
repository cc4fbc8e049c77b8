import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, type Knex } from '@goorm/common';
import { createTestAuth, testEngines, testLogger, testMetrics, type TestAuth, type TestDb } from '@goorm/common/testing';
import { createEnrollment } from '../src/app.ts';
import { checkInvariants } from '../src/invariants/invariants.ts';
import {
  as,
  at,
  buildApp,
  DAY,
  eventsOf,
  expectNoBreach,
  makeDb,
  makeMajor,
  makeReservation,
  makeSection,
  makeStudent,
  makeStudents,
  makeTerm,
  openStandardWindows,
  rowsOf,
  seatOf,
  T0,
  tally,
  type SectionRef,
  type StudentRef,
} from './enroll.fixtures.ts';

/**
 * Waitlists (README "Waitlists") on both engines: joining, the promotion in the transaction that
 * frees the seat (drops, swaps, races), skips, the sweeper, staff moves and removals, notices.
 */
const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let second: Knex;
  let auth: TestAuth;
  let termId: number;
  let app: Express;
  const staff = { id: 900, role: 'staff' as const };

  beforeAll(async () => {
    t = await makeDb(engine);
    db = t.db;
    second = t.connect();
    auth = await createTestAuth();
    termId = await makeTerm(db);
    await openStandardWindows(db, termId);
    app = buildApp(db, auth);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const bearer = (u: { id: number; role?: 'student' | 'staff' }) => auth.bearer({ id: u.id, role: u.role ?? 'student' });
  const join = async (a: Express, st: { id: number; role?: 'student' | 'staff' }, sectionId: number) =>
    request(a).post('/api/enrollments/waitlist').set('Authorization', await bearer(st)).send({ sectionId });
  const entriesOf = async (sectionId: number) =>
    (await db('waitlist_entry').where('section_id', sectionId).orderBy([{ column: 'sort_key' }, { column: 'id' }]).select<{ student_id: number }[]>('student_id')).map((r) =>
      Number(r.student_id),
    );
  const noticesOf = async (studentId: number) =>
    (await db('notice').where('student_id', studentId).orderBy('id').select<{ kind: string; code: string | null }[]>('kind', 'code')).map((r) => ({ kind: r.kind, code: r.code }));

  /** A full section of `capacity` held by fresh students, and `waiting` more students on its waitlist in order. */
  async function fullSectionWithWaitlist(capacity: number, waiting: number, o: { meetings?: [string, number, number][] } = {}) {
    const s = await makeSection(db, { termId, capacity, ...(o.meetings ? { meetings: o.meetings } : {}) });
    const holders = await makeStudents(db, capacity);
    for (const h of holders) expect((await as(app, auth, h).enroll(s.id)).status).toBe(201);
    const waiters = waiting > 0 ? await makeStudents(db, waiting) : [];
    for (const w of waiters) expect((await join(app, w, s.id)).status).toBe(201);
    return { s, holders, waiters };
  }

  describe('joining and leaving', () => {
    it('a full section: 201 with the position, 200 on joining again, positions move up when someone leaves', async () => {
      const { s, waiters } = await fullSectionWithWaitlist(1, 3);
      const again = await join(app, waiters[1]!, s.id);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ sectionId: s.id, studentId: waiters[1]!.id, position: 2, waiting: 3, lastSkip: null });
      const left = await request(app).delete(`/api/enrollments/waitlist/${s.id}`).set('Authorization', await bearer(waiters[0]!));
      expect(left.status).toBe(204);
      expect((await join(app, waiters[1]!, s.id)).body).toMatchObject({ position: 1, waiting: 2 });
      expect((await request(app).delete(`/api/enrollments/waitlist/${s.id}`).set('Authorization', await bearer(waiters[0]!))).body.code).toBe('NOT_FOUND');
      await expectNoBreach(db);
    });

    it('refuses a section with a free seat (SEATS_AVAILABLE), a lecture held, a closed window, past the limit, and when turned off', async () => {
      const open = await makeSection(db, { termId, capacity: 5 });
      const st = await makeStudent(db);
      const r1 = await join(app, st, open.id);
      expect(r1.status).toBe(409);
      expect(r1.body.code).toBe('SEATS_AVAILABLE');

      const { s, holders } = await fullSectionWithWaitlist(1, 0);
      const held = await join(app, holders[0]!, s.id);
      expect(held.body.code).toBe('ALREADY_ENROLLED');

      const closed = buildApp(db, auth, { clock: () => at(5 * DAY) });
      expect((await join(closed, st, s.id)).body.code).toBe('WINDOW_CLOSED');

      const fulls: SectionRef[] = [];
      for (let i = 0; i < 4; i++) fulls.push((await fullSectionWithWaitlist(1, 0)).s);
      const limited = await makeStudent(db, { maxCredits: 30 });
      for (const f of fulls.slice(0, 3)) expect((await join(app, limited, f.id)).status).toBe(201);
      const over = await join(app, limited, fulls[3]!.id);
      expect(over.status).toBe(409);
      expect(over.body).toMatchObject({ code: 'WAITLIST_LIMIT', limit: 3 });

      const off = await request(app)
        .put('/api/enrollments/waitlist/settings')
        .set('Authorization', await bearer(staff))
        .send({ enabled: false, maxEntriesPerStudent: 3, countWaitlistedCredits: false, reason: 'test' });
      expect(off.status).toBe(200);
      expect((await join(app, st, s.id)).body.code).toBe('WAITLIST_DISABLED');
      await request(app)
        .put('/api/enrollments/waitlist/settings')
        .set('Authorization', await bearer(staff))
        .send({ enabled: true, maxEntriesPerStudent: 3, countWaitlistedCredits: false, reason: 'test' });
      expect(await db('audit_log').where('action', 'WAITLIST_SETTINGS').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 2 }]);
    });

    it('counts waitlisted credits toward the maximum only when the setting says so', async () => {
      const a = (await fullSectionWithWaitlist(1, 0)).s;
      const b = (await fullSectionWithWaitlist(1, 0)).s;
      const st = await makeStudent(db, { maxCredits: 5 }); // 3-credit sections: one fits, two do not
      expect((await join(app, st, a.id)).status).toBe(201);
      expect((await join(app, st, b.id)).status).toBe(201);
      await request(app).delete(`/api/enrollments/waitlist/${b.id}`).set('Authorization', await bearer(st));
      await request(app)
        .put('/api/enrollments/waitlist/settings')
        .set('Authorization', await bearer(staff))
        .send({ enabled: true, maxEntriesPerStudent: 3, countWaitlistedCredits: true, reason: 'count them' });
      const refused = await join(app, st, b.id);
      expect(refused.body).toMatchObject({ code: 'CREDIT_LIMIT', credits: { current: 3, adding: 3, max: 5 } });
      await request(app)
        .put('/api/enrollments/waitlist/settings')
        .set('Authorization', await bearer(staff))
        .send({ enabled: true, maxEntriesPerStudent: 3, countWaitlistedCredits: false, reason: 'back' });
    });

    it('a join is three round trips on MySQL (two of them batched) and nine statements on SQLite, settings from memory, and answers its place', async () => {
      const second = (await fullSectionWithWaitlist(1, 2)).s; // its two joins read the settings into memory
      const st = await makeStudent(db);
      // Round trips: statements sent alone, and batches (BEGIN…, …COMMIT) counted once.
      const trips: string[][] = [];
      let last: number | undefined;
      const listener = (q: { sql: string; batch?: number }) => {
        if (q.batch === undefined || q.batch !== last) trips.push([]);
        last = q.batch;
        trips.at(-1)!.push(q.sql);
      };
      db.on('query', listener);
      const res = await join(app, st, second.id);
      db.removeListener('query', listener);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ sectionId: second.id, studentId: st.id, position: 3, waiting: 3, lastSkip: null });
      const statements = trips.flat();
      expect(statements.some((q) => q.includes('waitlist_settings'))).toBe(false);
      // From BEGIN on (a catalog reload may come before: the tests' TTL is short).
      const from = trips.findIndex((t) => /^begin/i.test(t[0]!));
      const tx = trips.slice(from);
      if (engine === 'mysql') {
        // BEGIN + the student's locking read, their entries, the seats, the reservation counters;
        // the entry, its rank, the JOIN event + COMMIT; the place, after the commit.
        expect(tx.map((t) => t.length)).toEqual([5, 4, 1]);
      } else {
        // BEGIN, the locking read, the entries, the seats, insert + rank, the event, COMMIT, the place.
        expect(tx.flat()).toHaveLength(9);
      }
      expect(tx.at(-1)![0]).toMatch(/as position/);
    });

    it('GET /waitlist/me: positions and sections in a fixed number of queries whatever the number of entries', async () => {
      const st = await makeStudent(db);
      const counter = countQueries(db);
      const sections: SectionRef[] = [];
      for (let i = 0; i < 3; i++) sections.push((await fullSectionWithWaitlist(1, i)).s);
      const queriesFor = async () => {
        counter.reset();
        const res = await request(app).get('/api/enrollments/waitlist/me').set('Authorization', await bearer(st));
        expect(res.status).toBe(200);
        return { n: counter.count, res };
      };
      await join(app, st, sections[0]!.id);
      const one = await queriesFor();
      await join(app, st, sections[1]!.id);
      await join(app, st, sections[2]!.id);
      const three = await queriesFor();
      expect(three.n).toBe(one.n);
      expect(three.res.body.items.map((i: { sectionId: number; position: number }) => [i.sectionId, i.position])).toEqual([
        [sections[0]!.id, 1],
        [sections[1]!.id, 2],
        [sections[2]!.id, 3],
      ]);
      expect(three.res.body.items[0].section).toMatchObject({ id: sections[0]!.id, lecture: { credits: 3 } });
      expect(three.res.body.items[0].section.meetings.length).toBeGreaterThan(0);
      counter.stop();
    });
  });

  describe('promotion in the transaction that frees the seat', () => {
    it('50 waiting, 10 parallel drops on two pools: exactly the first 10 enrolled, in order, counters equal rows, never over capacity', async () => {
      const { s, holders, waiters } = await fullSectionWithWaitlist(10, 50);
      const pair = [app, buildApp(second, auth)];
      const drops = await Promise.all(holders.map((h, i) => as(pair[i % 2]!, auth, h).drop(s.id)));
      expect(tally(drops)).toEqual({ '200': 10 });
      expect(await seatOf(db, s.id)).toBe(10);
      const rows = await rowsOf(db, { sectionId: s.id });
      expect(rows.map((r) => r.studentId).sort((a, b) => a - b)).toEqual(waiters.slice(0, 10).map((w) => w.id));
      // In order: the promotion events follow the waitlist order.
      const promoted = (await eventsOf(db, { sectionId: s.id })).filter((e) => e.action === 'WAITLIST_PROMOTE').map((e) => e.studentId);
      expect(promoted).toEqual(waiters.slice(0, 10).map((w) => w.id));
      expect(await entriesOf(s.id)).toEqual(waiters.slice(10).map((w) => w.id));
      expect(await noticesOf(waiters[0]!.id)).toEqual([{ kind: 'WAITLIST_PROMOTED', code: null }]);
      await expectNoBreach(db);
    });

    it('a drop while the first waiting student now clashes: skipped (recorded, told, keeps the place), the next enrolled', async () => {
      const { s, holders, waiters } = await fullSectionWithWaitlist(1, 2, { meetings: [['SAT', 9, 9]] });
      const clashing = await makeSection(db, { termId, meetings: [['SAT', 9, 9]] });
      expect((await as(app, auth, waiters[0]!).enroll(clashing.id)).status).toBe(201);
      expect((await as(app, auth, holders[0]!).drop(s.id)).status).toBe(200);
      expect((await rowsOf(db, { sectionId: s.id })).map((r) => r.studentId)).toEqual([waiters[1]!.id]);
      expect(await entriesOf(s.id)).toEqual([waiters[0]!.id]);
      expect(await noticesOf(waiters[0]!.id)).toEqual([{ kind: 'WAITLIST_SKIPPED', code: 'TIME_CONFLICT' }]);
      const skip = await db('waitlist_event').where({ section_id: s.id, kind: 'SKIP' }).select('student_id', 'code');
      expect(skip.map((r) => [Number(r.student_id), r.code])).toEqual([[waiters[0]!.id, 'TIME_CONFLICT']]);
      const mine = await request(app).get('/api/enrollments/waitlist/me').set('Authorization', await bearer(waiters[0]!));
      expect(mine.body.items[0]).toMatchObject({ sectionId: s.id, position: 1, lastSkip: { code: 'TIME_CONFLICT' } });
      await expectNoBreach(db);
    });

    it('a swap out of a full section promotes the first waiting student within the swap', async () => {
      const { s, holders, waiters } = await fullSectionWithWaitlist(1, 1);
      const other = await makeSection(db, { termId });
      const swapped = await as(app, auth, holders[0]!).swap(s.id, other.id);
      expect(swapped.status).toBe(200);
      expect((await rowsOf(db, { sectionId: s.id })).map((r) => r.studentId)).toEqual([waiters[0]!.id]);
      expect(await entriesOf(s.id)).toEqual([]);
      await expectNoBreach(db);
    });

    it('a promoted student leaves the waitlists of the lecture\'s other sections; enrolling directly does too', async () => {
      const a = await fullSectionWithWaitlist(1, 0);
      const lectureId = a.s.lectureId;
      const b = await makeSection(db, { termId, lectureId, capacity: 1 });
      const bHolder = await makeStudent(db);
      expect((await as(app, auth, bHolder).enroll(b.id)).status).toBe(201);
      const st = await makeStudent(db);
      expect((await join(app, st, a.s.id)).status).toBe(201);
      expect((await join(app, st, b.id)).status).toBe(201);
      await as(app, auth, a.holders[0]!).drop(a.s.id);
      expect(await rowsOf(db, { studentId: st.id })).toMatchObject([{ sectionId: a.s.id }]);
      expect(await entriesOf(b.id)).toEqual([]);

      const c = await fullSectionWithWaitlist(1, 1);
      const d = await makeSection(db, { termId, lectureId: c.s.lectureId });
      expect((await as(app, auth, c.waiters[0]!).enroll(d.id)).status).toBe(201);
      expect(await entriesOf(c.s.id)).toEqual([]);
      await expectNoBreach(db);
    });

    it('a student who takes the lecture elsewhere is removed, not skipped, when a seat frees', async () => {
      const { s, holders, waiters } = await fullSectionWithWaitlist(1, 2);
      // Arranged behind the service's back (as an import might): waiter 0 holds another section of the lecture.
      const other = await makeSection(db, { termId, lectureId: s.lectureId });
      await db('enrollment').insert({ student_id: waiters[0]!.id, section_id: other.id, lecture_id: s.lectureId, term_id: termId, created_at: T0 });
      await db('section_seat').where('section_id', other.id).update({ enrolled: 1 });
      await db('enrollment_event').insert({ student_id: waiters[0]!.id, section_id: other.id, action: 'ENROLL', outcome: 'OK', created_at: T0 });
      await as(app, auth, holders[0]!).drop(s.id);
      expect((await rowsOf(db, { sectionId: s.id })).map((r) => r.studentId)).toEqual([waiters[1]!.id]);
      expect(await entriesOf(s.id)).toEqual([]);
      expect(await noticesOf(waiters[0]!.id)).toEqual([{ kind: 'WAITLIST_REMOVED', code: 'ALREADY_ENROLLED' }]);
    });
  });

  describe('the sweeper', () => {
    it('deletes stored Idempotency-Key answers past their retention (24 h) at most every 10 minutes, and keeps the younger ones', async () => {
      const key = (n: string) => `purge-test:${n}:${Math.random().toString(36).slice(2)}`;
      const rows = [
        { idem_key: key('old'), request_hash: 'h', status: 201, body: '{}', created_at: at(-25 * 3_600_000) },
        { idem_key: key('young'), request_hash: 'h', status: 201, body: '{}', created_at: at(-23 * 3_600_000) },
      ];
      await db('idempotency_record').insert(rows);
      const parts = createEnrollment({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('enrollment'), readiness: async () => {}, clock: () => T0, catalogTtlMs: 0 });
      await parts.sweeper.sweepOnce();
      const left = await db('idempotency_record').whereIn('idem_key', rows.map((r) => r.idem_key)).pluck('idem_key');
      expect(left).toEqual([rows[1]!.idem_key]);
      // Within the ten minutes a second pass does not purge (a row aged meanwhile stays until the next).
      const aged = { ...rows[0]!, idem_key: key('aged') };
      await db('idempotency_record').insert(aged);
      await parts.sweeper.sweepOnce();
      expect(await db('idempotency_record').where('idem_key', aged.idem_key).pluck('idem_key')).toEqual([aged.idem_key]);
      await parts.sweeper.stop();
    });

    it('gives seats of a raised capacity and of released reservations to the list, and is a no-op the second time', async () => {
      const { s, waiters } = await fullSectionWithWaitlist(2, 4);
      const parts = createEnrollment({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('enrollment'), readiness: async () => {}, clock: () => T0, catalogTtlMs: 0 });
      await db('section').where('id', s.id).update({ capacity: 3 });
      expect((await checkInvariants(db, { now: T0 })).counts.WAITLIST_SEAT_IDLE).toBe(1);
      await parts.sweeper.sweepOnce();
      expect((await rowsOf(db, { sectionId: s.id })).map((r) => r.studentId)).toContain(waiters[0]!.id);
      await parts.sweeper.sweepOnce();
      expect(await entriesOf(s.id)).toEqual(waiters.slice(1).map((w) => w.id));
      expect(await seatOf(db, s.id)).toBe(3);

      // A seat held back for another major until T0 + 1h: nobody on the list may take it before then.
      const r = await fullSectionWithWaitlist(1, 1);
      await db('section').where('id', r.s.id).update({ capacity: 2 });
      await makeReservation(db, { sectionId: r.s.id, majorId: await makeMajor(db), seats: 1, releaseAt: at(3_600_000) });
      await parts.sweeper.sweepOnce();
      expect(await entriesOf(r.s.id)).toEqual([r.waiters[0]!.id]);
      expect((await checkInvariants(db, { now: T0 })).counts.WAITLIST_SEAT_IDLE).toBeUndefined();
      const later = createEnrollment({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('enrollment'), readiness: async () => {}, clock: () => at(2 * 3_600_000), catalogTtlMs: 0 });
      await db('waitlist_entry').where('section_id', r.s.id).update({ retry_at: null });
      await later.sweeper.sweepOnce();
      expect((await rowsOf(db, { sectionId: r.s.id })).map((x) => x.studentId)).toContain(r.waiters[0]!.id);
      await expectNoBreach(db);
    });
  });

  describe('skips', () => {
    it('a student the rules refuse is recorded and told once per reason, however often the sweeper tries again', async () => {
      const { s, waiters } = await fullSectionWithWaitlist(1, 1);
      const filler = await makeSection(db, { termId, credits: 3 });
      await db('student').where('id', waiters[0]!.id).update({ max_credits: 3 });
      expect((await as(app, auth, waiters[0]!).enroll(filler.id)).status).toBe(201);
      await db('section').where('id', s.id).update({ capacity: 2 });
      const parts = createEnrollment({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('enrollment'), readiness: async () => {}, clock: () => T0, catalogTtlMs: 0 });
      for (let i = 0; i < 3; i++) {
        await db('waitlist_entry').where('section_id', s.id).update({ retry_at: null });
        await parts.sweeper.sweepOnce();
      }
      expect(await entriesOf(s.id)).toEqual([waiters[0]!.id]);
      expect(await db('waitlist_event').where({ section_id: s.id, kind: 'SKIP' }).count<{ n: number }[]>({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
      expect(await noticesOf(waiters[0]!.id)).toEqual([{ kind: 'WAITLIST_SKIPPED', code: 'CREDIT_LIMIT' }]);
      // What they hold changes (their own drop): tried again at once, and enrolled.
      expect((await as(app, auth, waiters[0]!).drop(filler.id)).status).toBe(200);
      await parts.sweeper.sweepOnce();
      expect((await rowsOf(db, { sectionId: s.id })).map((r) => r.studentId)).toContain(waiters[0]!.id);
      await db('section').where('id', s.id).update({ capacity: 2 });
      await expectNoBreach(db);
    });
  });

  describe('staff', () => {
    let s: SectionRef;
    let waiters: StudentRef[];
    beforeAll(async () => {
      ({ s, waiters } = await fullSectionWithWaitlist(1, 3));
    });

    it('see a section\'s list, move an entry with a reason (audited) and remove one (the student is told)', async () => {
      const h = { Authorization: await bearer(staff) };
      const list = await request(app).get(`/api/enrollments/sections/${s.id}/waitlist`).set(h);
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { studentId: number }) => i.studentId)).toEqual(waiters.map((w) => w.id));
      expect(list.body.section).toMatchObject({ id: s.id, capacity: 1, enrolled: 1 });

      const moved = await request(app).put(`/api/enrollments/sections/${s.id}/waitlist/${waiters[2]!.id}`).set(h).send({ position: 1, reason: '장애 학생 우선' });
      expect(moved.status).toBe(200);
      expect(moved.body.items.map((i: { studentId: number }) => i.studentId)).toEqual([waiters[2]!.id, waiters[0]!.id, waiters[1]!.id]);
      const audit = await request(app).get('/api/enrollments/audit').query({ sectionId: s.id, action: 'WAITLIST_MOVE' }).set(h);
      expect(audit.body.items[0]).toMatchObject({ action: 'WAITLIST_MOVE', reason: '장애 학생 우선', studentId: waiters[2]!.id, details: { from: 3, to: 1 } });

      const removed = await request(app).delete(`/api/enrollments/sections/${s.id}/waitlist/${waiters[0]!.id}`).query({ reason: '중복 신청' }).set(h);
      expect(removed.status).toBe(204);
      expect(await entriesOf(s.id)).toEqual([waiters[2]!.id, waiters[1]!.id]);
      const notices = await request(app).get('/api/enrollments/notices/me').set('Authorization', await bearer(waiters[0]!));
      expect(notices.body).toMatchObject({ unread: 1, items: [{ kind: 'WAITLIST_REMOVED', sectionId: s.id, reason: '중복 신청' }] });
      const read = await request(app).post('/api/enrollments/notices/me/read').set('Authorization', await bearer(waiters[0]!)).send({ upToId: notices.body.items[0].id });
      expect(read.status).toBe(204);
      expect((await request(app).get('/api/enrollments/notices/me?unread=true').set('Authorization', await bearer(waiters[0]!))).body).toMatchObject({ unread: 0, items: [] });

      const overview = await request(app).get('/api/enrollments/waitlists').set(h);
      expect(overview.status).toBe(200);
      expect(overview.body.top[0].waiting).toBeGreaterThanOrEqual(overview.body.top.at(-1).waiting);
      expect(overview.body.entries).toBe(await db('waitlist_entry').where('term_id', termId).count<{ n: number }[]>({ n: '*' }).then((r) => Number(r[0]!.n)));
      await expectNoBreach(db);
    });

    it('the moved order decides the next promotion', async () => {
      const holder = (await rowsOf(db, { sectionId: s.id }))[0]!.studentId;
      await as(app, auth, { id: holder }).drop(s.id);
      expect((await rowsOf(db, { sectionId: s.id })).map((r) => r.studentId)).toEqual([waiters[2]!.id]);
    });

    it('students may not use the staff routes, staff may not join', async () => {
      const st = waiters[1]!;
      expect((await request(app).get(`/api/enrollments/sections/${s.id}/waitlist`).set('Authorization', await bearer(st))).status).toBe(403);
      expect((await request(app).put(`/api/enrollments/sections/${s.id}/waitlist/${st.id}`).set('Authorization', await bearer(st)).send({ position: 1, reason: 'x' })).status).toBe(403);
      expect((await request(app).post('/api/enrollments/auto-enroll').set('Authorization', await bearer(st)).send({ windowId: 1, reason: 'x' })).status).toBe(403);
      expect((await join(app, staff, s.id)).status).toBe(403);
      expect((await request(app).get('/api/enrollments/waitlist/me')).status).toBe(401);
    });
  });
});
