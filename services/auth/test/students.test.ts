import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '@goorm/common';
import { testEngines } from '@goorm/common/testing';
import { nextStudentNo, PASSWORD, setup, type AuthTestContext } from './helpers.ts';
import { itRefusesInvalidFields, type InvalidField, type InvalidFieldsSpec } from './validation.ts';

const engines = await testEngines();

const validStudent = () => ({ studentNo: nextStudentNo(), name: '최유나', majorId: 0, grade: 2, maxCredits: 19, password: 'initial-pass-1' });

/** Every invalid value of every field of a student write, with the field it must be reported under. */
const invalidFields: InvalidField[] = [
  ['studentNo', 'missing', undefined],
  ['studentNo', '7 digits', '2025001'],
  ['studentNo', '9 digits', '202500011'],
  ['studentNo', 'letters', '2025abcd'],
  ['studentNo', 'a number', 20250011],
  ['name', 'missing', undefined],
  ['name', 'blank', '   '],
  ['name', 'too long', '가'.repeat(65)],
  ['majorId', 'missing', undefined],
  ['majorId', 'zero', 0],
  ['majorId', 'a string', 'CSE'],
  ['majorId', 'a numeric string (ids in a JSON body are not coerced)', '3'],
  ['majorId', 'a boolean', true],
  ['majorId', 'an unknown major', 999_999],
  ['grade', 'missing', undefined],
  ['grade', '0', 0],
  ['grade', '5', 5],
  ['grade', 'a fraction', 2.5],
  ['grade', 'a numeric string', '2'],
  ['maxCredits', '0', 0],
  ['maxCredits', '31', 31],
  ['maxCredits', 'a string', '18'],
  ['password', 'too short', 'short12'],
  ['password', 'not a string', 12345678],
];

