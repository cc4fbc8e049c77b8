import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '@goorm/common';
import { createTestAuth, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import {
  as,
  at,
  buildApp,
  expectNoBreach,
  footprint,
  HOUR,
  makeDb,
  makeMajor,
  makeReservation,
  makeSection,
  makeStudents,
  makeTerm,
  openStandardWindows,
  rowsOf,
  seatOf,
  T0,
  tally,
  testClock,
} from './enroll.fixtures.ts';

const engines = await testEngines();

async function usedOf(db: Knex, reservationId: number) {
  const row = await db('reservation_seat').where('reservation_id', reservationId).first<{ used: number } | undefined>('used');
  return row === undefined ? undefined : Number(row.used);
}

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

  describe('reserved seats', () => {
    it('before release, others get only the open part; the owning major gets the reserved seats; after release, anyone', async () => {
      clock.set(T0);
      const cse = await makeMajor(db);
      const s = await makeSection(db, { termId, capacity: 4 });
      const r = await makeReservation(db, { sectionId: s.id, majorId: cse, seats: 2, releaseAt: at(HOUR) });
      const outsiders = await makeStudents(db, 3);
      const insiders = await makeStudents(db, 2, { majorId: cse });

      expect((await as(app, auth, outsiders[0]!).enroll(s.id)).status).toBe(201);
      expect((await as(app, auth, outsiders[1]!).enroll(s.id)).status).toBe(201);
      const before = await footprint(db);
      const refused = await as(app, auth, outsiders[2]!).enroll(s.id);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'SECTION_FULL', detail: expect.stringContaining('reserved') });
      expect(await footprint(db)).toEqual(before);

      expect((await as(app, auth, insiders[0]!).enroll(s.id)).status).toBe(201);
      expect(await usedOf(db, r)).toBe(1);
      expect(await rowsOf(db, { studentId: insiders[0]!.id })).toEqual([expect.objectContaining({ reservationId: r })]);
      expect(await rowsOf(db, { studentId: outsiders[0]!.id })).toEqual([expect.objectContaining({ reservationId: null })]);

      clock.set(at(2 * HOUR)); // released: the last (reserved, unused) seat is open to all
      expect((await as(app, auth, outsiders[2]!).enroll(s.id)).status).toBe(201);
      expect((await as(app, auth, insiders[1]!).enroll(s.id)).body.code).toBe('SECTION_FULL');
      clock.set(T0);
      expect(await seatOf(db, s.id)).toBe(4);
      await expectNoBreach(db);
    });

    it('a grade reservation holds seats for those grades; a match whose bucket is full competes for the open part', async () => {
      const s = await makeSection(db, { termId, capacity: 3 });
      const r = await makeReservation(db, { sectionId: s.id, gradeMask: 0b0001, seats: 1, releaseAt: at(HOUR) }); // grade 1
      const [fresh1, fresh2] = await makeStudents(db, 2, { grade: 1 });
      const [second1, second2] = await makeStudents(db, 2, { grade: 2 });
      expect((await as(app, auth, fresh1!).enroll(s.id)).status).toBe(201); // reserved seat
      expect(await usedOf(db, r)).toBe(1);
      expect((await as(app, auth, fresh2!).enroll(s.id)).status).toBe(201); // bucket full: open seat
      expect((await as(app, auth, second1!).enroll(s.id)).status).toBe(201); // last open seat
      expect((await as(app, auth, second2!).enroll(s.id)).body.code).toBe('SECTION_FULL');
      expect(await usedOf(db, r)).toBe(1);
      await expectNoBreach(db);
    });

    it('dropping a reserved seat gives it back to the reservation, not to everyone', async () => {
      const cse = await makeMajor(db);
      const s = await makeSection(db, { termId, capacity: 2 });
      const r = await makeReservation(db, { sectionId: s.id, majorId: cse, seats: 1, releaseAt: at(HOUR) });
      const [insider] = await makeStudents(db, 1, { majorId: cse });
      const [out1, out2] = await makeStudents(db, 2);
      await as(app, auth, insider!).enroll(s.id);
      await as(app, auth, out1!).enroll(s.id);
      expect((await as(app, auth, insider!).drop(s.id)).status).toBe(200);
      expect(await usedOf(db, r)).toBe(0);
      expect(await seatOf(db, s.id)).toBe(1);
      expect((await as(app, auth, out2!).enroll(s.id)).body.code).toBe('SECTION_FULL');
      await expectNoBreach(db);
    });

    it('under a parallel rush, outsiders never take reserved seats and insiders get them (both app instances)', async () => {
      const cse = await makeMajor(db);
      const s = await makeSection(db, { termId, capacity: 10 });
      const r = await makeReservation(db, { sectionId: s.id, majorId: cse, seats: 4, releaseAt: at(HOUR) });
      const outsiders = await makeStudents(db, 20);
      const insiders = await makeStudents(db, 8, { majorId: cse });
      const other = buildApp(t.connect(), auth, { clock: clock.now, catalogTtlMs: 60_000 });
      const apps = [buildApp(db, auth, { clock: clock.now, catalogTtlMs: 60_000 }), other];
      const everyone = [...outsiders.map((x) => ['out', x] as const), ...insiders.map((x) => ['in', x] as const)];
      const results = await Promise.all(everyone.map(([kind, st], i) => as(apps[i % 2]!, auth, st).enroll(s.id).then((res) => ({ kind, res }))));
      const won = (kind: string) => results.filter((x) => x.kind === kind && x.res.status === 201).length;
      expect(tally(results.map((x) => x.res))).toEqual({ '201': 10, '409 SECTION_FULL': 18 });
      expect(won('out')).toBeLessThanOrEqual(6);
      expect(won('in')).toBeGreaterThanOrEqual(4);
      expect(await usedOf(db, r)).toBe(4);
      expect(await seatOf(db, s.id)).toBe(10);
      await expectNoBreach(db);
    });
  });
});
