import { countQueries, pingDb, type Counter, type DbEngine } from '@goorm/common';
import { testEngines, testLogger, testMetrics } from '@goorm/common/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { MATCH_REFRESH_FROM, REFRESH_AHEAD } from '../src/sections/search-catalog.ts';
import { DAYS } from '@goorm/contracts';
import { startHarness, type Harness } from './harness.ts';

const engines = await testEngines();

const CATALOG_TTL = 30_000;
const COUNTS_TTL = 1_000;
const SEARCH = '/api/lectures/sections';
/** A page 1 on the SQL path (see searchSections): the page with its total, then four whereIn. */
const SQL_PAGE_ONE_QUERIES = 5;
/** The catalog load: the current term, its sections, then meetings, majors and reservations. */
const CATALOG_QUERIES = 5;

/** The same numbers on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROFESSORS: [string, string, string][] = [
  ['김철수', 'Kim Chulsoo', 'cse'],
  ['박민수', 'Park Minsu', 'cse'],
  ['이영희', 'Lee Younghee', 'mat'],
  ['최교양', 'Choi Gyoyang', 'gen'],
  ['정하늘', 'Jung Haneul', 'bus'],
  ['강바다', 'Kang Bada', 'bus'],
  ['스미스', 'John Smith', 'gen'],
  ['김민수', 'Kim Minsu', 'mat'],
];
/** Korean and English titles, upper and lower case, a shared title, a literal % in one. */
const LECTURES: [string, string, string, string, number, string][] = [
  ['CSE2010', '자료구조', 'Data Structures', 'cse', 3, 'MAJOR_REQUIRED'],
  ['CSE3020', '운영체제', 'Operating Systems', 'cse', 3, 'MAJOR_ELECTIVE'],
  ['CSE3030', '알고리즘', 'Algorithms', 'cse', 3, 'MAJOR_REQUIRED'],
  ['CSE4010', '데이터베이스', 'data base systems', 'cse', 3, 'MAJOR_ELECTIVE'],
  ['CSE1001', '컴퓨터개론', 'Intro to Computing', 'cse', 2, 'GENERAL'],
  ['MAT1010', '미적분학', 'Calculus', 'mat', 4, 'MAJOR_REQUIRED'],
  ['MAT2020', '선형대수', 'Linear Algebra', 'mat', 3, 'MAJOR_REQUIRED'],
  ['MAT2030', '선형대수', 'linear algebra II', 'mat', 2, 'MAJOR_ELECTIVE'],
  ['GEN1001', '글쓰기', 'Academic Writing', 'gen', 2, 'GENERAL'],
  ['GEN1002', 'Writing Lab', 'Writing Lab', 'gen', 1, 'GENERAL'],
  ['GEN2001', '철학의 이해', 'Understanding Philosophy', 'gen', 3, 'GENERAL'],
  ['BUS1010', '경영학원론', 'Principles of Management', 'bus', 3, 'MAJOR_REQUIRED'],
  ['BUS2020', 'data analytics', 'Data Analytics', 'bus', 2, 'MAJOR_ELECTIVE'],
  ['BUS3030', 'Marketing 100%', 'Marketing 100%', 'bus', 3, 'MAJOR_ELECTIVE'],
];

interface Ids {
  term: number;
  other: number;
  majors: Record<string, number>;
  professors: number[];
  lectures: number[];
  sections: number[];
  otherSections: number[];
}

/**
 * Dozens of sections of the current term (and a few of another) with meetings, grades, allowed
 * majors, reservations, seats taken and carts. Professors' and rooms' timetables never clash, so
 * any of them can be written back through the API.
 */
