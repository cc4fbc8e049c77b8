import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevocationList, createTokenVerifier, toIso, TokenInvalidError, type RevocationList } from '@goorm/common';
import { testEngines, TEST_TOKEN_SETTINGS } from '@goorm/common/testing';
import { purgeExpired } from '../src/db/revocations.ts';
import { nextStudentNo, setup, type AuthTestContext } from './helpers.ts';

const engines = await testEngines();

/**
 * Tokens of deleted accounts and of accounts whose password changed since are refused by every
 * service: auth writes `account_revocation` in the transaction of the change; the verifier each
 * service builds in bootstrap consults the revocation list it polls (ACCOUNT_REVOCATION_POLL_MS).
 */
describe.each(engines)('%s', (engine) => {
  let t: AuthTestContext;
  beforeAll(async () => {
    t = await setup(engine);
  });
  afterAll(async () => {
    for (const l of lists) l.stop();
    await t.destroy();
  });

  /** What a service's bootstrap builds; the test refreshes the list where the poll would. */
  const lists: RevocationList[] = [];
  const serviceVerifier = async () => {
    const revocations = createRevocationList(t.db, { pollMs: 0 });
    lists.push(revocations);
    await revocations.refresh();
    const verifier = await createTokenVerifier(t.auth.publicKey, { ...TEST_TOKEN_SETTINGS, clockToleranceSeconds: 30, accounts: revocations.check });
    return { verifier, revocations };
  };
  const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (err: unknown) => (err instanceof TokenInvalidError ? err.reason : `other: ${String(err)}`));

  it("a deleted student's still-valid token is refused after the next poll; a deleted staff member's too", async () => {
    const { verifier, revocations } = await serviceVerifier();
    const s = await t.insertStudent();
    const token = await t.auth.token({ id: s.id, role: 'student' });
    expect((await verifier.verify(token)).id).toBe(s.id); // valid, and now cached by signature
    const del = await t.http.delete(`/api/auth/students/${s.id}`).set('Authorization', await t.staffBearer());
    expect(del.status).toBe(204);
    expect(await refusal(verifier.verify(token))).toBe('accepted'); // until the poll: the documented delay
    await revocations.refresh();
    expect(await refusal(verifier.verify(token))).toBe('revoked');

    const st = await t.insertStaff();
    const staffToken = await t.auth.token({ id: st.id, role: 'staff' });
    expect(await refusal(verifier.verify(staffToken))).toBe('accepted');
    const delStaff = await t.http.delete(`/api/auth/staff/${st.id}`).set('Authorization', await t.staffBearer());
    expect(delStaff.status).toBe(204);
    await revocations.refresh();
    expect(await refusal(verifier.verify(staffToken))).toBe('revoked');
    // Another student's token is untouched.
    const other = await t.insertStudent();
    expect(await refusal(verifier.verify(await t.auth.token({ id: other.id, role: 'student' })))).toBe('accepted');
  });

  it('a password change signs out the tokens issued before it, not those issued after; other changes sign out nobody', async () => {
    const { verifier, revocations } = await serviceVerifier();
    const s = await t.insertStudent();
    const before = await t.auth.token({ id: s.id, role: 'student' }, 3600, new Date(Date.now() - 5_000));
    expect(await refusal(verifier.verify(before))).toBe('accepted');
    const put = await t.http
      .put(`/api/auth/students/${s.id}`)
      .set('Authorization', await t.staffBearer())
      .send({ studentNo: nextStudentNo(), name: '비밀번호변경', majorId: t.majors.cse, grade: 2, password: 'a-new-password-9' });
    expect(put.status).toBe(200);
    await revocations.refresh();
    expect(await refusal(verifier.verify(before))).toBe('revoked');
    const after = await t.auth.token({ id: s.id, role: 'student' }, 3600, new Date(Date.now() + 1_000));
    expect(await refusal(verifier.verify(after))).toBe('accepted');
    // Other changes (no password) do not sign anyone out.
    const other = await t.insertStudent();
    const otherToken = await t.auth.token({ id: other.id, role: 'student' });
    await t.http
      .put(`/api/auth/students/${other.id}`)
      .set('Authorization', await t.staffBearer())
      .send({ studentNo: other.studentNo, name: '학년변경', majorId: t.majors.cse, grade: 3 });
    await revocations.refresh();
    expect(await refusal(verifier.verify(otherToken))).toBe('accepted');
  });

  it('tells a token issued just after a password change from one just before it, within the same second (iatMs)', async () => {
    const { verifier, revocations } = await serviceVerifier();
    const s = await t.insertStudent();
    const put = await t.http
      .put(`/api/auth/students/${s.id}`)
      .set('Authorization', await t.staffBearer())
      .send({ studentNo: nextStudentNo(), name: '같은초', majorId: t.majors.cse, grade: 2, password: 'a-new-password-9' });
    expect(put.status).toBe(200);
    const row = (await t.db('account_revocation').where({ role: 'student', account_id: s.id }).orderBy('id', 'desc').first()) as { revoked_at: unknown };
    const at = new Date(toIso(row.revoked_at)).getTime();
    await revocations.refresh();
    // Signed 1 ms either side of the revocation: often the same whole second, which iat alone cannot split.
    const justBefore = await t.auth.token({ id: s.id, role: 'student' }, 3600, new Date(at - 1));
    const justAfter = await t.auth.token({ id: s.id, role: 'student' }, 3600, new Date(at + 1));
    expect(await refusal(verifier.verify(justBefore))).toBe('revoked');
    expect(await refusal(verifier.verify(justAfter))).toBe('accepted');
    // A sign-in with the new password at once (the same second as the change) gets a token that works.
    const login = await t.http.post('/api/auth/login').send({ role: 'student', loginId: put.body.studentNo, password: 'a-new-password-9' });
    expect(login.status).toBe(200);
    expect(await refusal(verifier.verify(login.body.accessToken as string))).toBe('accepted');
  });

  it('a new list starts with the revocations of its horizon; a poll reads only new rows', async () => {
    const s1 = await t.insertStudent();
    const del = await t.http.delete(`/api/auth/students/${s1.id}`).set('Authorization', await t.staffBearer());
    expect(del.status).toBe(204);
    const old = await t.auth.token({ id: s1.id, role: 'student' }, 3600, new Date(Date.now() - 60_000));
    const { verifier, revocations } = await serviceVerifier(); // started after the deletion
    expect(await refusal(verifier.verify(old))).toBe('revoked');
    const size = revocations.size;
    const queries: string[] = [];
    const listener = (q: { sql: string }) => queries.push(q.sql);
    t.db.on('query', listener);
    await revocations.refresh();
    t.db.removeListener('query', listener);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/`?id`? > \?/);
    expect(revocations.size).toBe(size);
    // Beyond the horizon, nothing is loaded.
    const short = createRevocationList(t.db, { pollMs: 0, horizonMs: 1, now: () => Date.now() + 3_600_000 });
    lists.push(short);
    await short.refresh();
    expect(short.size).toBe(0);
  });

  it('purgeExpired deletes throttles whose window and lock are over and revocations past the horizon, and nothing younger', async () => {
    const now = new Date('2026-12-03T12:00:00.000Z');
    const policy = { windowSeconds: 900, lockSeconds: 600 };
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    const tag = Math.random().toString(36).slice(2, 8);
    await t.db('login_throttle').insert([
      { throttle_key: `student:old-${tag}`, failures: 5, window_started_at: ago(1_501), locked_until: ago(1) },
      { throttle_key: `student:locked-${tag}`, failures: 5, window_started_at: ago(1_499), locked_until: null },
    ]);
    const [oldId] = await t.db('account_revocation').insert({ role: 'student', account_id: 999_001, reason: 'DELETED', revoked_at: ago(26 * 3_600 + 1) });
    const [youngId] = await t.db('account_revocation').insert({ role: 'student', account_id: 999_002, reason: 'DELETED', revoked_at: ago(26 * 3_600 - 1) });
    const purged = await purgeExpired(t.db, policy, now);
    expect(purged.throttles).toBeGreaterThanOrEqual(1);
    expect(await t.db('login_throttle').where('throttle_key', 'like', `%-${tag}`).pluck('throttle_key')).toEqual([`student:locked-${tag}`]);
    expect(await t.db('account_revocation').whereIn('id', [Number(oldId), Number(youngId)]).pluck('id')).toEqual([Number(youngId)]);
  });
});
