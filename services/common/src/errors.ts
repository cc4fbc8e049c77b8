import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

/** Stable machine codes (ARCHITECTURE.md "API contract") and their HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  WINDOW_CLOSED: 403,
  NOT_ELIGIBLE: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  DUPLICATE: 409,
  SECTION_FULL: 409,
  ALREADY_ENROLLED: 409,
  TIME_CONFLICT: 409,
  CREDIT_LIMIT: 409,
  SCHEDULE_CONFLICT: 409,
  CAPACITY_BELOW_ENROLLED: 409,
  IN_USE: 409,
  CART_LIMIT: 409,
  IDEMPOTENCY_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUEUE_REQUIRED: 428,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid',
  UNAUTHENTICATED: 'Sign-in required',
  FORBIDDEN: 'Not allowed',
  WINDOW_CLOSED: 'The enrollment window is not open',
  NOT_ELIGIBLE: 'Not eligible for this section',
  NOT_FOUND: 'Not found',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  CONFLICT: 'Conflict',
  DUPLICATE: 'Already exists',
  SECTION_FULL: 'The section is full',
  ALREADY_ENROLLED: 'Already enrolled in this lecture',
  TIME_CONFLICT: 'Meeting times overlap',
  CREDIT_LIMIT: 'Credit limit exceeded',
  SCHEDULE_CONFLICT: 'Schedule conflict',
  CAPACITY_BELOW_ENROLLED: 'Capacity below current enrollment',
  IN_USE: 'Still in use',
  CART_LIMIT: 'Cart limit exceeded',
  IDEMPOTENCY_CONFLICT: 'Idempotency key reused with a different request',
  PAYLOAD_TOO_LARGE: 'Request body too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  QUEUE_REQUIRED: 'Admission through the waiting room is required',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal server error',
  SERVICE_UNAVAILABLE: 'Service unavailable',
};

export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  detail?: string;
  /** Extra members rendered into the problem document (e.g. `errors`, `conflict`). */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one error model: a stable code, an HTTP status, a human detail and optional members. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, opts: AppErrorOptions = {}) {
    super(opts.detail ?? TITLES[code], { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.title = TITLES[code];
    this.detail = opts.detail;
    this.extra = opts.extra ?? {};
    this.headers = opts.headers ?? {};
  }
}

export const validationFailed = (errors: FieldError[], detail?: string) =>
  new AppError('VALIDATION_FAILED', {
    detail: detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    extra: { errors },
  });
export const unauthenticated = (detail = 'A valid access token is required') =>
  new AppError('UNAUTHENTICATED', { detail, headers: { 'WWW-Authenticate': 'Bearer' } });
export const forbidden = (detail = 'You are not allowed to do this') =>
  new AppError('FORBIDDEN', { detail });
export const notFound = (what: string, id?: string | number) =>
  new AppError('NOT_FOUND', { detail: id === undefined ? `${what} not found` : `${what} ${id} not found` });
export const conflict = (code: ErrorCode, detail: string, extra?: Record<string, unknown>) =>
  new AppError(code, { detail, extra });

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemBody(err: AppError, instance?: string, requestId?: string) {
  return {
    type: `https://registration.goorm.ac.kr/problems/${err.code.toLowerCase().replaceAll('_', '-')}`,
    title: err.title,
    status: err.status,
    code: err.code,
    ...(err.detail ? { detail: err.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...err.extra,
  };
}

/** Turns framework errors (body-parser etc.) into AppErrors; anything else stays unknown. */
function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; message?: string } | undefined;
  if (e && typeof e === 'object') {
    if (e.type === 'entity.parse.failed')
      return validationFailed([{ field: 'body', message: 'malformed JSON' }]);
    if (e.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE');
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    if (isOverloadError(err)) return overloaded('The service is at capacity; try again in a moment', err);
  }
  return undefined;
}

/**
 * The database is out of reach for now, not broken by this request: the knex pool gave no
 * connection in time (every connection busy), MySQL refused more connections, or the connection
 * to it is down. Answered 503 with Retry-After, never a bare 500.
 */
export function isOverloadError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; errno?: number; fatal?: boolean } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'KnexTimeoutError') return true;
  if (e.errno === 1040 /* ER_CON_COUNT_ERROR */) return true;
  return e.fatal === true && (e.code === 'ECONNREFUSED' || e.code === 'PROTOCOL_CONNECTION_LOST' || e.code === 'ETIMEDOUT');
}

/** 503 SERVICE_UNAVAILABLE with `Retry-After` (whole seconds). */
export const overloaded = (detail: string, cause?: unknown, retryAfterSeconds = 1) =>
  new AppError('SERVICE_UNAVAILABLE', { detail, headers: { 'Retry-After': String(retryAfterSeconds) }, cause });

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(notFound('Route', `${req.method} ${req.path}`));
}

/** Renders every error as RFC 9457 problem+json. Unknown errors are logged whole and answered bare 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const requestId = (req as { id?: string }).id;
    let appErr = toAppError(err);
    const log = (req as { log?: Logger }).log ?? logger;
    if (!appErr) {
      log.error({ err }, 'unhandled error');
      appErr = new AppError('INTERNAL');
    } else if (appErr.status >= 500) {
      log.warn({ err: appErr.cause ?? appErr }, appErr.detail ?? appErr.title);
    }
    for (const [k, v] of Object.entries(appErr.headers)) res.setHeader(k, v);
    res.status(appErr.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(appErr, req.originalUrl, requestId)));
  };
}
