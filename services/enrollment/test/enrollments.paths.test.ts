/**
 * The enroll transaction's two renderings agree (docs/decisions/0011-enroll-sql-text-path.md).
 *
 * On MariaDB a student's enroll in a section without unreleased reservations runs as SQL text in
 * two round trips (`enrollSqlText` in enrollments.service.ts, over a pool opened with `multipleStatements`, as the
 * service opens its own); without `multipleStatements` the same enroll runs in knex's
 * transaction. Two fresh databases, arranged alike, get the same sequence of enrolls, one through
 * each path: every answer (status, problem code and body, replay header) and every row written
 * (enrollments, seats, events, stored answers, waitlist entries) must be the same. The sequence
 * reaches every enroll refusal (`ENROLL_RULES`) and the cases where two rules refuse at once, so
 * a rule checked in another order on one path shows here.
 */
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Knex } from '@goorm/common';
import { createTestAuth, createTestDb, migrateAll, testEngines, type TestAuth, type TestDb } from '@goorm/common/testing';
import { ENROLL_RULES } from '../src/enrollments/enrollments.rules.ts';
import { ALL_MIGRATIONS, as, buildApp, expectNoBreach, openStandardWindows, T0, type Slot } from './enroll.fixtures.ts';

const engines = await testEngines();

/** One world, arranged the same in each database (fixed codes and numbers, so ids and bodies match). */
async function arrange(db: Knex) {
  const id = async (table: string, row: Record<string, unknown>) => Number((await db(table).insert(row))[0]);
  const [termId] = await db('term').insert({ code: 'P1', name: 'paths', starts_on: '2026-03-02', ends_on: '2026-06-20', is_current: true });
  await openStandardWindows(db, Number(termId));
  const majorA = await id('major', { code: 'PA', name: '전공A', name_en: 'Major A', college: '공과대학' });
  const majorB = await id('major', { code: 'PB', name: '전공B', name_en: 'Major B', college: '공과대학' });
  const professorId = await id('professor', { name: '교수', name_en: 'Prof', major_id: majorA });
  let no = 0;
  const lecture = (credits = 3) => id('lecture', { code: `PL${++no}`, title: `강의 ${no}`, credits, category: 'MAJOR_ELECTIVE', major_id: majorA });
  const section = async (o: { lectureId?: number; credits?: number; capacity?: number; meetings: Slot[]; gradeMask?: number; majors?: number[] }) => {
    const lectureId = o.lectureId ?? (await lecture(o.credits));
    const sectionId = await id('section', {
      term_id: termId,
      lecture_id: lectureId,
      section_no: ++no,
      professor_id: professorId,
      capacity: o.capacity ?? 30,
      room: `R${no}`,
      grade_mask: o.gradeMask ?? 15,
      created_at: T0,
      updated_at: T0,
    });
    await db('section_meeting').insert(o.meetings.map(([day, s, e]) => ({ section_id: sectionId, day, start_period: s, end_period: e })));
    if (o.majors) await db('section_major').insert(o.majors.map((m) => ({ section_id: sectionId, major_id: m })));
    return { id: sectionId, lectureId };
  };
  const student = (grade: number, maxCredits = 18) =>
    id('student', { student_no: `P${++no}`, name: `학생${no}`, major_id: majorA, grade, max_credits: maxCredits, password_hash: 'x', created_at: T0, updated_at: T0 });

  const open = await section({ meetings: [['MON', 1, 2]] });
  const s = {
    open,
    sibling: await section({ lectureId: open.lectureId, meetings: [['TUE', 1, 1]] }),
    siblingClash: await section({ lectureId: open.lectureId, meetings: [['MON', 1, 1]] }),
    clash: await section({ meetings: [['MON', 2, 3]] }),
    otherMajors: await section({ meetings: [['WED', 1, 1]], majors: [majorB] }),
    grade4: await section({ meetings: [['WED', 2, 2]], gradeMask: 0b1000 }),
    tiny: await section({ capacity: 1, meetings: [['THU', 1, 1]] }),
    tinyClash: await section({ capacity: 1, meetings: [['MON', 1, 1]] }),
    otherMajorsClash: await section({ meetings: [['MON', 2, 2]], majors: [majorB] }),
    tinyHeavy: await section({ capacity: 1, credits: 4, meetings: [['FRI', 1, 1]] }),
    heavy: await section({ credits: 4, meetings: [['FRI', 2, 2]] }),
    light: await section({ meetings: [['FRI', 3, 3]] }),
    keyed: await section({ meetings: [['SAT', 1, 1]] }),
    waited: await section({ meetings: [['SAT', 2, 2]] }),
  };
  const st = { one: await student(2), two: await student(2), four: await student(4), six: await student(2, 6) };
  // `one` waits for a section of `waited`'s lecture: taking it leaves that list (same transaction).
  await db('waitlist_entry').insert({ section_id: s.waited.id, student_id: st.one, lecture_id: s.waited.lectureId, term_id: termId, sort_key: 1, joined_at: T0 });
  return { s, st };
}

