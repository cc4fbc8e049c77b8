import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '@goorm/common';
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

const engines = await testEngines();
const STAFF = { id: 77, role: 'staff' as const };

async function auditOf(db: Knex, target: string) {
  const rows = await db('audit_log').where('target', target).select('staff_id', 'action', 'target', 'reason', 'details', 'created_at').orderBy('id');
  return rows.map((r: { staff_id: number; action: string; reason: string; details: string | null }) => ({
    staffId: Number(r.staff_id),
    action: r.action,
    reason: r.reason,
    details: r.details === null ? null : (JSON.parse(r.details) as unknown),
  }));
}

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

  describe('staff override: POST /api/enrollments {sectionId, studentId, reason}', () => {
    it('enrolls a student outside any window and past eligibility, writing the audit log, event and row in one go', async () => {
      const cse = await makeMajor(db);
      const s = await makeSection(db, { termId, majors: [cse] });
      const st = await makeStudent(db);
      clock.set(at(5 * DAY));
      const res = await as(app, auth, STAFF).enroll({ sectionId: s.id, studentId: st.id, reason: '학과 승인' });
      clock.set(T0);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ sectionId: s.id, studentId: st.id });
      expect(await rowsOf(db, { studentId: st.id })).toEqual([expect.objectContaining({ sectionId: s.id, overCapacity: false })]);
      expect(await eventsOf(db, { studentId: st.id })).toEqual([
        { studentId: st.id, sectionId: s.id, action: 'OVERRIDE_ENROLL', outcome: 'OK', actorStaffId: STAFF.id },
      ]);
      expect(await auditOf(db, `student:${st.id}/section:${s.id}`)).toEqual([
        { staffId: STAFF.id, action: 'OVERRIDE_ENROLL', reason: '학과 승인', details: expect.objectContaining({ allowOverCapacity: false, overCapacity: false }) },
      ]);
    });

    it('on a full section answers 409 SECTION_FULL unless allowOverCapacity is set; then seats past capacity, flagged', async () => {
      const s = await makeSection(db, { termId, capacity: 1 });
      await as(app, auth, await makeStudent(db)).enroll(s.id);
      const st = await makeStudent(db);
      const before = await footprint(db);
      const refused = await as(app, auth, STAFF).enroll({ sectionId: s.id, studentId: st.id, reason: 'r' });
      expect(refused.body.code).toBe('SECTION_FULL');
      expect(await footprint(db)).toEqual(before);
      expect(await auditOf(db, `student:${st.id}/section:${s.id}`)).toEqual([]);

      const res = await as(app, auth, STAFF).enroll({ sectionId: s.id, studentId: st.id, reason: '졸업 예정', allowOverCapacity: true });
      expect(res.status).toBe(201);
      expect(await seatOf(db, s.id)).toBe(2);
      expect(await rowsOf(db, { studentId: st.id })).toEqual([expect.objectContaining({ overCapacity: true })]);
      expect(await auditOf(db, `student:${st.id}/section:${s.id}`)).toEqual([
        { staffId: STAFF.id, action: 'OVERRIDE_ENROLL', reason: '졸업 예정', details: expect.objectContaining({ allowOverCapacity: true, overCapacity: true }) },
      ]);
      // A seat granted past capacity on purpose is not a breach; students still cannot get in.
      await expectNoBreach(db);
      expect((await as(app, auth, await makeStudent(db)).enroll(s.id)).body.code).toBe('SECTION_FULL');
    });

    it('still refuses what would break an invariant: a time conflict', async () => {
      const held = await makeSection(db, { termId, meetings: [['WED', 11, 12]] });
      const clash = await makeSection(db, { termId, meetings: [['WED', 12, 12]] });
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(held.id);
      const res = await as(app, auth, STAFF).enroll({ sectionId: clash.id, studentId: st.id, reason: 'r', allowOverCapacity: true });
      expect(res.body.code).toBe('TIME_CONFLICT');
      expect(await rowsOf(db, { studentId: st.id })).toHaveLength(1);
    });

    it('without studentId or reason, answers 400 VALIDATION_FAILED and writes nothing', async () => {
      const s = await makeSection(db, { termId });
      const before = await footprint(db);
      const res = await as(app, auth, STAFF).enroll({ sectionId: s.id, studentId: 1 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
      expect((await as(app, auth, STAFF).enroll({ sectionId: s.id, reason: 'x' })).status).toBe(400);
      expect(await footprint(db)).toEqual(before);
    });

    it('for a student that does not exist, answers 404 NOT_FOUND', async () => {
      const s = await makeSection(db, { termId });
      const res = await as(app, auth, STAFF).enroll({ sectionId: s.id, studentId: 424_242, reason: 'x' });
      expect(res.status).toBe(404);
      expect(await seatOf(db, s.id)).toBe(0);
    });
  });

  describe('staff override: DELETE /api/enrollments/:sectionId?studentId=&reason=', () => {
    it('drops a student outside any window, gives the seat back and writes the audit log', async () => {
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(s.id);
      clock.set(at(5 * DAY));
      const res = await as(app, auth, STAFF).drop(s.id, { studentId: st.id, reason: '선수과목 미이수' });
      clock.set(T0);
      expect(res.status).toBe(200);
      expect(await rowsOf(db, { studentId: st.id })).toEqual([]);
      expect(await seatOf(db, s.id)).toBe(0);
      expect((await eventsOf(db, { studentId: st.id })).at(-1)).toMatchObject({ action: 'OVERRIDE_DROP', outcome: 'OK', actorStaffId: STAFF.id });
      expect(await auditOf(db, `student:${st.id}/section:${s.id}`)).toEqual([
        { staffId: STAFF.id, action: 'OVERRIDE_DROP', reason: '선수과목 미이수', details: expect.any(Object) },
      ]);
      await expectNoBreach(db);
    });

    it('without a reason, answers 400 and keeps the enrollment', async () => {
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(s.id);
      const res = await as(app, auth, STAFF).drop(s.id, { studentId: st.id });
      expect(res.status).toBe(400);
      expect(await rowsOf(db, { studentId: st.id })).toHaveLength(1);
    });
  });

  describe('who may read what', () => {
    it("GET /api/enrollments/students/:id is staff-only: a student reading another student's timetable gets 403", async () => {
      const s = await makeSection(db, { termId });
      const [victim, nosy] = [await makeStudent(db), await makeStudent(db)];
      await as(app, auth, victim).enroll(s.id);
      const res = await as(app, auth, nosy).get(`/api/enrollments/students/${victim.id}`);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const staff = await as(app, auth, STAFF).get(`/api/enrollments/students/${victim.id}`);
      expect(staff.status).toBe(200);
      expect(staff.body.items.map((i: { sectionId: number }) => i.sectionId)).toEqual([s.id]);
    });

    it('GET /api/enrollments/me shows the caller only their own enrollments', async () => {
      const [a, b] = [await makeSection(db, { termId }), await makeSection(db, { termId })];
      const [x, y] = [await makeStudent(db), await makeStudent(db)];
      await as(app, auth, x).enroll(a.id);
      await as(app, auth, y).enroll(b.id);
      const res = await as(app, auth, y).get('/api/enrollments/me');
      expect(res.body.items.map((i: { sectionId: number; studentId: number }) => [i.sectionId, i.studentId])).toEqual([[b.id, y.id]]);
    });

    it('staff routes refuse students: roster, stats and audit answer 403', async () => {
      const st = await makeStudent(db);
      for (const path of ['/api/enrollments/sections/1/roster', '/api/enrollments/stats', '/api/enrollments/audit']) {
        const res = await as(app, auth, st).get(path);
        expect(res.status, path).toBe(403);
      }
    });
  });
});
