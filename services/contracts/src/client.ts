/**
 * The one HTTP client core of the browser apps: fetch, JSON in and out, the Bearer token, a request id
 * per call, abort, `response.ok`, RFC 9457 problem+json turned into an `ApiError` typed by its code
 * (with that code's extension members), and 401 handled in one place. Every call is typed from an
 * endpoint of the contract: `client.bind(cartsApi).addItem({ body: { sectionId } })`.
 */
import type { z } from 'zod';
import type { Endpoint, RawBodySpec, ServiceContract } from './endpoint.ts';
import { ERRORS, isErrorCode, problemSchemaOf, type ErrorCode, type Problem } from './errors.ts';

/** The contract's codes, plus the client's own NETWORK for no answer at all. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

type ProblemOf<C extends ClientErrorCode> = C extends ErrorCode ? Problem<C> : undefined;

export class ApiError<C extends ClientErrorCode = ClientErrorCode> extends Error {
  readonly status: number;
  readonly code: C;
  readonly detail: string | undefined;
  /** The problem document, typed by code (`e.is('TIME_CONFLICT') && e.problem.conflict`); undefined for NETWORK. */
  readonly problem: ProblemOf<C>;
  readonly retryAfterSeconds: number | undefined;
  readonly requestId: string | undefined;

  constructor(init: { status: number; code: C; detail?: string | undefined; problem: ProblemOf<C>; retryAfterSeconds?: number | undefined; requestId?: string | undefined }) {
    super(init.detail ?? init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.problem = init.problem;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.requestId = init.requestId;
  }

  /** Narrows to one code, and so to its problem members. */
  is<K extends ClientErrorCode>(...codes: K[]): this is ApiError<K> {
    return (codes as ClientErrorCode[]).includes(this.code);
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** A transport-level failure as an ApiError of the contract (NETWORK when nothing answered). */
export function networkError(detail: string | undefined): ApiError<'NETWORK'> {
  return new ApiError({ status: 0, code: 'NETWORK', detail, problem: undefined });
}

/** The code of an answer that is not a problem document of ours (a proxy's 502, an HTML error page). */
function codeForStatus(status: number): ErrorCode {
  if (status === 502 || status === 504) return 'SERVICE_UNAVAILABLE';
  const match = (Object.keys(ERRORS) as ErrorCode[]).find((c) => ERRORS[c].status === status);
  return match ?? (status >= 500 ? 'INTERNAL' : 'CONFLICT');
}

async function toApiError(res: Response): Promise<ApiError> {
  const retryAfter = Number(res.headers.get('Retry-After') ?? NaN);
  const base = { status: res.status, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined };
  const body = (res.headers.get('Content-Type') ?? '').includes('json') ? ((await res.json().catch(() => undefined)) as unknown) : undefined;
  const doc = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const code = isErrorCode(doc.code) ? doc.code : codeForStatus(res.status);
  // A problem that does not match its code's declared members keeps only the standard ones.
  const parsed = problemSchemaOf(code).safeParse(doc);
  const problem = (parsed.success ? parsed.data : { type: 'about:blank', title: ERRORS[code].title, status: res.status, code }) as Problem;
  return new ApiError({
    ...base,
    code,
    detail: typeof doc.detail === 'string' ? doc.detail : typeof doc.title === 'string' ? doc.title : undefined,
    problem,
    requestId: (typeof doc.requestId === 'string' ? doc.requestId : undefined) ?? res.headers.get('X-Request-Id') ?? undefined,
  });
}

// ---- typing calls from endpoints ----

type Defined<T> = Exclude<T, undefined>;
/** Whether an endpoint member holds a real schema (not absent, nor the wide `ZodType` an undeclared member is typed as). */
type HasSchema<T> = [Defined<T>] extends [never] ? false : z.ZodType extends Defined<T> ? false : true;
type QueryValue = string | number | boolean | undefined | null;
/** Whether an endpoint declares a text body of its own (not the wide spec an undeclared member is typed as). */
type HasRawBody<E extends Endpoint> = [Defined<E['rawBody']>] extends [never] ? false : RawBodySpec extends Defined<E['rawBody']> ? false : true;

/** What one endpoint takes: path params (required), query (all optional), body (as JSON input). */
export type CallInput<E extends Endpoint> = (HasSchema<E['params']> extends true ? { params: z.output<Defined<E['params']>> } : { params?: undefined }) &
  (HasSchema<E['query']> extends true ? { query?: { [K in keyof z.output<Defined<E['query']>>]?: z.output<Defined<E['query']>>[K] } } : { query?: undefined }) &
  (HasSchema<E['body']> extends true ? { body: z.input<Defined<E['body']>> } : { body?: undefined }) &
  (HasRawBody<E> extends true ? { rawBody: string } : { rawBody?: undefined }) & {
    headers?: Record<string, string | undefined>;
    signal?: AbortSignal;
    /** Send no Authorization header (login). */
    anonymous?: boolean;
  };

type BodyOf<R> = R extends { schema: infer S extends z.ZodType } ? z.output<S> : R extends { contentType: string } ? string : void;
/** What one endpoint answers on success: the union of its 2xx bodies (void for 204). */
export type CallOutput<E extends Endpoint> = {
  [S in keyof E['responses']]: S extends 200 | 201 | 202 | 204 ? BodyOf<E['responses'][S]> : never;
}[keyof E['responses']];

type Args<E extends Endpoint> = HasSchema<E['params']> extends true
  ? [input: CallInput<E>]
  : HasSchema<E['body']> extends true
    ? [input: CallInput<E>]
    : HasRawBody<E> extends true
      ? [input: CallInput<E>]
      : [input?: CallInput<E>];

/** One typed function per endpoint of a service contract. */
export type BoundService<S extends ServiceContract> = {
  [K in keyof S['endpoints']]: (...args: Args<S['endpoints'][K]>) => Promise<CallOutput<S['endpoints'][K]>>;
};

export interface ClientOptions {
  /** Prefix of every call: '' on the gateway's own origin. */
  baseUrl?: string;
  /** The current access token, if signed in. */
  getToken?: () => string | undefined;
  /** Called once for any 401 on a call that carried a token (expired or revoked session). */
  onUnauthorized?: () => void;
  /** Called for every refusal before it is thrown (e.g. the staff app signs out on FORBIDDEN). */
  onError?: (e: ApiError) => void;
  fetch?: typeof fetch;
}

export interface ApiClient {
  call<E extends Endpoint>(prefix: string, e: E, input?: CallInput<E>): Promise<CallOutput<E>>;
  bind<S extends ServiceContract>(service: S): BoundService<S>;
  /** Changes options later (the session store sets the token source and the 401 hook). */
  configure(opts: ClientOptions): void;
}

const newRequestId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** `/me/items/:sectionId` with `{sectionId: 5}` → `/me/items/5`. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null || v === '') throw new Error(`path parameter ${name} is missing`);
    return encodeURIComponent(String(v));
  });
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  const qs = sp.toString();
  return qs ? `?${qs}` : '';
}

