import { testEngines } from '@goorm/common/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogCounts, startHarness, uniq, type Harness } from './harness.ts';

const engines = await testEngines();

describe.each(engines)('%s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  const api = (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object, auth = h.staff) => {
    const r = request(h.app)[method](`/api/lectures${path}`).set('Authorization', auth);
    return body === undefined ? r : r.send(body);
  };
  const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

  /** Every invalid field of a write: 400 VALIDATION_FAILED naming it, and nothing written. */
  async function expectRefused(method: 'post' | 'put', path: string, body: object, field: string) {
    const before = await catalogCounts(h.db);
    const res = await api(method, path, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fields(res)).toContain(field);
    expect(await catalogCounts(h.db)).toEqual(before);
  }

  describe('terms', () => {
    const term = (code: string, over: object = {}) => ({ code, name: `${code} 학기`, startsOn: '2026-03-02', endsOn: '2026-06-20', ...over });

    it('the first term becomes current; making another current leaves exactly one current term', async () => {
      const first = await api('post', '/terms', term('2026-1'));
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ id: expect.any(Number), code: '2026-1', name: '2026-1 학기', startsOn: '2026-03-02', endsOn: '2026-06-20', isCurrent: true });
      const second = await api('post', '/terms', term('2026-2', { startsOn: '2026-09-01', endsOn: '2026-12-20' }));
      expect(second.body.isCurrent).toBe(false);

      const moved = await api('put', `/terms/${second.body.id}`, term('2026-2', { startsOn: '2026-09-01', endsOn: '2026-12-20', isCurrent: true }));
      expect(moved.status).toBe(200);
      expect(await h.db('term').where('is_current', true).pluck('id')).toEqual([second.body.id]);

      const list = await api('get', '/terms', undefined, h.student);
      expect(list.status).toBe(200);
      expect(list.body.items.map((t: { code: string; isCurrent: boolean }) => [t.code, t.isCurrent])).toEqual([
        ['2026-2', true],
        ['2026-1', false],
      ]);
    });

    it('refuses to unset the current term (409 CONFLICT) and to delete it while other terms exist', async () => {
      const current = (await h.db('term').where('is_current', true).first()) as { id: number; code: string };
      const unset = await api('put', `/terms/${current.id}`, term(current.code, { startsOn: '2026-09-01', endsOn: '2026-12-20', isCurrent: false }));
      expect(unset.status).toBe(409);
      const del = await api('delete', `/terms/${current.id}`);
      expect(del.status).toBe(409);
      expect(await h.db('term').where('is_current', true).pluck('id')).toEqual([current.id]);
    });

    it('a second term with the same code answers 409 DUPLICATE and writes nothing', async () => {
      const before = await catalogCounts(h.db);
      const res = await api('post', '/terms', term('2026-1'));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('DUPLICATE');
      expect(await catalogCounts(h.db)).toEqual(before);
    });

    it.each([
      ['code', { code: '2026-3' }],
      ['code', { code: undefined }],
      ['name', { name: '' }],
      ['startsOn', { startsOn: '2026-02-30' }],
      ['endsOn', { endsOn: 'June' }],
      ['endsOn', { startsOn: '2026-07-01', endsOn: '2026-06-30' }],
      ['isCurrent', { isCurrent: 'yes' }],
    ])('an invalid %s answers 400 naming it and writes nothing', async (field, over) => {
      await expectRefused('post', '/terms', term('2027-1', over), `body.${field}`);
    });

    it('a term with sections cannot be deleted (409 IN_USE); one without can', async () => {
      const t = await h.catalog.term(`2030-${uniq() % 2 ? 'S' : 'W'}`);
      const m = await h.catalog.major(`T${String.fromCharCode(65 + (uniq() % 26))}Z`, '임시학과');
      const p = await h.catalog.professor('임교수', 'Lim', m);
      const l = await h.catalog.lecture(`TMP${1000 + uniq()}`, '임시', 'Temp', m);
      const s = await h.catalog.section({ termId: t, lectureId: l, professorId: p, meetings: [['MON', 1, 1]] });
      const refused = await api('delete', `/terms/${t}`);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'IN_USE', usedBy: { section: 1 } });
      await h.db('section').where('id', s).delete();
      expect((await api('delete', `/terms/${t}`)).status).toBe(204);
      expect(await h.db('term').where('id', t).first()).toBeUndefined();
    });
  });

  describe('majors', () => {
    const major = (code: string, over: object = {}) => ({ code, name: '경영학과', nameEn: 'Business', college: '경영대학', ...over });

    it('staff creates, reads, updates and lists majors; students read them', async () => {
      const created = await api('post', '/majors', major('BUS'));
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(Number), code: 'BUS', name: '경영학과', nameEn: 'Business', college: '경영대학', isGeneralEducation: false });
      const updated = await api('put', `/majors/${created.body.id}`, major('BUS', { name: '경영학부' }));
      expect(updated.body.name).toBe('경영학부');
      expect((await h.db('major').where('id', created.body.id).first()).name).toBe('경영학부');
      const ge = await api('post', '/majors', major('LIB', { name: '교양학부', college: '교양대학', isGeneralEducation: true }));
      const list = await api('get', '/majors?generalEducation=true', undefined, h.student);
      expect(list.status).toBe(200);
      expect(list.body.items.map((m: { id: number }) => m.id)).toEqual([ge.body.id]);
      expect((await api('get', `/majors/${created.body.id}`, undefined, h.student)).body.code).toBe('BUS');
    });

    it('a second major with the same code answers 409 DUPLICATE', async () => {
      await api('post', '/majors', major('DUP'));
      const res = await api('post', '/majors', major('DUP'));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('DUPLICATE');
      expect(await h.db('major').where('code', 'DUP').count('* as n').first()).toEqual({ n: 1 });
    });

    it.each([
      ['code', { code: 'cs' }],
      ['code', { code: 'ABCDE' }],
      ['name', { name: '' }],
      ['nameEn', { nameEn: undefined }],
      ['college', { college: 'x'.repeat(65) }],
      ['isGeneralEducation', { isGeneralEducation: 'no' }],
    ])('an invalid %s answers 400 naming it and writes nothing', async (field, over) => {
      await expectRefused('post', '/majors', major('NEW', over), `body.${field}`);
    });

    it('a major that lectures point at cannot be deleted (409 IN_USE); an unused one can', async () => {
      const used = await h.catalog.major('USE', '사용학과');
      await h.catalog.lecture(`USE${1000 + uniq()}`, '과목', 'Course', used);
      const res = await api('delete', `/majors/${used}`);
      expect(res.status).toBe(409);
      expect(res.body.usedBy).toEqual({ lecture: 1 });
      const unused = await h.catalog.major('UNU', '미사용학과');
      expect((await api('delete', `/majors/${unused}`)).status).toBe(204);
      expect(await h.db('major').where('id', unused).first()).toBeUndefined();
      expect(await h.db('major').where('id', used).first()).toBeDefined();
    });
  });

  describe('professors', () => {
    let majorId: number;
    beforeAll(async () => {
      majorId = await h.catalog.major('PRF', '교수학과');
    });
    const professor = (over: object = {}) => ({ name: '정교수', nameEn: 'Jung Gyosu', majorId, email: 'jung@goorm.ac.kr', ...over });

    it('staff creates and updates a professor; the list is paginated and filtered by name', async () => {
      const created = await api('post', '/professors', professor());
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(Number), name: '정교수', nameEn: 'Jung Gyosu', majorId, email: 'jung@goorm.ac.kr' });
      const updated = await api('put', `/professors/${created.body.id}`, professor({ email: null }));
      expect(updated.body.email).toBeNull();
      for (let i = 0; i < 3; i++) await api('post', '/professors', professor({ name: `윤교수${i}`, nameEn: `Yoon ${i}` }));
      const page1 = await api('get', `/professors?majorId=${majorId}&q=윤교수&size=2`, undefined, h.student);
      const page2 = await api('get', `/professors?majorId=${majorId}&q=yoon&size=2&page=2`, undefined, h.student);
      expect([page1.body.total, page2.body.total]).toEqual([3, 3]);
      expect(page1.body.items.map((p: { name: string }) => p.name)).toEqual(['윤교수0', '윤교수1']);
      expect(page2.body.items.map((p: { name: string }) => p.name)).toEqual(['윤교수2']);
    });

    it.each([
      ['name', { name: '' }],
      ['nameEn', { nameEn: 'x'.repeat(97) }],
      ['majorId', { majorId: undefined }],
      ['majorId', { majorId: 999_999 }],
      // ids in a JSON body are numbers, never coerced
      ['majorId', { majorId: '1' }],
      ['majorId', { majorId: true }],
      ['email', { email: 'not-an-email' }],
    ])('an invalid %s answers 400 naming it and writes nothing', async (field, over) => {
      await expectRefused('post', '/professors', professor(over), `body.${field}`);
    });

    it('an invalid field of an update answers 400 and changes nothing', async () => {
      const created = await api('post', '/professors', professor({ name: '변경없음' }));
      const res = await api('put', `/professors/${created.body.id}`, professor({ name: '변경', majorId: 999_999 }));
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(['body.majorId']);
      expect((await h.db('professor').where('id', created.body.id).first()).name).toBe('변경없음');
    });

    it('a professor who teaches a section cannot be deleted (409 IN_USE)', async () => {
      const t = (await h.db('term').first('id')) as { id: number };
      const p = await h.catalog.professor('강의중', 'Teaching', majorId);
      const l = await h.catalog.lecture(`PRF${1000 + uniq()}`, '과목', 'Course', majorId);
      await h.catalog.section({ termId: t.id, lectureId: l, professorId: p, meetings: [['SAT', 9, 9]] });
      const res = await api('delete', `/professors/${p}`);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('IN_USE');
      expect(await h.db('professor').where('id', p).first()).toBeDefined();
    });
  });

  describe('lectures', () => {
    let majorId: number;
    beforeAll(async () => {
      majorId = await h.catalog.major('LEC', '강의학과');
    });
    const lecture = (code: string, over: object = {}) => ({
      code,
      title: '컴퓨터구조',
      titleEn: 'Computer Architecture',
      credits: 3,
      category: 'MAJOR_ELECTIVE',
      majorId,
      description: '명령어 집합, 파이프라인, 캐시',
      ...over,
    });

    it('staff creates, reads and updates a lecture', async () => {
      const created = await api('post', '/lectures', lecture('LEC2030'));
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(Number), ...lecture('LEC2030') });
      const updated = await api('put', `/lectures/${created.body.id}`, lecture('LEC2030', { credits: 4, category: 'MAJOR_REQUIRED' }));
      expect(updated.body).toMatchObject({ credits: 4, category: 'MAJOR_REQUIRED' });
      expect(await h.db('lecture').where('id', created.body.id).first()).toMatchObject({ credits: 4, category: 'MAJOR_REQUIRED' });
      expect((await api('get', `/lectures/${created.body.id}`, undefined, h.student)).body.code).toBe('LEC2030');
    });

    it('lists lectures by keyword, category and credits with pagination totals', async () => {
      for (const [code, title, credits] of [['LEC1001', '이산수학', 3], ['LEC1002', '선형대수', 3], ['LEC1003', '이산구조', 2]] as const) {
        await api('post', '/lectures', lecture(code, { title, titleEn: `${title} en`, credits, category: 'GENERAL' }));
      }
      const byTitle = await api('get', `/lectures?q=이산&majorId=${majorId}`, undefined, h.student);
      expect(byTitle.body.items.map((l: { code: string }) => l.code)).toEqual(['LEC1001', 'LEC1003']);
      const filtered = await api('get', `/lectures?category=GENERAL&credits=3&majorId=${majorId}&size=1&page=2`, undefined, h.student);
      expect(filtered.body).toMatchObject({ total: 2, page: 2, size: 1 });
      expect(filtered.body.items.map((l: { code: string }) => l.code)).toEqual(['LEC1002']);
    });

    it('a second lecture with the same code answers 409 DUPLICATE', async () => {
      await api('post', '/lectures', lecture('LEC3000'));
      const before = await catalogCounts(h.db);
      const res = await api('post', '/lectures', lecture('LEC3000', { title: '다른 과목' }));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('DUPLICATE');
      expect(await catalogCounts(h.db)).toEqual(before);
    });

    it.each([
      ['code', { code: 'CSE201' }],
      ['code', { code: 'cse2010' }],
      ['code', { code: 'ABCDE2010' }],
      ['title', { title: '' }],
      ['titleEn', { titleEn: 'x'.repeat(161) }],
      ['credits', { credits: 0 }],
      ['credits', { credits: 5 }],
      ['category', { category: '전공필수' }],
      ['majorId', { majorId: 999_999 }],
      ['majorId', { majorId: '1' }],
      ['majorId', { majorId: true }],
      ['description', { description: 42 }],
    ])('an invalid %s answers 400 naming it and writes nothing', async (field, over) => {
      await expectRefused('post', '/lectures', lecture('LEC9999', over), `body.${field}`);
    });

    it('an invalid field of an update answers 400 and changes nothing', async () => {
      const created = await api('post', '/lectures', lecture('LEC4000'));
      await expectRefused('put', `/lectures/${created.body.id}`, lecture('LEC4000', { credits: 9 }), 'body.credits');
      expect((await h.db('lecture').where('id', created.body.id).first()).credits).toBe(3);
    });

    it('a lecture with sections cannot be deleted (409 IN_USE); one without can', async () => {
      const t = (await h.db('term').first('id')) as { id: number };
      const p = await h.catalog.professor('삭제', 'Delete', majorId);
      const used = await api('post', '/lectures', lecture('LEC5000'));
      await h.catalog.section({ termId: t.id, lectureId: used.body.id, professorId: p, meetings: [['SAT', 10, 10]] });
      expect((await api('delete', `/lectures/${used.body.id}`)).status).toBe(409);
      const unused = await api('post', '/lectures', lecture('LEC5001'));
      expect((await api('delete', `/lectures/${unused.body.id}`)).status).toBe(204);
      expect(await h.db('lecture').where('id', unused.body.id).first()).toBeUndefined();
    });

    it('answers 404 for a lecture that does not exist', async () => {
      expect((await api('get', '/lectures/999999', undefined, h.student)).status).toBe(404);
      expect((await api('put', '/lectures/999999', lecture('LEC6000'))).status).toBe(404);
      expect((await api('delete', '/lectures/999999')).status).toBe(404);
    });
  });

  describe('who may write the catalog', () => {
    it.each([
      ['post', '/terms'],
      ['put', '/terms/1'],
      ['delete', '/terms/1'],
      ['post', '/majors'],
      ['put', '/majors/1'],
      ['delete', '/majors/1'],
      ['post', '/professors'],
      ['put', '/professors/1'],
      ['delete', '/professors/1'],
      ['post', '/lectures'],
      ['put', '/lectures/1'],
      ['delete', '/lectures/1'],
    ] as const)('a student gets 403 on %s %s, and no token gets 401', async (method, path) => {
      const before = await catalogCounts(h.db);
      const asStudent = await api(method, path, {}, h.student);
      expect(asStudent.status).toBe(403);
      expect(asStudent.body.code).toBe('FORBIDDEN');
      const anonymous = await request(h.app)[method](`/api/lectures${path}`).send({});
      expect(anonymous.status).toBe(401);
      expect(await catalogCounts(h.db)).toEqual(before);
    });

    it('reads need a signed-in caller', async () => {
      for (const path of ['/terms', '/majors', '/professors', '/lectures']) {
        expect((await request(h.app).get(`/api/lectures${path}`)).status).toBe(401);
      }
    });
  });
});
