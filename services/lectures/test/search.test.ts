import { countQueries } from '@goorm/common';
import { testEngines } from '@goorm/common/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradesToMask } from '@goorm/contracts';
import { NOW, startHarness, type Harness } from './harness.ts';

const engines = await testEngines();

interface Item {
  id: number;
  sectionNo: number;
  lecture: { code: string };
  enrolled: number;
  cartCount: number;
  seatsLeft: number;
}
const labels = (items: Item[]) => items.map((i) => `${i.lecture.code}-${i.sectionNo}`);

describe.each(engines)('%s', (engine) => {
  let h: Harness;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    h = await startHarness(engine);
    const c = h.catalog;
    ids.current = await c.term('2026-1', true);
    ids.previous = await c.term('2025-2');
    ids.bulk = await c.term('2025-1');
    ids.cse = await c.major('CSE', '컴퓨터공학과', { nameEn: 'Computer Science and Engineering' });
    ids.mat = await c.major('MAT', '수학과', { college: '자연과학대학' });
    ids.gen = await c.major('GEN', '교양학부', { college: '교양대학', generalEducation: true });
    ids.art = await c.major('ART', '미술학과', { college: '예술대학' });
    ids.kim = await c.professor('김철수', 'Kim Chulsoo', ids.cse);
    ids.park = await c.professor('박민수', 'Park Minsu', ids.cse);
    ids.lee = await c.professor('이영희', 'Lee Younghee', ids.mat);
    ids.choi = await c.professor('최교양', 'Choi Gyoyang', ids.gen);
    ids.ds = await c.lecture('CSE2010', '자료구조', 'Data Structures', ids.cse, { category: 'MAJOR_REQUIRED' });
    ids.os = await c.lecture('CSE3020', '운영체제', 'Operating Systems', ids.cse, { category: 'MAJOR_ELECTIVE' });
    ids.calc = await c.lecture('MAT1010', '미적분학', 'Calculus', ids.mat, { category: 'MAJOR_REQUIRED', credits: 4 });
    ids.writing = await c.lecture('GEN1001', '글쓰기', 'Academic Writing', ids.gen, { category: 'GENERAL', credits: 2 });

    const t = ids.current!;
    ids.s1 = await c.section({
      termId: t,
      lectureId: ids.ds!,
      professorId: ids.kim!,
      sectionNo: 1,
      capacity: 40,
      room: '공학관 301',
      grades: [2, 3],
      allowedMajorIds: [ids.cse!],
      meetings: [['WED', 1, 2], ['MON', 1, 2]],
      reserved: [{ majorId: ids.cse!, grades: [2], seats: 10, releaseAt: new Date('2026-02-20T00:00:00.000Z') }],
    });
    ids.s2 = await c.section({ termId: t, lectureId: ids.ds!, professorId: ids.park!, sectionNo: 2, capacity: 30, meetings: [['TUE', 3, 4], ['THU', 3, 4]] });
    ids.s3 = await c.section({ termId: t, lectureId: ids.os!, professorId: ids.kim!, capacity: 50, grades: [3, 4], meetings: [['MON', 5, 6]] });
    ids.s4 = await c.section({ termId: t, lectureId: ids.calc!, professorId: ids.lee!, capacity: 60, grades: [1], meetings: [['FRI', 1, 3]] });
    ids.s5 = await c.section({ termId: t, lectureId: ids.writing!, professorId: ids.choi!, capacity: 25, meetings: [['SAT', 2, 3]] });
    ids.s6 = await c.section({ termId: ids.previous!, lectureId: ids.ds!, professorId: ids.kim!, meetings: [['MON', 1, 2]] });
    await c.enroll(ids.s2, 12);
    await c.carts(ids.s2, 2);
    await c.enroll(ids.s3, 50);
    await c.carts(ids.s3, 3);
    await c.enroll(ids.s5, 5);

    // 120 sections in another term, each with meetings, a major, a reservation, seats and carts,
    // so that every per-section query would show if it ran once per row.
    const lectureRows = Array.from({ length: 30 }, (_, i) => ({
      code: `BLK${1000 + i}`,
      title: `대량과목 ${i}`,
      title_en: `Bulk ${i}`,
      credits: 3,
      category: 'MAJOR_ELECTIVE',
      major_id: ids.cse,
      description: null,
    }));
    await h.db('lecture').insert(lectureRows);
    const bulkLectures = (await h.db('lecture').where('code', 'like', 'BLK%').orderBy('code').select('id')) as { id: number }[];
    await h.db('section').insert(
      bulkLectures.flatMap((l, i) =>
        [1, 2, 3, 4].map((no) => ({
          term_id: ids.bulk,
          lecture_id: l.id,
          section_no: no,
          professor_id: ids.park,
          capacity: 20 + i,
          room: `B${i}-${no}`,
          grade_mask: gradesToMask([1, 2, 3, 4]),
          created_at: NOW,
          updated_at: NOW,
        })),
      ),
    );
    const bulk = ((await h.db('section').where('term_id', ids.bulk).select('id')) as { id: number }[]).map((r) => Number(r.id));
    await h.db('section_meeting').insert(bulk.flatMap((id) => [{ section_id: id, day: 'MON', start_period: 1, end_period: 2 }, { section_id: id, day: 'THU', start_period: 7, end_period: 8 }]));
    await h.db('section_major').insert(bulk.map((id) => ({ section_id: id, major_id: ids.cse })));
    await h.db('section_reservation').insert(bulk.map((id) => ({ section_id: id, major_id: null, grade_mask: 1, seats: 5, release_at: NOW })));
    await h.db('section_seat').insert(bulk.map((id) => ({ section_id: id, enrolled: 3 })));
    await h.db('cart_item').insert(bulk.flatMap((id) => [1, 2].map((k) => ({ student_id: k, section_id: id, created_at: NOW }))));
  });
  afterAll(async () => {
    await h?.destroy();
  });

  const search = (query: Record<string, string | number>) =>
    request(h.app).get('/api/lectures/sections').query(query).set('Authorization', h.student);

  describe('GET /api/lectures/sections', () => {
    it('without a termId, answers the current term only, ordered by code then section number', async () => {
      const res = await search({});
      expect(res.status).toBe(200);
      expect(labels(res.body.items)).toEqual(['CSE2010-1', 'CSE2010-2', 'CSE3020-1', 'GEN1001-1', 'MAT1010-1']);
      expect(res.body).toMatchObject({ total: 5, page: 1, size: 20 });
    });

    it('with a termId, answers that term only', async () => {
      const res = await search({ termId: ids.previous! });
      expect(labels(res.body.items)).toEqual(['CSE2010-1']);
      expect(res.body.items[0].id).toBe(ids.s6);
    });

    it('treats empty parameters (?q=&majorId=) as no filter', async () => {
      const res = await search({ q: '', majorId: '', day: '' });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(5);
    });

    // Each filter with a case that matches and a case that leaves something (or everything) out.
    const cases: [string, () => Record<string, string | number>, string[]][] = [
      ['a Korean keyword matches the title', () => ({ q: '자료구조' }), ['CSE2010-1', 'CSE2010-2']],
      ['a keyword nobody has matches nothing', () => ({ q: '양자역학' }), []],
      ['an English keyword matches the English title, ignoring case', () => ({ q: 'structures' }), ['CSE2010-1', 'CSE2010-2']],
      ['an English keyword of another title', () => ({ q: 'OPERATING' }), ['CSE3020-1']],
      ['a keyword matches the code', () => ({ q: 'cse30' }), ['CSE3020-1']],
      ['a keyword matches the professor name', () => ({ q: '김철수' }), ['CSE2010-1', 'CSE3020-1']],
      ['every word of a keyword must match', () => ({ q: '자료구조 박민수' }), ['CSE2010-2']],
      ['LIKE wildcards in a keyword are plain characters', () => ({ q: '%' }), []],
      ['an underscore is a plain character too', () => ({ q: 'CSE_010' }), []],
      ['majorId selects the lecture major', () => ({ majorId: ids.mat! }), ['MAT1010-1']],
      ['majorId of a major without lectures', () => ({ majorId: ids.art! }), []],
      ['generalEducation=true selects general-education lectures', () => ({ generalEducation: 'true' }), ['GEN1001-1']],
      ['generalEducation=false leaves them out', () => ({ generalEducation: 'false' }), ['CSE2010-1', 'CSE2010-2', 'CSE3020-1', 'MAT1010-1']],
      ['category=GENERAL', () => ({ category: 'GENERAL' }), ['GEN1001-1']],
      ['category=MAJOR_REQUIRED', () => ({ category: 'MAJOR_REQUIRED' }), ['CSE2010-1', 'CSE2010-2', 'MAT1010-1']],
      ['credits=4', () => ({ credits: 4 }), ['MAT1010-1']],
      ['credits=1 (none)', () => ({ credits: 1 }), []],
      ['day=MON', () => ({ day: 'MON' }), ['CSE2010-1', 'CSE3020-1']],
      ['day=wed (any case) leaves out sections not meeting on Wednesday', () => ({ day: 'wed' }), ['CSE2010-1']],
      ['period=5', () => ({ period: 5 }), ['CSE3020-1']],
      ['period=3 covers 3-4, 1-3 and 2-3', () => ({ period: 3 }), ['CSE2010-2', 'GEN1001-1', 'MAT1010-1']],
      ['period=15 (none)', () => ({ period: 15 }), []],
      ['day and period together: that period on that day', () => ({ day: 'MON', period: 5 }), ['CSE3020-1']],
      ['day and period must be the same meeting', () => ({ day: 'TUE', period: 5 }), []],
      ['grade=1', () => ({ grade: 1 }), ['CSE2010-2', 'GEN1001-1', 'MAT1010-1']],
      ['grade=4 leaves out sections for grades 2-3 and 1', () => ({ grade: 4 }), ['CSE2010-2', 'CSE3020-1', 'GEN1001-1']],
      ['professor (Korean substring)', () => ({ professor: '이영' }), ['MAT1010-1']],
      ['professor (English, any case)', () => ({ professor: 'kim' }), ['CSE2010-1', 'CSE3020-1']],
      ['professor nobody is', () => ({ professor: '홍길동' }), []],
      ['lectureId', () => ({ lectureId: ids.os! }), ['CSE3020-1']],
      ['professorId', () => ({ professorId: ids.park! }), ['CSE2010-2']],
      ['filters combine', () => ({ q: '자료구조', grade: 1 }), ['CSE2010-2']],
    ];
    it.each(cases)('%s', async (_name, query, expected) => {
      const res = await search(query());
      expect(res.status).toBe(200);
      expect(labels(res.body.items)).toEqual(expected);
      expect(res.body.total).toBe(expected.length);
    });

    const sorts: [Record<string, string>, string[]][] = [
      [{ sort: 'code', order: 'desc' }, ['MAT1010-1', 'GEN1001-1', 'CSE3020-1', 'CSE2010-1', 'CSE2010-2']],
      [{ sort: 'title' }, ['GEN1001-1', 'MAT1010-1', 'CSE3020-1', 'CSE2010-1', 'CSE2010-2']],
      [{ sort: 'credits' }, ['GEN1001-1', 'CSE2010-1', 'CSE2010-2', 'CSE3020-1', 'MAT1010-1']],
      [{ sort: 'credits', order: 'desc' }, ['MAT1010-1', 'CSE2010-1', 'CSE2010-2', 'CSE3020-1', 'GEN1001-1']],
      [{ sort: 'capacity' }, ['MAT1010-1', 'CSE3020-1', 'CSE2010-1', 'CSE2010-2', 'GEN1001-1']],
      [{ sort: 'seatsLeft' }, ['MAT1010-1', 'CSE2010-1', 'GEN1001-1', 'CSE2010-2', 'CSE3020-1']],
      [{ sort: 'seatsLeft', order: 'asc' }, ['CSE3020-1', 'CSE2010-2', 'GEN1001-1', 'CSE2010-1', 'MAT1010-1']],
    ];
    it.each(sorts)('sorts by %o', async (query, expected) => {
      const res = await search(query);
      expect(res.status).toBe(200);
      expect(labels(res.body.items)).toEqual(expected);
    });

    it('carries enrolled (section_seat) and cartCount (cart_item) of each section, 0 when there are none', async () => {
      const res = await search({});
      const byId = new Map((res.body.items as Item[]).map((i) => [i.id, i]));
      expect(byId.get(ids.s1!)).toMatchObject({ enrolled: 0, cartCount: 0, seatsLeft: 40 });
      expect(byId.get(ids.s2!)).toMatchObject({ enrolled: 12, cartCount: 2, seatsLeft: 18 });
      expect(byId.get(ids.s3!)).toMatchObject({ enrolled: 50, cartCount: 3, seatsLeft: 0 });
    });

    it('keeps the total across pages, pages never overlap, and a page past the end is empty', async () => {
      const pages = await Promise.all([1, 2, 3, 4].map((page) => search({ termId: ids.bulk!, size: 50, page })));
      expect(pages.map((p) => p.body.total)).toEqual([120, 120, 120, 120]);
      expect(pages.map((p) => p.body.items.length)).toEqual([50, 50, 20, 0]);
      expect(pages.map((p) => p.body.page)).toEqual([1, 2, 3, 4]);
      const seen = pages.flatMap((p) => (p.body.items as Item[]).map((i) => i.id));
      expect(new Set(seen).size).toBe(120);
    });

    it('sends the same number of SQL queries for a page of 10 and a page of 100', async () => {
      const counter = countQueries(h.db);
      const queriesOf = async (query: Record<string, string | number>) => {
        counter.reset();
        const res = await search(query);
        expect(res.status).toBe(200);
        return { res, count: counter.count };
      };
      try {
        const small = await queriesOf({ termId: ids.bulk!, size: 10 });
        const large = await queriesOf({ termId: ids.bulk!, size: 100 });
        expect(small.res.body.items).toHaveLength(10);
        expect(large.res.body.items).toHaveLength(100);
        expect(large.res.body.items[99]).toMatchObject({ enrolled: 3, cartCount: 2 });
        expect(large.res.body.items[99].meetings).toHaveLength(2);
        expect(large.res.body.items[99].reserved).toHaveLength(1);
        // Page 1: the page carries the total (COUNT(*) OVER ()), then four whereIn.
        expect(small.count).toBe(large.count);
        expect(large.count).toBe(5);
        expect(large.res.body.total).toBe(120);
        // A later page: the count, the page, four whereIn.
        const small2 = await queriesOf({ termId: ids.bulk!, size: 10, page: 2 });
        const large2 = await queriesOf({ termId: ids.bulk!, size: 60, page: 2 });
        expect(small2.res.body.items).toHaveLength(10);
        expect(large2.res.body.items).toHaveLength(60);
        expect(large2.res.body.total).toBe(120);
        expect([small2.count, large2.count]).toEqual([6, 6]);
        // Past the end: the count only; nothing matching on page 1: the page query only.
        expect((await queriesOf({ termId: ids.bulk!, size: 100, page: 3 })).count).toBe(1);
        const none = await queriesOf({ termId: ids.bulk!, q: '없는단어' });
        expect(none.res.body).toMatchObject({ items: [], total: 0 });
        expect(none.count).toBe(1);
      } finally {
        counter.stop();
      }
    });

    const invalid: [Record<string, string>, string][] = [
      [{ size: '101' }, 'query.size'],
      [{ page: '0' }, 'query.page'],
      [{ sort: 'popularity' }, 'query.sort'],
      [{ order: 'up' }, 'query.order'],
      [{ day: 'SUN' }, 'query.day'],
      [{ period: '16' }, 'query.period'],
      [{ grade: '5' }, 'query.grade'],
      [{ credits: 'three' }, 'query.credits'],
      [{ category: '전공' }, 'query.category'],
      [{ generalEducation: 'maybe' }, 'query.generalEducation'],
      [{ termId: 'current' }, 'query.termId'],
    ];
    it.each(invalid)('with %o answers 400 VALIDATION_FAILED naming %s', async (query, field) => {
      const res = await search(query);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('without a token answers 401 UNAUTHENTICATED', async () => {
      const res = await request(h.app).get('/api/lectures/sections');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('GET /api/lectures/sections/:id', () => {
    it('answers the whole section: lecture, professor, meetings by day, eligibility, reservations, seats', async () => {
      const res = await request(h.app).get(`/api/lectures/sections/${ids.s1}`).set('Authorization', h.student);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: ids.s1,
        termId: ids.current,
        lectureId: ids.ds,
        sectionNo: 1,
        professorId: ids.kim,
        capacity: 40,
        enrolled: 0,
        seatsLeft: 40,
        cartCount: 0,
        room: '공학관 301',
        grades: [2, 3],
        allowedMajorIds: [ids.cse],
        meetings: [
          { day: 'MON', startPeriod: 1, endPeriod: 2 },
          { day: 'WED', startPeriod: 1, endPeriod: 2 },
        ],
        reserved: [{ id: expect.any(Number), majorId: ids.cse, grades: [2], seats: 10, releaseAt: '2026-02-20T00:00:00.000Z' }],
        lecture: { id: ids.ds, code: 'CSE2010', title: '자료구조', titleEn: 'Data Structures', credits: 3, category: 'MAJOR_REQUIRED', majorId: ids.cse },
        professor: { id: ids.kim, name: '김철수', nameEn: 'Kim Chulsoo' },
      });
    });

    it('answers 404 NOT_FOUND for a section that does not exist', async () => {
      const res = await request(h.app).get('/api/lectures/sections/999999').set('Authorization', h.student);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('answers 400 naming params.id when the id is not a number', async () => {
      const res = await request(h.app).get('/api/lectures/sections/abc').set('Authorization', h.student);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('params.id');
    });
  });
});