async function seedCatalog(h: Harness): Promise<Ids> {
  const c = h.catalog;
  const random = rng(20260115);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const term = await c.term('2026-1', true);
  const other = await c.term('2025-2');
  const majors = {
    cse: await c.major('CSE', '컴퓨터공학과'),
    mat: await c.major('MAT', '수학과', { college: '자연과학대학' }),
    gen: await c.major('GEN', '교양학부', { college: '교양대학', generalEducation: true }),
    bus: await c.major('BUS', '경영학과', { college: '경영대학' }),
  } as Record<string, number>;
  const professors: number[] = [];
  for (const [name, nameEn, major] of PROFESSORS) professors.push(await c.professor(name, nameEn, majors[major]!));
  const lectures: number[] = [];
  for (const [code, title, titleEn, major, credits, category] of LECTURES) {
    lectures.push(await c.lecture(code, title, titleEn, majors[major]!, { credits, category }));
  }
  const busy = new Map<string, Set<string>>(); // "term:professor" → "DAY:period"
  const meetingsFor = (termId: number, professorId: number) => {
    const taken = busy.get(`${termId}:${professorId}`) ?? new Set<string>();
    busy.set(`${termId}:${professorId}`, taken);
    const meetings: [string, number, number][] = [];
    const count = 1 + Math.floor(random() * 3);
    for (let tries = 0; meetings.length < count && tries < 200; tries++) {
      const day = pick(DAYS);
      const start = 1 + Math.floor(random() * 12);
      const end = Math.min(15, start + Math.floor(random() * 3));
      const slots = Array.from({ length: end - start + 1 }, (_, k) => `${day}:${start + k}`);
      if (slots.some((s) => taken.has(s))) continue;
      slots.forEach((s) => taken.add(s));
      meetings.push([day, start, end]);
    }
    return meetings;
  };
  const grades = () => {
    const g = [1, 2, 3, 4].filter(() => random() < 0.6);
    return g.length > 0 ? g : [pick([1, 2, 3, 4])];
  };
  const majorIds = Object.values(majors);
  const sectionOf = async (termId: number, lectureIndex: number, sectionNo: number) => {
    const professorId = pick(professors);
    const capacity = pick([20, 25, 30, 30, 40, 50]);
    const r = random();
    return c.section({
      termId,
      lectureId: lectures[lectureIndex]!,
      professorId,
      sectionNo,
      capacity,
      room: `${termId === term ? '공학관' : '인문관'} ${lectureIndex}${sectionNo}`,
      grades: grades(),
      allowedMajorIds: r < 0.25 ? [pick(majorIds)] : r < 0.35 ? [majors.cse!, majors.bus!] : [],
      meetings: meetingsFor(termId, professorId),
      reserved:
        random() < 0.35
          ? [
              { majorId: pick([...majorIds, null]), grades: grades(), seats: 1 + Math.floor(random() * 5), releaseAt: new Date('2026-02-20T00:00:00.000Z') },
              ...(random() < 0.3 ? [{ majorId: null, seats: 3, releaseAt: new Date('2026-02-21T09:30:00.000Z') }] : []),
            ]
          : [],
    });
  };
  const sections: number[] = [];
  for (let i = 0; i < LECTURES.length; i++) {
    const n = 2 + Math.floor(random() * 3);
    for (let no = 1; no <= n; no++) sections.push(await sectionOf(term, i, no));
  }
  const otherSections: number[] = [];
  for (const i of [0, 3, 6, 12]) otherSections.push(await sectionOf(other, i, 1));
  // Seats taken (some full, some none) and carts, as enrollment and carts would have written them.
  for (const id of [...sections, ...otherSections]) {
    const { capacity } = (await h.db('section').where('id', id).first('capacity')) as { capacity: number };
    const r = random();
    if (r < 0.6) await h.db('section_seat').insert({ section_id: id, enrolled: r < 0.1 ? capacity : Math.floor(random() * capacity) });
    if (random() < 0.5) await c.carts(id, Math.floor(random() * 6));
  }
  return { term, other, majors, professors, lectures, sections, otherSections };
}

interface Apps {
  h: Harness;
  /** The app under test: the term catalog on, with the test's clock. */
  mem: Server;
  /** The same service with the catalog and the answer cache off: every search is SQL (today's path). */
  sql: Server;
  sqlMetrics: ReturnType<typeof testMetrics>;
  clock: { t: number };
}

async function startApps(engine: DbEngine, poolMax?: number): Promise<Apps> {
  const clock = { t: 0 };
  const h = await startHarness(engine, {
    ...(poolMax !== undefined ? { poolMax } : {}),
    searchCache: { ttlMs: 1000, maxEntries: 5000, now: () => clock.t },
    // random 0: every match list refreshes at MATCH_REFRESH_FROM of the TTL.
    searchCatalog: { catalogTtlMs: CATALOG_TTL, countsTtlMs: COUNTS_TTL, maxMatchLists: 500, now: () => clock.t, random: () => 0 },
  });
  const sqlMetrics = testMetrics('lectures');
  const sqlApp = createApp({
    db: h.db,
    verifier: h.auth.verifier,
    logger: testLogger(),
    metrics: sqlMetrics,
    readiness: () => pingDb(h.db),
    searchCache: { ttlMs: 0, maxEntries: 1 },
    searchCatalog: { catalogTtlMs: 0, countsTtlMs: 0, maxMatchLists: 1 },
  });
  const listen = (app: typeof sqlApp) => new Promise<Server>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
  return { h, mem: await listen(h.app), sql: await listen(sqlApp), sqlMetrics, clock };
}

async function stopApps(a: Apps | undefined) {
  if (!a) return;
  await Promise.all([a.mem, a.sql].map((s) => new Promise((r) => s.close(r))));
  await a.h.destroy();
}

