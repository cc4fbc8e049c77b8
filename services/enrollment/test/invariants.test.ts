import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '@goorm/common';
import { createTestAuth, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import { checkInvariants } from '../src/invariants/invariants.ts';
import { runCli } from '../src/invariants/cli.ts';
import { runJob } from '../src/jobs/check-invariants.ts';
import {
  as,
  buildApp,
  makeDb,
  makeLecture,
  makeMajor,
  makeReservation,
  makeSection,
  makeStudent,
  makeTerm,
  openStandardWindows,
  T0,
  at,
  HOUR,
} from './enroll.fixtures.ts';

const engines = await testEngines();
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

/** Runs the CLI against a database; resolves with its exit code and output. */
async function cli(url: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['services/enrollment/src/invariants/cli.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
    });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: e.code ?? -1, out: e.stdout ?? '' };
  }
}

describe.each(engines)('%s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let termId: number;

  beforeAll(async () => {
    t = await makeDb(engine);
    db = t.db;
    auth = await createTestAuth();
    termId = await makeTerm(db);
    await openStandardWindows(db, termId);
    // A healthy registration through the app: sections, reserved seats, a drop, a swap.
    const app = buildApp(db, auth);
    const cse = await makeMajor(db);
    const lectureId = await makeLecture(db);
    const a = await makeSection(db, { termId, lectureId, capacity: 3 });
    const b = await makeSection(db, { termId, lectureId, capacity: 3 });
    const c = await makeSection(db, { termId, capacity: 3 });
    await makeReservation(db, { sectionId: c.id, majorId: cse, seats: 1, releaseAt: at(HOUR) });
    const x = await makeStudent(db, { majorId: cse });
    const y = await makeStudent(db);
    for (const [st, s] of [[x, a], [x, c], [y, b], [y, c]] as const) expect((await as(app, auth, st).enroll(s.id)).status).toBe(201);
    expect((await as(app, auth, x).swap(a.id, b.id)).status).toBe(200);
    expect((await as(app, auth, y).drop(c.id)).status).toBe(200);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  describe('checkInvariants', () => {
    it('finds no breach in a database written by the service', async () => {
      const r = await checkInvariants(db, { termId });
      expect(r.breaches).toEqual([]);
      expect(r.checked).toMatchObject({ termId, enrollments: 3, students: 2 });
    });

    /** Plants a breach, expects exactly that kind to be reported, then undoes it. */
    const planted = async (kind: string, plant: () => Promise<() => Promise<void>>) => {
      const undo = await plant();
      try {
        const r = await checkInvariants(db);
        expect(Object.keys(r.counts), kind).toContain(kind);
        expect(r.breaches.find((b) => b.kind === kind)?.detail).toEqual(expect.any(String));
      } finally {
        await undo();
      }
      expect((await checkInvariants(db)).breaches).toEqual([]);
    };

    it('reports a seat counter that differs from its rows, and a section over capacity', async () => {
      const s = await makeSection(db, { termId, capacity: 1 });
      await planted('COUNTER_MISMATCH', async () => {
        await db('section_seat').insert({ section_id: s.id, enrolled: 1 });
        return async () => {
          await db('section_seat').where('section_id', s.id).delete();
        };
      });
      await planted('SEAT_OVER_CAPACITY', async () => {
        await db('section_seat').insert({ section_id: s.id, enrolled: 2 });
        const [p, q] = [await makeStudent(db), await makeStudent(db)];
        for (const st of [p, q]) {
          await db('enrollment').insert({ student_id: st.id, section_id: s.id, lecture_id: s.lectureId, term_id: termId, created_at: T0 });
          await db('enrollment_event').insert({ student_id: st.id, section_id: s.id, action: 'ENROLL', outcome: 'OK', created_at: T0 });
        }
        return async () => {
          await db('enrollment').where('section_id', s.id).delete();
          await db('section_seat').where('section_id', s.id).delete();
        };
      });
    });

    it('reports a reservation counter that differs from its rows', async () => {
      const row = await db('reservation_seat').first<{ reservation_id: number; used: number }>('reservation_id', 'used');
      await planted('RESERVATION_COUNTER_MISMATCH', async () => {
        await db('reservation_seat').where('reservation_id', row.reservation_id).update({ used: Number(row.used) + 1 });
        return async () => {
          await db('reservation_seat').where('reservation_id', row.reservation_id).update({ used: row.used });
        };
      });
    });

    it('reports two sections of one lecture, overlapping meetings, credits over the maximum and rows without an OK event', async () => {
      const st = await makeStudent(db, { maxCredits: 3 });
      const lectureId = await makeLecture(db);
      const s1 = await makeSection(db, { termId, lectureId, meetings: [['SAT', 9, 10]] });
      const s2 = await makeSection(db, { termId, meetings: [['SAT', 10, 11]] });
      const enroll = async (s: { id: number; lectureId: number }, o: { lectureId?: number; event?: boolean } = {}) => {
        await db('enrollment').insert({ student_id: st.id, section_id: s.id, lecture_id: o.lectureId ?? s.lectureId, term_id: termId, created_at: T0 });
        if (o.event !== false) await db('enrollment_event').insert({ student_id: st.id, section_id: s.id, action: 'ENROLL', outcome: 'OK', created_at: T0 });
        await db('section_seat').insert({ section_id: s.id, enrolled: 1 }).onConflict('section_id').merge({ enrolled: 1 });
      };
      const undo = async () => {
        const ids = [s1.id, s2.id];
        await db('enrollment').whereIn('section_id', ids).delete();
        await db('enrollment_event').whereIn('section_id', ids).delete();
        await db('section_seat').whereIn('section_id', ids).delete();
      };
      await planted('TIME_OVERLAP', async () => {
        await enroll(s1);
        await enroll(s2);
        return undo;
      });
      await planted('CREDITS_OVER_MAX', async () => {
        await enroll(s1);
        await enroll(s2);
        return undo;
      });
      // the unique key stops a second row of one lecture, so the section's lecture disagrees with the row's
      await planted('TWO_SECTIONS_OF_LECTURE', async () => {
        await enroll(s1);
        await enroll(s2, { lectureId: s2.lectureId });
        await db('section').where('id', s2.id).update({ lecture_id: lectureId });
        return async () => {
          await db('section').where('id', s2.id).update({ lecture_id: s2.lectureId });
          await undo();
        };
      });
      await planted('LECTURE_MISMATCH', async () => {
        await enroll(s2, { lectureId });
        return undo;
      });
      await planted('MISSING_OK_EVENT', async () => {
        await enroll(s1, { event: false });
        await db('enrollment_event').insert({ student_id: st.id, section_id: s1.id, action: 'ENROLL', outcome: 'SECTION_FULL', created_at: T0 });
        return undo;
      });
    });
    it('reports an open seat while an eligible student waits, two entries of one rank, and a student waiting for a lecture they hold', async () => {
      const s = await makeSection(db, { termId, capacity: 1, meetings: [['SAT', 12, 12]] });
      const [holder, waiter, other] = [await makeStudent(db), await makeStudent(db), await makeStudent(db)];
      await db('section_seat').insert({ section_id: s.id, enrolled: 1 }).onConflict('section_id').merge({ enrolled: 1 });
      await db('enrollment').insert({ student_id: holder.id, section_id: s.id, lecture_id: s.lectureId, term_id: termId, created_at: T0 });
      await db('enrollment_event').insert({ student_id: holder.id, section_id: s.id, action: 'ENROLL', outcome: 'OK', created_at: T0 });
      const entry = (st: { id: number }, rank: number) => ({ section_id: s.id, student_id: st.id, lecture_id: s.lectureId, term_id: termId, sort_key: rank, joined_at: T0 });
      await db('waitlist_entry').insert([entry(waiter, 1), entry(other, 2)]);
      expect((await checkInvariants(db, { termId })).breaches).toEqual([]);
      await planted('WAITLIST_SEAT_IDLE', async () => {
        await db('section').where('id', s.id).update({ capacity: 2 });
        return async () => {
          await db('section').where('id', s.id).update({ capacity: 1 });
        };
      });
      await planted('WAITLIST_RANK_TIE', async () => {
        await db('waitlist_entry').where('student_id', other.id).update({ sort_key: 1 });
        return async () => {
          await db('waitlist_entry').where('student_id', other.id).update({ sort_key: 2 });
        };
      });
      await planted('WAITLISTED_HOLDS_LECTURE', async () => {
        await db('waitlist_entry').insert(entry(holder, 3));
        return async () => {
          await db('waitlist_entry').where('student_id', holder.id).delete();
        };
      });
      await db('waitlist_entry').where('section_id', s.id).delete();
    });
  });

  describe('invariants CLI', () => {
    it('exits 0 on a healthy database and 1 with a report naming the breach', async () => {
      let out = '';
      const env = { DATABASE_URL: t.url, LOG_LEVEL: 'silent' };
      expect(await runCli(env, (s) => (out += s))).toBe(0);
      expect(out).toMatch(/OK: no breach/);
      const s = await makeSection(db, { termId });
      await db('section_seat').insert({ section_id: s.id, enrolled: 5 });
      try {
        out = '';
        expect(await runCli(env, (x) => (out += x))).toBe(1);
        expect(out).toMatch(/BREACH COUNTER_MISMATCH: 1\n {2}- section \d+: counter 5 but 0 enrollment rows/);
        if (engine === 'sqlite') {
          // once as a real process: the exit status is what a pipeline sees
          const proc = await cli(t.url);
          expect(proc.code).toBe(1);
          expect(proc.out).toMatch(/BREACH COUNTER_MISMATCH/);
        }
      } finally {
        await db('section_seat').where('section_id', s.id).delete();
      }
    });
  });

  describe('the CronJob entry (jobs/check-invariants.ts)', () => {
    it('exports 0 oversold seats on a healthy database, and the seats sold past capacity after an oversell', async () => {
      let out = '';
      const env = { DATABASE_URL: t.url, LOG_LEVEL: 'silent' };
      expect(await runJob(env, (s) => (out += s))).toBe(0);
      expect(out).toMatch(/^enrollment_invariant_oversold_seats 0$/m);
      expect(out).toMatch(/^enrollment_invariant_check_success 1$/m);
      expect(out).toMatch(/^enrollment_invariant_breaches\{kind="SEAT_OVER_CAPACITY"\} 0$/m);
      // the seat counter says 3 taken of 1 (a lost conditional update would look like this)
      const s = await makeSection(db, { termId, capacity: 1 });
      await db('section_seat').insert({ section_id: s.id, enrolled: 3 });
      try {
        out = '';
        expect(await runJob(env, (text) => (out += text))).toBe(1);
        expect(out).toMatch(/^enrollment_invariant_oversold_seats 2$/m);
        expect(out).toMatch(/^enrollment_invariant_breaches\{kind="SEAT_OVER_CAPACITY"\} 1$/m);
      } finally {
        await db('section_seat').where('section_id', s.id).delete();
      }
    });
  });
});
