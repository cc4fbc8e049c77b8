import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '@goorm/common';
import { createTestAuth, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import {
  as,
  buildApp,
  expectNoBreach,
  makeDb,
  makeLecture,
  makeSection,
  makeStudent,
  makeStudents,
  makeTerm,
  openStandardWindows,
  rowsOf,
  seatOf,
  tally,
} from './enroll.fixtures.ts';

/**
 * Many clients in parallel through the HTTP app, on two app instances with their own pools (two
 * "processes" contending for the same database), then the invariant checker.
 */
const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let t: TestDb;
  let db: Knex;
  let auth: TestAuth;
  let termId: number;
  let second: Knex;

  /** Fresh apps (cold catalog caches, as after a deploy) on the two pools. */
  const apps = (): [Express, Express] => [
    buildApp(db, auth, { catalogTtlMs: 60_000 }),
    buildApp(second, auth, { catalogTtlMs: 60_000 }),
  ];

  beforeAll(async () => {
    t = await makeDb(engine);
    db = t.db;
    second = t.connect();
    auth = await createTestAuth();
    termId = await makeTerm(db);
    await openStandardWindows(db, termId);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('N students race for a section of capacity k: exactly k enrolled, the rest SECTION_FULL', async () => {
    const k = 7;
    const s = await makeSection(db, { termId, capacity: k });
    const students = await makeStudents(db, 60);
    const pair = apps();
    const results = await Promise.all(students.map((st, i) => as(pair[i % 2]!, auth, st).enroll(s.id)));
    expect(tally(results)).toEqual({ '201': k, '409 SECTION_FULL': 60 - k });
    expect(await seatOf(db, s.id)).toBe(k);
    const rows = await rowsOf(db, { sectionId: s.id });
    expect(rows).toHaveLength(k);
    const winners = results.filter((r) => r.status === 201).map((r) => r.body.studentId as number);
    expect(rows.map((r) => r.studentId).sort()).toEqual(winners.sort());
    await expectNoBreach(db);
  });

  it('one student fires parallel requests for overlapping sections: at most one succeeds', async () => {
    const sections = [];
    for (let i = 0; i < 10; i++) sections.push(await makeSection(db, { termId, meetings: [['THU', 3 + (i % 2), 4 + (i % 2)]] }));
    const st = await makeStudent(db);
    const pair = apps();
    const results = await Promise.all(sections.map((s, i) => as(pair[i % 2]!, auth, st).enroll(s.id)));
    expect(tally(results)).toEqual({ '201': 1, '409 TIME_CONFLICT': 9 });
    expect(await rowsOf(db, { studentId: st.id })).toHaveLength(1);
    await expectNoBreach(db);
  });

  it('one student fires parallel requests for sections of one lecture: one succeeds, the rest ALREADY_ENROLLED', async () => {
    const lectureId = await makeLecture(db);
    const sections = [];
    for (let i = 0; i < 8; i++) sections.push(await makeSection(db, { termId, lectureId }));
    const st = await makeStudent(db);
    const pair = apps();
    const results = await Promise.all(sections.map((s, i) => as(pair[i % 2]!, auth, st).enroll(s.id)));
    expect(tally(results)).toEqual({ '201': 1, '409 ALREADY_ENROLLED': 7 });
    await expectNoBreach(db);
  });

  it('parallel adds that together exceed the credit maximum: the maximum is never exceeded', async () => {
    const st = await makeStudent(db, { maxCredits: 10 });
    const sections = [];
    for (let i = 0; i < 8; i++) sections.push(await makeSection(db, { termId, credits: 3 }));
    const pair = apps();
    const results = await Promise.all(sections.map((s, i) => as(pair[i % 2]!, auth, st).enroll(s.id)));
    expect(tally(results)).toEqual({ '201': 3, '409 CREDIT_LIMIT': 5 });
    expect(await rowsOf(db, { studentId: st.id })).toHaveLength(3);
    await expectNoBreach(db);
  });

  it('concurrent drops and enrolls: counters equal rows and never exceed capacity', async () => {
    const cap = 12;
    const s = await makeSection(db, { termId, capacity: cap });
    const holders = await makeStudents(db, cap);
    const setup = apps()[0];
    for (const h of holders) expect((await as(setup, auth, h).enroll(s.id)).status).toBe(201);
    const newcomers = await makeStudents(db, 30);
    const pair = apps();
    const dropping = holders.slice(0, 8);
    const calls = [
      ...dropping.map((h, i) => () => as(pair[i % 2]!, auth, h).drop(s.id)),
      ...newcomers.map((n, i) => () => as(pair[(i + 1) % 2]!, auth, n).enroll(s.id)),
    ];
    // interleave drops among the enrolls
    const order = calls.map((c, i) => ({ c, k: (i * 7919) % calls.length })).sort((a, b) => a.k - b.k);
    const results = await Promise.all(order.map(({ c }) => c()));
    const drops = results.filter((r) => r.status === 200).length;
    const enrolled = results.filter((r) => r.status === 201).length;
    expect(drops).toBe(8);
    expect(enrolled).toBeLessThanOrEqual(8);
    expect(results.every((r) => [200, 201].includes(r.status) || r.body.code === 'SECTION_FULL')).toBe(true);
    const rows = await rowsOf(db, { sectionId: s.id });
    expect(await seatOf(db, s.id)).toBe(rows.length);
    expect(rows.length).toBe(cap - 8 + enrolled);
    expect(rows.length).toBeLessThanOrEqual(cap);
    await expectNoBreach(db);
  });

  it('a swap racing with other students never leaves the swapper with both sections or neither', async () => {
    for (let round = 0; round < 3; round++) {
      const lectureId = await makeLecture(db);
      const from = await makeSection(db, { termId, lectureId, capacity: 5 });
      const to = await makeSection(db, { termId, lectureId, capacity: 2 });
      const swapper = await makeStudent(db);
      const setup = apps()[0];
      await as(setup, auth, swapper).enroll(from.id);
      const rivals = await makeStudents(db, 12);
      const pair = apps();
      const calls = [
        ...rivals.slice(0, 6).map((r, i) => () => as(pair[i % 2]!, auth, r).enroll(to.id)),
        () => as(pair[round % 2]!, auth, swapper).swap(from.id, to.id),
        ...rivals.slice(6).map((r, i) => () => as(pair[i % 2]!, auth, r).enroll(from.id)),
      ];
      const results = await Promise.all(calls.map((c) => c()));
      const swap = results[6]!;
      const held = (await rowsOf(db, { studentId: swapper.id })).map((r) => r.sectionId);
      if (swap.status === 200) expect(held).toEqual([to.id]);
      else {
        expect(swap.body.code).toBe('SECTION_FULL');
        expect(held).toEqual([from.id]);
      }
      expect(await seatOf(db, to.id)).toBe(2);
      await expectNoBreach(db);
    }
  });

  it('opposite swaps in parallel (A→B and B→A) both succeed without a deadlock reaching anyone', async () => {
    const lectureId = await makeLecture(db);
    const a = await makeSection(db, { termId, lectureId, capacity: 6 });
    const b = await makeSection(db, { termId, lectureId, capacity: 6 });
    const xs = await makeStudents(db, 3);
    const ys = await makeStudents(db, 3);
    const setup = apps()[0];
    for (const x of xs) await as(setup, auth, x).enroll(a.id);
    for (const y of ys) await as(setup, auth, y).enroll(b.id);
    const pair = apps();
    const results = await Promise.all([
      ...xs.map((x, i) => as(pair[i % 2]!, auth, x).swap(a.id, b.id)),
      ...ys.map((y, i) => as(pair[(i + 1) % 2]!, auth, y).swap(b.id, a.id)),
    ]);
    expect(tally(results)).toEqual({ '200': 6 });
    expect([await seatOf(db, a.id), await seatOf(db, b.id)]).toEqual([3, 3]);
    await expectNoBreach(db);
  });
});