type World = Awaited<ReturnType<typeof arrange>>;

/** The same enrolls in the same order: who, which section, and an Idempotency-Key if any. */
function script(w: World): [studentId: number, sectionId: number, key?: string][] {
  const { s, st } = w;
  return [
    [st.one, s.open.id], // 201
    [st.one, s.open.id], // ALREADY_ENROLLED (the same section)
    [st.one, s.sibling.id], // ALREADY_ENROLLED (the same lecture)
    [st.one, s.clash.id], // TIME_CONFLICT
    [st.one, s.otherMajors.id], // NOT_ELIGIBLE (MAJOR_RESTRICTED)
    [st.one, s.grade4.id], // NOT_ELIGIBLE (GRADE_RESTRICTED)
    [st.two, s.tiny.id], // 201, the last seat
    [st.one, s.tiny.id], // SECTION_FULL
    [st.four, s.open.id], // WINDOW_CLOSED (grade 4 registers later)
    [st.four, s.otherMajors.id], // WINDOW_CLOSED before NOT_ELIGIBLE
    [st.two, s.tinyClash.id], // 201, the last seat
    [st.one, s.tinyClash.id], // TIME_CONFLICT before SECTION_FULL
    [st.one, s.otherMajorsClash.id], // NOT_ELIGIBLE before TIME_CONFLICT
    [st.one, s.siblingClash.id], // ALREADY_ENROLLED before TIME_CONFLICT
    [st.two, s.tinyHeavy.id], // 201, the last seat
    [st.six, s.light.id], // 201 (3 of 6 credits)
    [st.six, s.heavy.id], // CREDIT_LIMIT
    [st.six, s.tinyHeavy.id], // CREDIT_LIMIT before SECTION_FULL
    [st.one, s.keyed.id, 'k1'], // 201, stored
    [st.one, s.keyed.id, 'k1'], // the stored 201, replayed
    [st.one, s.light.id, 'k1'], // IDEMPOTENCY_CONFLICT
    [st.one, s.tiny.id, 'k2'], // SECTION_FULL, stored
    [st.one, s.tiny.id, 'k2'], // the stored SECTION_FULL, replayed
    [st.one, s.clash.id, 'k3'], // TIME_CONFLICT, stored
    [st.one, s.waited.id], // 201, and `one` leaves the lecture's waitlist
    [99_999, s.light.id], // 404: no such student
    [st.one, 99_999], // 404: no such section (decided before the transaction)
  ];
}

