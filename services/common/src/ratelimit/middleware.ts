import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { bearerToken } from '../auth.ts';
import { AppError } from '../errors.ts';
import type { TokenVerifier } from '../tokens.ts';
import { msUntilAllowed, slidingCount, type RateLimitHit, type RateLimitStore } from './store.ts';

export type RateLimitKey = (req: Request) => string | undefined | Promise<string | undefined>;

export interface RateLimitOptions {
  store: RateLimitStore;
  /** Names the limit in keys, logs, metrics and the problem detail, e.g. 'login-ip', 'enroll-student'. */
  name: string;
  /** Requests allowed per window and key. */
  limit: number;
  windowMs: number;
  /** Whose budget a request spends; undefined = not limited by this limiter (e.g. no user, other method). */
  key: RateLimitKey;
  /** Where fail-open warnings go (at most one line per limiter per 10 s). */
  logger?: Logger;
  /** Counts decisions as rate_limit_decisions_total{name, outcome}. */
  registry?: Registry;
  /** Longest wait for the store before letting the request through (fail open). Default 250 ms. */
  timeoutMs?: number;
  /** Send RateLimit-Limit / -Remaining / -Reset / -Policy on every limited route. Default true. */
  headers?: boolean;
}

const counters = new WeakMap<Registry, Counter<'name' | 'outcome'>>();
function decisionCounter(registry: Registry): Counter<'name' | 'outcome'> {
  let c = counters.get(registry);
  if (!c) {
    c = new Counter({
      name: 'rate_limit_decisions_total',
      help: 'Rate limiter decisions, by limiter and outcome (allowed, limited, store_error)',
      labelNames: ['name', 'outcome'] as const,
      registers: [registry],
    });
    counters.set(registry, c);
  }
  return c;
}

class StoreTimeout extends Error {
  constructor(ms: number) {
    super(`rate limit store did not answer within ${ms} ms`);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeout(ms)), ms);
      timer.unref?.();
    }),
  ]).finally(() => clearTimeout(timer));
}

export function rateLimited(name: string, retryAfterSeconds: number, limit: number, windowMs: number): AppError {
  return new AppError('RATE_LIMITED', {
    detail: `Too many requests (${name}: ${limit} per ${Math.ceil(windowMs / 1000)} s); retry in ${retryAfterSeconds} s`,
    extra: { limit: name, retryAfterSeconds },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/**
 * Express middleware: counts the request against `key` and answers 429 problem+json
 * `RATE_LIMITED` with `Retry-After` (whole seconds, at least 1) once the key has spent `limit`
 * in the sliding window (see store.ts).
 *
 * Fails open: if the store throws (Redis down) or takes longer than `timeoutMs`, the request goes
 * through and a warning is logged. A rate limiter protects the service; it must never be the
 * reason the service answers 500 or stalls on registration day.
 */
export function rateLimit(o: RateLimitOptions): RequestHandler {
  if (!(o.limit >= 1) || !(o.windowMs >= 1)) throw new Error(`rateLimit ${o.name}: limit and windowMs must be >= 1`);
  const timeoutMs = o.timeoutMs ?? 250;
  const counter = o.registry ? decisionCounter(o.registry) : undefined;
  const policy = `${o.limit};w=${Math.ceil(o.windowMs / 1000)}`;
  let lastWarn = 0;
  let suppressed = 0;

  const failOpen = (err: unknown, key: string) => {
    counter?.inc({ name: o.name, outcome: 'store_error' });
    const now = Date.now();
    if (now - lastWarn >= 10_000) {
      o.logger?.warn({ err, limiter: o.name, key, suppressed }, 'rate limit store failed; letting requests through');
      lastWarn = now;
      suppressed = 0;
    } else {
      suppressed++;
    }
  };

  return async (req, res, next) => {
    let key: string | undefined;
    try {
      key = await o.key(req);
    } catch (err) {
      return next(err);
    }
    if (key === undefined) return next();
    let hit: RateLimitHit;
    try {
      hit = await withTimeout(o.store.hit(`${o.name}:${key}`, o.windowMs), timeoutMs);
    } catch (err) {
      failOpen(err, key);
      return next();
    }
    const count = slidingCount(hit, o.windowMs);
    const resetSeconds = Math.max(1, Math.ceil(msUntilAllowed(hit, o.windowMs, o.limit) / 1000));
    if (o.headers !== false) {
      res.setHeader('RateLimit-Limit', String(o.limit));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, o.limit - count)));
      res.setHeader('RateLimit-Reset', String(resetSeconds));
      res.setHeader('RateLimit-Policy', policy);
    }
    if (count > o.limit) {
      counter?.inc({ name: o.name, outcome: 'limited' });
      return next(rateLimited(o.name, resetSeconds, o.limit, o.windowMs));
    }
    counter?.inc({ name: o.name, outcome: 'allowed' });
    next();
  };
}

/** Ready-made keys. Each returns undefined when it does not apply, so the limiter lets the request by. */
export const rateLimitKeys = {
  /** The client address as Express sees it (trust proxy is set by createServiceApp). */
  clientIp: ((req) => (req.ip ? `ip:${req.ip}` : undefined)) as RateLimitKey,
  /** The signed-in caller, when an earlier middleware has authenticated the request (req.user). */
  user: ((req) => (req.user ? `${req.user.role}:${req.user.id}` : undefined)) as RateLimitKey,
  /**
   * The caller of a bearer token, verified here (the verifier caches), for limiters mounted in
   * front of the routers where req.user is not set yet. A bad or missing token is not limited
   * here; the route refuses it with 401.
   */
  bearerSubject(verifier: TokenVerifier): RateLimitKey {
    return async (req) => {
      const token = bearerToken(req.headers.authorization);
      if (!token) return undefined;
      try {
        const u = await verifier.verify(token);
        return `${u.role}:${u.id}`;
      } catch {
        return undefined;
      }
    };
  },
  /** A string field of the parsed JSON body, e.g. the loginId of a login attempt (per account). */
  bodyField(field: string): RateLimitKey {
    return (req) => {
      const v = (req.body as Record<string, unknown> | undefined)?.[field];
      return typeof v === 'string' && v.length > 0 ? `${field}:${v.trim().toLowerCase().slice(0, 128)}` : undefined;
    };
  },
  /** Applies `key` only to the given HTTP methods (e.g. POST and DELETE of /api/enrollments). */
  onlyMethods(methods: string[], key: RateLimitKey): RateLimitKey {
    const set = new Set(methods.map((m) => m.toUpperCase()));
    return (req) => (set.has(req.method) ? key(req) : undefined);
  },
};