describe.each(engines)('%s', (engine) => {
  let t: AuthTestContext;
  beforeAll(async () => {
    t = await setup(engine);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const newStudent = () => ({ ...validStudent(), majorId: t.majors.cse });
  const rowOf = (id: number) => t.db('student').where({ id }).first();
  const invalidWrites: InvalidFieldsSpec = { route: '/api/auth/students', table: 'student', cases: invalidFields, context: () => t, valid: newStudent, insert: () => t.insertStudent() };

  describe('GET /api/auth/students', () => {
    it('filters by major and grade on the server and paginates with the total', async () => {
      // The math major is used by this test only.
      for (const grade of [1, 1, 2, 3, 3, 3]) await t.insertStudent({ majorId: t.majors.math, grade, name: `수학${grade}` });
      const staff = await t.staffBearer();

      const all = await t.http.get('/api/auth/students').query({ majorId: t.majors.math }).set('Authorization', staff);
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ total: 6, page: 1, size: 20 });
      expect(all.body.items).toHaveLength(6);
      expect(all.body.items.every((s: { majorId: number }) => s.majorId === t.majors.math)).toBe(true);
      const numbers = all.body.items.map((s: { studentNo: string }) => s.studentNo);
      expect(numbers).toEqual([...numbers].sort());

      const third = await t.http.get('/api/auth/students').query({ majorId: t.majors.math, grade: 3 }).set('Authorization', staff);
      expect(third.body.total).toBe(3);
      expect(third.body.items.map((s: { grade: number }) => s.grade)).toEqual([3, 3, 3]);

      const page2 = await t.http.get('/api/auth/students').query({ majorId: t.majors.math, size: 4, page: 2 }).set('Authorization', staff);
      expect(page2.body).toMatchObject({ total: 6, page: 2, size: 4 });
      expect(page2.body.items.map((s: { studentNo: string }) => s.studentNo)).toEqual(numbers.slice(4));

      const beyond = await t.http.get('/api/auth/students').query({ majorId: t.majors.math, size: 4, page: 3 }).set('Authorization', staff);
      expect(beyond.body).toMatchObject({ total: 6, items: [] });
    });

    it('q matches part of the name (Korean) or of the student number, and treats % and _ literally', async () => {
      const a = await t.insertStudent({ name: '홍길동' });
      const b = await t.insertStudent({ name: '길라임' });
      await t.insertStudent({ name: '성춘향' });
      const staff = await t.staffBearer();

      const byName = await t.http.get('/api/auth/students').query({ q: '길' }).set('Authorization', staff);
      expect(byName.body.items.map((s: { id: number }) => s.id).sort()).toEqual([a.id, b.id].sort());
      expect(byName.body.total).toBe(2);

      const byNumber = await t.http.get('/api/auth/students').query({ q: a.studentNo.slice(2) }).set('Authorization', staff);
      expect(byNumber.body.items.map((s: { id: number }) => s.id)).toEqual([a.id]);

      const wildcard = await t.http.get('/api/auth/students').query({ q: '%' }).set('Authorization', staff);
      expect(wildcard.body.total).toBe(0);
    });

    it('issues the same number of SQL queries for a page of 10 and a page of 100', async () => {
      for (let i = 0; i < 120; i++) await t.insertStudent({ majorId: t.majors.ge, grade: 4 });
      const staff = await t.staffBearer();
      const queries = countQueries(t.db);
      try {
        const small = await t.http.get('/api/auth/students').query({ majorId: t.majors.ge, size: 10 }).set('Authorization', staff);
        const forSmall = queries.count;
        queries.reset();
        const large = await t.http.get('/api/auth/students').query({ majorId: t.majors.ge, size: 100 }).set('Authorization', staff);
        expect(small.body.items).toHaveLength(10);
        expect(large.body.items).toHaveLength(100);
        expect(large.body.total).toBe(120);
        expect(queries.count).toBe(forSmall);
        expect(forSmall).toBeLessThanOrEqual(2);
      } finally {
        queries.stop();
      }
    });

    it.each([
      ['grade', { grade: 7 }],
      ['majorId', { majorId: 'cse' }],
      ['size', { size: 101 }],
      ['page', { page: 0 }],
    ])('when %s is invalid, answers 400 VALIDATION_FAILED naming query.%s', async (field, query) => {
      const res = await t.http.get('/api/auth/students').query(query).set('Authorization', await t.staffBearer());
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(`query.${field}`);
    });

    it('for a student answers 403 FORBIDDEN; without a token 401', async () => {
      const s = await t.insertStudent();
      const asStudent = await t.http.get('/api/auth/students').set('Authorization', await t.studentBearer(s.id));
      expect(asStudent.status).toBe(403);
      expect(asStudent.body.code).toBe('FORBIDDEN');
      expect((await t.http.get('/api/auth/students')).status).toBe(401);
    });
  });

  describe('GET /api/auth/students/:id', () => {
    it('answers the student without a password hash', async () => {
      const s = await t.insertStudent({ name: '이서준', grade: 4, maxCredits: 15 });
      const res = await t.http.get(`/api/auth/students/${s.id}`).set('Authorization', await t.staffBearer());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: s.id, studentNo: s.studentNo, name: '이서준', majorId: t.majors.cse, grade: 4, maxCredits: 15 });
      expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'grade', 'id', 'majorId', 'maxCredits', 'name', 'studentNo', 'updatedAt']);
    });

    it('a student cannot read another student (or themself) through the staff route: 403', async () => {
      const me = await t.insertStudent();
      const other = await t.insertStudent();
      const bearer = await t.studentBearer(me.id);
      const res = await t.http.get(`/api/auth/students/${other.id}`).set('Authorization', bearer);
      expect(res.status).toBe(403);
      expect(res.body).not.toHaveProperty('studentNo');
      expect((await t.http.get(`/api/auth/students/${me.id}`).set('Authorization', bearer)).status).toBe(403);
    });

    it('answers 404 for an unknown id and 400 naming params.id for a non-numeric one', async () => {
      const staff = await t.staffBearer();
      expect((await t.http.get('/api/auth/students/987654').set('Authorization', staff)).status).toBe(404);
      const bad = await t.http.get('/api/auth/students/abc').set('Authorization', staff);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('params.id');
    });
  });

  describe('POST /api/auth/students', () => {
    it('creates the student with an argon2id hash, answers 201 with Location, and the student can sign in', async () => {
      const body = newStudent();
      const res = await t.http.post('/api/auth/students').set('Authorization', await t.staffBearer()).send(body);
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/auth/students/${res.body.id}`);
      expect(res.body).toMatchObject({ studentNo: body.studentNo, name: body.name, majorId: body.majorId, grade: 2, maxCredits: 19 });
      expect(res.body).not.toHaveProperty('password');
      expect(res.body).not.toHaveProperty('passwordHash');

      const row = await rowOf(res.body.id);
      expect(row).toMatchObject({ student_no: body.studentNo, name: '최유나', grade: 2, max_credits: 19 });
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(await t.passwords.verify(row.password_hash, body.password)).toBe(true);

      const login = await t.http.post('/api/auth/login').send({ role: 'student', loginId: body.studentNo, password: body.password });
      expect(login.status).toBe(200);
    });

    it('defaults maxCredits to 18 and trims the name', async () => {
      const { maxCredits: _m, ...body } = newStudent();
      const res = await t.http.post('/api/auth/students').set('Authorization', await t.staffBearer()).send({ ...body, name: '  정하늘  ' });
      expect(res.status).toBe(201);
      expect((await rowOf(res.body.id)).max_credits).toBe(18);
      expect(res.body.name).toBe('정하늘');
    });

    itRefusesInvalidFields('post', invalidWrites);

    it('when the student number is taken, answers 409 DUPLICATE naming studentNo and writes nothing', async () => {
      const existing = await t.insertStudent();
      const before = await t.count('student');
      const res = await t.http.post('/api/auth/students').set('Authorization', await t.staffBearer()).send({ ...newStudent(), studentNo: existing.studentNo });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', field: 'studentNo' });
      expect(await t.count('student')).toBe(before);
    });

    it('for a student answers 403 and writes nothing (there is no public sign-up)', async () => {
      const s = await t.insertStudent();
      const before = await t.count('student');
      const asStudent = await t.http.post('/api/auth/students').set('Authorization', await t.studentBearer(s.id)).send(newStudent());
      expect(asStudent.status).toBe(403);
      const anonymous = await t.http.post('/api/auth/students').send(newStudent());
      expect(anonymous.status).toBe(401);
      expect(await t.count('student')).toBe(before);
    });
  });

  describe('PUT /api/auth/students/:id', () => {
    it('replaces the fields, keeps the password when none is given, and bumps updatedAt', async () => {
      const s = await t.insertStudent({ grade: 1, maxCredits: 20 });
      const before = await rowOf(s.id);
      const { password: _p, maxCredits: _m, ...body } = newStudent();
      const res = await t.http.put(`/api/auth/students/${s.id}`).set('Authorization', await t.staffBearer()).send({ ...body, majorId: t.majors.math, grade: 3 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: s.id, studentNo: body.studentNo, majorId: t.majors.math, grade: 3, maxCredits: 20 });
      const after = await rowOf(s.id);
      expect(after.password_hash).toBe(before.password_hash);
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(res.body.createdAt));
      const login = await t.http.post('/api/auth/login').send({ role: 'student', loginId: body.studentNo, password: PASSWORD });
      expect(login.status).toBe(200);
    });

    it('resets the password when one is given', async () => {
      const s = await t.insertStudent();
      const res = await t.http
        .put(`/api/auth/students/${s.id}`)
        .set('Authorization', await t.staffBearer())
        .send({ ...newStudent(), studentNo: s.studentNo, password: 'brand-new-pass' });
      expect(res.status).toBe(200);
      const old = await t.http.post('/api/auth/login').send({ role: 'student', loginId: s.studentNo, password: PASSWORD });
      expect(old.status).toBe(401);
      const fresh = await t.http.post('/api/auth/login').send({ role: 'student', loginId: s.studentNo, password: 'brand-new-pass' });
      expect(fresh.status).toBe(200);
    });

    itRefusesInvalidFields('put', invalidWrites);

    it('when the new student number belongs to someone else, answers 409 DUPLICATE and changes nothing', async () => {
      const a = await t.insertStudent();
      const b = await t.insertStudent();
      const before = await rowOf(b.id);
      const res = await t.http.put(`/api/auth/students/${b.id}`).set('Authorization', await t.staffBearer()).send({ ...newStudent(), studentNo: a.studentNo });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', field: 'studentNo' });
      expect(await rowOf(b.id)).toEqual(before);
    });

    it('answers 404 for an unknown student and writes nothing', async () => {
      const before = await t.count('student');
      const res = await t.http.put('/api/auth/students/987654').set('Authorization', await t.staffBearer()).send(newStudent());
      expect(res.status).toBe(404);
      expect(await t.count('student')).toBe(before);
    });

    it('for a student (even on their own account) answers 403 and changes nothing', async () => {
      const s = await t.insertStudent();
      const before = await rowOf(s.id);
      const res = await t.http
        .put(`/api/auth/students/${s.id}`)
        .set('Authorization', await t.studentBearer(s.id))
        .send({ ...newStudent(), studentNo: s.studentNo, maxCredits: 30 });
      expect(res.status).toBe(403);
      expect(await rowOf(s.id)).toEqual(before);
    });
  });

  describe('DELETE /api/auth/students/:id', () => {
    it('deletes the student: 204, the row is gone, and a second delete answers 404', async () => {
      const s = await t.insertStudent();
      const staff = await t.staffBearer();
      const res = await t.http.delete(`/api/auth/students/${s.id}`).set('Authorization', staff);
      expect(res.status).toBe(204);
      expect(await rowOf(s.id)).toBeUndefined();
      expect((await t.http.delete(`/api/auth/students/${s.id}`).set('Authorization', staff)).status).toBe(404);
    });

    it('while the student holds an enrollment, answers 409 IN_USE and keeps the account', async () => {
      const s = await t.insertStudent();
      await t.db('enrollment').insert({ student_id: s.id, section_id: 1, lecture_id: 1, term_id: 1, created_at: new Date() });
      const res = await t.http.delete(`/api/auth/students/${s.id}`).set('Authorization', await t.staffBearer());
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('IN_USE');
      expect(await rowOf(s.id)).toBeDefined();
    });

    it('for a student answers 403 and deletes nothing', async () => {
      const s = await t.insertStudent();
      const other = await t.insertStudent();
      const res = await t.http.delete(`/api/auth/students/${other.id}`).set('Authorization', await t.studentBearer(s.id));
      expect(res.status).toBe(403);
      expect(await rowOf(other.id)).toBeDefined();
    });
  });
});