export function createClient(initial: ClientOptions = {}): ApiClient {
  const opts: ClientOptions = { ...initial };

  async function call<E extends Endpoint>(prefix: string, e: E, input: CallInput<E> = {} as CallInput<E>): Promise<CallOutput<E>> {
    const path = `${prefix}${e.path === '/' ? '' : fillPath(e.path, input.params as Record<string, unknown> | undefined)}`;
    const url = `${(opts.baseUrl ?? '').replace(/\/$/, '')}${path}${queryString(input.query as Record<string, QueryValue> | undefined)}`;
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', 'X-Request-Id': newRequestId() };
    for (const [k, v] of Object.entries(input.headers ?? {})) if (v !== undefined) headers[k] = v;
    const token = input.anonymous ? undefined : opts.getToken?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (input.body !== undefined) headers['Content-Type'] = 'application/json';
    if (input.rawBody !== undefined) headers['Content-Type'] = e.rawBody?.contentType ?? 'text/plain';
    let res: Response;
    try {
      res = await (opts.fetch ?? fetch)(url, {
        method: e.method.toUpperCase(),
        headers,
        body: input.rawBody ?? (input.body === undefined ? undefined : JSON.stringify(input.body)),
        signal: input.signal,
      });
    } catch (cause) {
      if ((cause as Error)?.name === 'AbortError') throw cause;
      throw networkError((cause as Error)?.message);
    }
    if (!res.ok) {
      const err = await toApiError(res);
      if (res.status === 401 && token) opts.onUnauthorized?.();
      opts.onError?.(err);
      throw err;
    }
    if (res.status === 204) return undefined as CallOutput<E>;
    const type = res.headers.get('Content-Type') ?? '';
    return (type.includes('json') ? await res.json() : await res.text()) as CallOutput<E>;
  }

  return {
    call,
    bind<S extends ServiceContract>(service: S): BoundService<S> {
      return Object.fromEntries(
        Object.entries(service.endpoints).map(([name, e]) => [name, (input?: CallInput<Endpoint>) => call(service.prefix, e, input)]),
      ) as unknown as BoundService<S>;
    },
    configure(next) {
      Object.assign(opts, next);
    },
  };
}
