/**
 * The authorization suite, generated from the routes: every endpoint of every service contract
 * (`@goorm/contracts`) is sent, through the gateway of the whole running system, every caller it
 * must refuse (no token, a broken or forged token, a token of a deleted account or from before a
 * password change, the wrong role, a student reaching for another student's data) and the callers
 * it must let through. What each route should do comes from the hand-written table in
 * authz.matrix.ts, which must list exactly the contract's routes with the same access.
 */
import { createHmac, createPrivateKey, generateKeyPairSync, sign as signBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as contracts from '@goorm/contracts';
import type { Access, Endpoint, Role, ServiceContract } from '@goorm/contracts';
import { devKeyPaths } from '@goorm/common';
import { startSystem, type RunningSystem } from '../../../scripts/system.ts';
import { AUTHZ_MATRIX, type AuthzRule } from './authz.matrix.ts';

// ---- the routes, from the contracts -------------------------------------------------------------

interface Route {
  key: string;
  method: string;
  /** The template under the gateway, e.g. /api/carts/students/:studentId */
  template: string;
  endpoint: Endpoint;
}

const isContract = (v: unknown): v is ServiceContract =>
  typeof v === 'object' && v !== null && typeof (v as ServiceContract).prefix === 'string' && typeof (v as ServiceContract).endpoints === 'object';

const CONTRACTS: ServiceContract[] = (Object.values(contracts) as unknown[]).filter(isContract);
const ROUTES: Route[] = CONTRACTS.flatMap((c) =>
  Object.values(c.endpoints).map((e) => {
    const template = `${c.prefix}${e.path === '/' ? '' : e.path}`;
    return { key: `${e.method.toUpperCase()} ${template}`, method: e.method.toUpperCase(), template, endpoint: e };
  }),
);

const ROLES: readonly Role[] = ['student', 'staff'];
const allowedRoles = (access: Access): readonly Role[] =>
  access === 'public' || access === 'authenticated' ? ROLES : typeof access === 'string' ? [access] : access;
const accessLabel = (access: Access) => (typeof access === 'string' ? access : access.join(' or '));

// ---- the running system and its callers -----------------------------------------------------------

const PASSWORD = 'password123';
const STUDENT_A = '20230001';
const STUDENT_B = '20240001';
/** An id no demo row has: destructive calls of allowed callers use it, so the run deletes nothing it needs. */
const MISSING_ID = '99999999';
const REVOCATION_POLL_MS = 200;

interface Caller {
  token: string;
  id: number;
}

interface Ids {
  studentA: number;
  studentB: number;
  staff: number;
  term: number;
  major: number;
  professor: number;
  lecture: number;
  section: number;
  window: number;
  autoEnrollRun: number;
  /** Student A's waiting-room ticket. */
  ticketA: string;
}

let dataDir: string;
let system: RunningSystem;
let studentA: Caller;
let studentB: Caller;
let staff: Caller;
let ids: Ids;
/** The signing key the services trust (the dev key pair under the data dir) and its public half. */
let privateKey: KeyObject;
let publicKeyPem: string;
let issuer: string;
let audience: string;
let cases = 0;
/** What the callers let through were answered (status → count), for the closing line. */
const letThrough = new Map<number, number>();

interface Outcome {
  status: number;
  contentType: string;
  code: unknown;
  wwwAuthenticate: string | null;
}

interface Call {
  method: string;
  path: string;
  authorization?: string | undefined;
  body?: unknown;
}

async function send(call: Call): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (call.authorization !== undefined) headers.authorization = call.authorization;
  let body: string | undefined;
  if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body);
  }
  const res = await fetch(`${system.url}${call.path}`, { method: call.method, headers, body });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  let code: unknown;
  if (contentType.includes('json')) {
    try {
      code = (JSON.parse(text) as { code?: unknown }).code;
    } catch {
      code = undefined;
    }
  }
  return { status: res.status, contentType, code, wwwAuthenticate: res.headers.get('www-authenticate') };
}

