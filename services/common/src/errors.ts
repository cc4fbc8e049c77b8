import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { checkProblem } from './http.ts';
import { ERRORS, problemType, type ErrorCode, type FieldError, type ProblemExtension } from '@goorm/contracts';

/** The codes, their statuses, titles and extension members live in the contract package. */
export { ERROR_STATUS, type ErrorCode, type FieldError, type ProblemExtension } from '@goorm/contracts';

export interface AppErrorOptions<C extends ErrorCode = ErrorCode> {
  detail?: string;
  /** The code's extension members rendered into the problem document (e.g. `errors`, `conflict`), as the contract declares them. */
  extra?: ProblemExtension<C>;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one error model: a stable code, an HTTP status, a human detail and optional members. */
/** Options of a code whose extension has required members must carry them. */
type OptionsArg<C extends ErrorCode> = Record<never, never> extends ProblemExtension<C>
  ? [opts?: AppErrorOptions<C>]
  : [opts: AppErrorOptions<C> & { extra: ProblemExtension<C> }];

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: C, ...[opts = {}]: OptionsArg<C>) {
    const def = ERRORS[code];
    super(opts.detail ?? def.title, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = def.status;
    this.title = def.title;
    this.detail = opts.detail;
    this.extra = (opts.extra ?? {}) as Record<string, unknown>;
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
export const conflict = <C extends ErrorCode>(code: C, detail: string, extra?: ProblemExtension<C>): AppError<C> =>
  new (AppError as new (code: C, opts: AppErrorOptions<C>) => AppError<C>)(code, { detail, ...(extra ? { extra } : {}) });

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemBody(err: AppError, instance?: string, requestId?: string) {
  return {
    type: problemType(err.code),
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
    // Express answers a path segment it cannot percent-decode with a URIError of status 400.
    if (err instanceof URIError || (e.status === 400 && /decode param/i.test(e.message ?? ''))) {
      return validationFailed([{ field: 'params', message: 'malformed percent-encoding in the path' }]);
    }
    // The body parser's other client errors (a body its Content-Encoding does not match, a stream
    // cut short, a wrong length): the request, not the server, is at fault.
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string') {
      return validationFailed([{ field: 'body', message: `could not be read (${e.type})` }]);
    }
    // A decompression error (zlib's Z_*, brotli's ERR__*), marked 400 and safe to show.
    if (e.status === 400 && (err as { expose?: boolean }).expose === true) {
      return validationFailed([{ field: 'body', message: 'does not match its Content-Encoding' }]);
    }
  }
  return undefined;
}

/** Network codes of a connection to the database that broke or never opened (mysql2 marks them fatal). */
const CONNECTION_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST']);
/** The server going away: ER_SERVER_SHUTDOWN, ER_CONNECTION_KILLED (MariaDB), CR_SERVER_GONE_ERROR, CR_SERVER_LOST. */
const SERVER_GOING_AWAY = new Set([1053, 1927, 2006, 2013]);

/**
 * The database is out of reach for now, not broken by this request: the knex pool gave no
 * connection in time (every connection busy), MySQL refused more connections, the server is
 * shutting down, or the connection to it is down. Answered 503 with Retry-After, never a bare 500.
 *
 * "Down" includes mysql2's fatal error without a code, "Can't add new command when connection is
 * in closed state": what knex's ROLLBACK rejects with when the server closed the connection in the
 * middle of a transaction (the ROLLBACK's error replaces the PROTOCOL_CONNECTION_LOST one). Seen
 * when MariaDB restarts mid-burst (npm run chaos, docs/reliability.md).
 */
export function isOverloadError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; errno?: number; fatal?: boolean } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'KnexTimeoutError') return true;
  if (e.errno === 1040 /* ER_CON_COUNT_ERROR */) return true;
  if (typeof e.errno === 'number' && SERVER_GOING_AWAY.has(e.errno)) return true;
  return e.fatal === true && (e.code === undefined || CONNECTION_DOWN.has(e.code));
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
    const body = problemBody(appErr, req.originalUrl, requestId);
    checkProblem(`${req.method} ${(res.locals.routeTemplate as string | undefined) ?? req.path}`, body);
    res.status(appErr.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  };
}
