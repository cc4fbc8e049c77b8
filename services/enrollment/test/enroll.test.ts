import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '@goorm/common';
import { eligibilityOf, maskToGrades } from '@goorm/contracts';
import { createTestAuth, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import {
  as,
  at,
  buildApp,
  DAY,
  eventsOf,
  expectNoBreach,
  footprint,
  makeDb,
  makeLecture,
  makeMajor,
  makeSection,
  makeStudent,
  makeTerm,
  openStandardWindows,
  rowsOf,
  seatOf,
  T0,
  testClock,
} from './enroll.fixtures.ts';
import { queueRequired } from '../src/queue/queue.service.ts';

const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let termId: number;
  let app: Express;
  const clock = testClock();

  beforeAll(async () => {
    t = await makeDb(engine);
    db = t.db;
    auth = await createTestAuth();
    termId = await makeTerm(db);
    await openStandardWindows(db, termId);
    app = buildApp(db, auth, { clock: clock.now });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  describe('POST /api/enrollments', () => {
    it('when every rule allows it, answers 201, takes one seat, writes the row and an OK event', async () => {
      clock.set(T0);
      const s = await makeSection(db, { termId, capacity: 2, credits: 3 });
      const st = await makeStudent(db);
      const res = await as(app, auth, st).enroll(s.id);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        sectionId: s.id,
        lectureId: s.lectureId,
        studentId: st.id,
        createdAt: T0.toISOString(),
        totalCredits: 3,
        maxCredits: 18,
      });
      expect(await seatOf(db, s.id)).toBe(1);
      expect(await rowsOf(db, { studentId: st.id })).toEqual([
        { studentId: st.id, sectionId: s.id, lectureId: s.lectureId, reservationId: null, overCapacity: false },
      ]);
      expect(await eventsOf(db, { studentId: st.id })).toEqual([
        { studentId: st.id, sectionId: s.id, action: 'ENROLL', outcome: 'OK', actorStaffId: null },
      ]);
      await expectNoBreach(db);
    });

    it('when the section is full, answers 409 SECTION_FULL, takes no seat and logs the refusal', async () => {
      const s = await makeSection(db, { termId, capacity: 1 });
      const [a, b] = [await makeStudent(db), await makeStudent(db)];
      expect((await as(app, auth, a).enroll(s.id)).status).toBe(201);
      const before = await footprint(db);
      const res = await as(app, auth, b).enroll(s.id);
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'SECTION_FULL', status: 409 });
      expect(await footprint(db)).toEqual(before);
      expect(await seatOf(db, s.id)).toBe(1);
      expect(await eventsOf(db, { studentId: b.id })).toEqual([
        { studentId: b.id, sectionId: s.id, action: 'ENROLL', outcome: 'SECTION_FULL', actorStaffId: null },
      ]);
    });

    it('when staff lowered the capacity below the seats taken, answers 409 SECTION_FULL (capacity is read in SQL, not cached)', async () => {
      const s = await makeSection(db, { termId, capacity: 3 });
      await as(app, auth, await makeStudent(db)).enroll(s.id);
      const cached = buildApp(db, auth, { clock: clock.now, catalogTtlMs: 60_000 });
      const st = await makeStudent(db);
      await as(cached, auth, st).get('/api/enrollments/me'); // warms the catalog cache
      await db('section').where('id', s.id).update({ capacity: 1 });
      const res = await as(cached, auth, st).enroll(s.id);
      expect(res.body.code).toBe('SECTION_FULL');
      expect(await seatOf(db, s.id)).toBe(1);
    });

    it('when the section does not exist, answers 404 NOT_FOUND and writes only the refusal event', async () => {
      const st = await makeStudent(db);
      const before = await footprint(db);
      const res = await as(app, auth, st).enroll(987_654);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect(await footprint(db)).toEqual(before);
      expect(await eventsOf(db, { studentId: st.id })).toEqual([
        { studentId: st.id, sectionId: 987_654, action: 'ENROLL', outcome: 'NOT_FOUND', actorStaffId: null },
      ]);
    });

    it('when the section belongs to another term, answers 404 NOT_FOUND', async () => {
      const old = await makeTerm(db, false);
      const s = await makeSection(db, { termId: old });
      const res = await as(app, auth, await makeStudent(db)).enroll(s.id);
      expect(res.status).toBe(404);
      expect(await rowsOf(db, { sectionId: s.id })).toEqual([]);
    });

    describe('windows', () => {
      it('when no window is open at all, answers 403 WINDOW_CLOSED and writes nothing but the event', async () => {
        const s = await makeSection(db, { termId });
        const st = await makeStudent(db);
        clock.set(at(5 * DAY));
        const before = await footprint(db);
        const res = await as(app, auth, st).enroll(s.id);
        clock.set(T0);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('WINDOW_CLOSED');
        expect(await footprint(db)).toEqual(before);
        expect((await eventsOf(db, { studentId: st.id })).map((e) => e.outcome)).toEqual(['WINDOW_CLOSED']);
      });

      it('when registration is open for other grades only, answers 403 WINDOW_CLOSED to a grade-4 student', async () => {
        const s = await makeSection(db, { termId });
        const senior = await makeStudent(db, { grade: 4 });
        const res = await as(app, auth, senior).enroll(s.id);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('WINDOW_CLOSED');
        expect(await rowsOf(db, { studentId: senior.id })).toEqual([]);
        expect(await seatOf(db, s.id)).toBe(0);
      });

      it('when only the CART phase is open, answers 403 WINDOW_CLOSED (wrong phase)', async () => {
        const s = await makeSection(db, { termId });
        const st = await makeStudent(db);
        clock.set(at(-7 * DAY));
        const res = await as(app, auth, st).enroll(s.id);
        clock.set(T0);
        expect(res.body.code).toBe('WINDOW_CLOSED');
        expect(await rowsOf(db, { studentId: st.id })).toEqual([]);
      });

      it('when the ADD_DROP window is open, enrolls', async () => {
        const s = await makeSection(db, { termId });
        const senior = await makeStudent(db, { grade: 4 });
        clock.set(at(7 * DAY + 1000));
        const res = await as(app, auth, senior).enroll(s.id);
        clock.set(T0);
        expect(res.status).toBe(201);
        expect(await rowsOf(db, { studentId: senior.id })).toHaveLength(1);
      });
    });

    describe('eligibility', () => {
      it('when the section is restricted to other majors, answers 403 NOT_ELIGIBLE with reason MAJOR_RESTRICTED and takes no seat', async () => {
        const cse = await makeMajor(db);
        const s = await makeSection(db, { termId, majors: [cse] });
        const outsider = await makeStudent(db);
        const before = await footprint(db);
        const res = await as(app, auth, outsider).enroll(s.id);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'MAJOR_RESTRICTED' });
        expect(await footprint(db)).toEqual(before);
        const insider = await makeStudent(db, { majorId: cse });
        expect((await as(app, auth, insider).enroll(s.id)).status).toBe(201);
      });

      it('when the section is closed to the student grade, answers 403 NOT_ELIGIBLE with reason GRADE_RESTRICTED', async () => {
        const s = await makeSection(db, { termId, gradeMask: 0b1100 }); // grades 3 and 4
        const second = await makeStudent(db, { grade: 2 });
        const res = await as(app, auth, second).enroll(s.id);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'GRADE_RESTRICTED' });
        expect(await seatOf(db, s.id)).toBe(0);
        expect((await as(app, auth, await makeStudent(db, { grade: 3 })).enroll(s.id)).status).toBe(201);
      });

      it('when both the major and the grade are refused, the reason is the one the contract gives (major first)', async () => {
        const cse = await makeMajor(db);
        const s = await makeSection(db, { termId, majors: [cse], gradeMask: 0b1000 }); // grade 4 of cse only
        const student = await makeStudent(db, { grade: 2 });
        const res = await as(app, auth, student).enroll(s.id);
        const expected = eligibilityOf({ grades: maskToGrades(0b1000), allowedMajorIds: [cse] }, student);
        expect(expected).toEqual({ eligible: false, reason: 'MAJOR_RESTRICTED' });
        expect([res.status, res.body.code, res.body.reason]).toEqual([403, 'NOT_ELIGIBLE', expected.reason]);
      });
    });

    it('when the student holds another section of the lecture, answers 409 ALREADY_ENROLLED naming it', async () => {
      const lectureId = await makeLecture(db);
      const a = await makeSection(db, { termId, lectureId });
      const b = await makeSection(db, { termId, lectureId });
      const st = await makeStudent(db);
      expect((await as(app, auth, st).enroll(a.id)).status).toBe(201);
      const before = await footprint(db);
      const res = await as(app, auth, st).enroll(b.id);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ALREADY_ENROLLED');
      expect(res.body.conflict).toMatchObject({ sectionId: a.id, lectureId });
      expect(res.body.conflict.lectureCode).toMatch(/^LEC/);
      expect(await footprint(db)).toEqual(before);
      expect(await seatOf(db, b.id)).toBe(0);

      const again = await as(app, auth, st).enroll(a.id);
      expect(again.body.code).toBe('ALREADY_ENROLLED');
      expect(again.body.conflict.sectionId).toBe(a.id);
    });

    it('the unique key (student, term, lecture) refuses a second section of a lecture in a term even without the service, not one of another term', async () => {
      const lectureId = await makeLecture(db);
      const a = await makeSection(db, { termId, lectureId });
      const b = await makeSection(db, { termId, lectureId });
      const pastTerm = await makeTerm(db, false);
      const past = await makeSection(db, { termId: pastTerm, lectureId });
      const st = await makeStudent(db);
      const row = { student_id: st.id, lecture_id: lectureId, term_id: termId, created_at: T0 };
      await db('enrollment').insert({ ...row, section_id: a.id });
      await expect(db('enrollment').insert({ ...row, section_id: b.id })).rejects.toThrow();
      await db('enrollment').insert({ ...row, term_id: pastTerm, section_id: past.id });
      await db('enrollment').where({ student_id: st.id }).delete();
    });

    it('a retake: a lecture held in an earlier term may be taken again this term, once (ALREADY_ENROLLED for a second section)', async () => {
      const lectureId = await makeLecture(db);
      const pastTerm = await makeTerm(db, false);
      const past = await makeSection(db, { termId: pastTerm, lectureId });
      const now1 = await makeSection(db, { termId, lectureId });
      const now2 = await makeSection(db, { termId, lectureId });
      const st = await makeStudent(db);
      await db('enrollment').insert({ student_id: st.id, section_id: past.id, lecture_id: lectureId, term_id: pastTerm, created_at: at(-200 * DAY) });

      const res = await as(app, auth, st).enroll(now1.id);
      expect(res.status).toBe(201);
      expect(await rowsOf(db, { studentId: st.id })).toHaveLength(2);
      const second = await as(app, auth, st).enroll(now2.id);
      expect([second.status, second.body.code, second.body.conflict?.sectionId]).toEqual([409, 'ALREADY_ENROLLED', now1.id]);
      // The earlier term's row was planted without its seat counter and event: take it away for the invariant check below.
      await db('enrollment').where({ student_id: st.id, section_id: past.id }).delete();
    });

    it('when a meeting overlaps a held section, answers 409 TIME_CONFLICT naming the clashing section and meeting', async () => {
      const held = await makeSection(db, { termId, meetings: [['FRI', 10, 12]] });
      const clash = await makeSection(db, { termId, meetings: [['FRI', 12, 13]] });
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(held.id);
      const before = await footprint(db);
      const res = await as(app, auth, st).enroll(clash.id);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('TIME_CONFLICT');
      expect(res.body.conflict).toEqual({
        sectionId: held.id,
        lectureCode: expect.stringMatching(/^LEC/),
        lectureTitle: expect.any(String),
        sectionNo: expect.any(Number),
        day: 'FRI',
        startPeriod: 10,
        endPeriod: 12,
      });
      expect(await footprint(db)).toEqual(before);
      expect(await seatOf(db, clash.id)).toBe(0);
    });

    it('when the credits after the add exceed the student maximum, answers 409 CREDIT_LIMIT', async () => {
      const st = await makeStudent(db, { maxCredits: 7 });
      const a = await makeSection(db, { termId, credits: 3 });
      const b = await makeSection(db, { termId, credits: 3 });
      const c = await makeSection(db, { termId, credits: 2 });
      expect((await as(app, auth, st).enroll(a.id)).status).toBe(201);
      expect((await as(app, auth, st).enroll(b.id)).status).toBe(201);
      const before = await footprint(db);
      const res = await as(app, auth, st).enroll(c.id);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'CREDIT_LIMIT', credits: { current: 6, adding: 2, max: 7 } });
      expect(await footprint(db)).toEqual(before);
    });

    it('when the seat row does not exist yet, creates it and takes the seat', async () => {
      const s = await makeSection(db, { termId, capacity: 1 });
      expect(await seatOf(db, s.id)).toBeUndefined();
      expect((await as(app, auth, await makeStudent(db)).enroll(s.id)).status).toBe(201);
      expect(await seatOf(db, s.id)).toBe(1);
    });

    it('when the body is not valid, answers 400 VALIDATION_FAILED and writes nothing', async () => {
      const st = await makeStudent(db);
      const before = await footprint(db);
      const res = await as(app, auth, st).enroll({ sectionId: 'abc' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(await footprint(db)).toEqual(before);
      expect(await eventsOf(db, { studentId: st.id })).toEqual([]);
    });

    it('never coerces a JSON id: sectionId true or "<id>" (of a real section) is 400 VALIDATION_FAILED on body.sectionId', async () => {
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      const before = await footprint(db);
      for (const sectionId of [true, String(s.id)]) {
        const res = await as(app, auth, st).enroll({ sectionId });
        expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.sectionId']);
      }
      const staffRes = await as(app, auth, { id: 7, role: 'staff' }).enroll({ sectionId: s.id, studentId: String(st.id), reason: 'r' });
      expect([staffRes.status, staffRes.body.errors?.[0]?.field]).toEqual([400, 'body.studentId']);
      expect(await footprint(db)).toEqual(before);
    });

    it('without a token, answers 401 UNAUTHENTICATED', async () => {
      const res = await request(app).post('/api/enrollments').send({ sectionId: 1 });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('when a student sends override fields, answers 403 FORBIDDEN and enrolls nobody', async () => {
      const s = await makeSection(db, { termId });
      const [me, other] = [await makeStudent(db), await makeStudent(db)];
      const before = await footprint(db);
      const res = await as(app, auth, me).enroll({ sectionId: s.id, studentId: other.id, reason: 'please' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const res2 = await as(app, auth, me).enroll({ sectionId: s.id, allowOverCapacity: true });
      expect(res2.status).toBe(403);
      expect(await footprint(db)).toEqual(before);
    });

    it('with the waiting room active, the admission gate refuses before anything is read or written', async () => {
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      const seen: (string | undefined)[] = [];
      const gated = buildApp(db, auth, {
        clock: clock.now,
        admission: {
          async check(_user, token) {
            seen.push(token);
            if (token !== 'ok') throw queueRequired(token === undefined ? 'missing' : 'invalid');
          },
        },
      });
      const before = await footprint(db);
      const res = await as(gated, auth, st).enroll(s.id);
      expect(res.status).toBe(428);
      expect(res.body.code).toBe('QUEUE_REQUIRED');
      expect(await footprint(db)).toEqual(before);
      const ok = await as(gated, auth, st).enroll(s.id, { 'X-Admission-Token': 'ok' });
      expect(ok.status).toBe(201);
      expect(seen).toEqual([undefined, 'ok']);
    });

    it('counts decisions in the enrollment_decisions_total metric', async () => {
      const metricsApp = buildApp(db, auth, { clock: clock.now });
      const s = await makeSection(db, { termId, capacity: 1 });
      await as(metricsApp, auth, await makeStudent(db)).enroll(s.id);
      await as(metricsApp, auth, await makeStudent(db)).enroll(s.id);
      const text = (await request(metricsApp).get('/metrics')).text;
      expect(text).toMatch(/enrollment_decisions_total\{action="ENROLL",outcome="OK",service="enrollment"\} 1/);
      expect(text).toMatch(/enrollment_decisions_total\{action="ENROLL",outcome="SECTION_FULL",service="enrollment"\} 1/);
    });
  });

  it('GET /openapi.json documents the enroll, drop, swap and timetable routes', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/enrollments', '/api/enrollments/swap', '/api/enrollments/{sectionId}', '/api/enrollments/me', '/api/enrollments/windows']),
    );
    expect(res.body.paths['/api/enrollments'].post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
    );
  });

  it('after all of the above, the invariant checker finds no breach', async () => {
    await expectNoBreach(db);
  });
});
