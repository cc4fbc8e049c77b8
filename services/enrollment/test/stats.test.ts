import { countQueries, type Knex } from '@goorm/common';
import { createTestAuth, createTestDb, migrateAll, testEngines, type TestDb } from '@goorm/common/testing';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS, T0, enroll, event, makeSection, makeStudent, makeTerm, serviceApp } from './stats.fixtures.ts';

const engines = await testEngines();
const NOW = new Date('2026-02-10T01:05:30.000Z');

describe.each(engines)('GET /api/enrollments/stats on %s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let app: Express;
  let staff: string;
  let student: string;
  /** Read-only for every test below, so it is arranged once per engine. */
  let fx: Awaited<ReturnType<typeof arrange>>;

  beforeAll(async () => {
    t = await createTestDb(engine);
    db = t.db;
    await migrateAll(db, ALL_MIGRATIONS);
    const auth = await createTestAuth();
    app = serviceApp(db, auth.verifier, () => NOW);
    staff = await auth.bearer({ id: 7, role: 'staff' });
    student = await auth.bearer({ id: 1, role: 'student' });
    fx = await arrange();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  /** A term with A (5/10, 2 in carts), B (4/4, 12 in carts), C (1/20, none), and noise in another term. */
  async function arrange() {
    const termId = await makeTerm(db, { current: true });
    const a = await makeSection(db, { termId, capacity: 10 });
    const b = await makeSection(db, { termId, capacity: 4 });
    const c = await makeSection(db, { termId, capacity: 20 });
    const students = [];
    for (let i = 0; i < 5; i++) students.push(await makeStudent(db));
    for (const [i, s] of students.entries()) {
      await enroll(db, { studentId: s.id, section: a, termId, at: T0 });
      if (i < 4) await enroll(db, { studentId: s.id, section: b, termId, at: T0 });
      if (i === 0) await enroll(db, { studentId: s.id, section: c, termId, at: T0 });
    }
    const cart = (sectionId: number, n: number) =>
      db('cart_item').insert(Array.from({ length: n }, (_, i) => ({ student_id: 50_000 + i, section_id: sectionId, created_at: T0 })));
    await cart(a.sectionId, 2);
    await cart(b.sectionId, 12);

    const otherTerm = await makeTerm(db);
    const x = await makeSection(db, { termId: otherTerm, capacity: 3 });
    await enroll(db, { studentId: students[0]!.id, section: x, termId: otherTerm, at: T0 });
    await cart(x.sectionId, 3);

    const s0 = students[0]!.id;
    const ev = (sectionId: number, outcome: string, iso: string) => event(db, { studentId: s0, sectionId, outcome, at: new Date(iso) });
    await ev(a.sectionId, 'OK', '2026-02-10T01:05:10.000Z');
    await ev(b.sectionId, 'OK', '2026-02-10T01:05:29.999Z');
    await ev(b.sectionId, 'SECTION_FULL', '2026-02-10T01:05:20.000Z');
    await ev(a.sectionId, 'OK', '2026-02-10T01:03:59.999Z');
    await ev(a.sectionId, 'TIME_CONFLICT', '2026-02-10T00:51:00.000Z'); // first minute of 15
    await ev(a.sectionId, 'OK', '2026-02-10T00:50:59.999Z'); // before the 15 minutes
    await ev(a.sectionId, 'OK', '2026-02-10T01:06:00.000Z'); // after now
    await ev(x.sectionId, 'OK', '2026-02-10T01:05:00.000Z'); // other term
    return { termId, a, b, c, x };
  }

  const get = (query: Record<string, unknown>, who = staff) => request(app).get('/api/enrollments/stats').query(query).set('Authorization', who);

  it('answers term totals, sections ranked by fill ratio, and attempts per minute by outcome', async () => {
    const { termId, a, b, c } = fx;
    const res = await get({ termId });
    expect(res.status).toBe(200);
    expect(res.body.term.id).toBe(termId);
    expect(res.body.generatedAt).toBe(NOW.toISOString());
    expect(res.body.totals).toEqual({ sections: 3, capacity: 34, enrolled: 10, cartItems: 14, students: 5, fillRatio: 0.2941 });
    expect(res.body.sections).toMatchObject({ total: 3, page: 1, size: 20, sort: 'fill' });
    expect(res.body.sections.items).toEqual([
      expect.objectContaining({ sectionId: b.sectionId, enrolled: 4, capacity: 4, cartCount: 12, fillRatio: 1, cartPressure: 3 }),
      expect.objectContaining({ sectionId: a.sectionId, enrolled: 5, capacity: 10, cartCount: 2, fillRatio: 0.5, cartPressure: 0.2, lectureCode: a.lectureCode }),
      expect.objectContaining({ sectionId: c.sectionId, enrolled: 1, capacity: 20, cartCount: 0, fillRatio: 0.05, cartPressure: 0 }),
    ]);

    const at = res.body.attempts;
    expect(at).toMatchObject({ minutes: 15, since: '2026-02-10T00:51:00.000Z', until: NOW.toISOString() });
    expect(at.byOutcome).toEqual({ OK: 3, SECTION_FULL: 1, TIME_CONFLICT: 1 });
    expect(at.perMinute).toHaveLength(15);
    expect(at.perMinute[0]).toEqual({ minute: '2026-02-10T00:51:00.000Z', total: 1, outcomes: { TIME_CONFLICT: 1 } });
    expect(at.perMinute[12]).toEqual({ minute: '2026-02-10T01:03:00.000Z', total: 1, outcomes: { OK: 1 } });
    expect(at.perMinute[13]).toEqual({ minute: '2026-02-10T01:04:00.000Z', total: 0, outcomes: {} });
    expect(at.perMinute[14]).toEqual({ minute: '2026-02-10T01:05:00.000Z', total: 3, outcomes: { OK: 2, SECTION_FULL: 1 } });
  });

  it('ranks by cart pressure or head count, and pages on the server', async () => {
    const { termId, a, b, c } = fx;
    const ids = (r: request.Response) => r.body.sections.items.map((i: { sectionId: number }) => i.sectionId);
    expect(ids(await get({ termId, sort: 'cart' }))).toEqual([b.sectionId, a.sectionId, c.sectionId]);
    expect(ids(await get({ termId, sort: 'enrolled' }))).toEqual([a.sectionId, b.sectionId, c.sectionId]);
    const page2 = await get({ termId, size: 2, page: 2 });
    expect(ids(page2)).toEqual([c.sectionId]);
    expect(page2.body.sections).toMatchObject({ total: 3, page: 2, size: 2 });
  });

  it('narrows sections and attempts to one section when sectionId is given (totals stay term-wide)', async () => {
    const { termId, b } = fx;
    const res = await get({ termId, sectionId: b.sectionId, minutes: 2 });
    expect(res.status).toBe(200);
    expect(res.body.totals.sections).toBe(3);
    expect(res.body.sections.items.map((i: { sectionId: number }) => i.sectionId)).toEqual([b.sectionId]);
    expect(res.body.attempts.byOutcome).toEqual({ OK: 1, SECTION_FULL: 1 });
    expect(res.body.attempts.perMinute.map((m: { minute: string }) => m.minute)).toEqual(['2026-02-10T01:04:00.000Z', '2026-02-10T01:05:00.000Z']);
  });

  it('uses the current term when no termId is given', async () => {
    const { termId } = fx;
    const res = await get({});
    expect(res.status).toBe(200);
    expect(res.body.term.id).toBe(termId);
  });

  it('answers in five queries whatever the page size', async () => {
    const { termId } = fx;
    const counts = [];
    for (const size of [1, 50]) {
      const c = countQueries(db);
      expect((await get({ termId, size })).status).toBe(200);
      c.stop();
      counts.push(c.count);
    }
    expect(counts).toEqual([5, 5]);
  });

  it('answers 404 for an unknown term or a section outside the term', async () => {
    const { termId, x } = fx;
    const noTerm = await get({ termId: 987_654 });
    expect(noTerm.status).toBe(404);
    expect(noTerm.body.code).toBe('NOT_FOUND');
    expect((await get({ termId, sectionId: x.sectionId })).status).toBe(404);
  });

  it('refuses students (403), callers without a token (401) and bad query values (400)', async () => {
    const st = await get({}, student);
    expect(st.status).toBe(403);
    expect(st.body.code).toBe('FORBIDDEN');
    expect((await request(app).get('/api/enrollments/stats')).status).toBe(401);
    for (const [q, field] of [
      [{ sort: 'name' }, 'query.sort'],
      [{ minutes: 0 }, 'query.minutes'],
      [{ size: 1000 }, 'query.size'],
      [{ termId: 'x' }, 'query.termId'],
    ] as const) {
      const res = await get(q);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe(field);
    }
  });
});
