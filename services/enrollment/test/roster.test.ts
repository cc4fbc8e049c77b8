import { countQueries, type Knex } from '@goorm/common';
import { createTestAuth, createTestDb, migrateAll, testEngines, type TestDb } from '@goorm/common/testing';
import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS, T0, enroll, makeSection, makeStudent, makeTerm, serviceApp } from './stats.fixtures.ts';

const engines = await testEngines();
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe.each(engines)('GET /api/enrollments/sections/:id/roster on %s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let app: Express;
  let staff: string;
  let student: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    db = t.db;
    await migrateAll(db, ALL_MIGRATIONS);
    const auth = await createTestAuth();
    app = serviceApp(db, auth.verifier);
    staff = await auth.bearer({ id: 7, role: 'staff' });
    student = await auth.bearer({ id: 1, role: 'student' });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  async function sectionWith(n: number) {
    const termId = await makeTerm(db, { current: true });
    const section = await makeSection(db, { termId, capacity: 40 });
    const other = await makeSection(db, { termId });
    const students = [];
    for (let i = 0; i < n; i++) {
      const s = await makeStudent(db, { grade: 1 + (i % 4), name: i === 0 ? '김구름' : undefined });
      students.push(s);
      // enrolled in reverse id order so ordering by time is visible
      await enroll(db, { studentId: s.id, section, termId, at: at(n - i) });
    }
    const outsider = await makeStudent(db);
    await enroll(db, { studentId: outsider.id, section: other, termId, at: at(0) });
    return { section, students: students.reverse() };
  }

  it('lists the section and its students in enrollment order for staff', async () => {
    const { section, students } = await sectionWith(3);
    const res = await request(app).get(`/api/enrollments/sections/${section.sectionId}/roster`).set('Authorization', staff);
    expect(res.status).toBe(200);
    expect(res.body.section).toMatchObject({ id: section.sectionId, lectureCode: section.lectureCode, capacity: 40, enrolled: 3 });
    expect(res.body.items).toEqual(
      students.map((s, i) => ({
        studentId: s.id,
        studentNo: s.studentNo,
        name: expect.any(String),
        majorId: s.majorId,
        grade: s.grade,
        enrolledAt: at(i + 1).toISOString(),
      })),
    );
  });

  it('answers in the same number of queries for 2 and 12 students', async () => {
    const small = await sectionWith(2);
    const big = await sectionWith(12);
    const counts = [];
    for (const s of [small, big]) {
      const c = countQueries(db);
      const res = await request(app).get(`/api/enrollments/sections/${s.section.sectionId}/roster`).set('Authorization', staff);
      c.stop();
      expect(res.body.items).toHaveLength(s.students.length);
      counts.push(c.count);
    }
    expect(counts).toEqual([2, 2]);
  });

  it('answers CSV with a header and an attachment name for ?format=csv and for Accept: text/csv', async () => {
    const { section, students } = await sectionWith(2);
    for (const ask of [
      (r: request.Test) => r.query({ format: 'csv' }),
      (r: request.Test) => r.set('Accept', 'text/csv'),
    ]) {
      const res = await ask(request(app).get(`/api/enrollments/sections/${section.sectionId}/roster`).set('Authorization', staff));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="?roster-${section.lectureCode}-\\d+\\.csv"?$`));
      const rows = parse(res.text, { bom: true, columns: true }) as Record<string, string>[];
      expect(Object.keys(rows[0]!)).toEqual(['studentId', 'studentNo', 'name', 'majorId', 'grade', 'enrolledAt']);
      expect(rows.map((r) => r.studentNo)).toEqual(students.map((s) => s.studentNo));
      expect(rows.some((r) => r.name === '김구름')).toBe(true);
    }
  });

  it('writes a name a spreadsheet would run as a formula with a leading apostrophe', async () => {
    const { section, students } = await sectionWith(1);
    await db('student').where('id', students[0]!.id).update({ name: '=HYPERLINK("e.x")' });
    const res = await request(app).get(`/api/enrollments/sections/${section.sectionId}/roster?format=csv`).set('Authorization', staff);
    const rows = parse(res.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows[0]!.name).toBe(`'=HYPERLINK("e.x")`);
  });

  it('answers an empty roster for a section nobody took, and 404 for an unknown section', async () => {
    const termId = await makeTerm(db);
    const section = await makeSection(db, { termId });
    const res = await request(app).get(`/api/enrollments/sections/${section.sectionId}/roster`).set('Authorization', staff);
    expect(res.status).toBe(200);
    expect(res.body.section.enrolled).toBe(0);
    expect(res.body.items).toEqual([]);
    const csv = await request(app).get(`/api/enrollments/sections/${section.sectionId}/roster?format=csv`).set('Authorization', staff);
    expect(csv.text.replace('\uFEFF', '').trim()).toBe('studentId,studentNo,name,majorId,grade,enrolledAt');
    const missing = await request(app).get('/api/enrollments/sections/987654/roster').set('Authorization', staff);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('refuses students (403), callers without a token (401) and bad ids or formats (400)', async () => {
    const { section } = await sectionWith(1);
    const url = `/api/enrollments/sections/${section.sectionId}/roster`;
    const st = await request(app).get(url).set('Authorization', student);
    expect(st.status).toBe(403);
    expect(st.body.code).toBe('FORBIDDEN');
    expect((await request(app).get(url)).status).toBe(401);
    const badId = await request(app).get('/api/enrollments/sections/abc/roster').set('Authorization', staff);
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('params.id');
    const badFormat = await request(app).get(`${url}?format=xlsx`).set('Authorization', staff);
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.errors[0].field).toBe('query.format');
  });
});
