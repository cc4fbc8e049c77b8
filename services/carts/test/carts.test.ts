import { countQueries, toIso, type Knex } from '@goorm/common';
import { createTestAuth, createTestDb, migrateAll, testEngines, testLogger, testMetrics, type TestAuth, type TestDb } from '@goorm/common/testing';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { purgeOrphanedItems } from '../src/carts/carts.repository.ts';
import { MIGRATIONS, T0, makeCatalog, makeLecture, makeSection, makeStudent, type Catalog } from './fixtures.ts';

const engines = await testEngines();

describe.each(engines)('carts on %s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let app: Express;
  let c: Catalog;
  const clock = () => T0;
  const build = (d: Knex, cartCreditLimit?: number) =>
    createApp({ db: d, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('carts'), readiness: async () => {}, clock, cartCreditLimit });

  beforeAll(async () => {
    t = await createTestDb(engine);
    db = t.db;
    await migrateAll(db, MIGRATIONS);
    auth = await createTestAuth();
    app = build(db);
    c = await makeCatalog(db);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  /** A grade-2 student of the catalog's major, whose token carries both (as auth's tokens do). */
  async function newStudent() {
    const id = await makeStudent(db, c);
    return { id, bearer: await auth.bearer({ id, role: 'student', majorId: c.majorId, grade: 2 }) };
  }
  const rows = (studentId: number) => db('cart_item').where('student_id', studentId).orderBy('section_id');
  const add = (who: string, sectionId: unknown, a: Express = app) =>
    request(a).post('/api/carts/me/items').set('Authorization', who).send({ sectionId });

  describe('POST /api/carts/me/items and GET /api/carts/me', () => {
    it('adds a current-term section and lists it with section, lecture, professor, meetings, seats and cart count', async () => {
      const me = await newStudent();
      const other = await newStudent();
      const s = await makeSection(db, c, { credits: 3, enrolled: 7, capacity: 30 });
      expect((await add(other.bearer, s.sectionId)).status).toBe(201);

      const res = await add(me.bearer, s.sectionId);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ sectionId: s.sectionId, addedAt: T0.toISOString(), totalCredits: 3, creditLimit: 24 });
      const [row] = await rows(me.id);
      expect(row).toMatchObject({ student_id: me.id, section_id: s.sectionId });
      expect(toIso(row.created_at)).toBe(T0.toISOString());

      const cart = await request(app).get('/api/carts/me').set('Authorization', me.bearer);
      expect(cart.status).toBe(200);
      expect(cart.body).toEqual({
        items: [
          {
            sectionId: s.sectionId,
            addedAt: T0.toISOString(),
            section: {
              id: s.sectionId,
              termId: c.termId,
              lectureId: s.lectureId,
              sectionNo: expect.any(Number),
              professorId: c.professorId,
              capacity: 30,
              enrolled: 7,
              cartCount: 2,
              room: '공학관 301',
              grades: [1, 2, 3, 4],
              allowedMajorIds: [],
              meetings: [
                { day: 'MON', startPeriod: 1, endPeriod: 2 },
                { day: 'WED', startPeriod: 3, endPeriod: 4 },
              ],
              lecture: {
                id: s.lectureId,
                code: expect.stringMatching(/^CSE/),
                title: expect.any(String),
                titleEn: '',
                credits: 3,
                category: 'MAJOR_REQUIRED',
                majorId: c.majorId,
              },
              professor: { id: c.professorId, name: expect.stringContaining('김교수'), nameEn: 'Prof Kim' },
              eligibility: { eligible: true },
            },
          },
        ],
        totalCredits: 3,
        creditLimit: 24,
      });
    });

    it('answers an empty cart with the credit limit', async () => {
      const me = await newStudent();
      const res = await request(app).get('/api/carts/me').set('Authorization', me.bearer);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [], totalCredits: 0, creditLimit: 24 });
    });

    it('lists a cart in the same number of queries for 2 and 10 items', async () => {
      const counts: number[] = [];
      for (const n of [2, 10]) {
        const me = await newStudent();
        for (let i = 0; i < n; i++) {
          const s = await makeSection(db, c, { credits: 2 });
          await db('cart_item').insert({ student_id: me.id, section_id: s.sectionId, created_at: new Date(T0.getTime() + i) });
        }
        const q = countQueries(db);
        const res = await request(app).get('/api/carts/me').set('Authorization', me.bearer);
        q.stop();
        expect(res.body.items).toHaveLength(n);
        expect(res.body.totalCredits).toBe(2 * n);
        counts.push(q.count);
      }
      expect(counts).toEqual([3, 3]);
    });

    it("tells the student's eligibility for each item: restricted to another major, to other grades, or open", async () => {
      const me = await newStudent();
      const open = await makeSection(db, c);
      const otherMajor = await makeSection(db, c, { majorIds: [c.otherMajorId] });
      const ownMajor = await makeSection(db, c, { majorIds: [c.majorId, c.otherMajorId] });
      const firstYears = await makeSection(db, c, { gradeMask: 0b0001 });
      for (const s of [open, otherMajor, ownMajor, firstYears]) expect((await add(me.bearer, s.sectionId)).status).toBe(201);

      const res = await request(app).get('/api/carts/me').set('Authorization', me.bearer);

      const byId = new Map(res.body.items.map((i: { sectionId: number; section: unknown }) => [i.sectionId, i.section]));
      expect(byId.get(open.sectionId)).toMatchObject({ eligibility: { eligible: true } });
      expect(byId.get(otherMajor.sectionId)).toMatchObject({ allowedMajorIds: [c.otherMajorId], eligibility: { eligible: false, reason: 'MAJOR_RESTRICTED' } });
      expect(byId.get(ownMajor.sectionId)).toMatchObject({ eligibility: { eligible: true } });
      expect(byId.get(firstYears.sectionId)).toMatchObject({ grades: [1], eligibility: { eligible: false, reason: 'GRADE_RESTRICTED' } });
    });

    it('when the token carries no major and grade (issued before they were claims), says eligibility is unknown', async () => {
      const id = await makeStudent(db, c);
      const bearer = await auth.bearer({ id, role: 'student' });
      const s = await makeSection(db, c, { majorIds: [c.otherMajorId] });
      expect((await add(bearer, s.sectionId)).status).toBe(201);

      const res = await request(app).get('/api/carts/me').set('Authorization', bearer);

      expect(res.body.items[0].section.eligibility).toEqual({ eligible: null });
    });

    it('when the section is already in the cart, answers 409 DUPLICATE naming it and writes nothing', async () => {
      const me = await newStudent();
      const s = await makeSection(db, c);
      await add(me.bearer, s.sectionId);
      const res = await add(me.bearer, s.sectionId);
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', conflict: { sectionId: s.sectionId, lectureId: s.lectureId } });
      expect(await rows(me.id)).toHaveLength(1);
    });

    it('when another section of the same lecture is in the cart, answers 409 DUPLICATE naming the lecture and writes nothing', async () => {
      const me = await newStudent();
      const lecture = await makeLecture(db, c);
      const first = await makeSection(db, c, { lectureId: lecture.id });
      const second = await makeSection(db, c, { lectureId: lecture.id });
      expect((await add(me.bearer, first.sectionId)).status).toBe(201);
      const res = await add(me.bearer, second.sectionId);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', conflict: { sectionId: first.sectionId, lectureId: lecture.id, lectureCode: lecture.code } });
      expect(res.body.detail).toContain(lecture.code);
      expect((await rows(me.id)).map((r) => r.section_id)).toEqual([first.sectionId]);
    });

    it('when the section is unknown or not in the current term, answers 404 and writes nothing', async () => {
      const me = await newStudent();
      const past = await makeSection(db, c, { termId: c.pastTermId });
      for (const id of [past.sectionId, 987_654]) {
        const res = await add(me.bearer, id);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
      expect(await rows(me.id)).toHaveLength(0);
    });

    it('when the credits would exceed CART_CREDIT_LIMIT, answers 409 CART_LIMIT and writes nothing', async () => {
      const limited = build(db, 7);
      const me = await newStudent();
      const a = await makeSection(db, c, { credits: 3 });
      const b = await makeSection(db, c, { credits: 4 });
      const d = await makeSection(db, c, { credits: 1 });
      expect((await add(me.bearer, a.sectionId, limited)).status).toBe(201);
      expect((await add(me.bearer, b.sectionId, limited)).body.totalCredits).toBe(7);
      const res = await add(me.bearer, d.sectionId, limited);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'CART_LIMIT', creditLimit: 7, totalCredits: 7, credits: 1 });
      expect(await rows(me.id)).toHaveLength(2);
      expect((await request(limited).get('/api/carts/me').set('Authorization', me.bearer)).body).toMatchObject({ totalCredits: 7, creditLimit: 7 });
    });

    it.each([
      ['missing', {}],
      ['a string', { sectionId: '5' }],
      ['negative', { sectionId: -1 }],
      ['fractional', { sectionId: 1.5 }],
    ])('when sectionId is %s, answers 400 naming body.sectionId and writes nothing', async (_what, body) => {
      const me = await newStudent();
      const res = await request(app).post('/api/carts/me/items').set('Authorization', me.bearer).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe('body.sectionId');
      expect(await rows(me.id)).toHaveLength(0);
    });

    it('when the body is not JSON, answers 400 and writes nothing', async () => {
      const me = await newStudent();
      const res = await request(app).post('/api/carts/me/items').set('Authorization', me.bearer).set('Content-Type', 'application/json').send('{"sectionId":');
      expect(res.status).toBe(400);
      expect(await rows(me.id)).toHaveLength(0);
    });
  });

  describe('DELETE /api/carts/me/items/:sectionId', () => {
    it('removes the section from my cart (204) and answers 404 the second time', async () => {
      const me = await newStudent();
      const s = await makeSection(db, c);
      const keep = await makeSection(db, c);
      await add(me.bearer, s.sectionId);
      await add(me.bearer, keep.sectionId);
      const res = await request(app).delete(`/api/carts/me/items/${s.sectionId}`).set('Authorization', me.bearer);
      expect(res.status).toBe(204);
      expect((await rows(me.id)).map((r) => r.section_id)).toEqual([keep.sectionId]);
      const again = await request(app).delete(`/api/carts/me/items/${s.sectionId}`).set('Authorization', me.bearer);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('NOT_FOUND');
    });

    it('answers 400 naming params.sectionId for a bad id', async () => {
      const me = await newStudent();
      const res = await request(app).delete('/api/carts/me/items/abc').set('Authorization', me.bearer);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('params.sectionId');
    });
  });

  describe('who may touch a cart', () => {
    it("a student never sees or removes another student's items", async () => {
      const a = await newStudent();
      const b = await newStudent();
      const s = await makeSection(db, c);
      await add(a.bearer, s.sectionId);
      expect((await request(app).get('/api/carts/me').set('Authorization', b.bearer)).body.items).toEqual([]);
      const del = await request(app).delete(`/api/carts/me/items/${s.sectionId}`).set('Authorization', b.bearer);
      expect(del.status).toBe(404);
      expect(await rows(a.id)).toHaveLength(1);
    });

    it('staff get 403 and callers without a valid token 401 on every route, writing nothing', async () => {
      const a = await newStudent();
      const s = await makeSection(db, c);
      await add(a.bearer, s.sectionId);
      const staff = await auth.bearer({ id: a.id, role: 'staff' });
      const calls = [
        () => request(app).get('/api/carts/me'),
        () => request(app).post('/api/carts/me/items').send({ sectionId: s.sectionId }),
        () => request(app).delete(`/api/carts/me/items/${s.sectionId}`),
      ];
      for (const call of calls) {
        const asStaff = await call().set('Authorization', staff);
        expect(asStaff.status).toBe(403);
        expect(asStaff.body.code).toBe('FORBIDDEN');
        expect((await call()).status).toBe(401);
        expect((await call().set('Authorization', 'Bearer not-a-token')).status).toBe(401);
      }
      expect(await rows(a.id)).toHaveLength(1);
    });

    it('a token for a student who does not exist gets 404 and writes nothing', async () => {
      const ghost = await auth.bearer({ id: 888_888, role: 'student' });
      const s = await makeSection(db, c);
      const res = await add(ghost, s.sectionId);
      expect(res.status).toBe(404);
      expect(await rows(888_888)).toHaveLength(0);
    });
  });

  describe('GET /api/carts/students/:studentId (staff)', () => {
    const staffBearer = () => auth.bearer({ id: 7, role: 'staff' });
    const studentCart = async (studentId: unknown, who?: string) =>
      request(app).get(`/api/carts/students/${String(studentId)}`).set('Authorization', who ?? (await staffBearer()));

    it("answers the student's cart as GET /me does, with eligibility from the student's stored major and grade, in 4 queries", async () => {
      const me = await newStudent();
      const open = await makeSection(db, c, { credits: 2 });
      const otherMajor = await makeSection(db, c, { majorIds: [c.otherMajorId] });
      const firstYears = await makeSection(db, c, { gradeMask: 0b0001 });
      for (const s of [open, otherMajor, firstYears]) {
        await db('cart_item').insert({ student_id: me.id, section_id: s.sectionId, created_at: T0 });
      }
      // staff moved the student to the other major and to grade 1 after the token was issued
      await db('student').where('id', me.id).update({ major_id: c.otherMajorId, grade: 1 });

      const q = countQueries(db);
      const res = await studentCart(me.id);
      q.stop();
      expect(res.status).toBe(200);
      expect(q.count).toBe(4); // the student row, then the 3 of GET /me
      expect(res.body.totalCredits).toBe(2 + 3 + 3);
      expect(res.body.creditLimit).toBe(24);
      const eligibility = Object.fromEntries(res.body.items.map((i: { sectionId: number; section: { eligibility: unknown } }) => [i.sectionId, i.section.eligibility]));
      expect(eligibility).toEqual({
        [open.sectionId]: { eligible: true },
        [otherMajor.sectionId]: { eligible: true },
        [firstYears.sectionId]: { eligible: true },
      });
      // the student themselves, with a token still carrying the old major and grade, sees their token's view
      expect((await request(app).get('/api/carts/me').set('Authorization', me.bearer)).body.items.map((i: { section: { eligibility: { eligible: boolean } } }) => i.section.eligibility.eligible)).toEqual([true, false, false]);
    });

    it('answers an empty cart for a student with none, and 404 for an unknown student', async () => {
      const me = await newStudent();
      expect((await studentCart(me.id)).body).toEqual({ items: [], totalCredits: 0, creditLimit: 24 });
      const ghost = await studentCart(888_888);
      expect(ghost.status).toBe(404);
      expect(ghost.body.code).toBe('NOT_FOUND');
    });

    it('refuses a student token with 403 (even for their own id), no token with 401, and a bad id with 400 VALIDATION_FAILED', async () => {
      const me = await newStudent();
      const own = await studentCart(me.id, me.bearer);
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('FORBIDDEN');
      expect((await request(app).get(`/api/carts/students/${me.id}`)).status).toBe(401);
      for (const bad of ['abc', 0, -3, 1.5]) {
        const res = await studentCart(bad);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors[0].field).toBe('params.studentId');
      }
    });
  });

  describe('service endpoints', () => {
    it('serves /healthz and an OpenAPI document generated from the route schemas', async () => {
      expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok', service: 'carts' });
      const doc = await request(app).get('/openapi.json');
      expect(Object.keys(doc.body.paths).sort()).toEqual(['/api/carts/me', '/api/carts/me/items', '/api/carts/me/items/{sectionId}', '/api/carts/students/{studentId}']);
      expect(doc.body.paths['/api/carts/me/items'].post.requestBody.content['application/json'].schema.required).toEqual(['sectionId']);
    });
  });

  describe('under concurrency', () => {
    it('parallel adds of one student never exceed the credit limit, and one section is added once', async () => {
      const other = t.connect();
      const apps = [build(db, 9), build(other, 9)];
      const me = await newStudent();
      const sections: { sectionId: number; lectureId: number }[] = [];
      for (let i = 0; i < 8; i++) sections.push(await makeSection(db, c, { credits: 3 }));
      const results = await Promise.all([
        ...sections.map((s, i) => add(me.bearer, s.sectionId, apps[i % 2])),
        ...Array.from({ length: 4 }, (_, i) => add(me.bearer, sections[0]!.sectionId, apps[i % 2])),
      ]);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(3);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      const held = await db('cart_item as ci').join('section as s', 's.id', 'ci.section_id').join('lecture as l', 'l.id', 's.lecture_id').where('ci.student_id', me.id).sum({ n: 'l.credits' });
      expect(Number(held[0]!.n)).toBe(9);
    });
  });

  describe('purgeOrphanedItems', () => {
    it("deletes the items of a student or a section that no longer exists, and nobody else's", async () => {
      const me = await newStudent();
      const s = await makeSection(db, c, { credits: 3 });
      expect((await add(me.bearer, s.sectionId)).status).toBe(201);
      const maxId = async (table: string) => Number(((await db(table).max({ n: 'id' })) as Array<{ n: number }>)[0]!.n);
      const goneStudent = (await maxId('student')) + 1_000;
      const goneSection = (await maxId('section')) + 1_000;
      // What auth's delete of a student and lectures' delete of a section leave behind in this table.
      await db('cart_item').insert([
        { student_id: goneStudent, section_id: s.sectionId, created_at: T0 },
        { student_id: me.id, section_id: goneSection, created_at: T0 },
      ]);
      const before = Number(((await db('cart_item').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);

      expect(await purgeOrphanedItems(db)).toBe(2);

      expect(await db('cart_item').where('student_id', goneStudent)).toEqual([]);
      expect(await db('cart_item').where('section_id', goneSection)).toEqual([]);
      expect((await rows(me.id)).map((r: { section_id: number }) => r.section_id)).toEqual([s.sectionId]);
      expect(Number(((await db('cart_item').count({ n: '*' })) as Array<{ n: number }>)[0]!.n)).toBe(before - 2);
      expect(await purgeOrphanedItems(db)).toBe(0);
    });
  });
});

