import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, type Knex } from '@goorm/common';
import { createTestAuth, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import { as, buildApp, makeDb, makeReservation, makeSection, makeStudent, makeTerm, openStandardWindows, at, HOUR, T0 } from './enroll.fixtures.ts';

const engines = await testEngines();

/** The statement kinds, in order, for a readable assertion. */
const kinds = (statements: string[]) =>
  statements.map((s) => {
    const sql = s.trim().toLowerCase();
    if (sql.startsWith('begin')) return 'BEGIN';
    if (sql.startsWith('commit')) return 'COMMIT';
    if (sql.startsWith('rollback')) return 'ROLLBACK';
    if (sql.startsWith('select') && /from [`"]student[`"]/.test(sql)) return 'LOCK student+enrollments';
    if (sql.startsWith('select') && sql.includes('reservation_seat')) return 'LOCK reservations';
    if (sql.startsWith('select') && sql.includes('idempotency_record')) return 'READ idempotency';
    if (sql.startsWith('update') && sql.includes('section_seat')) return 'TAKE seat';
    if (sql.startsWith('set @took')) return 'SET @took';
    if (sql.startsWith('delete') && sql.includes('waitlist_entry')) return 'LEAVE waitlists of lecture';
    if (sql.startsWith('update') && sql.includes('reservation_seat')) return 'TAKE reserved seat';
    if (sql.startsWith('insert') && sql.includes('enrollment_event')) return 'INSERT event';
    if (sql.startsWith('insert') && sql.includes('idempotency_record')) return 'INSERT idempotency';
    if (sql.startsWith('insert') && sql.includes('enrollment')) return 'INSERT enrollment';
    return sql.slice(0, 60);
  });

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
  });
  afterAll(async () => {
    await t?.destroy();
  });

  describe('GET /api/enrollments/me', () => {
    it('answers the timetable: each section in its timetable variant (lecture, professor, meetings), total and maximum credits', async () => {
      app = buildApp(db, auth);
      const a = await makeSection(db, { termId, credits: 3, meetings: [['MON', 1, 2], ['WED', 1, 1]] });
      const b = await makeSection(db, { termId, credits: 2, meetings: [['TUE', 5, 6]] });
      const st = await makeStudent(db, { maxCredits: 19 });
      await as(app, auth, st).enroll(a.id);
      await as(app, auth, st).enroll(b.id);
      const section = await db('section').where('id', a.id).first();
      const lecture = await db('lecture').where('id', a.lectureId).first();
      const professor = await db('professor').where('id', section.professor_id).first();

      const res = await as(app, auth, st).get('/api/enrollments/me');

      expect(res.status).toBe(200);
      expect(res.body.totalCredits).toBe(5);
      expect(res.body.maxCredits).toBe(19);
      expect(res.body.items).toEqual([
        {
          sectionId: a.id,
          lectureId: a.lectureId,
          studentId: st.id,
          createdAt: T0.toISOString(),
          section: {
            id: a.id,
            termId,
            lectureId: a.lectureId,
            sectionNo: section.section_no,
            professorId: professor.id,
            room: section.room,
            meetings: [
              { day: 'MON', startPeriod: 1, endPeriod: 2 },
              { day: 'WED', startPeriod: 1, endPeriod: 1 },
            ],
            lecture: {
              id: a.lectureId,
              code: lecture.code,
              title: lecture.title,
              titleEn: '',
              credits: 3,
              category: 'MAJOR_ELECTIVE',
              majorId: lecture.major_id,
            },
            professor: { id: professor.id, name: professor.name, nameEn: professor.name_en },
          },
        },
        expect.objectContaining({
          sectionId: b.id,
          section: expect.objectContaining({ id: b.id, lecture: expect.objectContaining({ credits: 2 }), meetings: [{ day: 'TUE', startPeriod: 5, endPeriod: 6 }] }),
        }),
      ]);
      expect(professor.name_en).toMatch(/^Prof /);
    });

    it("staff read a student's timetable in the same shape; an unknown student is 404 NOT_FOUND", async () => {
      app = buildApp(db, auth);
      const s = await makeSection(db, { termId, credits: 3 });
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(s.id);
      const staff = as(app, auth, { id: 7, role: 'staff' });

      const mine = await as(app, auth, st).get('/api/enrollments/me');
      const theirs = await staff.get(`/api/enrollments/students/${st.id}`);
      const missing = await staff.get('/api/enrollments/students/99999999');

      expect(theirs.status).toBe(200);
      expect(theirs.body).toEqual(mine.body);
      expect(theirs.body.items[0].section).toMatchObject({ id: s.id, lecture: { id: s.lectureId, credits: 3 } });
      expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('with no enrollments answers an empty timetable with the maximum', async () => {
      app = buildApp(db, auth);
      const st = await makeStudent(db, { maxCredits: 21 });
      const res = await as(app, auth, st).get('/api/enrollments/me');
      expect(res.body).toEqual({ items: [], totalCredits: 0, maxCredits: 21 });
    });

    it('uses the same number of queries for 1 and for 6 enrollments', async () => {
      app = buildApp(db, auth, { catalogTtlMs: 60_000 });
      const one = await makeStudent(db);
      const six = await makeStudent(db);
      const sections = [];
      for (let i = 0; i < 6; i++) sections.push(await makeSection(db, { termId, credits: 3 }));
      await as(app, auth, one).enroll(sections[0]!.id);
      for (const s of sections) await as(app, auth, six).enroll(s.id);
      const counted = async (st: { id: number }) => {
        const q = countQueries(db);
        const res = await as(app, auth, st).get('/api/enrollments/me');
        q.stop();
        return { n: q.count, items: res.body.items.length };
      };
      const a = await counted(one);
      const b = await counted(six);
      expect([a.items, b.items]).toEqual([1, 6]);
      expect(a.n).toBe(2);
      expect(b.n).toBe(a.n);
    });
  });

  // SQLite runs in process (no round trips to save): it keeps knex's transaction, asserted below.
  if (engine === 'mysql') describe('round trips on MySQL (README "The enroll transaction")', () => {
    /** The statements sent, grouped by the round trip that carried them. */
    const roundTrips = async (send: () => Promise<unknown>) => {
      const trips: string[][] = [];
      let last: unknown;
      const listener = (q: { sql: string; batch?: number }) => {
        if (q.batch === undefined || q.batch !== last) trips.push([]);
        last = q.batch;
        trips.at(-1)!.push(q.sql);
      };
      db.on('query', listener);
      try {
        await send();
      } finally {
        db.removeListener('query', listener);
      }
      return trips.map(kinds);
    };

    it('a student enroll is 2 round trips: BEGIN with the lock; the seat, the inserts and COMMIT', async () => {
      app = buildApp(db, auth, { catalogTtlMs: 60_000 });
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      await as(app, auth, st).get('/api/enrollments/me');
      let res: { status: number } | undefined;
      const trips = await roundTrips(async () => (res = await as(app, auth, st).enroll(s.id, { 'Idempotency-Key': 'trips' })));
      expect(res?.status).toBe(201);
      expect(trips).toEqual([
        ['BEGIN', 'LOCK student+enrollments'],
        ['TAKE seat', 'SET @took', 'INSERT enrollment', 'INSERT event', 'LEAVE waitlists of lecture', 'INSERT idempotency', 'COMMIT'],
      ]);
      const stored = await db('idempotency_record').where('idem_key', `student${st.id}:trips`).first();
      expect([Number(stored.status), JSON.parse(stored.body).sectionId]).toEqual([201, s.id]);
      expect(await db('enrollment_event').where({ student_id: st.id }).select('action', 'outcome')).toEqual([{ action: 'ENROLL', outcome: 'OK' }]);
      expect(await db('enrollment').where({ student_id: st.id, section_id: s.id }).first()).toBeTruthy();
      expect((await db('section_seat').where({ section_id: s.id }).first()).enrolled).toBe(1);
    });

    it('a refusal by the rules and a full section are 2 round trips; only the event (and answer) is written', async () => {
      const full = await makeSection(db, { termId, capacity: 1 });
      const other = await makeSection(db, { termId });
      const sameLecture = await makeSection(db, { termId, lectureId: other.lectureId });
      app = buildApp(db, auth, { catalogTtlMs: 60_000 });
      await as(app, auth, await makeStudent(db)).enroll(full.id);
      const st = await makeStudent(db);
      await as(app, auth, st).get('/api/enrollments/me');
      let fullAnswer: { status: number; body: { code?: string } } | undefined;
      expect(await roundTrips(async () => (fullAnswer = await as(app, auth, st).enroll(full.id, { 'Idempotency-Key': 'full' })))).toEqual([
        ['BEGIN', 'LOCK student+enrollments'],
        ['TAKE seat', 'SET @took', 'INSERT enrollment', 'INSERT event', 'LEAVE waitlists of lecture', 'INSERT idempotency', 'COMMIT'],
      ]);
      expect([fullAnswer?.status, fullAnswer?.body.code]).toEqual([409, 'SECTION_FULL']);
      // the conditional insert wrote no row; the event and the stored answer say SECTION_FULL
      expect(await db('enrollment').where({ student_id: st.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
      expect((await db('section_seat').where({ section_id: full.id }).first()).enrolled).toBe(1);
      expect(await db('enrollment_event').where({ student_id: st.id }).select('outcome')).toEqual([{ outcome: 'SECTION_FULL' }]);
      const stored = await db('idempotency_record').where('idem_key', `student${st.id}:full`).first();
      expect([Number(stored.status), JSON.parse(stored.body).code]).toEqual([409, 'SECTION_FULL']);
      const replayed = await as(app, auth, st).enroll(full.id, { 'Idempotency-Key': 'full' });
      expect([replayed.status, replayed.body.code, replayed.headers['idempotent-replayed']]).toEqual([409, 'SECTION_FULL', 'true']);
      expect((await as(app, auth, st).enroll(other.id)).status).toBe(201);
      // the same lecture again: ALREADY_ENROLLED decided from the locked read
      let code: string | undefined;
      const trips = await roundTrips(async () => (code = (await as(app, auth, st).enroll(sameLecture.id)).body.code));
      expect(code).toBe('ALREADY_ENROLLED');
      expect(trips).toEqual([['BEGIN', 'LOCK student+enrollments'], ['INSERT event', 'COMMIT']]);
      expect((await db('section_seat').where({ section_id: sameLecture.id }).first())?.enrolled ?? 0).toBe(0);
    });

    it('a replay under the same key is answered from the locked read and writes nothing', async () => {
      app = buildApp(db, auth, { catalogTtlMs: 60_000 });
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      const first = await as(app, auth, st).enroll(s.id, { 'Idempotency-Key': 'again' });
      let again: { status: number; body: unknown; headers: Record<string, string> } | undefined;
      const trips = await roundTrips(async () => (again = await as(app, auth, st).enroll(s.id, { 'Idempotency-Key': 'again' })));
      expect(again?.status).toBe(201);
      expect(again?.body).toEqual(first.body);
      expect(trips).toEqual([['BEGIN', 'LOCK student+enrollments'], ['ROLLBACK']]);
    });
  });

  describe('the enroll transaction (README "The enroll transaction")', () => {
    it('is 6 statements: BEGIN, lock student + read enrollments, take the seat, insert row, insert event, COMMIT', async () => {
      app = buildApp(db, auth, { catalogTtlMs: 60_000 });
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      await as(app, auth, st).get('/api/enrollments/me'); // the catalog cache is warm, as in steady state
      await as(app, auth, await makeStudent(db)).enroll(s.id);
      const q = countQueries(db);
      const res = await as(app, auth, st).enroll(s.id);
      q.stop();
      expect(res.status).toBe(201);
      // MySQL's batched path adds `SET @took = ROW_COUNT()`, its writes conditional on it (above); a
      // student who takes a section no longer waits for its lecture (README "Waitlists").
      expect(kinds(q.statements)).toEqual(
        engine === 'mysql'
          ? ['BEGIN', 'LOCK student+enrollments', 'TAKE seat', 'SET @took', 'INSERT enrollment', 'INSERT event', 'LEAVE waitlists of lecture', 'COMMIT']
          : ['BEGIN', 'LOCK student+enrollments', 'TAKE seat', 'INSERT enrollment', 'LEAVE waitlists of lecture', 'INSERT event', 'COMMIT'],
      );
      if (engine === 'mysql') expect(q.statements[1]).toMatch(/for update$/i);
    });

    it('a SECTION_FULL refusal writes only its event (5 statements; MySQL: the same 7 as a success, its inserts conditional)', async () => {
      app = buildApp(db, auth, { catalogTtlMs: 60_000 });
      const s = await makeSection(db, { termId, capacity: 1 });
      await as(app, auth, await makeStudent(db)).enroll(s.id);
      const st = await makeStudent(db);
      await as(app, auth, st).get('/api/enrollments/me');
      const q = countQueries(db);
      const res = await as(app, auth, st).enroll(s.id);
      q.stop();
      expect(res.body.code).toBe('SECTION_FULL');
      expect(kinds(q.statements)).toEqual(
        engine === 'mysql'
          ? ['BEGIN', 'LOCK student+enrollments', 'TAKE seat', 'SET @took', 'INSERT enrollment', 'INSERT event', 'LEAVE waitlists of lecture', 'COMMIT']
          : ['BEGIN', 'LOCK student+enrollments', 'TAKE seat', 'INSERT event', 'COMMIT'],
      );
      expect(await db('enrollment').where({ student_id: st.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
    });

    it('with an Idempotency-Key: no read before, the stored answer checked inside the lock, the answer stored in the same commit', async () => {
      app = buildApp(db, auth, { catalogTtlMs: 60_000 });
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      await as(app, auth, st).get('/api/enrollments/me');
      const q = countQueries(db);
      await as(app, auth, st).enroll(s.id, { 'Idempotency-Key': 'count-me' });
      q.stop();
      expect(q.statements[1]).toContain('idempotency_record');
      expect(kinds(q.statements)).toEqual(
        engine === 'mysql'
          ? ['BEGIN', 'LOCK student+enrollments', 'TAKE seat', 'SET @took', 'INSERT enrollment', 'INSERT event', 'LEAVE waitlists of lecture', 'INSERT idempotency', 'COMMIT']
          : ['BEGIN', 'LOCK student+enrollments', 'TAKE seat', 'INSERT enrollment', 'LEAVE waitlists of lecture', 'INSERT event', 'INSERT idempotency', 'COMMIT'],
      );
    });

    it('with an unreleased reservation it adds one locking read of the reservation counters', async () => {
      app = buildApp(db, auth, { catalogTtlMs: 60_000, clock: () => T0 });
      const s = await makeSection(db, { termId, capacity: 5 });
      await makeReservation(db, { sectionId: s.id, seats: 2, gradeMask: 0b1000, releaseAt: at(HOUR) });
      const st = await makeStudent(db);
      await as(app, auth, st).get('/api/enrollments/me');
      const q = countQueries(db);
      expect((await as(app, auth, st).enroll(s.id)).status).toBe(201);
      q.stop();
      expect(kinds(q.statements)).toEqual([
        'BEGIN',
        'LOCK student+enrollments',
        'LOCK reservations',
        'TAKE seat',
        'INSERT enrollment',
        'LEAVE waitlists of lecture',
        'INSERT event',
        'COMMIT',
      ]);
    });
  });
});
