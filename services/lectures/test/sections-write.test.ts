import { testEngines } from '@goorm/common/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogCounts, NOW, startHarness, uniq, type Harness } from './harness.ts';

const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let h: Harness;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    h = await startHarness(engine);
    const c = h.catalog;
    ids.term = await c.term('2026-1', true);
    ids.otherTerm = await c.term('2026-2');
    ids.cse = await c.major('CSE', '컴퓨터공학과');
    ids.mat = await c.major('MAT', '수학과');
    ids.ds = await c.lecture('CSE2010', '자료구조', 'Data Structures', ids.cse);
    ids.alg = await c.lecture('CSE3010', '알고리즘', 'Algorithms', ids.cse);
    /** For requests that must be refused: never gets a section. */
    ids.idle = await c.professor('한가한', 'Han Gahan', ids.cse);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  /** A professor of their own, so one test's timetable never collides with another's. */
  const newProfessor = () => h.catalog.professor(`교수${uniq()}`, `Professor ${uniq()}`, ids.cse!);

  const validBody = async (over: Record<string, unknown> = {}) => ({
    termId: ids.term,
    lectureId: ids.ds,
    sectionNo: uniq(),
    professorId: 'professorId' in over ? over.professorId : await newProfessor(),
    capacity: 30,
    room: `공학관 ${uniq()}`,
    grades: [1, 2],
    allowedMajorIds: [ids.cse],
    meetings: [{ day: 'MON', startPeriod: 1, endPeriod: 2 }],
    reserved: [{ majorId: ids.cse, grades: [1], seats: 5, releaseAt: '2026-02-20T00:00:00.000Z' }],
    ...over,
  });

  const post = (body: unknown, auth = h.staff) => request(h.app).post('/api/lectures/sections').set('Authorization', auth).send(body as object);
  const put = (id: number, body: unknown, auth = h.staff) =>
    request(h.app).put(`/api/lectures/sections/${id}`).set('Authorization', auth).send(body as object);
  const sectionRow = (id: number) => h.db('section').where('id', id).first();
  const meetingRows = (id: number) =>
    h.db('section_meeting').where('section_id', id).orderBy('day').select('day', 'start_period', 'end_period');

  describe('POST /api/lectures/sections', () => {
    it('when staff sends a valid section, answers 201 with it and writes the section, meetings, majors and reservations', async () => {
      const body = await validBody({ room: '  공학관   101 ', meetings: [{ day: 'WED', startPeriod: 3, endPeriod: 4 }, { day: 'MON', startPeriod: 1, endPeriod: 2 }] });
      const res = await post(body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        termId: ids.term,
        lectureId: ids.ds,
        sectionNo: body.sectionNo,
        professorId: body.professorId,
        capacity: 30,
        enrolled: 0,
        cartCount: 0,
        room: '공학관 101',
        grades: [1, 2],
        allowedMajorIds: [ids.cse],
        meetings: [
          { day: 'MON', startPeriod: 1, endPeriod: 2 },
          { day: 'WED', startPeriod: 3, endPeriod: 4 },
        ],
        reserved: [{ majorId: ids.cse, grades: [1], seats: 5, releaseAt: '2026-02-20T00:00:00.000Z' }],
        lecture: { code: 'CSE2010' },
      });
      const row = await sectionRow(res.body.id);
      expect(row).toMatchObject({ capacity: 30, room: '공학관 101', grade_mask: 3, section_no: body.sectionNo });
      expect(new Date(engine === 'sqlite' ? Number(row.created_at) : row.created_at).toISOString()).toBe(NOW.toISOString());
      expect(await meetingRows(res.body.id)).toEqual([
        { day: 'MON', start_period: 1, end_period: 2 },
        { day: 'WED', start_period: 3, end_period: 4 },
      ]);
      expect(await h.db('section_major').where('section_id', res.body.id).pluck('major_id')).toEqual([ids.cse]);
      expect(await h.db('section_reservation').where('section_id', res.body.id).count('* as n').first()).toEqual({ n: 1 });
    });

    it('when the professor already teaches another section at an overlapping time, answers 409 SCHEDULE_CONFLICT naming it and writes nothing', async () => {
      const professorId = await newProfessor();
      const first = await post(await validBody({ professorId, meetings: [{ day: 'MON', startPeriod: 1, endPeriod: 3 }] }));
      expect(first.status).toBe(201);
      const clashing = await validBody({ professorId, lectureId: ids.alg, meetings: [{ day: 'TUE', startPeriod: 1, endPeriod: 1 }, { day: 'MON', startPeriod: 3, endPeriod: 4 }] });
      const before = await catalogCounts(h.db);
      const res = await post(clashing);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('SCHEDULE_CONFLICT');
      expect(res.body.conflict).toEqual({
        sectionId: first.body.id,
        lectureCode: 'CSE2010',
        sectionNo: first.body.sectionNo,
        day: 'MON',
        startPeriod: 1,
        endPeriod: 3,
        reason: 'PROFESSOR',
      });
      expect(await catalogCounts(h.db)).toEqual(before);
    });

    it('when the room is already taken at an overlapping time, answers 409 SCHEDULE_CONFLICT with reason ROOM and writes nothing', async () => {
      const room = `실습실 ${uniq()}`;
      const first = await post(await validBody({ room, meetings: [{ day: 'TUE', startPeriod: 5, endPeriod: 6 }] }));
      expect(first.status).toBe(201);
      const clashing = await validBody({ room, meetings: [{ day: 'TUE', startPeriod: 6, endPeriod: 8 }] });
      const before = await catalogCounts(h.db);
      const res = await post(clashing);
      expect(res.status).toBe(409);
      expect(res.body.conflict).toMatchObject({ sectionId: first.body.id, day: 'TUE', startPeriod: 5, endPeriod: 6, reason: 'ROOM' });
      expect(await catalogCounts(h.db)).toEqual(before);
    });

    it('when the same professor and room meet right after, on another day, or in another term, answers 201', async () => {
      const professorId = await newProfessor();
      const room = `공학관 ${uniq()}`;
      const slot = (day: string, startPeriod: number, endPeriod: number) => [{ day, startPeriod, endPeriod }];
      expect((await post(await validBody({ professorId, room, meetings: slot('THU', 1, 2) }))).status).toBe(201);
      expect((await post(await validBody({ professorId, room, meetings: slot('THU', 3, 4) }))).status).toBe(201);
      expect((await post(await validBody({ professorId, room, meetings: slot('FRI', 1, 2) }))).status).toBe(201);
      expect((await post(await validBody({ professorId, room, termId: ids.otherTerm, meetings: slot('THU', 1, 2) }))).status).toBe(201);
      expect(await h.db('section').where('professor_id', professorId).count('* as n').first()).toEqual({ n: 4 });
    });

    it('when the lecture already has that section number in the term, answers 409 DUPLICATE and writes nothing', async () => {
      const first = await post(await validBody());
      const again = await validBody({ sectionNo: first.body.sectionNo, meetings: [{ day: 'SAT', startPeriod: 9, endPeriod: 9 }] });
      const before = await catalogCounts(h.db);
      const res = await post(again);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('DUPLICATE');
      expect(res.body.conflict).toEqual({ sectionId: first.body.id });
      expect(await catalogCounts(h.db)).toEqual(before);
    });
  });

  // Every invalid field of the section body, for both writes.
  const invalidFields: [string, () => Record<string, unknown>, string][] = [
    ['termId missing', () => ({ termId: undefined }), 'body.termId'],
    ['termId not a number', () => ({ termId: 'first' }), 'body.termId'],
    // ids in a JSON body are numbers, never coerced
    ['termId a numeric string', () => ({ termId: String(ids.term) }), 'body.termId'],
    ['lectureId true', () => ({ lectureId: true }), 'body.lectureId'],
    ['professorId a numeric string', () => ({ professorId: String(ids.idle) }), 'body.professorId'],
    ['termId of no term', () => ({ termId: 999_999 }), 'body.termId'],
    ['lectureId zero', () => ({ lectureId: 0 }), 'body.lectureId'],
    ['lectureId of no lecture', () => ({ lectureId: 999_999 }), 'body.lectureId'],
    ['sectionNo zero', () => ({ sectionNo: 0 }), 'body.sectionNo'],
    ['sectionNo not an integer', () => ({ sectionNo: 1.5 }), 'body.sectionNo'],
    ['professorId missing', () => ({ professorId: undefined }), 'body.professorId'],
    ['professorId of no professor', () => ({ professorId: 999_999 }), 'body.professorId'],
    ['capacity zero', () => ({ capacity: 0 }), 'body.capacity'],
    ['capacity over 500', () => ({ capacity: 501 }), 'body.capacity'],
    ['capacity as text', () => ({ capacity: '30' }), 'body.capacity'],
    ['room empty', () => ({ room: '   ' }), 'body.room'],
    ['room too long', () => ({ room: 'x'.repeat(33) }), 'body.room'],
    ['grades empty', () => ({ grades: [] }), 'body.grades'],
    ['grade 5', () => ({ grades: [1, 5] }), 'body.grades.1'],
    ['grades repeated', () => ({ grades: [2, 2] }), 'body.grades'],
    ['allowedMajorIds of no major', () => ({ allowedMajorIds: [ids.cse, 999_999] }), 'body.allowedMajorIds.1'],
    ['allowedMajorIds not numbers', () => ({ allowedMajorIds: ['CSE'] }), 'body.allowedMajorIds.0'],
    ['allowedMajorIds numeric strings', () => ({ allowedMajorIds: [String(ids.cse)] }), 'body.allowedMajorIds.0'],
    ['meetings missing', () => ({ meetings: undefined }), 'body.meetings'],
    ['meetings empty', () => ({ meetings: [] }), 'body.meetings'],
    ['six meetings', () => ({ meetings: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'].map((day) => ({ day, startPeriod: 14, endPeriod: 14 })) }), 'body.meetings'],
    ['meeting on Sunday', () => ({ meetings: [{ day: 'SUN', startPeriod: 1, endPeriod: 2 }] }), 'body.meetings.0.day'],
    ['startPeriod 0', () => ({ meetings: [{ day: 'MON', startPeriod: 0, endPeriod: 2 }] }), 'body.meetings.0.startPeriod'],
    ['endPeriod 16', () => ({ meetings: [{ day: 'MON', startPeriod: 14, endPeriod: 16 }] }), 'body.meetings.0.endPeriod'],
    ['endPeriod before startPeriod', () => ({ meetings: [{ day: 'MON', startPeriod: 4, endPeriod: 3 }] }), 'body.meetings.0.endPeriod'],
    [
      'two meetings of the section overlap',
      () => ({ meetings: [{ day: 'FRI', startPeriod: 1, endPeriod: 3 }, { day: 'FRI', startPeriod: 3, endPeriod: 4 }] }),
      'body.meetings.1',
    ],
    ['reserved seats above capacity', () => ({ capacity: 10, reserved: [{ majorId: null, seats: 6, releaseAt: '2026-02-20T00:00:00Z' }, { majorId: null, seats: 5, releaseAt: '2026-02-20T00:00:00Z' }] }), 'body.reserved'],
    ['reserved majorId of no major', () => ({ reserved: [{ majorId: 999_999, seats: 5, releaseAt: '2026-02-20T00:00:00Z' }] }), 'body.reserved.0.majorId'],
    ['reserved majorId a numeric string', () => ({ reserved: [{ majorId: String(ids.cse), seats: 5, releaseAt: '2026-02-20T00:00:00Z' }] }), 'body.reserved.0.majorId'],
    ['reserved seats zero', () => ({ reserved: [{ majorId: null, seats: 0, releaseAt: '2026-02-20T00:00:00Z' }] }), 'body.reserved.0.seats'],
    ['reserved releaseAt not a date-time', () => ({ reserved: [{ majorId: null, seats: 5, releaseAt: 'next week' }] }), 'body.reserved.0.releaseAt'],
    ['reserved grade 0', () => ({ reserved: [{ majorId: null, grades: [0], seats: 5, releaseAt: '2026-02-20T00:00:00Z' }] }), 'body.reserved.0.grades.0'],
  ];

  describe('POST /api/lectures/sections with an invalid field', () => {
    it.each(invalidFields)('%s: answers 400 VALIDATION_FAILED naming it and writes nothing', async (_name, change, field) => {
      const body = { ...(await validBody({ professorId: ids.idle })), ...change() };
      const before = await catalogCounts(h.db);
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await catalogCounts(h.db)).toEqual(before);
    });
  });

  describe('PUT /api/lectures/sections/:id', () => {
    it('replaces the section, its meetings, majors and reservations; answers 200 with it', async () => {
      const created = await post(await validBody({ capacity: 40 }));
      const body = await validBody({
        capacity: 45,
        professorId: created.body.professorId,
        sectionNo: created.body.sectionNo,
        grades: [3, 4],
        allowedMajorIds: [ids.mat],
        meetings: [{ day: 'SAT', startPeriod: 5, endPeriod: 7 }],
        reserved: [],
      });
      const res = await put(created.body.id, body);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: created.body.id, capacity: 45, grades: [3, 4], allowedMajorIds: [ids.mat], reserved: [] });
      expect(await sectionRow(created.body.id)).toMatchObject({ capacity: 45, grade_mask: 12 });
      expect(await meetingRows(created.body.id)).toEqual([{ day: 'SAT', start_period: 5, end_period: 7 }]);
      expect(await h.db('section_major').where('section_id', created.body.id).pluck('major_id')).toEqual([ids.mat]);
      expect(await h.db('section_reservation').where('section_id', created.body.id).count('* as n').first()).toEqual({ n: 0 });
    });

    it('does not see a clash with the section itself when its times stay', async () => {
      const body = await validBody();
      const created = await post(body);
      const res = await put(created.body.id, { ...body, capacity: 35 });
      expect(res.status).toBe(200);
      expect(res.body.capacity).toBe(35);
    });

    it('when moved onto the professor’s other section, answers 409 SCHEDULE_CONFLICT and leaves the section as it was', async () => {
      const professorId = await newProfessor();
      const a = await post(await validBody({ professorId, meetings: [{ day: 'WED', startPeriod: 7, endPeriod: 8 }] }));
      const bBody = await validBody({ professorId, meetings: [{ day: 'WED', startPeriod: 1, endPeriod: 2 }] });
      const b = await post(bBody);
      const res = await put(b.body.id, { ...bBody, meetings: [{ day: 'WED', startPeriod: 8, endPeriod: 9 }] });
      expect(res.status).toBe(409);
      expect(res.body.conflict).toMatchObject({ sectionId: a.body.id, reason: 'PROFESSOR', day: 'WED', startPeriod: 7, endPeriod: 8 });
      expect(await meetingRows(b.body.id)).toEqual([{ day: 'WED', start_period: 1, end_period: 2 }]);
    });

    it('when the capacity would drop below the students enrolled, answers 409 CAPACITY_BELOW_ENROLLED and keeps the capacity', async () => {
      const body = await validBody({ capacity: 40, reserved: [] });
      const created = await post(body);
      await h.catalog.enroll(created.body.id, 25);
      const res = await put(created.body.id, { ...body, capacity: 24 });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CAPACITY_BELOW_ENROLLED');
      expect(res.body.enrolled).toBe(25);
      expect((await sectionRow(created.body.id)).capacity).toBe(40);

      const exact = await put(created.body.id, { ...body, capacity: 25 });
      expect(exact.status).toBe(200);
      expect(exact.body).toMatchObject({ capacity: 25, enrolled: 25, seatsLeft: 0 });
    });

    it('when students are enrolled, refuses to move the section to another lecture with 409 IN_USE', async () => {
      const body = await validBody({ reserved: [] });
      const created = await post(body);
      await h.catalog.enroll(created.body.id, 1);
      const res = await put(created.body.id, { ...body, lectureId: ids.alg });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('IN_USE');
      expect((await sectionRow(created.body.id)).lecture_id).toBe(ids.ds);
    });

    it('an enroll in flight while staff move the section: the move waits for it and is refused, not written under it', async () => {
      const body = await validBody({ reserved: [] });
      const created = await post(body);
      const id = created.body.id as number;
      const section = await sectionRow(id);
      // What the enrollment service's transaction does: the seat row first, then the enrollment row.
      await h.db('section_seat').insert({ section_id: id, enrolled: 0 });
      let commit!: () => void;
      const committed = new Promise<void>((r) => (commit = r));
      let seatTaken!: () => void;
      const taken = new Promise<void>((r) => (seatTaken = r));
      const enroll = h.db.transaction(async (trx) => {
        await trx('section_seat').where('section_id', id).update({ enrolled: trx.raw('enrolled + 1') });
        await trx('enrollment').insert({ student_id: 990_001, section_id: id, lecture_id: section.lecture_id, term_id: section.term_id, created_at: NOW });
        seatTaken();
        await committed;
      });
      await taken;
      const move = put(id, { ...body, lectureId: ids.alg }).then((r) => r);
      await new Promise((r) => setTimeout(r, 300)); // the move is waiting (MySQL: the seat row; SQLite: the one writer)
      commit();
      await enroll;
      const res = await move;
      expect([res.status, res.body.code]).toEqual([409, 'IN_USE']);
      expect((await sectionRow(id)).lecture_id).toBe(ids.ds);
      await h.db('enrollment').where({ section_id: id }).delete();
      await h.db('section_seat').where({ section_id: id }).delete();
    });

    it('keeps the ids of kept reservations (by id, or by the same major and grades), adds new ones and removes the rest', async () => {
      const releaseAt = '2026-02-20T00:00:00.000Z';
      const body = await validBody({
        capacity: 40,
        reserved: [
          { majorId: ids.cse, grades: [1], seats: 5, releaseAt },
          { majorId: ids.mat, grades: [2], seats: 5, releaseAt },
          { majorId: null, grades: [4], seats: 5, releaseAt },
        ],
      });
      const created = await post(body);
      const [byId, byKey, dropped] = created.body.reserved as { id: number }[];
      const res = await put(created.body.id, {
        ...body,
        reserved: [
          { majorId: ids.mat, grades: [2], seats: 8, releaseAt },
          { id: byId!.id, majorId: ids.cse, grades: [1, 2], seats: 6, releaseAt },
          { majorId: null, grades: [3], seats: 2, releaseAt },
        ],
      });
      expect(res.status).toBe(200);
      const rows = (await h.db('section_reservation').where('section_id', created.body.id).orderBy('id').select('id', 'seats')) as { id: number; seats: number }[];
      expect(rows.map((r) => r.id)).toContain(byId!.id);
      expect(rows.map((r) => r.id)).toContain(byKey!.id);
      expect(rows.map((r) => r.id)).not.toContain(dropped!.id);
      expect(rows).toHaveLength(3);
      expect(rows.find((r) => r.id === byKey!.id)!.seats).toBe(8);
      expect(rows.find((r) => r.id === byId!.id)!.seats).toBe(6);
    });

    it('when a removed reservation already seats students, answers 409 IN_USE and keeps every reservation', async () => {
      const body = await validBody({ capacity: 40 });
      const created = await post(body);
      const reservationId = created.body.reserved[0].id as number;
      await h.db('reservation_seat').insert({ reservation_id: reservationId, section_id: created.body.id, used: 2 });
      const res = await put(created.body.id, { ...body, reserved: [] });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('IN_USE');
      expect(await h.db('section_reservation').where('section_id', created.body.id).pluck('id')).toEqual([reservationId]);
    });

    it('when a reservation id belongs to another section, answers 400 naming body.reserved.0.id', async () => {
      const other = await post(await validBody());
      const body = await validBody();
      const created = await post(body);
      const before = await h.db('section_reservation').where('section_id', created.body.id).select('id', 'seats');
      const res = await put(created.body.id, { ...body, reserved: [{ id: other.body.reserved[0].id, majorId: null, seats: 3, releaseAt: '2026-02-20T00:00:00Z' }] });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.reserved.0.id']);
      expect(await h.db('section_reservation').where('section_id', created.body.id).select('id', 'seats')).toEqual(before);
    });

    it('answers 404 NOT_FOUND for a section that does not exist', async () => {
      const res = await put(999_999, await validBody());
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    describe('with an invalid field', () => {
      let existing: { id: number; body: Record<string, unknown> };
      beforeAll(async () => {
        const body = await validBody();
        existing = { id: (await post(body)).body.id, body };
      });
      it.each(invalidFields)('%s: answers 400 VALIDATION_FAILED naming it and changes nothing', async (_name, change, field) => {
        const before = await request(h.app).get(`/api/lectures/sections/${existing.id}`).set('Authorization', h.staff);
        const counts = await catalogCounts(h.db);
        const res = await put(existing.id, { ...existing.body, ...change() });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
        const after = await request(h.app).get(`/api/lectures/sections/${existing.id}`).set('Authorization', h.staff);
        expect(after.body).toEqual(before.body);
        expect(await catalogCounts(h.db)).toEqual(counts);
      });
    });
  });

  describe('DELETE /api/lectures/sections/:id', () => {
    it('deletes a section nobody is enrolled in, with its meetings, majors and reservations', async () => {
      const created = await post(await validBody());
      const res = await request(h.app).delete(`/api/lectures/sections/${created.body.id}`).set('Authorization', h.staff);
      expect(res.status).toBe(204);
      expect(await sectionRow(created.body.id)).toBeUndefined();
      expect(await meetingRows(created.body.id)).toEqual([]);
      expect(await h.db('section_major').where('section_id', created.body.id)).toEqual([]);
      expect(await h.db('section_reservation').where('section_id', created.body.id)).toEqual([]);
    });

    it('when students are enrolled, answers 409 IN_USE and deletes nothing', async () => {
      const created = await post(await validBody());
      await h.catalog.enroll(created.body.id, 3);
      const res = await request(h.app).delete(`/api/lectures/sections/${created.body.id}`).set('Authorization', h.staff);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('IN_USE');
      expect(res.body.usedBy).toEqual({ enrollment: 3 });
      expect(await sectionRow(created.body.id)).toBeDefined();
      expect(await meetingRows(created.body.id)).toHaveLength(1);
    });

    it('answers 404 NOT_FOUND for a section that does not exist', async () => {
      const res = await request(h.app).delete('/api/lectures/sections/999999').set('Authorization', h.staff);
      expect(res.status).toBe(404);
    });
  });

  describe('who may write sections', () => {
    it('a student gets 403 FORBIDDEN on every write and nothing is written', async () => {
      const created = await post(await validBody());
      const body = await validBody();
      const before = await catalogCounts(h.db);
      const responses = await Promise.all([
        post(body, h.student),
        put(created.body.id, body, h.student),
        request(h.app).delete(`/api/lectures/sections/${created.body.id}`).set('Authorization', h.student),
        request(h.app).post('/api/lectures/sections/import').set('Authorization', h.student).type('text/csv').send('id\n'),
        request(h.app).get('/api/lectures/sections/export.csv').set('Authorization', h.student),
      ]);
      expect(responses.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
      expect(responses.every((r) => r.body.code === 'FORBIDDEN')).toBe(true);
      expect(await catalogCounts(h.db)).toEqual(before);
    });

    it('without a token, every write answers 401 UNAUTHENTICATED', async () => {
      const body = await validBody();
      const responses = await Promise.all([
        request(h.app).post('/api/lectures/sections').send(body),
        request(h.app).put('/api/lectures/sections/1').send(body),
        request(h.app).delete('/api/lectures/sections/1'),
      ]);
      expect(responses.map((r) => r.status)).toEqual([401, 401, 401]);
    });
  });
});
