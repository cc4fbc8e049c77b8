import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { ApiError, createClient, fillPath } from '../src/client.ts';
import { cartsApi, lecturesApi, type Cart, type CartAdded } from '../src/index.ts';

/** A real HTTP server whose next answer each test sets; it records what it received. */
let server: Server;
let baseUrl: string;
let answer: (req: IncomingMessage, res: ServerResponse, body: string) => void;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
});

const json = (status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'Content-Type': type, ...headers });
    res.end(JSON.stringify(body));
  };

describe('the client core', () => {
  it('calls an endpoint by its contract: method, path, JSON body, bearer token, request id; answers its typed body', async () => {
    const added: CartAdded = { sectionId: 5, addedAt: '2026-02-03T00:00:00.000Z', totalCredits: 3, creditLimit: 24 };
    answer = json(201, added);
    const carts = createClient({ baseUrl, getToken: () => 'tok' }).bind(cartsApi);

    const result = await carts.addItem({ body: { sectionId: 5 } });

    expectTypeOf(result).toEqualTypeOf<CartAdded>();
    expect(result).toEqual(added);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/carts/me/items', body: '{"sectionId":5}' });
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer tok', 'content-type': 'application/json' });
    expect(seen[0]!.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });

  it('fills path parameters, encoded, and answers nothing for a 204', async () => {
    answer = (_q, res) => {
      res.writeHead(204);
      res.end();
    };
    const carts = createClient({ baseUrl }).bind(cartsApi);
    const result = await carts.removeItem({ params: { sectionId: 12 } });
    expectTypeOf(result).toEqualTypeOf<void>();
    expect(result).toBeUndefined();
    expect(seen[0]).toMatchObject({ method: 'DELETE', url: '/api/carts/me/items/12' });
    expect(fillPath('/x/:id', { id: 'a/b' })).toBe('/x/a%2Fb');
  });

  it('sends a declared text body (a CSV upload) with its content type', async () => {
    answer = json(200, { created: 1, updated: 0 });
    const lectures = createClient({ baseUrl }).bind(lecturesApi);
    await expect(lectures.importSections({ rawBody: 'id,termId\n,1\n' })).resolves.toEqual({ created: 1, updated: 0 });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/lectures/sections/import', body: 'id,termId\n,1\n' });
    expect(seen[0]!.headers['content-type']).toBe('text/csv');
  });

  it('types each call from its endpoint: a declared text body is required, a JSON endpoint takes none (checked by npm run typecheck)', () => {
    const lectures = createClient({ baseUrl }).bind(lecturesApi);
    const carts = createClient({ baseUrl }).bind(cartsApi);
    const never = (f: () => unknown) => expect(typeof f).toBe('function'); // built, never called
    // @ts-expect-error the CSV is required
    never(() => lectures.importSections({}));
    never(() => lectures.importSections({ rawBody: 'x', query: { dryRun: true } }));
    // @ts-expect-error a JSON endpoint takes no text body
    never(() => carts.addItem({ body: { sectionId: 1 }, rawBody: 'x' }));
    // @ts-expect-error a path parameter is required
    never(() => carts.removeItem({}));
  });

  it('turns problem+json into an ApiError typed by code with its extension members', async () => {
    answer = json(409, { type: 't', title: 'Cart limit exceeded', status: 409, code: 'CART_LIMIT', detail: '21 + 4 > 24', creditLimit: 24, totalCredits: 21, credits: 4, requestId: 'r-1' }, 'application/problem+json');
    const carts = createClient({ baseUrl }).bind(cartsApi);

    const err = (await carts.addItem({ body: { sectionId: 1 } }).catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'CART_LIMIT', detail: '21 + 4 > 24', requestId: 'r-1' });
    if (!err.is('CART_LIMIT')) throw new Error('expected CART_LIMIT');
    expectTypeOf(err.problem.creditLimit).toEqualTypeOf<number>();
    expect(err.problem).toMatchObject({ creditLimit: 24, totalCredits: 21, credits: 4 });
  });

  it('keeps Retry-After, and gives a code to answers that are not problem documents', async () => {
    answer = (_q, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<h1>Bad Gateway</h1>');
    };
    const carts = createClient({ baseUrl }).bind(cartsApi);
    await expect(carts.getCart()).rejects.toMatchObject({ status: 502, code: 'SERVICE_UNAVAILABLE' });

    answer = json(429, { type: 't', title: 'x', status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 3 }, 'application/problem+json', { 'Retry-After': '3' });
    await expect(carts.getCart()).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 3 });
  });

  it('calls the one 401 hook for a call that carried a token, not for an anonymous one', async () => {
    answer = json(401, { type: 't', title: 'x', status: 401, code: 'UNAUTHENTICATED' }, 'application/problem+json');
    let hooked = 0;
    const client = createClient({ baseUrl, getToken: () => 'expired', onUnauthorized: () => hooked++ });
    const carts = client.bind(cartsApi);

    await expect(carts.getCart()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(hooked).toBe(1);
    await expect(carts.getCart({ anonymous: true })).rejects.toMatchObject({ status: 401 });
    expect(hooked).toBe(1);
    expect(seen[1]!.headers.authorization).toBeUndefined();
  });

  it('tells the error hook of every refusal, typed', async () => {
    answer = json(403, { type: 't', title: 'x', status: 403, code: 'FORBIDDEN' }, 'application/problem+json');
    const codes: string[] = [];
    const carts = createClient({ baseUrl, onError: (e) => codes.push(e.code) }).bind(cartsApi);
    await expect(carts.getCart()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(codes).toEqual(['FORBIDDEN']);
  });

  it('answers NETWORK when nothing answers, and passes an abort through as an AbortError', async () => {
    const dead = createClient({ baseUrl: 'http://127.0.0.1:1' }).bind(cartsApi);
    await expect(dead.getCart()).rejects.toMatchObject({ status: 0, code: 'NETWORK' });

    answer = (_q, res) => setTimeout(() => json(200, { items: [], totalCredits: 0, creditLimit: 24 } satisfies Cart)(_q, res), 200);
    const carts = createClient({ baseUrl }).bind(cartsApi);
    const ctl = new AbortController();
    const pending = carts.getCart({ signal: ctl.signal });
    ctl.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
