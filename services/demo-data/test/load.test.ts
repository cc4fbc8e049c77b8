import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toIso, type Knex } from '@goorm/common';
import { createTestDb, testEngines, type TestDb } from '@goorm/common/testing';
import {
  ALL_MIGRATIONS,
  clearUniversity,
  generateUniversity,
  hashDemoPassword,
  loadUniversity,
  migrateUniversity,
  seedDemo,
  UNIVERSITY_TABLES,
} from '../src/index.ts';

const engines = await testEngines();
const passwordHash = await hashDemoPassword('password123');
const now = new Date('2026-01-20T03:00:00.000Z');

async function rowCounts(db: Knex): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of UNIVERSITY_TABLES) {
    const [row] = await db(table).count({ n: '*' });
    out[table] = Number(row!.n);
  }
  return out;
}

/** Pairs of sections that share a professor (or a room) and meet at overlapping times, counted in SQL. */
async function clashes(db: Knex, column: 'professor_id' | 'room'): Promise<number> {
  const [row] = await db('section as sa')
    .join('section as sb', function () {
      this.on(`sa.${column}`, '=', `sb.${column}`).andOn('sa.term_id', '=', 'sb.term_id').andOn('sa.id', '<', 'sb.id');
    })
    .join('section_meeting as a', 'a.section_id', 'sa.id')
    .join('section_meeting as b', function () {
      this.on('b.section_id', '=', 'sb.id')
        .andOn('a.day', '=', 'b.day')
        .andOn('a.start_period', '<=', 'b.end_period')
        .andOn('b.start_period', '<=', 'a.end_period');
    })
    .count({ n: '*' });
  return Number(row!.n);
}

describe.each(engines)('%s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
    await migrateUniversity(t.db);
  });
  afterAll(async () => {
    await t.destroy();
  });

  describe('seedDemo', () => {
    it('on an empty database, loads the small demo university into every service table', async () => {
      const result = await seedDemo(t.db, { now, passwordHash });
      expect(result.seeded).toBe(true);
      const counts = await rowCounts(t.db);
      expect(counts).toMatchObject({ term: 1, major: 12, professor: 60, lecture: 150, section: 250, section_seat: 250, student: 400, staff: 3 });
      expect(counts.section_meeting).toBe(result.counts!.meetings);
      expect(counts.cart_item).toBe(result.counts!.cartItems);
      expect(counts.cart_item).toBeGreaterThan(400);
      expect(counts.section_major).toBeGreaterThan(0);
      expect(counts.section_reservation).toBeGreaterThan(0);
      expect(counts.reservation_seat).toBe(counts.section_reservation);
    });

    it('gives every section a seat counter at zero', async () => {
      const seats = await t.db('section as s').leftJoin('section_seat as ss', 'ss.section_id', 's.id').select('ss.enrolled');
      expect(seats).toHaveLength(250);
      expect(seats.every((r: { enrolled: unknown }) => Number(r.enrolled) === 0)).toBe(true);
    });

    it('creates the demo logins with the right grades and the demo password', async () => {
      const students = await t.db('student')
        .whereIn('student_no', ['20230001', '20240001', '20250001', '20260001'])
        .orderBy('student_no')
        .select('student_no', 'grade', 'password_hash');
      expect(students.map((s: { student_no: string; grade: number }) => [s.student_no, Number(s.grade)])).toEqual([
        ['20230001', 4],
        ['20240001', 3],
        ['20250001', 2],
        ['20260001', 1],
      ]);
      const admin = await t.db('staff').where({ login_id: 'admin' }).first('password_hash');
      expect(await verify(admin.password_hash, 'password123')).toBe(true);
      expect(await verify(students[0].password_hash, 'password123')).toBe(true);
      expect(await verify(students[0].password_hash, 'wrong-password')).toBe(false);
    });

    it('puts 자료구조 (CSE2010) in the current term with meetings', async () => {
      const rows = await t.db('lecture as l')
        .join('section as s', 's.lecture_id', 'l.id')
        .join('term as t', 't.id', 's.term_id')
        .join('section_meeting as m', 'm.section_id', 's.id')
        .where({ 'l.code': 'CSE2010', 't.code': '2026-1' })
        .select('l.title', 'l.title_en', 'l.category', 'm.day', 't.is_current');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]).toMatchObject({ title: '자료구조', title_en: 'Data Structures', category: 'MAJOR_REQUIRED' });
      expect(Boolean(rows[0].is_current)).toBe(true);
    });

    it('never double-books a professor or a room (checked in SQL)', async () => {
      expect(await clashes(t.db, 'professor_id')).toBe(0);
      expect(await clashes(t.db, 'room')).toBe(0);
    });

    it('opens the CART and REGISTRATION windows at `now` for every grade, closing 30 days later', async () => {
      const windows = await t.db('enrollment_window').orderBy('id').select('phase', 'grade_mask', 'opens_at', 'closes_at');
      expect(windows.map((w: Record<string, unknown>) => [w.phase, Number(w.grade_mask), toIso(w.opens_at), toIso(w.closes_at)])).toEqual([
        ['CART', 15, '2026-01-20T03:00:00.000Z', '2026-02-19T03:00:00.000Z'],
        ['REGISTRATION', 15, '2026-01-20T03:00:00.000Z', '2026-02-19T03:00:00.000Z'],
      ]);
    });

    it('writes the timestamps it was given', async () => {
      const s = await t.db('section').orderBy('id').first('created_at', 'updated_at');
      expect(toIso(s.created_at)).toBe(now.toISOString());
      expect(toIso(s.updated_at)).toBe(now.toISOString());
    });

    it('when a term already exists, does nothing and writes nothing', async () => {
      const before = await rowCounts(t.db);
      const again = await seedDemo(t.db, { now: new Date(), passwordHash, size: { seed: 99, students: 50 } });
      expect(again).toEqual({ seeded: false });
      expect(await rowCounts(t.db)).toEqual(before);
    });
  });

  describe('loadUniversity', () => {
    it('after clearUniversity, loads a university of another size; counts follow the options', async () => {
      await clearUniversity(t.db);
      expect(Object.values(await rowCounts(t.db)).every((n) => n === 0)).toBe(true);
      const u = generateUniversity({ seed: 5, majors: 20, professors: 80, lectures: 260, sections: 400, students: 1200, staff: 2, carts: { min: 6, max: 8 } });
      const counts = await loadUniversity(t.db, u, { passwordHash, now });
      const rows = await rowCounts(t.db);
      expect(rows).toMatchObject({ major: 20, professor: 80, lecture: 260, section: 400, section_seat: 400, student: 1200, staff: 2 });
      expect(rows.cart_item).toBe(counts.cartItems);
      expect(rows.cart_item).toBeGreaterThan(1200 * 5);
      expect(await clashes(t.db, 'professor_id')).toBe(0);
    });

    it('leaves auto-increment ids after the loaded ones, so services can insert more rows', async () => {
      const [id] = await t.db('professor').insert({ name: '신규교수', name_en: 'New Professor', major_id: 1 });
      const max = await t.db('professor').max({ m: 'id' }).first();
      expect(Number(max!.m)).toBe(81);
      expect(Number(id)).toBe(81);
    });
  });

  it('exports the four services\' migration sets in dependency order', () => {
    expect(ALL_MIGRATIONS.map((m) => m.service)).toEqual(['auth', 'lectures', 'carts', 'enrollment']);
  });
});
