import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from '@goorm/common';
import { createTestAuth, createTestDb, testEngines, testLogger, testMetrics, type TestAuth, type TestDb } from '@goorm/common/testing';
import { firstClash, gradeBit, type Meeting } from '@goorm/contracts';
import { generateUniversity, loadUniversity, migrateUniversity, SMALL_UNIVERSITY } from '@goorm/demo-data';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { ModelStore } from '../src/models.ts';

const MODEL_DIR = fileURLToPath(new URL('../models', import.meta.url));
const engines = await testEngines();

/** The demo university with carts; windows open now. */
async function seed(db: Knex) {
  await migrateUniversity(db);
  const u = generateUniversity({ ...SMALL_UNIVERSITY, seed: 11, now: new Date() });
  await loadUniversity(db, u, { passwordHash: 'x', now: new Date() });
  return u;
}

describe.each(engines)('AI helper on %s', (engine) => {
  let t: TestDb;
  let auth: TestAuth;
  let app: Express;
  let store: ModelStore;
  let queries = 0;
  let u: ReturnType<typeof generateUniversity>;

  beforeAll(async () => {
    t = await createTestDb(engine);
    auth = await createTestAuth();
    u = await seed(t.db);
    t.db.on('query', () => queries++);
    // Make the state interesting: some sections full, some students holding sections.
    const full = u.sections.filter((_, i) => i % 7 === 0).map((s) => s.id);
    for (const id of full) await t.db('section_seat').where({ section_id: id }).update({ enrolled: u.sections.find((s) => s.id === id)!.capacity });
    for (const student of u.students.slice(0, 40)) {
      const open = u.sections.find((s) => !full.includes(s.id) && (s.gradeMask & gradeBit(student.grade)) !== 0 && (s.allowedMajorIds.length === 0 || s.allowedMajorIds.includes(student.majorId)));
      if (open) await t.db('enrollment').insert({ student_id: student.id, section_id: open.id, lecture_id: open.lectureId, term_id: u.currentTerm.id, created_at: new Date() });
    }
    store = new ModelStore(MODEL_DIR, testLogger());
    await store.reload(true);
    app = createApp({ db: t.db, verifier: auth.verifier, logger: testLogger(), metrics: testMetrics('ai-helper'), readiness: async () => {}, models: store });
  });
  afterAll(async () => {
    await t.destroy();
  });

  const asStudent = async (id: number) => auth.bearer({ id, role: 'student' });

  it('recommends only sections the student could take: offered, eligible, not held or carted, no clash, credits fit, seats left, one per lecture', async () => {
    const sections = new Map(u.sections.map((s) => [s.id, s]));
    const lectureCredits = new Map(u.lectures.map((l) => [l.id, l.credits]));
    let checked = 0;
    for (const student of u.students.filter((_, i) => i % 9 === 0).slice(0, 30)) {
      const res = await request(app).get('/api/ai/recommendations?limit=50').set('Authorization', await asStudent(student.id));
      expect(res.status).toBe(200);
      const held = (await t.db('enrollment').where({ student_id: student.id }).pluck('section_id')).map(Number);
      const carted = (await t.db('cart_item').where({ student_id: student.id }).pluck('section_id')).map(Number);
      const mine = [...new Set([...held, ...carted])].map((id) => sections.get(id)!);
      const creditsOf = (ids: number[]) => ids.reduce((sum, id) => sum + lectureCredits.get(sections.get(id)!.lectureId)!, 0);
      const room = Math.min(student.maxCredits - creditsOf(held), 24 - creditsOf(carted));
      const seats = new Map((await t.db('section_seat').select('section_id', 'enrolled')).map((r) => [Number(r.section_id), Number(r.enrolled)]));
      // One section per lecture: the student could hold only one of them.
      const lectureIds = (res.body.items as Array<{ sectionId: number }>).map((i) => sections.get(i.sectionId)!.lectureId);
      expect(new Set(lectureIds).size).toBe(lectureIds.length);
      for (const item of res.body.items as Array<{ sectionId: number; reasons: Array<{ text: string }> }>) {
        const s = sections.get(item.sectionId)!;
        expect(s.termId).toBe(u.currentTerm.id);
        expect(s.gradeMask & gradeBit(student.grade)).not.toBe(0);
        expect(s.allowedMajorIds.length === 0 || s.allowedMajorIds.includes(student.majorId)).toBe(true);
        expect(mine.some((m) => m.lectureId === s.lectureId)).toBe(false);
        expect(firstClash(s.meetings as Meeting[], mine.flatMap((m) => m.meetings) as Meeting[])).toBeUndefined();
        expect(lectureCredits.get(s.lectureId)!).toBeLessThanOrEqual(room);
        expect(s.capacity - (seats.get(s.id) ?? 0)).toBeGreaterThan(0);
        expect(item.reasons.length).toBeGreaterThan(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('ranks by the model, best first, with reasons in Korean', async () => {
    const student = u.students[3]!;
    await t.db('cart_item').where({ student_id: student.id }).delete();
    const res = await request(app).get('/api/ai/recommendations').set('Authorization', await asStudent(student.id));
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(10);
    const scores = res.body.items.map((i: { score: number }) => i.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(res.body.modelVersion).toBe((store.current as { models: { card: { version: string } } }).models.card.version);
    const texts = res.body.items.flatMap((i: { reasons: Array<{ text: string }> }) => i.reasons.map((r) => r.text)).join(' ');
    expect(texts).toMatch(/비어 있는 [월화수목금토·]+ (오전|오후|저녁)/);
    expect(texts).toMatch(/학생들이 (많이|함께) 담은|전공필수|전공 강의|교수님/);
  });

  it('answers with a fixed number of queries whatever the number of candidates (no N+1)', async () => {
    const student = u.students[5]!;
    const bearer = await asStudent(student.id);
    await request(app).get('/api/ai/recommendations?limit=5').set('Authorization', bearer); // warm the catalog
    queries = 0;
    await request(app).get('/api/ai/recommendations?limit=50').set('Authorization', bearer);
    expect(queries).toBe(3);
    queries = 0;
    const ids = u.sections.slice(0, 50).map((s) => s.id).join(',');
    await request(app).get(`/api/ai/forecast?sectionIds=${ids}`).set('Authorization', bearer);
    expect(queries).toBe(0);
  });

  it("a student gets only their own recommendations: another student's id in the query is ignored, staff are refused", async () => {
    const [a, b] = [u.students[1]!, u.students[2]!];
    const own = await request(app).get('/api/ai/recommendations').set('Authorization', await asStudent(a.id));
    const trying = await request(app).get(`/api/ai/recommendations?studentId=${b.id}`).set('Authorization', await asStudent(a.id));
    const theirs = await request(app).get('/api/ai/recommendations').set('Authorization', await asStudent(b.id));
    expect(trying.body.items.map((i: { sectionId: number }) => i.sectionId)).toEqual(own.body.items.map((i: { sectionId: number }) => i.sectionId));
    expect(trying.body.items.map((i: { sectionId: number }) => i.sectionId)).not.toEqual(theirs.body.items.map((i: { sectionId: number }) => i.sectionId));
    const staff = await request(app).get('/api/ai/recommendations').set('Authorization', await auth.bearer({ id: 1, role: 'staff' }));
    expect(staff.status).toBe(403);
    const anonymous = await request(app).get('/api/ai/recommendations');
    expect(anonymous.status).toBe(401);
  });

  it.each([
    ['/api/ai/recommendations?limit=0', 'limit'],
    ['/api/ai/recommendations?limit=abc', 'limit'],
    ['/api/ai/recommendations?limit=51', 'limit'],
    ['/api/ai/forecast', 'sectionIds'],
    ['/api/ai/forecast?sectionIds=', 'sectionIds'],
    ['/api/ai/forecast?sectionIds=1,,2', 'sectionIds'],
    ['/api/ai/forecast?sectionIds=-1', 'sectionIds'],
    ['/api/ai/forecast?sectionIds=%E0%A4%A', 'sectionIds'],
    [`/api/ai/forecast?sectionIds=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`, 'sectionIds'],
  ])('%s answers 400 problem+json naming %s', async (url, field) => {
    const res = await request(app).get(url).set('Authorization', await asStudent(u.students[0]!.id));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.errors)).toContain(field);
  });

  it('forecasts up to 100 sections for students and staff: probabilities grow with T, a level, unknown ids listed', async () => {
    const ids = u.sections.slice(0, 50).map((s) => s.id);
    for (const bearer of [await asStudent(u.students[0]!.id), await auth.bearer({ id: 1, role: 'staff' })]) {
      const res = await request(app).get(`/api/ai/forecast?sectionIds=${[...ids, 999_999].join(',')}`).set('Authorization', bearer);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { sectionId: number }) => i.sectionId)).toEqual(ids);
      expect(res.body.unknownSectionIds).toEqual([999_999]);
      for (const item of res.body.items) {
        const ps = ['1', '5', '10', '30', '60'].map((k) => item.pFillWithin[k]);
        expect(ps).toEqual([...ps].sort((a, b) => a - b));
        expect(item.pFill).toBeGreaterThanOrEqual(ps[4]!);
        expect(item.pFill).toBeLessThanOrEqual(1);
        expect(['VERY_HIGH', 'HIGH', 'LOW']).toContain(item.level);
      }
    }
    // More carts per seat, more competition: the most carted section is forecast at least as contested as the least.
    const counts = (await t.db('cart_item').select('section_id').count({ n: '*' }).groupBy('section_id')) as Array<{ section_id: number; n: number }>;
    const sorted = counts.map((r) => ({ id: Number(r.section_id), n: Number(r.n) })).sort((a, b) => b.n - a.n);
    const res = await request(app).get(`/api/ai/forecast?sectionIds=${sorted[0]!.id},${sorted.at(-1)!.id}`).set('Authorization', await asStudent(u.students[0]!.id));
    expect(res.body.items[0].pFill).toBeGreaterThan(res.body.items[1].pFill);
  });

  it('serves the model card and the loaded files', async () => {
    const res = await request(app).get('/api/ai/model').set('Authorization', await asStudent(u.students[0]!.id));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.card.models)).toEqual(['recommender', 'forecast']);
    expect(res.body.files.recommender.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the model directory', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const build = (dir: string) => {
    const store = new ModelStore(dir, testLogger());
    return { store, app: createApp({ db: {} as Knex, verifier: {} as never, logger: testLogger(), metrics: testMetrics('ai-helper'), readiness: async () => {}, models: store }) };
  };

  it('a missing model makes /readyz fail and the API answer 503; a model copied in later is picked up without a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-models-'));
    dirs.push(dir);
    const { store, app } = build(dir);
    await store.reload(true);
    expect((await request(app).get('/readyz')).status).toBe(503);
    expect(store.current).toMatchObject({ status: 'error', error: expect.stringContaining('model-card.json') });
    cpSync(MODEL_DIR, dir, { recursive: true });
    await store.reload();
    expect((await request(app).get('/readyz')).status).toBe(200);
  });

  it('a corrupt .onnx is refused with a clear error (never a silent fallback), and a good one swaps back in', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-models-'));
    dirs.push(dir);
    cpSync(MODEL_DIR, dir, { recursive: true });
    const { store, app } = build(dir);
    await store.reload(true);
    expect(store.current.status).toBe('loaded');
    writeFileSync(path.join(dir, 'forecast.onnx'), 'not a model');
    await store.reload();
    expect(store.current).toMatchObject({ status: 'error', error: expect.stringContaining('forecast.onnx does not load') });
    expect((await request(app).get('/readyz')).status).toBe(503);
    cpSync(path.join(MODEL_DIR, 'forecast.onnx'), path.join(dir, 'forecast.onnx'));
    await store.reload();
    expect(store.current.status).toBe('loaded');
  });

  it('a card whose features differ from the service is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-models-'));
    dirs.push(dir);
    cpSync(MODEL_DIR, dir, { recursive: true });
    const card = JSON.parse((await import('node:fs')).readFileSync(path.join(dir, 'model-card.json'), 'utf8'));
    card.models.recommender.features = [...card.models.recommender.features].reverse();
    writeFileSync(path.join(dir, 'model-card.json'), JSON.stringify(card));
    const { store } = build(dir);
    await store.reload(true);
    expect(store.current).toMatchObject({ status: 'error', error: expect.stringContaining('recommender features') });
  });
});
