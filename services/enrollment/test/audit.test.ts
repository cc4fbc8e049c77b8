/**
 * GET /api/enrollments/audit: the staff actions (overrides, windows, waiting room) filtered by staff,
 * student, section, action and target, paginated, in a fixed number of queries, on both engines.
 */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, type Knex } from '@goorm/common';
import { createTestAuth, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import { InProcessWaitingRoom } from '../src/queue/queue.memory.ts';
import { QueueTokens } from '../src/queue/queue.tokens.ts';
import { auditSubjects } from '../src/audit/audit.subjects.ts';
import { as, at, buildApp, DAY, makeDb, makeSection, makeStudent, makeTerm, T0, testClock } from './enroll.fixtures.ts';

const engines = await testEngines();
const ADA = { id: 71, role: 'staff' as const };
const BOB = { id: 72, role: 'staff' as const };

describe.each(engines)('GET /api/enrollments/audit on %s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let app: Express;
  const clock = testClock();
  let fx: Awaited<ReturnType<typeof arrange>>;

  beforeAll(async () => {
    t = await makeDb(engine);
    db = t.db;
    auth = await createTestAuth();
    const room = new InProcessWaitingRoom({ tokens: new QueueTokens(randomBytes(32), 120), defaults: { mode: 'auto', ratePerSecond: 5, adaptive: true } });
    app = buildApp(db, auth, { clock: clock.now, room });
    fx = await arrange();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  /** Through the real routes: Ada enrolls x in s1 and s2 and drops x from s1, Bob enrolls y in s1, opens a window and switches the room. */
  async function arrange() {
    const termId = await makeTerm(db);
    const [s1, s2] = [await makeSection(db, { termId }), await makeSection(db, { termId })];
    const [x, y] = [await makeStudent(db), await makeStudent(db)];
    const step = async (n: number, call: () => Promise<request.Response>) => {
      clock.set(at(n * 1000));
      const res = await call();
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res;
    };
    await step(1, () => as(app, auth, ADA).enroll({ sectionId: s1.id, studentId: x.id, reason: '학과 승인' }));
    await step(2, () => as(app, auth, ADA).enroll({ sectionId: s2.id, studentId: x.id, reason: '복수전공' }));
    await step(3, () => as(app, auth, BOB).enroll({ sectionId: s1.id, studentId: y.id, reason: '정원 외 승인', allowOverCapacity: true }));
    await step(4, () => as(app, auth, ADA).drop(s1.id, { studentId: x.id, reason: '학생 요청' }));
    const window = await step(5, async () =>
      request(app)
        .post('/api/enrollments/windows')
        .set('Authorization', await auth.bearer(BOB))
        .send({ termId, phase: 'REGISTRATION', grades: [4], opensAt: at(10 * DAY).toISOString(), closesAt: at(11 * DAY).toISOString(), reason: '4학년 신청' }),
    );
    await step(6, async () =>
      request(app).put('/api/enrollments/queue/settings').set('Authorization', await auth.bearer(BOB)).send({ mode: 'on', ratePerSecond: 40, adaptive: false, reason: '개방 대비' }),
    );
    clock.set(T0);
    return { s1, s2, x, y, windowId: window.body.id as number };
  }

  const list = async (query: Record<string, unknown>, who: { id: number; role: 'staff' | 'student' } = ADA) =>
    request(app).get('/api/enrollments/audit').query(query).set('Authorization', await auth.bearer(who));
  const summary = (res: request.Response) => res.body.items.map((i: { staffId: number; action: string; target: string }) => [i.staffId, i.action, i.target]);

  it('lists every staff action newest first with who, what, when, why, and the student and section it concerns', async () => {
    const { s1, s2, x, y, windowId } = fx;
    const res = await list({});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 6, page: 1, size: 20 });
    expect(summary(res)).toEqual([
      [BOB.id, 'QUEUE_SETTINGS', 'queue'],
      [BOB.id, 'WINDOW_CREATE', `window:${windowId}`],
      [ADA.id, 'OVERRIDE_DROP', `student:${x.id}/section:${s1.id}`],
      [BOB.id, 'OVERRIDE_ENROLL', `student:${y.id}/section:${s1.id}`],
      [ADA.id, 'OVERRIDE_ENROLL', `student:${x.id}/section:${s2.id}`],
      [ADA.id, 'OVERRIDE_ENROLL', `student:${x.id}/section:${s1.id}`],
    ]);
    expect(res.body.items[2]).toMatchObject({ studentId: x.id, sectionId: s1.id, reason: '학생 요청', createdAt: at(4000).toISOString() });
    expect(res.body.items[0]).toMatchObject({ studentId: null, sectionId: null, reason: '개방 대비', details: { after: { mode: 'on', ratePerSecond: 40, adaptive: false } } });
  });

  it('filters by student, by section, by staff and by action, alone or together', async () => {
    const { s1, s2, x, y } = fx;
    expect(summary(await list({ studentId: x.id }))).toEqual([
      [ADA.id, 'OVERRIDE_DROP', `student:${x.id}/section:${s1.id}`],
      [ADA.id, 'OVERRIDE_ENROLL', `student:${x.id}/section:${s2.id}`],
      [ADA.id, 'OVERRIDE_ENROLL', `student:${x.id}/section:${s1.id}`],
    ]);
    expect(summary(await list({ sectionId: s1.id }))).toEqual([
      [ADA.id, 'OVERRIDE_DROP', `student:${x.id}/section:${s1.id}`],
      [BOB.id, 'OVERRIDE_ENROLL', `student:${y.id}/section:${s1.id}`],
      [ADA.id, 'OVERRIDE_ENROLL', `student:${x.id}/section:${s1.id}`],
    ]);
    expect(summary(await list({ staffId: BOB.id, action: 'OVERRIDE_ENROLL' }))).toEqual([[BOB.id, 'OVERRIDE_ENROLL', `student:${y.id}/section:${s1.id}`]]);
    expect(summary(await list({ studentId: x.id, sectionId: s1.id, action: 'OVERRIDE_ENROLL' }))).toEqual([[ADA.id, 'OVERRIDE_ENROLL', `student:${x.id}/section:${s1.id}`]]);
    expect((await list({ studentId: y.id, staffId: ADA.id })).body).toEqual({ items: [], total: 0, page: 1, size: 20 });
  });

  it('pages with a total, in two queries whatever the page size and filters', async () => {
    const counts: number[] = [];
    for (const query of [{ size: 2, page: 2 }, { size: 100 }, { studentId: fx.x.id, sectionId: fx.s1.id, staffId: ADA.id, action: 'OVERRIDE_DROP' }]) {
      const q = countQueries(db);
      const res = await list(query);
      q.stop();
      expect(res.status).toBe(200);
      counts.push(q.count);
    }
    expect(counts).toEqual([2, 2, 2]);
    const page2 = await list({ size: 2, page: 2 });
    expect(page2.body).toMatchObject({ total: 6, page: 2, size: 2 });
    expect(summary(page2).map((r: unknown[]) => r[1])).toEqual(['OVERRIDE_DROP', 'OVERRIDE_ENROLL']);
  });

  it('answers 400 VALIDATION_FAILED for bad filters and 403 to a student', async () => {
    for (const query of [{ studentId: 'abc' }, { sectionId: 0 }, { staffId: -1 }, { size: 101 }, { action: '' }]) {
      const res = await list(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors[0].field).toMatch(/^query\./);
    }
    const student = await list({ studentId: fx.x.id }, { id: fx.x.id, role: 'student' });
    expect(student.status).toBe(403);
    expect(student.body.code).toBe('FORBIDDEN');
  });

  it('reads the student and section from a target (as the migration did for rows written before)', () => {
    expect(auditSubjects('student:17/section:42')).toEqual({ studentId: 17, sectionId: 42 });
    expect(auditSubjects('section:9')).toEqual({ studentId: null, sectionId: 9 });
    expect(auditSubjects('window:3')).toEqual({ studentId: null, sectionId: null });
    expect(auditSubjects('queue')).toEqual({ studentId: null, sectionId: null });
    expect(auditSubjects('student:1x/section:')).toEqual({ studentId: null, sectionId: null });
  });
});
