/**
 * The one place that talks HTTP: JSON in and out, the Bearer token, `response.ok`, RFC 9457
 * problem+json turned into a typed `ApiError`, and 401 handled once (see `onUnauthorized`).
 */
import { config } from '../config.ts';

/** Stable machine codes of the API contract, plus the client's own NETWORK for no answer at all. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'WINDOW_CLOSED'
  | 'NOT_ELIGIBLE'
  | 'NOT_FOUND'
  | 'SECTION_FULL'
  | 'ALREADY_ENROLLED'
  | 'TIME_CONFLICT'
  | 'CREDIT_LIMIT'
  | 'CART_LIMIT'
  | 'DUPLICATE'
  | 'CONFLICT'
  | 'IDEMPOTENCY_CONFLICT'
  | 'QUEUE_REQUIRED'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'SERVICE_UNAVAILABLE'
  | 'NETWORK'
  | (string & {});

export interface FieldError {
  field: string;
  message: string;
}

/** The clashing section a TIME_CONFLICT names (fields as the server sends them; all optional). */
export interface ConflictInfo {
  sectionId?: number;
  lectureId?: number;
  lectureCode?: string;
  lectureTitle?: string;
  title?: string;
  code?: string;
  sectionNo?: number;
  day?: string;
  startPeriod?: number;
  endPeriod?: number;
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly conflict: ConflictInfo | undefined;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    code: ErrorCode;
    detail?: string;
    conflict?: ConflictInfo;
    errors?: FieldError[];
    retryAfterSeconds?: number;
  }) {
    super(init.detail ?? init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.conflict = init.conflict;
    this.errors = init.errors;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

type TokenSource = () => string | undefined;
type UnauthorizedHandler = () => void;

let tokenSource: TokenSource = () => undefined;
let unauthorizedHandler: UnauthorizedHandler = () => undefined;

/** The session store tells the client where the token lives. */
export function setTokenSource(fn: TokenSource): void {
  tokenSource = fn;
}

/** Called once for any 401 on a request that carried a token (expired or revoked session). */
export function onUnauthorized(fn: UnauthorizedHandler): void {
  unauthorizedHandler = fn;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send no Authorization header (login). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

function url(path: string, query: RequestOptions['query']): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  const qs = sp.toString();
  return `${config.apiBase}${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  const retryAfter = Number(res.headers.get('Retry-After') ?? NaN);
  const base = { status: res.status, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined };
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (body && typeof body === 'object') {
      return new ApiError({
        ...base,
        code: typeof body.code === 'string' ? body.code : fallbackCode(res.status),
        detail: typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : undefined,
        conflict: body.conflict && typeof body.conflict === 'object' ? (body.conflict as ConflictInfo) : undefined,
        errors: Array.isArray(body.errors) ? (body.errors as FieldError[]) : undefined,
      });
    }
  }
  return new ApiError({ ...base, code: fallbackCode(res.status) });
}

function fallbackCode(status: number): ErrorCode {
  if (status === 400) return 'VALIDATION_FAILED';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 428) return 'QUEUE_REQUIRED';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 502 || status === 503 || status === 504) return 'SERVICE_UNAVAILABLE';
  return 'INTERNAL';
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...opts.headers };
  const token = opts.anonymous ? undefined : tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (cause) {
    if ((cause as Error)?.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'NETWORK', detail: (cause as Error)?.message });
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && token) unauthorizedHandler();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('Content-Type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}
