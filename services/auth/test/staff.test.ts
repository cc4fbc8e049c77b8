import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '@goorm/common';
import { testEngines } from '@goorm/common/testing';
import { PASSWORD, setup, uniqueSuffix, type AuthTestContext } from './helpers.ts';
import { itRefusesInvalidFields, type InvalidField, type InvalidFieldsSpec } from './validation.ts';

const engines = await testEngines();

const newStaff = () => ({ loginId: `clerk${uniqueSuffix()}`, name: '한교직', password: 'staff-pass-1' });

const invalidFields: InvalidField[] = [
  ['loginId', 'missing', undefined],
  ['loginId', 'too short', 'ab'],
  ['loginId', 'with spaces', 'kim min'],
  ['loginId', 'Korean', '김민수'],
  ['loginId', 'too long', 'a'.repeat(65)],
  ['name', 'missing', undefined],
  ['name', 'blank', ''],
  ['name', 'too long', 'x'.repeat(65)],
  ['password', 'too short', 'short'],
  ['password', 'not a string', 123456789],
];

describe.each(engines)('%s', (engine) => {
  let t: AuthTestContext;
  beforeAll(async () => {
    t = await setup(engine);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const rowOf = (id: number) => t.db('staff').where({ id }).first();
  const invalidWrites: InvalidFieldsSpec = { route: '/api/auth/staff', table: 'staff', cases: invalidFields, context: () => t, valid: newStaff, insert: () => t.insertStaff() };

  describe('GET /api/auth/staff', () => {
    it('searches name or login id on the server and paginates with the total', async () => {
      const tag = uniqueSuffix();
      for (let i = 0; i < 5; i++) await t.insertStaff({ loginId: `team${tag}.${i}`, name: `학사팀${i}` });
      const staff = await t.staffBearer();
      const res = await t.http.get('/api/auth/staff').query({ q: `team${tag}`, size: 2, page: 3 }).set('Authorization', staff);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 5, page: 3, size: 2 });
      expect(res.body.items.map((s: { loginId: string }) => s.loginId)).toEqual([`team${tag}.4`]);
      expect(res.body.items[0]).not.toHaveProperty('passwordHash');
      const byName = await t.http.get('/api/auth/staff').query({ q: '학사팀3' }).set('Authorization', staff);
      expect(byName.body.items.map((s: { loginId: string }) => s.loginId)).toEqual([`team${tag}.3`]);
    });

    it('issues the same number of SQL queries for a page of 10 and a page of 100', async () => {
      for (let i = 0; i < 30; i++) await t.insertStaff();
      const staff = await t.staffBearer();
      const queries = countQueries(t.db);
      try {
        await t.http.get('/api/auth/staff').query({ size: 10 }).set('Authorization', staff);
        const forSmall = queries.count;
        queries.reset();
        const large = await t.http.get('/api/auth/staff').query({ size: 100 }).set('Authorization', staff);
        expect(large.body.items.length).toBeGreaterThan(10);
        expect(queries.count).toBe(forSmall);
      } finally {
        queries.stop();
      }
    });

    it('for a student answers 403', async () => {
      const s = await t.insertStudent();
      const res = await t.http.get('/api/auth/staff').set('Authorization', await t.studentBearer(s.id));
      expect(res.status).toBe(403);
    });
  });

  describe('POST /api/auth/staff', () => {
    it('creates the account with a lower-cased login id and an argon2id hash; they can sign in', async () => {
      const body = { ...newStaff(), loginId: `New.Clerk${uniqueSuffix()}` };
      const res = await t.http.post('/api/auth/staff').set('Authorization', await t.staffBearer()).send(body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ loginId: body.loginId.toLowerCase(), name: '한교직' });
      expect(res.body).not.toHaveProperty('passwordHash');
      const row = await rowOf(res.body.id);
      expect(row.login_id).toBe(body.loginId.toLowerCase());
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      const login = await t.http.post('/api/auth/login').send({ role: 'staff', loginId: body.loginId, password: body.password });
      expect(login.status).toBe(200);
    });

    itRefusesInvalidFields('post', invalidWrites);

    it('when the login id is taken (in any case), answers 409 DUPLICATE naming loginId and writes nothing', async () => {
      const existing = await t.insertStaff();
      const before = await t.count('staff');
      const res = await t.http.post('/api/auth/staff').set('Authorization', await t.staffBearer()).send({ ...newStaff(), loginId: existing.loginId.toUpperCase() });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', field: 'loginId' });
      expect(await t.count('staff')).toBe(before);
    });

    it('for a student answers 403 and writes nothing', async () => {
      const s = await t.insertStudent();
      const before = await t.count('staff');
      const res = await t.http.post('/api/auth/staff').set('Authorization', await t.studentBearer(s.id)).send(newStaff());
      expect(res.status).toBe(403);
      expect(await t.count('staff')).toBe(before);
    });
  });

  describe('PUT /api/auth/staff/:id', () => {
    it('replaces login id and name and keeps the password when none is given', async () => {
      const st = await t.insertStaff();
      const before = await rowOf(st.id);
      const { password: _p, ...body } = newStaff();
      const res = await t.http.put(`/api/auth/staff/${st.id}`).set('Authorization', await t.staffBearer()).send({ ...body, name: '한팀장' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: st.id, loginId: body.loginId, name: '한팀장' });
      expect((await rowOf(st.id)).password_hash).toBe(before.password_hash);
      expect((await t.http.post('/api/auth/login').send({ role: 'staff', loginId: body.loginId, password: PASSWORD })).status).toBe(200);
    });

    it('resets the password when one is given', async () => {
      const st = await t.insertStaff();
      const res = await t.http
        .put(`/api/auth/staff/${st.id}`)
        .set('Authorization', await t.staffBearer())
        .send({ loginId: st.loginId, name: '새이름', password: 'another-pass-9' });
      expect(res.status).toBe(200);
      expect((await t.http.post('/api/auth/login').send({ role: 'staff', loginId: st.loginId, password: PASSWORD })).status).toBe(401);
      expect((await t.http.post('/api/auth/login').send({ role: 'staff', loginId: st.loginId, password: 'another-pass-9' })).status).toBe(200);
    });

    itRefusesInvalidFields('put', invalidWrites);

    it('when the new login id belongs to someone else, answers 409 DUPLICATE and changes nothing', async () => {
      const a = await t.insertStaff();
      const b = await t.insertStaff();
      const before = await rowOf(b.id);
      const res = await t.http.put(`/api/auth/staff/${b.id}`).set('Authorization', await t.staffBearer()).send({ ...newStaff(), loginId: a.loginId });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', field: 'loginId' });
      expect(await rowOf(b.id)).toEqual(before);
    });

    it('answers 404 for an unknown staff id', async () => {
      const res = await t.http.put('/api/auth/staff/987654').set('Authorization', await t.staffBearer()).send(newStaff());
      expect(res.status).toBe(404);
    });
  });

  describe('DELETE /api/auth/staff/:id', () => {
    it('deletes another staff account: 204 and the row is gone', async () => {
      const st = await t.insertStaff();
      const res = await t.http.delete(`/api/auth/staff/${st.id}`).set('Authorization', await t.staffBearer());
      expect(res.status).toBe(204);
      expect(await rowOf(st.id)).toBeUndefined();
    });

    it('a staff member cannot delete their own account: 409 CONFLICT and the row stays', async () => {
      const me = await t.insertStaff();
      const bearer = await t.auth.bearer({ id: me.id, role: 'staff', loginId: me.loginId });
      const res = await t.http.delete(`/api/auth/staff/${me.id}`).set('Authorization', bearer);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
      expect(await rowOf(me.id)).toBeDefined();
    });

    it('answers 404 for an unknown staff id', async () => {
      expect((await t.http.delete('/api/auth/staff/987654').set('Authorization', await t.staffBearer())).status).toBe(404);
    });

    it('for a student answers 403 and deletes nothing', async () => {
      const s = await t.insertStudent();
      const st = await t.insertStaff();
      const res = await t.http.delete(`/api/auth/staff/${st.id}`).set('Authorization', await t.studentBearer(s.id));
      expect(res.status).toBe(403);
      expect(await rowOf(st.id)).toBeDefined();
    });
  });
});
