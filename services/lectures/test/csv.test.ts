import { testEngines } from '@goorm/common/testing';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogCounts, startHarness, type Harness } from './harness.ts';

const engines = await testEngines();

type Row = Record<string, string>;
const readCsv = (text: string): Row[] => parse(text, { bom: true, columns: true }) as Row[];
const writeCsv = (rows: Row[]) => stringify(rows, { header: true, columns: Object.keys(rows[0]!) });

describe.each(engines)('%s', (engine) => {
  let h: Harness;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    h = await startHarness(engine);
    const c = h.catalog;
    ids.term = await c.term('2026-1', true);
    ids.next = await c.term('2026-2');
    ids.cse = await c.major('CSE', '컴퓨터공학과');
    ids.mat = await c.major('MAT', '수학과');
    ids.kim = await c.professor('김철수', 'Kim Chulsoo', ids.cse);
    ids.lee = await c.professor('이영희', 'Lee Younghee', ids.mat);
    ids.ds = await c.lecture('CSE2010', '자료구조', 'Data Structures', ids.cse);
    ids.calc = await c.lecture('MAT1010', '미적분학', 'Calculus', ids.mat);
    ids.s1 = await c.section({
      termId: ids.term,
      lectureId: ids.ds,
      professorId: ids.kim,
      sectionNo: 1,
      capacity: 40,
      room: '공학관 301',
      grades: [2, 3],
      allowedMajorIds: [ids.cse, ids.mat],
      meetings: [['WED', 3, 3], ['MON', 1, 2]],
      reserved: [{ majorId: ids.cse, grades: [2, 3], seats: 10, releaseAt: new Date('2026-02-20T00:00:00.000Z') }],
    });
    ids.s2 = await c.section({ termId: ids.term, lectureId: ids.calc, professorId: ids.lee, sectionNo: 1, capacity: 60, room: '자연관 101', meetings: [['FRI', 1, 3]] });
    await c.enroll(ids.s2, 7);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  const exportCsv = (query = '') => request(h.app).get(`/api/lectures/sections/export.csv${query}`).set('Authorization', h.staff).buffer(true);
  const importCsv = (text: string) =>
    request(h.app).post('/api/lectures/sections/import').set('Authorization', h.staff).set('Content-Type', 'text/csv').send(text);

  describe('GET /api/lectures/sections/export.csv', () => {
    it('answers the current term as CSV with a header row, lists joined by ";" and meetings like "MON 1-2; WED 3-3"', async () => {
      const res = await exportCsv();
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/attachment/);
      expect(res.text.charCodeAt(0)).toBe(0xfeff);
      const [header] = res.text.slice(1).split('\n');
      expect(header).toBe('id,termId,lectureId,sectionNo,professorId,capacity,room,grades,allowedMajorIds,meetings,reserved,lectureCode,lectureTitle,professorName,enrolled');
      expect(readCsv(res.text)).toEqual([
        {
          id: String(ids.s1),
          termId: String(ids.term),
          lectureId: String(ids.ds),
          sectionNo: '1',
          professorId: String(ids.kim),
          capacity: '40',
          room: '공학관 301',
          grades: '2;3',
          allowedMajorIds: `${ids.cse};${ids.mat}`,
          meetings: 'MON 1-2; WED 3-3',
          reserved: expect.stringMatching(new RegExp(`^id=\\d+ majorId=${ids.cse} grades=2,3 seats=10 releaseAt=2026-02-20T00:00:00\\.000Z$`)),
          lectureCode: 'CSE2010',
          lectureTitle: '자료구조',
          professorName: '김철수',
          enrolled: '0',
        },
        expect.objectContaining({ id: String(ids.s2), meetings: 'FRI 1-3', grades: '1;2;3;4', allowedMajorIds: '', reserved: '', enrolled: '7' }),
      ]);
    });

    it('with termId, answers that term (here: only the header)', async () => {
      const res = await exportCsv(`?termId=${ids.next}`);
      expect(res.status).toBe(200);
      expect(readCsv(res.text)).toEqual([]);
    });
  });

  describe('POST /api/lectures/sections/import', () => {
    it('re-importing an export updates every section to what it was: same rows, same export', async () => {
      const exported = (await exportCsv()).text;
      const before = await catalogCounts(h.db);
      const res = await importCsv(exported);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 0, updated: 2 });
      expect(await catalogCounts(h.db)).toEqual(before);
      expect((await exportCsv()).text).toBe(exported);
    });

    it('creates rows without an id and replaces rows with one, in one go', async () => {
      const rows = readCsv((await exportCsv()).text);
      rows[0]!.capacity = '45';
      rows[0]!.meetings = 'tue 5-6';
      const copy = { ...rows[1]!, id: '', termId: String(ids.next), room: '자연관 102', meetings: 'MON 1-2; THU 1-2', grades: '1', reserved: 'majorId=* grades=1 seats=5 releaseAt=2026-08-20T00:00:00Z' };
      const res = await importCsv(writeCsv([...rows, copy]));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 1, updated: 2 });

      expect((await h.db('section').where('id', ids.s1).first()).capacity).toBe(45);
      expect(await h.db('section_meeting').where('section_id', ids.s1).select('day', 'start_period', 'end_period')).toEqual([{ day: 'TUE', start_period: 5, end_period: 6 }]);
      const created = (await h.db('section').where('term_id', ids.next).first()) as { id: number; lecture_id: number; grade_mask: number; capacity: number };
      expect(created).toMatchObject({ lecture_id: ids.calc, grade_mask: 1, capacity: 60 });
      const section = await request(h.app).get(`/api/lectures/sections/${created.id}`).set('Authorization', h.staff);
      expect(section.body).toMatchObject({
        meetings: [
          { day: 'MON', startPeriod: 1, endPeriod: 2 },
          { day: 'THU', startPeriod: 1, endPeriod: 2 },
        ],
        reserved: [{ majorId: null, grades: [1], seats: 5, releaseAt: '2026-08-20T00:00:00.000Z' }],
        enrolled: 0,
      });
    });

    it('when a row has a bad capacity, answers 400 naming "row 3.capacity" and writes none of the rows', async () => {
      const rows = readCsv((await exportCsv()).text);
      rows[0]!.room = '바뀌면 안 됨';
      rows[1]!.capacity = '0';
      const before = await catalogCounts(h.db);
      const roomBefore = (await h.db('section').where('id', rows[0]!.id).first()).room;
      const res = await importCsv(writeCsv(rows));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'row 3.capacity', message: expect.any(String) }]);
      expect(await catalogCounts(h.db)).toEqual(before);
      expect((await h.db('section').where('id', rows[0]!.id).first()).room).toBe(roomBefore);
    });

    it('names every bad cell of every row, and the rules of the API too (schedule clash, capacity, unknown id)', async () => {
      const rows = readCsv((await exportCsv()).text);
      const [first, second] = rows as [Row, Row];
      const bad: Row[] = [
        { ...first, meetings: 'MON1-2' },
        { ...second, capacity: '6' },
        { ...second, id: '999999' },
        { ...second, id: '', sectionNo: '9', room: '다른방', meetings: first.meetings!, professorId: first.professorId! },
        { ...second, id: '', sectionNo: '8', termId: 'x', grades: '1;7', reserved: 'seats=5 colour=red' },
      ];
      const before = await catalogCounts(h.db);
      const res = await importCsv(writeCsv(bad));
      expect(res.status).toBe(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
      // Row 6 has a cell that cannot be read at all, so its other cells are not judged yet.
      expect(fields).toEqual(['row 2.meetings.0', 'row 3.capacity', 'row 4.id', 'row 5.meetings', 'row 6.reserved.0']);
      expect(res.body.errors.find((e: { field: string }) => e.field === 'row 3.capacity').message).toMatch(/7/);
      expect(await catalogCounts(h.db)).toEqual(before);
    });

    it('names schema problems of a row by column', async () => {
      const rows = readCsv((await exportCsv()).text);
      const res = await importCsv(writeCsv([{ ...rows[1]!, id: '', sectionNo: '8', termId: 'x', grades: '1;7' }]));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['row 2.grades.1', 'row 2.termId']);
    });

    it('when a required column is missing, answers 400 naming it', async () => {
      const res = await importCsv('id,termId,lectureId\n1,2,3\n');
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('row 1.capacity');
    });

    it('with ?dryRun=true and one bad row, previews every row (that row with its error) and writes nothing; fixed, the commit creates all rows', async () => {
      const rows = readCsv((await exportCsv()).text);
      const base = rows[1]!;
      const fresh = (n: number, extra: Partial<Row> = {}): Row => ({ ...base, id: '', termId: String(ids.next), sectionNo: String(20 + n), room: `미리보기 ${n}`, meetings: `TUE ${n}-${n}`, reserved: '', ...extra });
      const file = [fresh(1), fresh(2, { capacity: '0', meetings: 'TUE 9-2' }), fresh(3), { ...rows[0]!, capacity: '41' }];
      const before = await catalogCounts(h.db);
      const capacityBefore = (await h.db('section').where('id', ids.s1).first()).capacity;

      const preview = await request(h.app)
        .post('/api/lectures/sections/import')
        .query({ dryRun: 'true' })
        .set('Authorization', h.staff)
        .set('Content-Type', 'text/csv')
        .send(writeCsv(file));
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ dryRun: true, valid: false, created: 3, updated: 1, errors: [] });
      expect(preview.body.rows.map((r: { row: number; action: string; id: number | null }) => [r.row, r.action, r.id])).toEqual([
        [2, 'create', null],
        [3, 'create', null],
        [4, 'create', null],
        [5, 'update', ids.s1],
      ]);
      const [r2, r3, r4, r5] = preview.body.rows;
      expect(r2.errors).toEqual([]);
      expect(r2.section).toMatchObject({ termId: ids.next, lectureId: ids.calc, sectionNo: 21, room: '미리보기 1', meetings: [{ day: 'TUE', startPeriod: 1, endPeriod: 1 }], grades: [1, 2, 3, 4] });
      // every error of the bad row, not only the first
      expect(r3.errors.map((e: { field: string }) => e.field).sort()).toEqual(['row 3.capacity', 'row 3.meetings.0.endPeriod']);
      expect(r3.section).toBeNull();
      expect(r4.errors).toEqual([]);
      expect(r5).toMatchObject({ errors: [], section: { capacity: 41 } });
      expect(await catalogCounts(h.db)).toEqual(before);
      expect((await h.db('section').where('id', ids.s1).first()).capacity).toBe(capacityBefore);

      // the real import of the same file refuses it all or nothing
      const refused = await importCsv(writeCsv(file));
      expect(refused.status).toBe(400);
      expect(await catalogCounts(h.db)).toEqual(before);

      file[1] = fresh(2);
      const fixed = await request(h.app).post('/api/lectures/sections/import?dryRun=true').set('Authorization', h.staff).set('Content-Type', 'text/csv').send(writeCsv(file));
      expect(fixed.body).toMatchObject({ dryRun: true, valid: true, created: 3, updated: 1, errors: [] });
      expect(await catalogCounts(h.db)).toEqual(before);

      const committed = await importCsv(writeCsv(file));
      expect(committed.status).toBe(200);
      expect(committed.body).toEqual({ created: 3, updated: 1 });
      expect(await h.db('section').where('term_id', ids.next).whereIn('section_no', [21, 22, 23]).count({ n: '*' })).toEqual([{ n: 3 }]);
      expect((await h.db('section').where('id', ids.s1).first()).capacity).toBe(41);
    });

    it('the preview judges rows against each other as the import does (a room clash between two new rows) and reports file-level problems apart', async () => {
      const rows = readCsv((await exportCsv()).text);
      const base = { ...rows[1]!, id: '', termId: String(ids.next), reserved: '', room: '충돌방', meetings: 'SAT 1-2' };
      const before = await catalogCounts(h.db);
      const res = await request(h.app)
        .post('/api/lectures/sections/import?dryRun=1')
        .set('Authorization', h.staff)
        .set('Content-Type', 'text/csv')
        .send(writeCsv([{ ...base, sectionNo: '31' }, { ...base, sectionNo: '32' }]));
      expect(res.status).toBe(200);
      expect(res.body.valid).toBe(false);
      expect(res.body.rows[0].errors).toEqual([]);
      expect(res.body.rows[1].errors.length).toBeGreaterThan(0);
      expect(res.body.rows[1].errors[0].field).toMatch(/^row 3\b/);
      expect(await catalogCounts(h.db)).toEqual(before);

      const missing = await request(h.app).post('/api/lectures/sections/import?dryRun=true').set('Authorization', h.staff).set('Content-Type', 'text/csv').send('id,termId,lectureId\n1,2,3\n');
      expect(missing.status).toBe(200);
      expect(missing.body).toMatchObject({ dryRun: true, valid: false, rows: [] });
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('row 1.capacity');
    });

    it('refuses a bad dryRun value with 400 VALIDATION_FAILED and a student token with 403, writing nothing', async () => {
      const text = (await exportCsv()).text;
      const before = await catalogCounts(h.db);
      const bad = await request(h.app).post('/api/lectures/sections/import?dryRun=maybe').set('Authorization', h.staff).set('Content-Type', 'text/csv').send(text);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.errors[0].field).toBe('query.dryRun');
      const student = await request(h.app).post('/api/lectures/sections/import?dryRun=true').set('Authorization', h.student).set('Content-Type', 'text/csv').send(text);
      expect(student.status).toBe(403);
      expect(await catalogCounts(h.db)).toEqual(before);
    });

    it('when the body is not text/csv, answers 415 and writes nothing', async () => {
      const res = await request(h.app).post('/api/lectures/sections/import').set('Authorization', h.staff).send({ rows: [] });
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  });
  describe('cells a spreadsheet would run as a formula', () => {
    it('are written with a leading apostrophe, and the import reads them back as they were', async () => {
      const room = '=HYPERLINK("e.x")';
      const id = await h.catalog.section({ termId: ids.next!, lectureId: ids.calc!, professorId: ids.lee!, sectionNo: 9, capacity: 5, room, meetings: [['SAT', 5, 5]] });
      const exported = (await exportCsv(`?termId=${ids.next}`)).text;
      const rows = readCsv(exported);
      const row = rows.find((r) => r.id === String(id));
      expect(row!.room).toBe(`'${room}`);
      for (const r of rows) for (const [k, v] of Object.entries(r)) expect(/^[=+\-@\t\r]/.test(v), k).toBe(false);
      const res = await importCsv(exported);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 0, updated: rows.length });
      const stored = await h.db('section').where('id', id).first<{ room: string }>('room');
      expect(stored.room).toBe(room);
      expect((await exportCsv(`?termId=${ids.next}`)).text).toBe(exported);
    });
  });
});