function client(a: Apps) {
  const base = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  const get = async (server: Server, url: string, auth = a.h.student) => {
    const res = await fetch(`${base(server)}${url}`, { headers: { Authorization: auth } });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const send = (server: Server, method: 'post' | 'put' | 'delete', url: string, body?: object) => {
    const r = request(server)[method](url).set('Authorization', a.h.staff);
    return body === undefined ? r : r.send(body);
  };
  return {
    mem: (url: string) => get(a.mem, url),
    sql: (url: string) => get(a.sql, url),
    /** Writes through the app under test (clears its memory) or through "another replica" (does not). */
    write: { mem: (m: 'post' | 'put' | 'delete', url: string, body?: object) => send(a.mem, m, url, body), other: (m: 'post' | 'put' | 'delete', url: string, body?: object) => send(a.sql, m, url, body) },
    /** The SQL statements `fn` sends. */
    async queriesOf<T>(fn: () => Promise<T>): Promise<{ result: T; count: number; statements: string[] }> {
      const counter = countQueries(a.h.db);
      try {
        const result = await fn();
        return { result, count: counter.count, statements: [...counter.statements] };
      } finally {
        counter.stop();
      }
    },
  };
}

/** `{part, result}` counts of a counter of the lectures registry, as they are now. */
async function counted(metrics: Harness['metrics'], name: string) {
  const c = metrics.registry.getSingleMetric(name) as Counter<'part' | 'result'> | undefined;
  // Copied: prom-client hands out its live value objects.
  const values = new Map((c ? (await c.get()).values : []).map((v) => [`${v.labels.part}/${v.labels.result}`, v.value]));
  return (part: string, result: string) => values.get(`${part}/${result}`) ?? 0;
}
const loadsOf = (h: Harness) => counted(h.metrics, 'lectures_search_catalog_loads_total');

const qs = (query: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `${SEARCH}?${s}` : SEARCH;
};

describe.each(engines)('%s', (engine) => {
  let a: Apps;
  let ids: Ids;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    a = await startApps(engine);
    ids = await seedCatalog(a.h);
    api = client(a);
  });
  afterAll(async () => {
    await stopApps(a);
  });
  // Every test starts with everything in memory expired (older than every TTL).
  beforeEach(() => {
    a.clock.t += 10 * CATALOG_TTL;
  });

  describe('answers byte for byte what the SQL path answers', () => {
    const filters = (): Record<string, string | number>[] => [
      {},
      { q: '자료' },
      { q: 'data' },
      { q: 'DATA' },
      { q: 'algo' },
      { q: '선형대수' },
      { q: 'linear algebra' },
      { q: 'cse' },
      { q: 'CSE20' },
      { q: '김' },
      { q: 'kim' },
      { q: 'minsu' },
      { q: '김 구조' },
      { q: '100%' },
      { q: '%' },
      { q: '_' },
      { q: '없는과목' },
      { majorId: ids.majors.cse! },
      { majorId: ids.majors.gen! },
      { generalEducation: 'true' },
      { generalEducation: 'false' },
      { category: 'GENERAL' },
      { category: 'MAJOR_REQUIRED' },
      { credits: 3 },
      { credits: 1 },
      { day: 'MON' },
      { day: 'sat' },
      { period: 1 },
      { period: 7 },
      { day: 'WED', period: 5 },
      { grade: 1 },
      { grade: 4 },
      { professor: '김' },
      { professor: 'smith' },
      { lectureId: ids.lectures[6]! },
      { professorId: ids.professors[1]! },
      { q: 'a', grade: 2 },
      { majorId: ids.majors.cse!, day: 'TUE' },
      { generalEducation: 'true', credits: 2 },
      { professor: 'kim', period: 3 },
      { termId: ids.term },
      { termId: ids.term, q: 'data', sort: 'seatsLeft' },
      { termId: ids.other },
      { termId: ids.other, q: 'data' },
    ];
    const sorts: { sort?: string; order?: string }[] = [
      {},
      { sort: 'code', order: 'desc' },
      { sort: 'title' },
      { sort: 'title', order: 'desc' },
      { sort: 'credits' },
      { sort: 'credits', order: 'desc' },
      { sort: 'capacity' },
      { sort: 'capacity', order: 'asc' },
      { sort: 'seatsLeft' },
      { sort: 'seatsLeft', order: 'asc' },
    ];
    /** Every sort and order on page 1; later pages, a large page and the page past the end on a few sorts. */
    const urls = () => [
      ...filters().flatMap((f) => [
        ...sorts.map((s) => qs({ ...f, ...s })),
        qs({ ...f, page: 2, size: 5 }),
        qs({ ...f, sort: 'seatsLeft', page: 2, size: 5 }),
        qs({ ...f, sort: 'title', order: 'desc', page: 3, size: 4 }),
        qs({ ...f, sort: 'capacity', size: 100 }),
      ]),
      qs({ page: 99 }),
      qs({ q: 'data', page: 5, size: 3 }),
      qs({ sort: 'seatsLeft', order: 'asc', page: 4, size: 10 }),
    ];

    /** Every URL (default: the whole table) against both apps, a few at a time; the URLs whose answers differ. */
    async function differences(list = urls()): Promise<string[]> {
      const same: boolean[] = [];
      for (let i = 0; i < list.length; i += 8) {
        await Promise.all(
          list.slice(i, i + 8).map(async (url, k) => {
            const [mem, sql] = await Promise.all([api.mem(url), api.sql(url)]);
            expect(sql.status, url).toBe(200);
            same[i + k] = mem.status === sql.status && mem.text === sql.text && mem.type === sql.type;
          }),
        );
      }
      return list.filter((_, i) => !same[i]);
    }
    /** Every URL of the table into the memory app's catalog, match lists and answers. */
    async function warm() {
      const list = urls();
      for (let i = 0; i < list.length; i += 8) await Promise.all(list.slice(i, i + 8).map((url) => api.mem(url)));
    }

    it('the generated catalog makes the comparison meaningful: totals past one page, empty answers, ties on seats left', async () => {
      expect(ids.sections.length).toBeGreaterThanOrEqual(36);
      const all = JSON.parse((await api.sql(qs({ size: 100 }))).text) as { total: number; items: { seatsLeft: number; cartCount: number; enrolled: number; reserved: unknown[]; allowedMajorIds: unknown[]; meetings: unknown[] }[] };
      expect(all.total).toBe(ids.sections.length);
      const left = all.items.map((i) => i.seatsLeft);
      expect(new Set(left).size).toBeLessThan(left.length); // ties, broken by code, section number, id
      expect(left.filter((l) => l === 0).length).toBeGreaterThan(0);
      expect(all.items.filter((i) => i.cartCount > 0).length).toBeGreaterThan(3);
      expect(all.items.filter((i) => i.reserved.length > 0).length).toBeGreaterThan(3);
      expect(all.items.filter((i) => i.allowedMajorIds.length > 0).length).toBeGreaterThan(3);
      expect(all.items.filter((i) => i.meetings.length > 1).length).toBeGreaterThan(3);
      const totals = await Promise.all(filters().map(async (f) => JSON.parse((await api.sql(qs(f))).text).total as number));
      expect(totals.filter((n) => n === 0).length).toBeGreaterThan(0);
      expect(totals.filter((n) => n > 5).length).toBeGreaterThan(10);
      expect(new Set(totals).size).toBeGreaterThan(10);
    });

    it('for every filter × sort × order × page', async () => {
      expect(await differences()).toEqual([]);
    });

    it('after seats and carts change underneath (enrollment, carts) and the counts TTL passes', async () => {
      await warm();
      const seatsLeftOrder = (await api.mem(qs({ sort: 'seatsLeft', size: 100 }))).text;
      const [s0, s1, s2, s3, s4] = ids.sections;
      await a.h.db('section_seat').where('section_id', s0!).delete();
      await a.h.db('section_seat').insert({ section_id: s1!, enrolled: 3 }).onConflict('section_id').merge();
      // Over-enrolled (as a staff override in enrollment could leave it): seatsLeft shows 0 but the
      // SQL sorts by capacity - enrolled, below the full sections.
      const { capacity } = (await a.h.db('section').where('id', s2!).first('capacity')) as { capacity: number };
      await a.h.db('section_seat').insert({ section_id: s2!, enrolled: capacity + 3 }).onConflict('section_id').merge();
      const full = await a.h.db('section').whereIn('id', ids.sections.slice(-6)).select('id', 'capacity');
      for (const f of full as { id: number; capacity: number }[]) {
        await a.h.db('section_seat').insert({ section_id: f.id, enrolled: f.capacity }).onConflict('section_id').merge();
      }
      await a.h.db('section_seat').update({ enrolled: a.h.db.raw('enrolled + 1') }).whereIn('section_id', ids.sections.slice(5, 20)).where('enrolled', '<', 20);
      await a.h.db('cart_item').insert([1, 2, 3, 4].map((k) => ({ student_id: 900_000 + k, section_id: s3!, created_at: new Date() })));
      await a.h.db('cart_item').where('section_id', s4!).delete();
      // Still within the TTL: the old counts (the staleness the README states).
      expect((await api.mem(qs({ sort: 'seatsLeft', size: 100 }))).text).toBe(seatsLeftOrder);
      a.clock.t += COUNTS_TTL;
      expect((await api.mem(qs({ sort: 'seatsLeft', size: 100 }))).text).not.toBe(seatsLeftOrder);
      expect(await differences()).toEqual([]);
      // Writes through the API (later tests) refuse a capacity below what is enrolled.
      await a.h.db('section_seat').where('section_id', s2!).update({ enrolled: capacity });
    });

    it('after the catalog changes through another replica and the catalog TTL passes', async () => {
      await warm();
      const section = JSON.parse((await api.sql(`${SEARCH}/${ids.sections[7]}`)).text);
      const body = {
        termId: section.termId,
        lectureId: section.lectureId,
        sectionNo: section.sectionNo,
        professorId: section.professorId,
        capacity: section.capacity + 5,
        room: section.room,
        grades: section.grades,
        allowedMajorIds: section.allowedMajorIds,
        meetings: section.meetings,
        reserved: section.reserved,
      };
      expect((await api.write.other('put', `${SEARCH}/${section.id}`, body)).status).toBe(200);
      const [code, , titleEn, major, credits, category] = LECTURES[0]!;
      const lecture = { code, title: '자료구조와 알고리즘', titleEn, credits, category, majorId: ids.majors[major] };
      expect((await api.write.other('put', `/api/lectures/lectures/${ids.lectures[0]}`, lecture)).status).toBe(200);
      const created = await api.write.other('post', SEARCH, {
        termId: ids.term,
        lectureId: ids.lectures[2],
        sectionNo: 9,
        professorId: await a.h.catalog.professor('신임교수', 'New Professor', ids.majors.cse!),
        capacity: 33,
        room: '신관 909',
        meetings: [{ day: 'SAT', startPeriod: 14, endPeriod: 15 }],
      });
      expect(created.status).toBe(201);
      const unused = ids.sections.find((id) => id !== section.id);
      await a.h.db('section_seat').where('section_id', unused!).delete();
      expect((await api.write.other('delete', `${SEARCH}/${unused}`)).status).toBe(204);
      // Before the catalog TTL this replica still shows what it loaded (counts are fresh, though).
      a.clock.t += COUNTS_TTL;
      const touched = [qs({ q: '자료' }), qs({ sort: 'seatsLeft', size: 100 }), qs({ lectureId: ids.lectures[2]! })];
      expect(await differences(touched)).toEqual(touched);
      a.clock.t += CATALOG_TTL;
      expect(await differences()).toEqual([]);
      // put things back for the tests after this one
      lecture.title = LECTURES[0]![1];
      expect((await api.write.mem('put', `/api/lectures/lectures/${ids.lectures[0]}`, lecture)).status).toBe(200);
      expect((await api.write.mem('delete', `${SEARCH}/${created.body.id}`)).status).toBe(204);
      ids.sections = ids.sections.filter((id) => id !== unused);
    });
  });

  describe('queries', () => {
    const selects = (statements: string[]) => statements.filter((s) => /^\s*select/i.test(s));

    it('a cold search loads the catalog (5 queries), the counts (1) and its match list (1); a warm one sends none', async () => {
      const cold = await api.queriesOf(() => api.mem(qs({ q: 'data' })));
      expect(cold.result.status).toBe(200);
      expect(cold.count).toBe(CATALOG_QUERIES + 2);
      expect(cold.statements.filter((s) => /section_meeting|section_major|section_reservation/.test(s))).toHaveLength(3);
      expect(cold.statements.filter((s) => /cart_item/.test(s))).toHaveLength(1);
      for (const url of [qs({ q: 'data' }), qs({ q: 'data', page: 2, size: 2 }), qs({ q: 'data', size: 100 }), qs({ q: 'data', sort: 'code', order: 'asc' }), qs({ q: 'data', sort: 'seatsLeft' }), qs({ q: 'data', sort: 'seatsLeft', order: 'asc', page: 2, size: 1 }), qs({ termId: ids.term, q: 'data' })]) {
        const warm = await api.queriesOf(() => api.mem(url));
        expect(warm.result.status, url).toBe(200);
        expect(warm.count, url).toBe(0);
      }
      // Another filter or sort: its match list only.
      for (const url of [qs({ q: 'kim' }), qs({ q: 'data', sort: 'title' }), qs({ q: 'data', order: 'desc' })]) {
        const other = await api.queriesOf(() => api.mem(url));
        expect(other.count, url).toBe(1);
        expect(selects(other.statements)).toHaveLength(1);
      }
    });

    it('the counts TTL: no query before it; exactly the counts query after it, and the new counts show', async () => {
      const url = qs({ q: '자료', sort: 'seatsLeft' });
      const first = await api.mem(url);
      const target = (JSON.parse(first.text) as { items: { id: number; enrolled: number }[] }).items[0]!;
      await a.h.db('section_seat').insert({ section_id: target.id, enrolled: target.enrolled + 1 }).onConflict('section_id').merge();
      a.clock.t += COUNTS_TTL * REFRESH_AHEAD - 1;
      const before = await api.queriesOf(() => api.mem(url));
      expect(before.count).toBe(0);
      expect(before.result.text).toBe(first.text);
      a.clock.t += COUNTS_TTL * (1 - REFRESH_AHEAD) + 1; // the TTL (from when the load began)
      const after = await api.queriesOf(() => api.mem(url));
      expect(after.count).toBe(1);
      expect(after.statements[0]).toMatch(/section_seat/);
      expect(after.statements[0]).toMatch(/cart_item/);
      expect((JSON.parse(after.result.text) as { items: { id: number; enrolled: number }[] }).items.find((i) => i.id === target.id)?.enrolled).toBe(target.enrolled + 1);
      expect(after.result.text).toBe((await api.sql(url)).text);
      await a.h.db('section_seat').where('section_id', target.id).update({ enrolled: target.enrolled });
    });

    it('refresh ahead: between ¾ of the counts TTL and the TTL a search answers at once from the old counts and reloads them in the background', async () => {
      const url = qs({ q: '자료' });
      const first = await api.mem(url);
      const target = (JSON.parse(first.text) as { items: { id: number; cartCount: number }[] }).items[0]!;
      await a.h.db('cart_item').insert({ student_id: 900_000, section_id: target.id, created_at: new Date() });
      const loads = (await loadsOf(a.h))('counts', 'ok');
      a.clock.t += COUNTS_TTL * REFRESH_AHEAD;
      const stale = await api.mem(url);
      expect(stale.text).toBe(first.text);
      await expect.poll(async () => (await loadsOf(a.h))('counts', 'ok')).toBe(loads + 1);
      const fresh = await api.queriesOf(() => api.mem(url));
      expect(fresh.count).toBe(0);
      expect((JSON.parse(fresh.result.text) as { items: { id: number; cartCount: number }[] }).items[0]!.cartCount).toBe(target.cartCount + 1);
      expect(fresh.result.text).toBe((await api.sql(url)).text);
      await a.h.db('cart_item').where({ section_id: target.id, student_id: 900_000 }).delete();
    });

    it('the catalog TTL: a change through another replica shows once the catalog reloads (in the background from ¾ of the TTL, at the latest at the TTL)', async () => {
      const url = qs({ q: 'writing' });
      const lectureIndex = LECTURES.findIndex(([code]) => code === 'GEN1001');
      const [code, title, titleEn, major, credits, category] = LECTURES[lectureIndex]!;
      const body = (t: string) => ({ code, title: t, titleEn, credits, category, majorId: ids.majors[major] });
      const first = await api.mem(url);
      expect(first.text).toContain(title);
      expect((await api.write.other('put', `/api/lectures/lectures/${ids.lectures[lectureIndex]}`, body('창의적 글쓰기'))).status).toBe(200);
      // Within ¾ of the TTL: the catalog is not reloaded (the counts are, as they expire).
      a.clock.t += CATALOG_TTL * REFRESH_AHEAD - 1;
      const stale = await api.queriesOf(() => api.mem(url));
      expect(stale.statements.filter((s) => /section_meeting|section_reservation/.test(s))).toEqual([]);
      expect(stale.result.text).toContain(`"title":"${title}"`);
      // From ¾ of it: answered from the old catalog at once, the new one loads in the background.
      const loads = await loadsOf(a.h);
      a.clock.t += 1;
      expect((await api.mem(url)).text).toContain(`"title":"${title}"`);
      await expect.poll(async () => (await loadsOf(a.h))('catalog', 'ok')).toBe(loads('catalog', 'ok') + 1);
      const fresh = await api.mem(url);
      expect(fresh.text).toContain('"title":"창의적 글쓰기"');
      expect(fresh.text).toBe((await api.sql(url)).text);

      // Without searches in between, a search at the TTL waits for the reload: catalog, counts, match list.
      expect((await api.write.other('put', `/api/lectures/lectures/${ids.lectures[lectureIndex]}`, body(title))).status).toBe(200);
      a.clock.t += CATALOG_TTL;
      const reloaded = await api.queriesOf(() => api.mem(url));
      expect(reloaded.count).toBe(CATALOG_QUERIES + 2);
      expect(reloaded.result.text).toContain(`"title":"${title}"`);
      expect(reloaded.result.text).toBe((await api.sql(url)).text);
    });

    it('match lists refresh in the background from half of the catalog TTL (spread up to ¾) and are never served past it', async () => {
      const url = qs({ professor: 'smith' });
      const first = await api.mem(url);
      const created = await api.write.other('post', SEARCH, {
        termId: ids.term,
        lectureId: ids.lectures[9],
        sectionNo: 8,
        professorId: await a.h.catalog.professor('스미스', 'Smith Junior', ids.majors.gen!),
        capacity: 12,
        room: '신관 808',
        meetings: [{ day: 'SAT', startPeriod: 13, endPeriod: 15 }],
      });
      expect(created.status).toBe(201);
      a.clock.t += CATALOG_TTL * MATCH_REFRESH_FROM - 1;
      expect((await api.mem(url)).text).toBe(first.text);
      a.clock.t += 1;
      const loads = await loadsOf(a.h);
      expect((await api.mem(url)).text).toBe(first.text); // starts the background reload of the list
      await expect.poll(async () => (await loadsOf(a.h))('matches', 'ok')).toBe(loads('matches', 'ok') + 1);
      // The new section is in the new list, but not in the catalog loaded before it: not shown yet.
      expect((await api.mem(url)).text).toBe(first.text);
      a.clock.t += CATALOG_TTL * (REFRESH_AHEAD - MATCH_REFRESH_FROM);
      await api.mem(url); // the catalog reloads in the background
      await expect.poll(async () => (await loadsOf(a.h))('catalog', 'ok')).toBe(loads('catalog', 'ok') + 1);
      const fresh = await api.mem(url);
      expect(fresh.text).toContain('"room":"신관 808"');
      expect(fresh.text).toBe((await api.sql(url)).text);
      expect((await api.write.mem('delete', `${SEARCH}/${created.body.id}`)).status).toBe(204);
    });

    it('another term, or the catalog off: the SQL path (and its answer cache), as before', async () => {
      await api.mem(SEARCH); // catalog in memory
      const other = await api.queriesOf(() => api.mem(qs({ termId: ids.other })));
      expect(other.count).toBe(SQL_PAGE_ONE_QUERIES);
      expect((await api.queriesOf(() => api.mem(qs({ termId: ids.other })))).count).toBe(0); // the answer cache
      const off = await api.queriesOf(() => api.sql(SEARCH));
      expect(off.count).toBe(SQL_PAGE_ONE_QUERIES);
      expect((await api.queriesOf(() => api.sql(SEARCH))).count).toBe(SQL_PAGE_ONE_QUERIES);
      const offLoads = await counted(a.sqlMetrics, 'lectures_search_catalog_loads_total');
      const offLookups = await counted(a.sqlMetrics, 'lectures_search_catalog_lookups_total');
      for (const part of ['catalog', 'counts', 'matches']) {
        expect([offLoads(part, 'ok'), offLookups(part, 'miss'), offLookups(part, 'hit')]).toEqual([0, 0, 0]);
      }
    });

    it('without a current term: the SQL path answers (nothing)', async () => {
      await a.h.db('term').update({ is_current: false });
      try {
        const res = await api.mem(SEARCH);
        expect(res.status).toBe(200);
        expect(JSON.parse(res.text)).toEqual({ items: [], total: 0, page: 1, size: 20 });
      } finally {
        await a.h.db('term').where('id', ids.term).update({ is_current: true });
      }
    });

    it('GET /metrics shows the loads and lookups of each part', async () => {
      await api.mem(qs({ q: 'metrics' }));
      await api.mem(qs({ q: 'metrics' }));
      const res = await request(a.mem).get('/metrics');
      for (const part of ['catalog', 'counts', 'matches']) {
        expect(res.text).toMatch(new RegExp(`lectures_search_catalog_loads_total\\{[^}]*part="${part}"[^}]*result="ok"[^}]*\\} [1-9]`));
        expect(res.text).toMatch(new RegExp(`lectures_search_catalog_lookups_total\\{[^}]*part="${part}"[^}]*result="hit"[^}]*\\} [1-9]`));
      }
    });
  });

  describe('a failed load is not kept: the search fails, the next one loads again and answers', () => {
    async function failingWhileRenamed(table: string, url: string) {
      await a.h.db.schema.renameTable(table, `${table}_away`);
      try {
        const failed = await api.mem(url);
        expect(failed.status).toBe(500);
      } finally {
        await a.h.db.schema.renameTable(`${table}_away`, table);
      }
      const retried = await api.mem(url);
      expect(retried.status).toBe(200);
      expect(retried.text).toBe((await api.sql(url)).text);
    }

    it('the catalog', async () => {
      const loads = await loadsOf(a.h);
      await failingWhileRenamed('section_reservation', qs({ q: 'data' }));
      const after = await loadsOf(a.h);
      expect(after('catalog', 'error')).toBe(loads('catalog', 'error') + 1);
      expect(after('catalog', 'ok')).toBe(loads('catalog', 'ok') + 1);
    });

    it('the counts', async () => {
      await api.mem(qs({ q: 'data' }));
      a.clock.t += COUNTS_TTL;
      const loads = await loadsOf(a.h);
      await failingWhileRenamed('cart_item', qs({ q: 'data' }));
      const after = await loadsOf(a.h);
      expect(after('counts', 'error')).toBe(loads('counts', 'error') + 1);
      expect(after('counts', 'ok')).toBe(loads('counts', 'ok') + 1);
    });

    it('a match list', async () => {
      await api.mem(qs({ q: 'data' }));
      const loads = await loadsOf(a.h);
      await failingWhileRenamed('section_meeting', qs({ q: 'data', day: 'MON' }));
      const after = await loadsOf(a.h);
      expect(after('matches', 'error')).toBe(loads('matches', 'error') + 1);
      expect(after('matches', 'ok')).toBe(loads('matches', 'ok') + 1);
      expect(after('catalog', 'ok')).toBe(loads('catalog', 'ok'));
    });
  });

  describe('a write through this service is in the very next search (same instant, no TTL waited)', () => {
    const urls = () => [SEARCH, qs({ q: 'data' }), qs({ sort: 'seatsLeft', size: 100 }), qs({ generalEducation: 'true' }), qs({ professor: '김' }), qs({ sort: 'capacity', page: 2, size: 5 })];
    /** Warms every URL, runs the write, then the memory answers equal the SQL answers at once. */
    async function visibleAtOnce(write: () => Promise<{ status: number }>, expected: number, changed: string) {
      const before = await Promise.all(urls().map((u) => api.mem(u)));
      const res = await write();
      expect(res.status).toBe(expected);
      const after = await Promise.all(urls().map((u) => api.mem(u)));
      const sql = await Promise.all(urls().map((u) => api.sql(u)));
      expect(after.map((r) => r.text)).toEqual(sql.map((r) => r.text));
      // the write changed what at least one of them answers
      expect(after.some((r, i) => r.text !== before[i]!.text), changed).toBe(true);
    }
    const sectionBody = async (id: number) => {
      const s = JSON.parse((await api.sql(`${SEARCH}/${id}`)).text);
      return { termId: s.termId, lectureId: s.lectureId, sectionNo: s.sectionNo, professorId: s.professorId, capacity: s.capacity, room: s.room, grades: s.grades, allowedMajorIds: s.allowedMajorIds, meetings: s.meetings, reserved: s.reserved };
    };

    it('PUT /sections/:id', async () => {
      const id = ids.sections[3]!;
      const body = await sectionBody(id);
      await visibleAtOnce(() => api.write.mem('put', `${SEARCH}/${id}`, { ...body, capacity: body.capacity + 40 }), 200, 'capacity');
    });

    it('POST /sections, then DELETE /sections/:id', async () => {
      let created = 0;
      const professorId = await a.h.catalog.professor('김신임', 'Kim Newcomer', ids.majors.cse!);
      await visibleAtOnce(async () => {
        const res = await api.write.mem('post', SEARCH, { termId: ids.term, lectureId: ids.lectures[4], sectionNo: 7, professorId, capacity: 99, room: '신관 707', meetings: [{ day: 'SAT', startPeriod: 15, endPeriod: 15 }] });
        created = res.body.id;
        return res;
      }, 201, 'created');
      await visibleAtOnce(() => api.write.mem('delete', `${SEARCH}/${created}`), 204, 'deleted');
    });

    it('POST /sections/import (CSV)', async () => {
      const id = ids.sections[10]!;
      const csv = (await request(a.mem).get(`${SEARCH}/export.csv`).set('Authorization', a.h.staff).buffer(true)).text;
      const changed = csv.replace(new RegExp(`^(${id},\\d+,\\d+,\\d+,\\d+,)(\\d+),`, 'm'), (_m, head: string, cap: string) => `${head}${Number(cap) + 50},`);
      expect(changed).not.toBe(csv);
      await visibleAtOnce(() => request(a.mem).post(`${SEARCH}/import`).set('Authorization', a.h.staff).set('Content-Type', 'text/csv').send(changed), 200, 'capacity');
    });

    it("PUT /lectures/:id (a lecture's title)", async () => {
      const [code, , titleEn, major, credits, category] = LECTURES[3]!;
      await visibleAtOnce(() => api.write.mem('put', `/api/lectures/lectures/${ids.lectures[3]}`, { code, title: 'data 베이스', titleEn, credits, category, majorId: ids.majors[major] }), 200, 'title');
    });

    it("PUT /professors/:id (a professor's name)", async () => {
      await visibleAtOnce(() => api.write.mem('put', `/api/lectures/professors/${ids.professors[0]}`, { name: '감철수', nameEn: 'Gam Chulsoo', majorId: ids.majors.cse }), 200, 'name');
    });

    it('PUT /majors/:id (general education or not)', async () => {
      await visibleAtOnce(() => api.write.mem('put', `/api/lectures/majors/${ids.majors.bus}`, { code: 'BUS', name: '경영학과', nameEn: 'Business', college: '경영대학', isGeneralEducation: true }), 200, 'generalEducation');
      await visibleAtOnce(() => api.write.mem('put', `/api/lectures/majors/${ids.majors.bus}`, { code: 'BUS', name: '경영학과', nameEn: 'Business', college: '경영대학', isGeneralEducation: false }), 200, 'generalEducation');
    });

    it('PUT /terms/:id making another term current, and back', async () => {
      const term = (code: string, id: number, isCurrent: boolean) => api.write.mem('put', `/api/lectures/terms/${id}`, { code, name: `${code} 학기`, startsOn: '2026-03-02', endsOn: '2026-06-20', isCurrent });
      await visibleAtOnce(() => term('2025-2', ids.other, true), 200, 'term');
      expect(JSON.parse((await api.mem(SEARCH)).text).total).toBe(ids.otherSections.length);
      await visibleAtOnce(() => term('2026-1', ids.term, true), 200, 'term');
    });
  });
});

