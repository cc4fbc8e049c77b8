import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '@goorm/common';
import { createTestAuth, testEngines, testLogger, testMetrics, type TestAuth, type TestDb } from '@goorm/common/testing';
import { createEnrollment } from '../src/app.ts';
import { at, buildApp, count, expectNoBreach, HOUR, makeDb, makeSection, makeStudents, makeTerm, openStandardWindows, rowsOf, seatOf, T0, type SectionRef } from './enroll.fixtures.ts';

/**
 * Cart auto-enrollment (README "Cart auto-enrollment") on both engines: exactly the carting
 * students of uncontested sections are enrolled (by the rules), a second run changes nothing, a
 * dry run writes nothing, and a scheduled run runs when its time comes.
 */
const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let app: Express;
  let termId: number;
  /** Grade 4's REGISTRATION window (opens T0 + 2 days); grades 1-3's opened at T0 - 1 h. */
  let grade4Window: number;
  let openedWindow: number;
  let cartWindow: number;
  const staff = { id: 901, role: 'staff' as const };

  const cart = async (studentIds: number[], sectionId: number) => {
    await db('cart_item').insert(studentIds.map((id, i) => ({ student_id: id, section_id: sectionId, created_at: new Date(T0.getTime() - 10 * HOUR + i) })));
  };
  const run = async (a: Express, body: Record<string, unknown>) =>
    request(a)
      .post('/api/enrollments/auto-enroll')
      .set('Authorization', await auth.bearer(staff))
      .send({ reason: '자동신청', ...body });
  const heldBy = async (s: SectionRef) => (await rowsOf(db, { sectionId: s.id })).map((r) => r.studentId).sort((x, y) => x - y);
  const sorted = (ids: number[]) => [...ids].sort((x, y) => x - y);

  beforeAll(async () => {
    t = await makeDb(engine);
    db = t.db;
    auth = await createTestAuth();
    termId = await makeTerm(db);
    await openStandardWindows(db, termId);
    const windows = await db('enrollment_window').where('term_id', termId).select<{ id: number; phase: string; grade_mask: number }[]>('id', 'phase', 'grade_mask');
    grade4Window = Number(windows.find((w) => w.phase === 'REGISTRATION' && Number(w.grade_mask) === 8)!.id);
    openedWindow = Number(windows.find((w) => w.phase === 'REGISTRATION' && Number(w.grade_mask) === 7)!.id);
    cartWindow = Number(windows.find((w) => w.phase === 'CART')!.id);
    app = buildApp(db, auth);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('enrolls exactly the students of uncontested sections (by the rules), and a second run changes nothing', async () => {
    const seniors = await makeStudents(db, 6, { grade: 4 });
    const junior = (await makeStudents(db, 1, { grade: 2 }))[0]!;
    const [s1, s2, s3, s4, s5] = seniors;
    const a = await makeSection(db, { termId, capacity: 3, meetings: [['MON', 9, 9]] }); // 2 seniors: uncontested
    const b = await makeSection(db, { termId, capacity: 2 }); // 3 seniors: contested
    const c = await makeSection(db, { termId, capacity: 5, meetings: [['MON', 9, 9]] }); // clashes with A for s1
    const d = await makeSection(db, { termId, capacity: 1 }); // 1 senior + 1 junior: uncontested for the opening grades
    const e = await makeSection(db, { termId, capacity: 4, gradeMask: 0b0111 }); // not open to grade 4
    await cart([s1!.id, s2!.id], a.id);
    await cart([s3!.id, s4!.id, s5!.id], b.id);
    await cart([s1!.id], c.id);
    await cart([s3!.id, junior.id], d.id);
    await cart([s4!.id], e.id);

    const preview = await run(app, { windowId: grade4Window, dryRun: true });
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ status: 'DONE', dryRun: true, report: { enrolled: 3, contestedSections: 1 } });
    expect(await count(db, 'enrollment')).toBe(0);
    expect(await count(db, 'notice')).toBe(0);

    const first = await run(app, { windowId: grade4Window });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      windowId: grade4Window,
      status: 'DONE',
      dryRun: false,
      report: { sectionsWithDemand: 5, uncontestedSections: 4, contestedSections: 1, considered: 5, enrolled: 3, students: 3, skipped: { TIME_CONFLICT: 1, NOT_ELIGIBLE: 1 } },
    });
    expect(await heldBy(a)).toEqual(sorted([s1!.id, s2!.id]));
    expect(await heldBy(b)).toEqual([]);
    expect(await heldBy(c)).toEqual([]);
    expect(await heldBy(d)).toEqual([s3!.id]);
    expect(await heldBy(e)).toEqual([]);
    expect(await seatOf(db, a.id)).toBe(2);
    const notices = await db('notice').orderBy('id').select<{ student_id: number; kind: string; code: string | null }[]>('student_id', 'kind', 'code');
    expect(notices.filter((n) => n.kind === 'AUTO_ENROLLED')).toHaveLength(3);
    expect(notices.filter((n) => n.kind === 'AUTO_ENROLL_SKIPPED').map((n) => [Number(n.student_id), n.code])).toEqual(
      expect.arrayContaining([
        [s1!.id, 'TIME_CONFLICT'],
        [s4!.id, 'NOT_ELIGIBLE'],
      ]),
    );
    const studentNotices = await request(app).get('/api/enrollments/notices/me').set('Authorization', await auth.bearer({ id: s1!.id, role: 'student' }));
    expect(studentNotices.body.items.map((n: { kind: string }) => n.kind).sort()).toEqual(['AUTO_ENROLLED', 'AUTO_ENROLL_SKIPPED']);

    const before = { enrollment: await count(db, 'enrollment'), events: await count(db, 'enrollment_event'), notices: await count(db, 'notice'), seats: await seatOf(db, a.id) };
    const second = await run(app, { windowId: grade4Window });
    expect(second.body.report).toMatchObject({ enrolled: 0, students: 0 });
    expect({ enrollment: await count(db, 'enrollment'), events: await count(db, 'enrollment_event'), notices: await count(db, 'notice'), seats: await seatOf(db, a.id) }).toEqual(before);
    expect(await db('audit_log').where('action', 'AUTO_ENROLL').count<{ n: number }[]>({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(3);
    await expectNoBreach(db);

    const runs = await request(app).get('/api/enrollments/auto-enroll').set('Authorization', await auth.bearer(staff));
    expect(runs.body.items.map((r: { id: number }) => r.id)).toEqual([second.body.id, first.body.id, preview.body.id]);
  });

  it('refuses a window that has opened, a window of another phase, and an unknown one', async () => {
    expect((await run(app, { windowId: openedWindow })).body.code).toBe('CONFLICT');
    expect((await run(app, { windowId: cartWindow })).body.code).toBe('CONFLICT');
    expect((await run(app, { windowId: 99_999 })).body.code).toBe('NOT_FOUND');
    expect((await run(app, { windowId: grade4Window, runAt: at(3 * 24 * HOUR).toISOString() })).body.code).toBe('CONFLICT');
    expect((await run(app, { windowId: grade4Window, reason: '' })).body.code).toBe('VALIDATION_FAILED');
  });

  it('a scheduled run waits for its time, then the sweeper of one replica runs it once', async () => {
    const seniors = await makeStudents(db, 2, { grade: 4 });
    const s = await makeSection(db, { termId, capacity: 2 });
    await cart(
      seniors.map((x) => x.id),
      s.id,
    );
    const scheduled = await run(app, { windowId: grade4Window, runAt: at(HOUR).toISOString() });
    expect(scheduled.body).toMatchObject({ status: 'SCHEDULED', report: null });
    const replica = (clock: () => Date) =>
      createEnrollment({ db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('enrollment'), readiness: async () => {}, catalogTtlMs: 0, clock });
    const early = replica(() => T0);
    await early.sweeper.sweepOnce();
    expect(await heldBy(s)).toEqual([]);
    const due = [replica(() => at(HOUR)), replica(() => at(HOUR))];
    await Promise.all(due.map((d) => d.sweeper.sweepOnce()));
    expect(await heldBy(s)).toEqual(sorted(seniors.map((x) => x.id)));
    const done = await request(app).get(`/api/enrollments/auto-enroll/${scheduled.body.id}`).set('Authorization', await auth.bearer(staff));
    expect(done.body).toMatchObject({ status: 'DONE', report: { enrolled: 2 } });
    await expectNoBreach(db);
  });
});
