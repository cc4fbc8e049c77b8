import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, onUnauthorized, request, setTokenSource } from './http.ts';

const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 't', status, ...body }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

describe('request', () => {
  const fetchMock = vi.fn<typeof fetch>();
  const unauthorized = vi.fn();

  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    fetchMock.mockReset();
    unauthorized.mockReset();
    onUnauthorized(unauthorized);
    setTokenSource(() => 'tok');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends JSON with the bearer token and returns the parsed body', async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ ok: 1 }), { headers: { 'Content-Type': 'application/json' } }));

    await expect(request('/api/x', { method: 'POST', body: { a: 1 }, query: { q: '자료', page: 2, empty: '' } })).resolves.toEqual({ ok: 1 });

    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/x?q=%EC%9E%90%EB%A3%8C&page=2');
    expect(init?.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
    expect(init?.body).toBe('{"a":1}');
  });

  it('turns problem+json into a typed ApiError with code, detail and the conflict', async () => {
    fetchMock.mockResolvedValue(
      problem(409, { code: 'TIME_CONFLICT', detail: 'Overlaps CSE2020 section 3', conflict: { sectionId: 5, lectureTitle: '운영체제', sectionNo: 3 } }),
    );

    const err = (await request('/api/enrollments', { method: 'POST', body: { sectionId: 1 } }).catch((e: unknown) => e)) as ApiError;

    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'TIME_CONFLICT', detail: 'Overlaps CSE2020 section 3', conflict: { sectionId: 5 } });
    expect(unauthorized).not.toHaveBeenCalled();
  });

  it('keeps the field errors of a VALIDATION_FAILED', async () => {
    fetchMock.mockResolvedValue(problem(400, { code: 'VALIDATION_FAILED', errors: [{ field: 'body.sectionId', message: 'required' }] }));

    await expect(request('/api/x')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.sectionId' }] });
  });

  it('on a 401 for a signed-in call, calls the one unauthorized handler', async () => {
    fetchMock.mockResolvedValue(problem(401, { code: 'UNAUTHENTICATED' }));

    await expect(request('/api/carts/me')).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).toHaveBeenCalledTimes(1);
  });

  it('on a 401 for the login itself (no token sent), leaves the session alone', async () => {
    fetchMock.mockResolvedValue(problem(401, { code: 'UNAUTHENTICATED' }));

    await expect(request('/api/auth/login', { method: 'POST', body: {}, anonymous: true })).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).not.toHaveBeenCalled();
    expect(fetchMock.mock.calls[0]![1]?.headers).not.toHaveProperty('Authorization');
  });

  it('gives a code to answers that are not problem documents, and NETWORK when nothing answers', async () => {
    fetchMock.mockResolvedValueOnce(new Response('Bad Gateway', { status: 502 }));
    await expect(request('/api/x')).rejects.toMatchObject({ status: 502, code: 'SERVICE_UNAVAILABLE' });

    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(request('/api/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
  });
});