async function json<T>(method: string, p: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${system.url}${p}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function login(role: Role, loginId: string, password = PASSWORD): Promise<Caller> {
  const res = await json<{ accessToken: string; user: { id: number } }>('POST', '/api/auth/login', undefined, { role, loginId, password });
  if (res.status !== 200) throw new Error(`login ${role} ${loginId}: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.accessToken, id: res.body.user.id };
}

/** The first id of a staff list (`{items: [{id}]}`), or 1 when it is empty. */
async function firstId(p: string): Promise<number> {
  const res = await json<{ items?: Array<{ id: number }> }>('GET', p, staff.token);
  return res.body?.items?.[0]?.id ?? 1;
}

// ---- tokens, honest and forged ------------------------------------------------------------------

const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A JWT of these parts, signed by `signature(signingInput)`. */
function jwt(header: object, payload: object, signature: (input: string) => string): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${signature(input)}`;
}
const eddsa = (key: KeyObject) => (input: string) => signBytes(null, Buffer.from(input), key).toString('base64url');

/** Claims of a caller the route would let in: a forged token that worked would be an open door, not a 403. */
function claimsOf(rule: AuthzRule): Record<string, unknown> {
  const asStudent = !allowedRoles(rule.access).includes('staff');
  const t = now();
  return {
    ...(asStudent
      ? { sub: String(ids.studentA), role: 'student', loginId: STUDENT_A, name: 'forged', majorId: 1, grade: 4 }
      : { sub: String(ids.staff), role: 'staff', loginId: 'admin', name: 'forged' }),
    iss: issuer,
    aud: audience,
    iat: t,
    exp: t + 3_600,
  };
}

/** Every way a caller can present a token that must not work, with the `Authorization` header it sends. */
function badTokens(rule: AuthzRule): Array<{ name: string; authorization: string | undefined }> {
  const claims = claimsOf(rule);
  const edHeader = { alg: 'EdDSA', typ: 'JWT' };
  const foreignKey = generateKeyPairSync('ed25519').privateKey;
  const real = studentA.token.split('.');
  return [
    { name: 'no token', authorization: undefined },
    { name: 'another scheme', authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
    { name: 'malformed token', authorization: 'Bearer not.a-jwt' },
    { name: 'expired token', authorization: `Bearer ${jwt(edHeader, { ...claims, iat: now() - 7_200, exp: now() - 3_600 }, eddsa(privateKey))}` },
    { name: 'token signed with another key', authorization: `Bearer ${jwt(edHeader, claims, eddsa(foreignKey))}` },
    { name: 'alg: none', authorization: `Bearer ${jwt({ alg: 'none', typ: 'JWT' }, claims, () => '')}` },
    {
      name: 'HS256 with the public key as secret',
      authorization: `Bearer ${jwt({ alg: 'HS256', typ: 'JWT' }, claims, (input) => createHmac('sha256', publicKeyPem).update(input).digest('base64url'))}`,
    },
    { name: 'real signature, payload swapped', authorization: `Bearer ${real[0]}.${b64url(claims)}.${real[2]}` },
    { name: 'wrong issuer', authorization: `Bearer ${jwt(edHeader, { ...claims, iss: 'someone-else' }, eddsa(privateKey))}` },
    { name: 'wrong audience', authorization: `Bearer ${jwt(edHeader, { ...claims, aud: 'another-app' }, eddsa(privateKey))}` },
  ];
}

// ---- requests of one route ----------------------------------------------------------------------

/** Which demo row a `:id` names, by the path segment before it. */
function idFor(segment: string | undefined): string {
  switch (segment) {
    case 'terms':
      return String(ids.term);
    case 'majors':
      return String(ids.major);
    case 'professors':
      return String(ids.professor);
    case 'lectures':
      return String(ids.lecture);
    case 'sections':
      return String(ids.section);
    case 'windows':
      return String(ids.window);
    case 'auto-enroll':
      return String(ids.autoEnrollRun);
    case 'students':
      return String(ids.studentB);
    case 'staff':
      return String(ids.staff);
    default:
      return '1';
  }
}

/**
 * The route's path with real demo ids (student B where a student is named, student A's queue
 * ticket); `missing` puts an id no row has in every numeric parameter (for callers let through a
 * DELETE, so that the run removes nothing).
 */
function fillPath(template: string, opts: { missing?: boolean; studentId?: number } = {}): string {
  const segments = template.split('/');
  return segments
    .map((s, i) => {
      if (!s.startsWith(':')) return s;
      const name = s.slice(1);
      if (name === 'ticket') return encodeURIComponent(ids.ticketA);
      if (opts.missing) return MISSING_ID;
      if (name === 'studentId') return String(opts.studentId ?? ids.studentB);
      if (name === 'sectionId') return String(ids.section);
      if (name === 'id' && segments[i - 1] === 'students' && opts.studentId !== undefined) return String(opts.studentId);
      return idFor(segments[i - 1]);
    })
    .join('/');
}

/** A request to the route: JSON `{}` for a body (only the authorization outcome matters). */
function callOf(route: Route, authorization: string | undefined, opts: { missing?: boolean; studentId?: number } = {}): Call {
  const hasBody = route.endpoint.body !== undefined || route.endpoint.rawBody !== undefined;
  return { method: route.method, path: fillPath(route.template, opts), authorization, ...(hasBody ? { body: {} } : {}) };
}

const bearer = (c: Caller) => `Bearer ${c.token}`;
const describeOutcome = (o: Outcome) => `${o.status} ${String(o.code ?? o.contentType)}`;

/** Sends the calls in parallel (one small batch) and counts them. */
async function sendAll<T extends { call: Call }>(items: T[]): Promise<Array<T & { outcome: Outcome }>> {
  cases += items.length;
  return Promise.all(items.map(async (item) => ({ ...item, outcome: await send(item.call) })));
}

const isUnauthenticated = (o: Outcome) =>
  o.status === 401 && o.contentType.startsWith('application/problem+json') && o.code === 'UNAUTHENTICATED' && /^Bearer\b/.test(o.wwwAuthenticate ?? '');
const isForbidden = (o: Outcome) => o.status === 403 && o.contentType.startsWith('application/problem+json') && o.code === 'FORBIDDEN';
/** Let through: not refused for who it is (a domain 403 such as WINDOW_CLOSED or NOT_ELIGIBLE is an answer, not a refusal), and no 5xx. */
const isLetThrough = (o: Outcome) => o.status !== 401 && !isForbidden(o) && o.status < 500;

/** Every call whose outcome breaks `expected`, as readable lines (the assertion compares with []). */
function mismatches(results: Array<{ name: string; outcome: Outcome }>, expected: (o: Outcome) => boolean): string[] {
  return results.filter((r) => !expected(r.outcome)).map((r) => `${r.name} → ${describeOutcome(r.outcome)}`);
}

const callerOf = (role: Role) => (role === 'staff' ? staff : studentA);

// ---- the suite ----------------------------------------------------------------------------------

describe('authorization of every contract route, through the gateway of the whole system', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'goorm-authz-'));
    system = await startSystem({
      dataDir,
      gatewayPort: 0,
      servicePorts: 'free',
      quiet: true,
      env: {
        // a deleted account's token is refused within this (the default is 5 s)
        ACCOUNT_REVOCATION_POLL_MS: String(REVOCATION_POLL_MS),
        // one student sends every enrollment write of the suite within seconds; the limiter stays on
        RATE_LIMIT_ENROLL_PER_STUDENT_PER_10S: '100000',
      },
    });
    const keys = devKeyPaths(dataDir);
    privateKey = createPrivateKey(readFileSync(keys.privateKey, 'utf8'));
    publicKeyPem = readFileSync(keys.publicKey, 'utf8');
    [studentA, studentB, staff] = await Promise.all([login('student', STUDENT_A), login('student', STUDENT_B), login('staff', 'admin')]);
    const claims = JSON.parse(Buffer.from(staff.token.split('.')[1]!, 'base64url').toString()) as { iss: string; aud: string };
    issuer = claims.iss;
    audience = claims.aud;
    const queue = await json<{ ticket: string }>('POST', '/api/enrollments/queue', studentA.token);
    if (queue.status !== 200) throw new Error(`student A could not join the waiting room: ${queue.status}`);
    const [term, major, professor, lecture, section, window, autoEnrollRun] = await Promise.all(
      ['/api/lectures/terms', '/api/lectures/majors', '/api/lectures/professors', '/api/lectures/lectures', '/api/lectures/sections', '/api/enrollments/windows', '/api/enrollments/auto-enroll'].map(firstId),
    );
    ids = {
      studentA: studentA.id,
      studentB: studentB.id,
      staff: staff.id,
      term: term!,
      major: major!,
      professor: professor!,
      lecture: lecture!,
      section: section!,
      window: window!,
      autoEnrollRun: autoEnrollRun!,
      ticketA: queue.body.ticket,
    };
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the matrix (authz.matrix.ts) against the contracts', () => {
    it('lists exactly the routes the contracts declare: a route without a row, or a row without a route, fails', () => {
      const declared = ROUTES.map((r) => r.key).sort();
      const listed = Object.keys(AUTHZ_MATRIX).sort();
      expect(new Set(declared).size, 'two contract endpoints share a method and path').toBe(declared.length);
      expect({ missingFromMatrix: declared.filter((k) => !(k in AUTHZ_MATRIX)), staleInMatrix: listed.filter((k) => !declared.includes(k)) }).toEqual({
        missingFromMatrix: [],
        staleInMatrix: [],
      });
      expect(CONTRACTS.map((c) => c.prefix).sort()).toEqual(['/api/ai', '/api/auth', '/api/carts', '/api/enrollments', '/api/lectures']);
    });

    it("gives every route the access its contract declares", () => {
      const differing = ROUTES.filter((r) => AUTHZ_MATRIX[r.key] && JSON.stringify(AUTHZ_MATRIX[r.key]!.access) !== JSON.stringify(r.endpoint.access)).map(
        (r) => `${r.key}: contract ${JSON.stringify(r.endpoint.access)}, matrix ${JSON.stringify(AUTHZ_MATRIX[r.key]!.access)}`,
      );
      expect(differing).toEqual([]);
    });

    it('marks as "caller" only routes whose request names no student (no studentId in the path, query or body)', () => {
      const keysOf = (s: unknown) => (s instanceof z.ZodObject ? Object.keys(s.shape) : []);
      const naming = ROUTES.filter((r) => AUTHZ_MATRIX[r.key]?.ownership === 'caller')
        .filter((r) => /:studentId\b|\/students\/:id\b/.test(r.template) || [r.endpoint.params, r.endpoint.query, r.endpoint.body].some((s) => keysOf(s).includes('studentId')))
        .map((r) => r.key);
      expect(naming).toEqual([]);
    });
  });

  for (const route of ROUTES) {
    const rule = AUTHZ_MATRIX[route.key];
    describe(`${route.key} (${rule ? accessLabel(rule.access) : 'no matrix row'})`, () => {
      if (!rule) {
        it('has a row in authz.matrix.ts', () => {
          expect.fail(`${route.key} is not in AUTHZ_MATRIX: add it with the access you mean`);
        });
        return;
      }
      const allowed = allowedRoles(rule.access);
      const refused = ROLES.filter((r) => !allowed.includes(r));

      if (rule.access === 'public') {
        it('lets an anonymous caller through, and still answers a presented bad token with 401 UNAUTHENTICATED', async () => {
          const [anonymous, ...bad] = badTokens(rule);
          const results = await sendAll([anonymous!, ...bad].map((b) => ({ name: b.name, call: callOf(route, b.authorization) })));
          const [first, ...rest] = results;
          expect(mismatches([first!], isLetThrough)).toEqual([]);
          // "another scheme" carries no bearer token: the route is public, so it is let through too.
          expect(mismatches(rest.filter((r) => r.name === 'another scheme'), isLetThrough)).toEqual([]);
          expect(mismatches(rest.filter((r) => r.name !== 'another scheme'), isUnauthenticated)).toEqual([]);
        });
      } else {
        it('answers a missing, malformed, expired, foreign-key, alg:none, HS256, tampered, wrong-issuer or wrong-audience token with 401 UNAUTHENTICATED problem+json', async () => {
          const results = await sendAll(badTokens(rule).map((b) => ({ name: b.name, call: callOf(route, b.authorization) })));
          expect(mismatches(results, isUnauthenticated)).toEqual([]);
        });
      }

      for (const role of refused) {
        it(`refuses a ${role} with 403 FORBIDDEN`, async () => {
          const results = await sendAll([{ name: role, call: callOf(route, bearer(callerOf(role))) }]);
          expect(mismatches(results, isForbidden)).toEqual([]);
        });
      }

      it(`lets ${allowed.join(' and ')} through (neither 401 nor 403 FORBIDDEN, no 5xx)`, async () => {
        const results = await sendAll(allowed.map((role) => ({ name: role, call: callOf(route, bearer(callerOf(role)), { missing: route.method === 'DELETE' }) })));
        for (const r of results) letThrough.set(r.outcome.status, (letThrough.get(r.outcome.status) ?? 0) + 1);
        expect(mismatches(results, isLetThrough)).toEqual([]);
      });

      if (rule.ownership === 'names-student') {
        it("refuses a student with 403 FORBIDDEN whichever student the route names: another's or their own", async () => {
          const results = await sendAll([
            { name: "student A naming student B", call: callOf(route, bearer(studentA), { studentId: ids.studentB }) },
            { name: 'student A naming themself', call: callOf(route, bearer(studentA), { studentId: ids.studentA }) },
          ]);
          expect(mismatches(results, isForbidden)).toEqual([]);
        });
      }

      if (rule.ownership === 'override') {
        it("refuses a student who names another student (or themself) in the staff override fields with 403 FORBIDDEN", async () => {
          const overrides = (studentId: number): Call =>
            route.method === 'POST'
              ? { method: 'POST', path: route.template, authorization: bearer(studentA), body: { sectionId: ids.section, studentId, reason: 'authz suite' } }
              : { method: route.method, path: `${fillPath(route.template)}?studentId=${studentId}&reason=authz%20suite`, authorization: bearer(studentA) };
          const results = await sendAll([
            { name: 'student A acting for student B', call: overrides(ids.studentB) },
            { name: 'student A acting for themself', call: overrides(ids.studentA) },
          ]);
          expect(mismatches(results, isForbidden)).toEqual([]);
        });
      }

      if (rule.ownership === 'ticket-owner') {
        it("refuses student B polling student A's waiting-room ticket with 403 FORBIDDEN", async () => {
          const results = await sendAll([{ name: "student B with A's ticket", call: callOf(route, bearer(studentB)) }]);
          expect(mismatches(results, isForbidden)).toEqual([]);
        });
      }

      if (rule.ownership === 'caller' && route.key === 'GET /api/auth/me') {
        it('answers each student with their own account, taken from the token', async () => {
          cases += 2;
          const [a, b] = await Promise.all([json<{ id: number }>('GET', route.template, studentA.token), json<{ id: number }>('GET', route.template, studentB.token)]);
          expect([a.body.id, b.body.id]).toEqual([ids.studentA, ids.studentB]);
        });
      }
    });
  }

  describe("a revoked account's earlier, still unexpired token", () => {
    /** Every route, called with `token` (real ids; nothing is let through, so nothing is written). */
    const everyRoute = (token: string) => ROUTES.map((r) => ({ name: r.key, call: callOf(r, `Bearer ${token}`) }));
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    /**
     * The calls of every route with `token` that were not 401 UNAUTHENTICATED, once every service has
     * had a few polls of the revocation list (asked again until a deadline, for a loaded machine).
     */
    const notRefusedEverywhere = async (token: string): Promise<string[]> => {
      await sleep(REVOCATION_POLL_MS * 5);
      const deadline = Date.now() + 3_000;
      for (;;) {
        const wrong = mismatches(await sendAll(everyRoute(token)), isUnauthenticated);
        if (wrong.length === 0 || Date.now() > deadline) return wrong;
        await sleep(REVOCATION_POLL_MS);
      }
    };
    let serial = 0;
    const newStudent = async () => {
      serial += 1;
      const studentNo = `2099100${serial}`; // a fresh data dir per run: no demo student has it
      const body = { studentNo, name: '권한 시험', majorId: ids.major, grade: 1, password: 'authz-first-pass' };
      const created = await json<{ id: number }>('POST', '/api/auth/students', staff.token, body);
      expect(created.status).toBe(201);
      return { id: created.body.id, body, caller: await login('student', studentNo, 'authz-first-pass') };
    };

    it('of a deleted student is 401 UNAUTHENTICATED on every route', async () => {
      const { id, caller } = await newStudent();
      expect((await json('GET', '/api/carts/me', caller.token)).status).toBe(200);
      expect((await json('DELETE', `/api/auth/students/${id}`, staff.token)).status).toBe(204);
      expect(await notRefusedEverywhere(caller.token)).toEqual([]);
    });

    it('of a deleted staff member is 401 UNAUTHENTICATED on every route', async () => {
      const created = await json<{ id: number }>('POST', '/api/auth/staff', staff.token, { loginId: 'authz-revoked', name: '권한 시험', password: 'authz-first-pass' });
      expect(created.status).toBe(201);
      const caller = await login('staff', 'authz-revoked', 'authz-first-pass');
      expect((await json('GET', '/api/auth/students', caller.token)).status).toBe(200);
      expect((await json('DELETE', `/api/auth/staff/${created.body.id}`, staff.token)).status).toBe(204);
      expect(await notRefusedEverywhere(caller.token)).toEqual([]);
    });

    it("of a student from before staff reset their password is 401 UNAUTHENTICATED on every route; the new password's token works", async () => {
      const { id, body, caller } = await newStudent();
      expect((await json('GET', '/api/enrollments/me', caller.token)).status).not.toBe(401);
      const reset = await json('PUT', `/api/auth/students/${id}`, staff.token, { ...body, password: 'authz-second-pass' });
      expect(reset.status).toBe(200);
      expect(await notRefusedEverywhere(caller.token)).toEqual([]);
      // at once: a token carries iatMs, so one issued in the same second as the reset but after it works
      const fresh = await login('student', body.studentNo, 'authz-second-pass');
      expect((await json('GET', '/api/carts/me', fresh.token)).status).toBe(200);
    });
  });

  describe('the count', () => {
    it('ran every case above (each is one request through the gateway)', () => {
      const statuses = [...letThrough].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
      process.stdout.write(`authz: ${cases} cases over ${ROUTES.length} routes of ${CONTRACTS.length} contracts; callers let through were answered ${statuses.join(', ')}\n`);
      expect(cases).toBeGreaterThan(ROUTES.length * 12);
    });
  });
});