describe.each(engines)('%s: single flight', (engine) => {
  let a: Apps;
  let ids: Ids;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    // One connection, so the test can hold it (an open transaction) while the searches pile up.
    a = await startApps(engine, 1);
    ids = await seedCatalog(a.h);
    api = client(a);
  });
  afterAll(async () => {
    await stopApps(a);
  });

  it('20 concurrent cold searches of 10 filters: one catalog load, one counts load, one match list per filter', async () => {
    const urls = ['자료', 'data', 'kim', '선형', 'cse', 'writing', '김', 'algo', 'lab', '100%'].flatMap((q) => [qs({ q }), qs({ q, page: 2, size: 2 })]);
    const lookups = () => counted(a.h.metrics, 'lectures_search_catalog_lookups_total');
    const before = await loadsOf(a.h);
    const trx = await a.h.db.transaction();
    const counter = countQueries(a.h.db);
    let answers: Awaited<ReturnType<typeof api.mem>>[];
    try {
      const pending = urls.map((u) => api.mem(u));
      await expect
        .poll(async () => {
          const l = await lookups();
          return l('catalog', 'miss') + l('catalog', 'coalesced');
        }, { timeout: 10_000, interval: 5 })
        .toBe(20);
      await trx.commit();
      answers = await Promise.all(pending);
    } finally {
      counter.stop();
      if (!trx.isCompleted()) await trx.rollback();
    }
    const after = await loadsOf(a.h);
    expect(after('catalog', 'ok') - before('catalog', 'ok')).toBe(1);
    expect(after('counts', 'ok') - before('counts', 'ok')).toBe(1);
    expect(after('matches', 'ok') - before('matches', 'ok')).toBe(10);
    const l = await lookups();
    expect([l('catalog', 'miss'), l('catalog', 'coalesced')]).toEqual([1, 19]);
    expect([l('counts', 'miss'), l('counts', 'coalesced')]).toEqual([1, 19]);
    expect([l('matches', 'miss'), l('matches', 'coalesced')]).toEqual([10, 10]);
    expect(counter.statements.filter((s) => /^\s*select/i.test(s))).toHaveLength(CATALOG_QUERIES + 1 + 10);
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const [i, url] of urls.entries()) expect(answers[i]!.text, url).toBe((await api.sql(url)).text);
    expect(ids.sections.length).toBeGreaterThan(0);
  });
});
