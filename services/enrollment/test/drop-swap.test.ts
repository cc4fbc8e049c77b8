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
  makeLecture,
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

  describe('DELETE /api/enrollments/:sectionId', () => {
    it('drops: answers 200, deletes the row, gives the seat back and logs a DROP event', async () => {
      const s = await makeSection(db, { termId, capacity: 1, credits: 3 });
      const keep = await makeSection(db, { termId, credits: 2 });
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(s.id);
      await as(app, auth, st).enroll(keep.id);
      expect(await seatOf(db, s.id)).toBe(1);
      const res = await as(app, auth, st).drop(s.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ sectionId: s.id, lectureId: s.lectureId, studentId: st.id, droppedAt: T0.toISOString(), totalCredits: 2, maxCredits: 18 });
      expect(await seatOf(db, s.id)).toBe(0);
      expect(await rowsOf(db, { studentId: st.id })).toEqual([expect.objectContaining({ sectionId: keep.id })]);
      expect((await eventsOf(db, { sectionId: s.id })).map((e) => `${e.action} ${e.outcome}`)).toEqual(['ENROLL OK', 'DROP OK']);
      // the freed seat is takeable again
      expect((await as(app, auth, await makeStudent(db)).enroll(s.id)).status).toBe(201);
      await expectNoBreach(db);
    });

    it('when the student does not hold the section, answers 404 NOT_FOUND and changes no seat', async () => {
      const s = await makeSection(db, { termId });
      const [holder, other] = [await makeStudent(db), await makeStudent(db)];
      await as(app, auth, holder).enroll(s.id);
      const before = await footprint(db);
      const res = await as(app, auth, other).drop(s.id);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect(await footprint(db)).toEqual(before);
      expect(await rowsOf(db, { sectionId: s.id })).toEqual([expect.objectContaining({ studentId: holder.id })]);
      expect((await eventsOf(db, { studentId: other.id })).map((e) => `${e.action} ${e.outcome}`)).toEqual(['DROP NOT_FOUND']);
    });

    it("a student cannot drop another student's enrollment with ?studentId: 403 FORBIDDEN", async () => {
      const s = await makeSection(db, { termId });
      const [victim, mallory] = [await makeStudent(db), await makeStudent(db)];
      await as(app, auth, victim).enroll(s.id);
      const before = await footprint(db);
      const res = await as(app, auth, mallory).drop(s.id, { studentId: victim.id, reason: 'mine now' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(await footprint(db)).toEqual(before);
      expect(await rowsOf(db, { studentId: victim.id })).toHaveLength(1);
    });

    it('when no window allowing drops is open, answers 403 WINDOW_CLOSED and keeps the seat', async () => {
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(s.id);
      for (const when of [at(5 * DAY), at(-7 * DAY) /* CART phase */]) {
        clock.set(when);
        const res = await as(app, auth, st).drop(s.id);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('WINDOW_CLOSED');
      }
      clock.set(T0);
      expect(await rowsOf(db, { studentId: st.id })).toHaveLength(1);
      expect(await seatOf(db, s.id)).toBe(1);
    });

    it('in the ADD_DROP window, drops', async () => {
      const s = await makeSection(db, { termId });
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(s.id);
      clock.set(at(7 * DAY + 1));
      const res = await as(app, auth, st).drop(s.id);
      clock.set(T0);
      expect(res.status).toBe(200);
      expect(await seatOf(db, s.id)).toBe(0);
    });
  });

  describe('POST /api/enrollments/swap', () => {
    it('moves to another section of the same lecture: both rows and both seats change together', async () => {
      const lectureId = await makeLecture(db, { credits: 3 });
      const a = await makeSection(db, { termId, lectureId, capacity: 5 });
      const b = await makeSection(db, { termId, lectureId, capacity: 5 });
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(a.id);
      const res = await as(app, auth, st).swap(a.id, b.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        dropped: { sectionId: a.id, lectureId },
        enrolled: { sectionId: b.id, lectureId, studentId: st.id, createdAt: T0.toISOString() },
        totalCredits: 3,
        maxCredits: 18,
      });
      expect(await rowsOf(db, { studentId: st.id })).toEqual([expect.objectContaining({ sectionId: b.id, lectureId })]);
      expect([await seatOf(db, a.id), await seatOf(db, b.id)]).toEqual([0, 1]);
      expect((await eventsOf(db, { studentId: st.id })).map((e) => `${e.action} ${e.sectionId === a.id ? 'a' : 'b'} ${e.outcome}`)).toEqual([
        'ENROLL a OK',
        'SWAP b OK',
        'SWAP_DROP a OK',
      ]);
      await expectNoBreach(db);
    });

    it('moves to a different lecture, checking the new section as if the old one were dropped (time, credits)', async () => {
      const st = await makeStudent(db, { maxCredits: 6 });
      const other = await makeSection(db, { termId, credits: 3, meetings: [['SAT', 1, 1]] });
      const from = await makeSection(db, { termId, credits: 3, meetings: [['SAT', 5, 6]] });
      const to = await makeSection(db, { termId, credits: 3, meetings: [['SAT', 6, 7]] }); // overlaps only `from`
      await as(app, auth, st).enroll(other.id);
      await as(app, auth, st).enroll(from.id);
      expect((await as(app, auth, st).enroll(to.id)).body.code).toBe('TIME_CONFLICT');
      const res = await as(app, auth, st).swap(from.id, to.id);
      expect(res.status).toBe(200);
      expect((await rowsOf(db, { studentId: st.id })).map((r) => r.sectionId).sort()).toEqual([other.id, to.id].sort());
    });

    it('when the new section is full, answers 409 SECTION_FULL and the student keeps the old seat (either id order)', async () => {
      for (const order of ['from<to', 'from>to'] as const) {
        const x = await makeSection(db, { termId, capacity: 3 });
        const y = await makeSection(db, { termId, capacity: 1 });
        const [from, to] = order === 'from<to' ? [x, y] : [y, x];
        const st = await makeStudent(db);
        if (order === 'from>to') {
          await db('section').where('id', to.id).update({ capacity: 1 });
          await db('section').where('id', from.id).update({ capacity: 3 });
        }
        await as(app, auth, st).enroll(from.id);
        await as(app, auth, await makeStudent(db)).enroll(to.id); // fills `to`
        const before = await footprint(db);
        const res = await as(app, auth, st).swap(from.id, to.id);
        expect(res.status, order).toBe(409);
        expect(res.body.code).toBe('SECTION_FULL');
        expect(await footprint(db)).toEqual(before);
        expect(await rowsOf(db, { studentId: st.id })).toEqual([expect.objectContaining({ sectionId: from.id })]);
        expect([await seatOf(db, from.id), await seatOf(db, to.id)]).toEqual([1, 1]);
        expect((await eventsOf(db, { studentId: st.id })).at(-1)).toMatchObject({ action: 'SWAP', sectionId: to.id, outcome: 'SECTION_FULL' });
      }
      await expectNoBreach(db);
    });

    it('when the new lecture would break the credit maximum, answers 409 CREDIT_LIMIT and changes nothing', async () => {
      const st = await makeStudent(db, { maxCredits: 6 });
      const keep = await makeSection(db, { termId, credits: 3 });
      const from = await makeSection(db, { termId, credits: 3 });
      const to = await makeSection(db, { termId, credits: 4 });
      await as(app, auth, st).enroll(keep.id);
      await as(app, auth, st).enroll(from.id);
      const before = await footprint(db);
      const res = await as(app, auth, st).swap(from.id, to.id);
      expect(res.body).toMatchObject({ code: 'CREDIT_LIMIT', credits: { current: 3, adding: 4, max: 6 } });
      expect(await footprint(db)).toEqual(before);
    });

    it('when the student does not hold the old section, answers 404 NOT_FOUND and takes no seat', async () => {
      const [from, to] = [await makeSection(db, { termId }), await makeSection(db, { termId })];
      const st = await makeStudent(db);
      const before = await footprint(db);
      const res = await as(app, auth, st).swap(from.id, to.id);
      expect(res.status).toBe(404);
      expect(await footprint(db)).toEqual(before);
    });

    it('when the target is already held, answers 409 ALREADY_ENROLLED; same ids answer 400', async () => {
      const [a, b] = [await makeSection(db, { termId }), await makeSection(db, { termId })];
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(a.id);
      await as(app, auth, st).enroll(b.id);
      const res = await as(app, auth, st).swap(a.id, b.id);
      expect(res.body.code).toBe('ALREADY_ENROLLED');
      expect(res.body.conflict.sectionId).toBe(b.id);
      expect((await as(app, auth, st).swap(a.id, a.id)).status).toBe(400);
      expect(await rowsOf(db, { studentId: st.id })).toHaveLength(2);
    });

    it('when the window is closed, answers 403 WINDOW_CLOSED', async () => {
      const [a, b] = [await makeSection(db, { termId }), await makeSection(db, { termId })];
      const st = await makeStudent(db);
      await as(app, auth, st).enroll(a.id);
      clock.set(at(5 * DAY));
      const res = await as(app, auth, st).swap(a.id, b.id);
      clock.set(T0);
      expect(res.body.code).toBe('WINDOW_CLOSED');
      expect(await rowsOf(db, { studentId: st.id })).toEqual([expect.objectContaining({ sectionId: a.id })]);
    });

    it('staff cannot use the student swap: 403 FORBIDDEN', async () => {
      const [a, b] = [await makeSection(db, { termId }), await makeSection(db, { termId })];
      const res = await as(app, auth, { id: 1, role: 'staff' }).swap(a.id, b.id);
      expect(res.status).toBe(403);
    });
  });
});
