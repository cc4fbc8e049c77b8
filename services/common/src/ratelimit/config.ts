import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { registerRedisClientMetric } from '../metrics.ts';
import type { RequestHandler } from 'express';
import type { TokenVerifier } from '../tokens.ts';
import { rateLimit, rateLimitKeys } from './middleware.ts';
import { MemoryRateLimitStore, RedisRateLimitStore, type RateLimitStore } from './store.ts';

const bool = (d: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(d)
    .transform((v) => v === 'true');

/** Rate-limit keys for services that limit; spread into loadConfig. A limit of 0 turns that limiter off. */
export const rateLimitConfigShape = {
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  RATE_LIMIT_ENABLED: bool('true'),
  /** Login attempts per client address per minute (campus NAT: keep it generous). */
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  /** Enroll / drop / swap requests per student per 10 s. */
  RATE_LIMIT_ENROLL_PER_STUDENT_PER_10S: z.coerce.number().int().min(0).default(40),
  /** Enroll / drop / swap requests per client address per 10 s (0 = off; the benchmark turns it off). */
  RATE_LIMIT_ENROLL_PER_IP_PER_10S: z.coerce.number().int().min(0).default(5_000),
};
export type RateLimitConfig = z.output<z.ZodObject<typeof rateLimitConfigShape>>;

/** The Redis store when REDIS_URL is set (shared by every replica), else an in-process store. */
export function createRateLimitStore(
  redisUrl: string | undefined,
  logger?: Logger,
  registry?: Registry,
): { store: RateLimitStore; close: () => Promise<void> } {
  if (!redisUrl) return { store: new MemoryRateLimitStore(), close: async () => {} };
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableAutoPipelining: true, lazyConnect: false });
  if (registry) registerRedisClientMetric(registry, 'rate_limit', client);
  client.on('error', (err) => logger?.warn({ err }, 'rate-limit redis error'));
  return {
    store: new RedisRateLimitStore({ client }),
    close: async () => {
      client.disconnect();
    },
  };
}

/** Login: per client address (the per-account lockout lives in the auth service's own throttle). */
export function loginLimiters(config: RateLimitConfig, store: RateLimitStore, o: { logger?: Logger; registry?: Registry }): RequestHandler[] {
  if (!config.RATE_LIMIT_ENABLED || config.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE === 0) return [];
  return [
    rateLimit({
      store,
      name: 'login_ip',
      limit: config.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE,
      windowMs: 60_000,
      key: rateLimitKeys.onlyMethods(['POST'], rateLimitKeys.clientIp),
      ...o,
    }),
  ];
}

/** Enroll, drop and swap: per student and per client address. */
export function enrollLimiters(
  config: RateLimitConfig,
  store: RateLimitStore,
  o: { verifier: TokenVerifier; logger?: Logger; registry?: Registry },
): RequestHandler[] {
  if (!config.RATE_LIMIT_ENABLED) return [];
  const writes = ['POST', 'DELETE'];
  const limiters: RequestHandler[] = [];
  const common = { store, ...(o.logger ? { logger: o.logger } : {}), ...(o.registry ? { registry: o.registry } : {}) };
  if (config.RATE_LIMIT_ENROLL_PER_STUDENT_PER_10S > 0) {
    limiters.push(
      rateLimit({
        ...common,
        name: 'enroll_student',
        limit: config.RATE_LIMIT_ENROLL_PER_STUDENT_PER_10S,
        windowMs: 10_000,
        key: rateLimitKeys.onlyMethods(writes, rateLimitKeys.bearerSubject(o.verifier)),
      }),
    );
  }
  if (config.RATE_LIMIT_ENROLL_PER_IP_PER_10S > 0) {
    limiters.push(
      rateLimit({
        ...common,
        name: 'enroll_ip',
        limit: config.RATE_LIMIT_ENROLL_PER_IP_PER_10S,
        windowMs: 10_000,
        key: rateLimitKeys.onlyMethods(writes, rateLimitKeys.clientIp),
      }),
    );
  }
  return limiters;
}
