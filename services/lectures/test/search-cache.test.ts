import { countQueries, pingDb, type Counter } from '@goorm/common';
import { testEngines, testLogger, testMetrics } from '@goorm/common/testing';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { startHarness, type Harness } from './harness.ts';

const engines = await testEngines();

const TTL = 1000;
/** A page-1 search (see searchSections): the page with its total, then four whereIn. */
const PAGE_ONE_QUERIES = 5;
const SEARCH = '/api/lectures/sections';
/** These tests are about the answer cache of the SQL path: the term catalog is off (see search-catalog.test.ts). */
const CATALOG_OFF = { catalogTtlMs: 0, countsTtlMs: 0, maxMatchLists: 1 };

describe.each(engines)('%s', (engine) => {
  let h: Harness;
  let t = 0;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    // One connection, so a test can hold it (an open transaction) while requests pile up.
    h = await startHarness(engine, { poolMax: 1, searchCache: { ttlMs: TTL, maxEntries: 5000, now: () => t }, searchCatalog: CATALOG_OFF });
    const c = h.catalog;
    ids.term = await c.term('2026-1', true);
    ids.next = await c.term('2026-2');
    ids.cse = await c.major('CSE', '컴퓨터공학과');
    ids.gen = await c.major('GEN', '교양학부', { generalEducation: false });
    ids.kim = await c.professor('김철수', 'Kim Chulsoo', ids.cse);
    ids.park = await c.professor('박민수', 'Park Minsu', ids.cse);
    ids.ds = await c.lecture('CSE2010', '자료구조', 'Data Structures', ids.cse);
    ids.os = await c.lecture('CSE3020', '운영체제', 'Operating Systems', ids.cse);
    ids.writing = await c.lecture('GEN1001', '글쓰기', 'Academic Writing', ids.gen);
    ids.s1 = await c.section({ termId: ids.term, lectureId: ids.ds, professorId: ids.kim, sectionNo: 1, capacity: 40, room: '공학관 301', meetings: [['MON', 1, 2]] });
    ids.s2 = await c.section({ termId: ids.term, lectureId: ids.ds, professorId: ids.park, sectionNo: 2, capacity: 30, room: '공학관 302', meetings: [['TUE', 3, 4]] });
    ids.s3 = await c.section({ termId: ids.term, lectureId: ids.os, professorId: ids.kim, capacity: 50, room: '공학관 303', meetings: [['WED', 5, 6]] });
    ids.s4 = await c.section({ termId: ids.term, lectureId: ids.writing, professorId: ids.park, capacity: 25, room: '인문관 101', meetings: [['FRI', 1, 2]] });
    ids.s5 = await c.section({ termId: ids.next, lectureId: ids.os, professorId: ids.park, capacity: 35, room: '공학관 401', meetings: [['THU', 1, 2]] });
    await c.enroll(ids.s2, 4);
    await c.carts(ids.s2, 2);
  });
  afterAll(async () => {
    await h?.destroy();
  });
  // Every test starts on a cold cache at a fresh instant (a write through the API clears it).
  beforeEach(async () => {
    t += 10 * TTL;
  });

  const get = (url: string) => request(h.app).get(url).set('Authorization', h.student);
  const staff = {
    put: (url: string, body: object) => request(h.app).put(url).set('Authorization', h.staff).send(body),
    post: (url: string, body: object) => request(h.app).post(url).set('Authorization', h.staff).send(body),
  };

  /** The SQL statements a request sends. */
  async function queriesOf<T>(fn: () => Promise<T>): Promise<{ result: T; count: number; statements: string[] }> {
    const counter = countQueries(h.db);
    try {
      const result = await fn();
      return { result, count: counter.count, statements: [...counter.statements] };
    } finally {
      counter.stop();
    }
  }

  function cacheCounts(m = h.metrics) {
    const c = m.registry.getSingleMetric('lectures_search_cache_total') as Counter<'result'> | undefined;
    return async () => {
      const values = c ? (await c.get()).values : [];
      const of = (r: string) => values.find((v) => v.labels.result === r)?.value ?? 0;
      return { hit: of('hit'), miss: of('miss'), coalesced: of('coalesced') };
    };
  }

  it('a second identical search sends no query and answers the same bytes and headers', async () => {
    const first = await queriesOf(() => get(`${SEARCH}?q=자료구조`));
    const second = await queriesOf(() => get(`${SEARCH}?q=자료구조`));
    expect(first.result.status).toBe(200);
    expect(first.count).toBe(PAGE_ONE_QUERIES);
    expect(second.count).toBe(0);
    expect(second.result.status).toBe(200);
    expect(second.result.text).toBe(first.result.text);
    expect(second.result.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(second.result.headers['content-type']).toBe(first.result.headers['content-type']);
    expect(first.result.body).toMatchObject({ total: 2, page: 1, size: 20 });
    // Compact JSON in the order the service builds it: what res.json sent before the cache.
    expect(first.result.text).toBe(JSON.stringify(first.result.body));
  });

  it('answers exactly what the same app without a cache answers', async () => {
    const uncached = createApp({
      db: h.db,
      verifier: h.auth.verifier,
      logger: testLogger(),
      metrics: testMetrics('lectures'),
      readiness: () => pingDb(h.db),
      searchCache: { ttlMs: 0, maxEntries: 1 },
      searchCatalog: CATALOG_OFF,
    });
    for (const url of [`${SEARCH}?q=kim&sort=seatsLeft`, `${SEARCH}?termId=${ids.next}`, `${SEARCH}?q=없는과목`, `${SEARCH}?page=9`]) {
      const cold = await get(url);
      const warm = await get(url);
      const plain = await request(uncached).get(url).set('Authorization', h.student);
      expect(plain.status).toBe(200);
      expect(cold.text).toBe(plain.text);
      expect(warm.text).toBe(plain.text);
      expect(warm.headers['content-type']).toBe(plain.headers['content-type']);
    }
  });

  it('is the same for every caller: a staff member hits the entry a student filled', async () => {
    await get(`${SEARCH}?q=CSE`);
    const { count, result } = await queriesOf(() => request(h.app).get(`${SEARCH}?q=CSE`).set('Authorization', h.staff));
    expect(result.status).toBe(200);
    expect(count).toBe(0);
  });

  it('still needs a signed-in caller: a cached search answers 401 without a token', async () => {
    await get(`${SEARCH}?q=CSE`);
    const res = await request(h.app).get(`${SEARCH}?q=CSE`);
    expect(res.status).toBe(401);
  });

  it('equivalent queries (parameter order, defaults spelt out, day case) share an entry', async () => {
    const first = await queriesOf(() => get(`${SEARCH}?q=cse&page=1&day=mon`));
    expect(first.count).toBe(PAGE_ONE_QUERIES);
    for (const url of [`${SEARCH}?page=1&day=MON&q=cse`, `${SEARCH}?day=mon&q=cse&size=20&sort=code`, `${SEARCH}?q=cse&day=MON&majorId=`]) {
      const again = await queriesOf(() => get(url));
      expect(again.result.status).toBe(200);
      expect(again.count, url).toBe(0);
      expect(again.result.text).toBe(first.result.text);
    }
  });

  it('a different page, size, filter or sort misses', async () => {
    await get(`${SEARCH}?q=cse`);
    for (const url of [`${SEARCH}?q=cse&page=2`, `${SEARCH}?q=cse&size=1`, `${SEARCH}?q=cse&grade=1`, `${SEARCH}?q=cse&sort=title`, `${SEARCH}?q=cse&termId=${ids.next}`]) {
      const { count } = await queriesOf(() => get(url));
      expect(count, url).toBeGreaterThan(0);
    }
  });

  it('reads do not clear it (sections, lectures, professors, majors, terms, CSV export)', async () => {
    await get(`${SEARCH}?q=cse`);
    for (const url of [`${SEARCH}/${ids.s1}`, '/api/lectures/lectures', `/api/lectures/lectures/${ids.ds}`, '/api/lectures/professors', '/api/lectures/majors', '/api/lectures/terms']) {
      expect((await get(url)).status, url).toBe(200);
    }
    expect((await request(h.app).get('/api/lectures/sections/export.csv').set('Authorization', h.staff)).status).toBe(200);
    expect((await queriesOf(() => get(`${SEARCH}?q=cse`))).count).toBe(0);
  });

  describe('a write through this service is in the very next search (same instant, no TTL waited)', () => {
    const sectionBody = (over: Record<string, unknown> = {}) => ({
      termId: ids.term,
      lectureId: ids.ds,
      sectionNo: 1,
      professorId: ids.kim,
      capacity: 40,
      room: '공학관 301',
      meetings: [{ day: 'MON', startPeriod: 1, endPeriod: 2 }],
      ...over,
    });
    const search = async (url: string) => {
      const res = await get(url);
      expect(res.status).toBe(200);
      return res.body as { total: number; items: { id: number; capacity: number; lecture: { title: string }; professor: { name: string } }[] };
    };

    it('PUT /sections/:id (capacity)', async () => {
      const before = await search(`${SEARCH}?q=자료구조`);
      expect(before.items.find((i) => i.id === ids.s1)?.capacity).toBe(40);
      expect((await staff.put(`${SEARCH}/${ids.s1}`, sectionBody({ capacity: 45 }))).status).toBe(200);
      const after = await search(`${SEARCH}?q=자료구조`);
      expect(after.items.find((i) => i.id === ids.s1)?.capacity).toBe(45);
    });

    it('POST /sections and DELETE /sections/:id', async () => {
      expect((await search(`${SEARCH}?q=자료구조`)).total).toBe(2);
      const created = await staff.post(SEARCH, sectionBody({ sectionNo: 7, room: '공학관 307', meetings: [{ day: 'SAT', startPeriod: 9, endPeriod: 9 }] }));
      expect(created.status).toBe(201);
      expect((await search(`${SEARCH}?q=자료구조`)).total).toBe(3);
      expect((await request(h.app).delete(`${SEARCH}/${created.body.id}`).set('Authorization', h.staff)).status).toBe(204);
      expect((await search(`${SEARCH}?q=자료구조`)).total).toBe(2);
    });

    it('POST /sections/import (CSV)', async () => {
      expect((await search(`${SEARCH}?q=운영체제`)).items.find((i) => i.id === ids.s3)?.capacity).toBe(50);
      const csv = (await request(h.app).get(`${SEARCH}/export.csv`).set('Authorization', h.staff).buffer(true)).text;
      const changed = csv.replace(/^(\d+,\d+,\d+,\d+,\d+,)50,/m, (_m, head: string) => `${head}55,`);
      expect(changed).not.toBe(csv);
      const res = await request(h.app).post(`${SEARCH}/import`).set('Authorization', h.staff).set('Content-Type', 'text/csv').send(changed);
      expect(res.status).toBe(200);
      expect((await search(`${SEARCH}?q=운영체제`)).items.find((i) => i.id === ids.s3)?.capacity).toBe(55);
    });

    it("PUT /lectures/:id (a lecture's title)", async () => {
      expect((await search(`${SEARCH}?q=글쓰기`)).total).toBe(1);
      const res = await staff.put(`/api/lectures/lectures/${ids.writing}`, { code: 'GEN1001', title: '창의적 글쓰기', titleEn: 'Creative Writing', credits: 3, category: 'GENERAL', majorId: ids.gen });
      expect(res.status).toBe(200);
      const after = await search(`${SEARCH}?q=글쓰기`);
      expect(after.items.map((i) => i.lecture.title)).toEqual(['창의적 글쓰기']);
    });

    it("PUT /professors/:id (a professor's name)", async () => {
      expect((await search(`${SEARCH}?professor=박민수`)).total).toBeGreaterThan(0);
      const res = await staff.put(`/api/lectures/professors/${ids.park}`, { name: '박민호', nameEn: 'Park Minho', majorId: ids.cse });
      expect(res.status).toBe(200);
      expect((await search(`${SEARCH}?professor=박민수`)).total).toBe(0);
    });

    it('PUT /majors/:id (general education or not)', async () => {
      expect((await search(`${SEARCH}?generalEducation=true`)).total).toBe(0);
      const res = await staff.put(`/api/lectures/majors/${ids.gen}`, { code: 'GEN', name: '교양학부', nameEn: 'General Education', college: '교양대학', isGeneralEducation: true });
      expect(res.status).toBe(200);
      expect((await search(`${SEARCH}?generalEducation=true`)).total).toBe(1);
    });

    it('PUT /terms/:id making another term current', async () => {
      const before = await search(SEARCH);
      expect(before.items.every((i) => i.id !== ids.s5)).toBe(true);
      const res = await staff.put(`/api/lectures/terms/${ids.next}`, { code: '2026-2', name: '2026-2 학기', startsOn: '2026-08-31', endsOn: '2026-12-18', isCurrent: true });
      expect(res.status).toBe(200);
      const after = await search(SEARCH);
      expect(after.items.map((i) => i.id)).toEqual([ids.s5]);
      // and back, for the tests after this one
      await staff.put(`/api/lectures/terms/${ids.term}`, { code: '2026-1', name: '2026-1 학기', startsOn: '2026-03-02', endsOn: '2026-06-20', isCurrent: true });
      expect((await search(SEARCH)).items.map((i) => i.id)).toContain(ids.s1);
    });
  });

  it('writes of other services (seats by enrollment) show after the TTL, counted from the load: stale before, fresh at TTL', async () => {
    const url = `${SEARCH}?q=자료구조&sort=seatsLeft`;
    const seatsOf = (res: request.Response) => (res.body.items as { id: number; enrolled: number }[]).find((i) => i.id === ids.s2)?.enrolled;
    const first = await get(url);
    expect(seatsOf(first)).toBe(4);
    await h.db('section_seat').where('section_id', ids.s2).update({ enrolled: 9 }); // what enrollment does
    t += TTL - 1;
    const stale = await queriesOf(() => get(url));
    expect(stale.count).toBe(0);
    expect(seatsOf(stale.result)).toBe(4);
    t += 1;
    const fresh = await queriesOf(() => get(url));
    expect(fresh.count).toBe(PAGE_ONE_QUERIES);
    expect(seatsOf(fresh.result)).toBe(9);
    await h.db('section_seat').where('section_id', ids.s2).update({ enrolled: 4 });
  });

  it('single flight: 20 concurrent identical searches on a cold cache send one set of queries', async () => {
    const counts = cacheCounts();
    const before = await counts();
    const url = `${SEARCH}?q=kim&sort=capacity`;
    // Hold the only connection so that every request reaches the cache before the load can run.
    const trx = await h.db.transaction();
    const counter = countQueries(h.db);
    let responses: request.Response[];
    try {
      const pending = Array.from({ length: 20 }, () => get(url).then((r) => r));
      await expect
        .poll(async () => {
          const now = await counts();
          return now.miss - before.miss + now.coalesced - before.coalesced;
        }, { timeout: 10_000, interval: 5 })
        .toBe(20);
      await trx.commit();
      responses = await Promise.all(pending);
    } finally {
      counter.stop();
      if (!trx.isCompleted()) await trx.rollback();
    }
    const after = await counts();
    expect(after.miss - before.miss).toBe(1);
    expect(after.coalesced - before.coalesced).toBe(19);
    expect(counter.statements.filter((s) => /^\s*select/i.test(s))).toHaveLength(PAGE_ONE_QUERIES);
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses[0]!.body.total).toBe(2);
  });

  it('a failed load is not cached: the next search queries again and answers', async () => {
    const url = `${SEARCH}?q=운영`;
    await h.db.schema.renameTable('cart_item', 'cart_item_away');
    try {
      const failed = await get(url);
      expect(failed.status).toBe(500);
    } finally {
      await h.db.schema.renameTable('cart_item_away', 'cart_item');
    }
    const retried = await queriesOf(() => get(url));
    expect(retried.result.status).toBe(200);
    expect(retried.count).toBe(PAGE_ONE_QUERIES);
    expect(retried.result.body.total).toBe(1);
  });

  it('GET /metrics shows lectures_search_cache_total by result', async () => {
    await get(`${SEARCH}?q=metrics`);
    await get(`${SEARCH}?q=metrics`);
    const res = await request(h.app).get('/metrics');
    expect(res.text).toMatch(/lectures_search_cache_total\{[^}]*result="miss"[^}]*\} [1-9]/);
    expect(res.text).toMatch(/lectures_search_cache_total\{[^}]*result="hit"[^}]*\} [1-9]/);
  });

  it('SEARCH_CACHE_TTL_MS=0 turns it off: every search queries, nothing is counted', async () => {
    const metrics = testMetrics('lectures');
    const off = createApp({ db: h.db, verifier: h.auth.verifier, logger: testLogger(), metrics, readiness: () => pingDb(h.db), searchCache: { ttlMs: 0, maxEntries: 5000 }, searchCatalog: CATALOG_OFF });
    const search = () => request(off).get(`${SEARCH}?q=자료구조`).set('Authorization', h.student);
    const first = await queriesOf(search);
    const second = await queriesOf(search);
    expect([first.count, second.count]).toEqual([PAGE_ONE_QUERIES, PAGE_ONE_QUERIES]);
    expect(second.result.text).toBe(first.result.text);
    expect(await cacheCounts(metrics)()).toEqual({ hit: 0, miss: 0, coalesced: 0 });
  });
});