/** Everything a decision may write, in a comparable order (ids left out: a rolled-back insert may use one). */
async function written(db: Knex) {
  const [enrollment, seats, events, answers, waiting] = await Promise.all([
    db('enrollment').orderBy(['student_id', 'section_id']).select('student_id', 'section_id', 'lecture_id', 'term_id', 'reservation_id', 'over_capacity', 'created_at'),
    db('section_seat').orderBy('section_id').select('section_id', 'enrolled'),
    db('enrollment_event').orderBy('id').select('student_id', 'section_id', 'action', 'outcome', 'actor_staff_id', 'created_at'),
    db('idempotency_record').orderBy('idem_key').select('idem_key', 'request_hash', 'status', 'body', 'created_at'),
    db('waitlist_entry').orderBy('id').select('section_id', 'student_id', 'lecture_id'),
  ]);
  return { enrollment, seats, events, answers, waiting };
}

describe.skipIf(!engines.includes('mysql'))('the enroll paths on MariaDB: SQL text and knex agree', () => {
  let auth: TestAuth;
  const dbs: TestDb[] = [];
  const pools: Knex[] = [];

  beforeAll(async () => {
    auth = await createTestAuth();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.destroy()));
    await Promise.all(dbs.map((d) => d.destroy()));
  });

  /** A fresh database, arranged; the enrolls sent through the path `multipleStatements` picks. */
  async function runPath(multipleStatements: boolean) {
    const t = await createTestDb('mysql', { multipleStatements: true });
    dbs.push(t);
    await migrateAll(t.db, ALL_MIGRATIONS);
    const world = await arrange(t.db);
    const db = multipleStatements ? t.db : createDb(t.url);
    if (!multipleStatements) pools.push(db);
    const app: Express = buildApp(db, auth);
    let sqlText = 0;
    const onQuery = (q: { sql: string }) => {
      if (/^set @took/i.test(q.sql)) sqlText++;
    };
    db.on('query', onQuery);
    const answers = [];
    for (const [studentId, sectionId, key] of script(world)) {
      const res = await as(app, auth, { id: studentId }).enroll(sectionId, key ? { 'Idempotency-Key': key } : {});
      const { instance: _i, requestId: _r, ...body } = res.body as Record<string, unknown>;
      answers.push({ status: res.status, body, replayed: res.headers['idempotent-replayed'] });
    }
    db.removeListener('query', onQuery);
    await expectNoBreach(t.db);
    return { answers, rows: await written(t.db), sqlText };
  }

  it('the same enrolls answer the same and write the same rows through either path', async () => {
    const sqlText = await runPath(true);
    const knex = await runPath(false);
    // each path really ran: only the SQL text sets @took
    expect(sqlText.sqlText).toBeGreaterThan(0);
    expect(knex.sqlText).toBe(0);
    // the two paths agree, answer by answer and row by row
    expect(knex.answers).toEqual(sqlText.answers);
    expect(knex.rows).toEqual(sqlText.rows);
    // and what they agree on is the rules, in their order
    const codes = sqlText.answers.map((a) => (a.status >= 400 ? `${a.status} ${String(a.body.code)}` : String(a.status)));
    expect(codes).toEqual([
      '201',
      '409 ALREADY_ENROLLED',
      '409 ALREADY_ENROLLED',
      '409 TIME_CONFLICT',
      '403 NOT_ELIGIBLE',
      '403 NOT_ELIGIBLE',
      '201',
      '409 SECTION_FULL',
      '403 WINDOW_CLOSED',
      '403 WINDOW_CLOSED',
      '201',
      '409 TIME_CONFLICT',
      '403 NOT_ELIGIBLE',
      '409 ALREADY_ENROLLED',
      '201',
      '201',
      '409 CREDIT_LIMIT',
      '409 CREDIT_LIMIT',
      '201',
      '201',
      '409 IDEMPOTENCY_CONFLICT',
      '409 SECTION_FULL',
      '409 SECTION_FULL',
      '409 TIME_CONFLICT',
      '201',
      '404 NOT_FOUND',
      '404 NOT_FOUND',
    ]);
    // every enroll rule refused at least once
    for (const { code } of ENROLL_RULES) expect(codes.some((c) => c.endsWith(` ${code}`))).toBe(true);
    expect(sqlText.rows.waiting).toEqual([]);
    expect(sqlText.rows.answers.length).toBe(3);
  });
});
