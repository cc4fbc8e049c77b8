import { z } from 'zod';
import { Redis } from 'ioredis';
import { registerRedisClientMetric, type Knex, type Logger } from '@goorm/common';
import type { Registry } from 'prom-client';
import { listWindows } from '../windows/windows.repository.ts';
import { InProcessWaitingRoom } from './queue.memory.ts';
import { RedisWaitingRoom } from './queue.redis.ts';
import type { WaitingRoom, WaitingRoomOptions } from './queue.room.ts';
import type { AdaptiveOptions } from './queue.adaptive.ts';
import { createAdmissionCheck, type AdmissionCheck } from './queue.service.ts';
import { QueueTokens, resolveQueueSecret } from './queue.tokens.ts';

const bool = (d: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(d)
    .transform((v) => v === 'true');

/** The waiting room's config keys; spread into the enrollment service's loadConfig shape. */
export const queueConfigShape = {
  /** redis://host:6379 — the Redis room (and shared state for several replicas); unset = in-process room. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  QUEUE_REDIS_PREFIX: z.string().min(1).default('goorm:queue:{enrollment}:'),
  /** HMAC secret of tickets and admission tokens (>= 32 chars); required in production, same on every replica. */
  QUEUE_TOKEN_SECRET: z.string().min(32).optional(),
  QUEUE_TOKEN_SECRET_FILE: z.string().optional(),
  QUEUE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(3_600).default(300),
  QUEUE_TICKET_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3 * 3_600),
  /** Initial mode until staff change it: auto | on | off. */
  QUEUE_MODE: z.enum(['auto', 'on', 'off']).default('auto'),
  QUEUE_ACTIVE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  QUEUE_RATE_PER_SECOND: z.coerce.number().min(0.1).max(100_000).default(200),
  QUEUE_ADAPTIVE: bool('true'),
  QUEUE_RATE_MIN: z.coerce.number().min(0.1).default(20),
  QUEUE_RATE_MAX: z.coerce.number().min(0.1).default(2_000),
  QUEUE_TARGET_LATENCY_MS: z.coerce.number().int().min(1).default(150),
  QUEUE_MAX_ERROR_RATE: z.coerce.number().min(0).max(1).default(0.01),
  QUEUE_ADJUST_INTERVAL_MS: z.coerce.number().int().min(100).default(2_000),
  /** Enrolls in flight per process from which a slow p95 lowers the admission rate (default: 2 x DATABASE_POOL_MAX). */
  QUEUE_BUSY_IN_FLIGHT: z.coerce.number().int().min(1).optional(),
};

export type QueueConfig = z.output<z.ZodObject<typeof queueConfigShape>> & { NODE_ENV: string; DATA_DIR: string };

/** An ioredis client that fails fast instead of queueing commands for a long time while Redis is away. */
export function createQueueRedis(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableAutoPipelining: true });
  redis.on('error', (err) => logger?.warn({ err }, 'redis error'));
  return redis;
}

export interface WaitingRoomSetup {
  room: WaitingRoom;
  /** Pass as createApp({ admission }). */
  admission: AdmissionCheck;
  /** Add to serve({ closers }). */
  close: () => Promise<void>;
}

/**
 * The adaptive controller's settings. "Busy" is about twice the process's database pool: more
 * enrolls in flight than that queue for a connection, which admitting fewer students relieves
 * (the bench measured the ceiling at pools of 10, 20 and 40; production runs 20).
 */
export function adaptiveOptions(config: QueueConfig, poolMax = 10): Partial<AdaptiveOptions> {
  return {
    minRate: config.QUEUE_RATE_MIN,
    maxRate: config.QUEUE_RATE_MAX,
    targetLatencyMs: config.QUEUE_TARGET_LATENCY_MS,
    maxErrorRate: config.QUEUE_MAX_ERROR_RATE,
    intervalMs: config.QUEUE_ADJUST_INTERVAL_MS,
    busyInFlight: config.QUEUE_BUSY_IN_FLIGHT ?? 2 * poolMax,
  };
}

/**
 * Builds the waiting room from config: RedisWaitingRoom when REDIS_URL is set (or a client is
 * given), else InProcessWaitingRoom (the embedded default, one process only).
 */
export function createWaitingRoom(
  config: QueueConfig,
  deps: { db: Knex; logger: Logger; registry?: Registry; redis?: Redis; clock?: () => number; /** DATABASE_POOL_MAX of this process. */ poolMax?: number },
): WaitingRoomSetup {
  const secret = resolveQueueSecret({
    inline: config.QUEUE_TOKEN_SECRET,
    file: config.QUEUE_TOKEN_SECRET_FILE,
    dataDir: config.DATA_DIR,
    allowDevSecret: config.NODE_ENV !== 'production',
  });
  const options: WaitingRoomOptions = {
    tokens: new QueueTokens(secret, config.QUEUE_TOKEN_TTL_SECONDS),
    defaults: { mode: config.QUEUE_MODE, ratePerSecond: config.QUEUE_RATE_PER_SECOND, adaptive: config.QUEUE_ADAPTIVE },
    ticketTtlSeconds: config.QUEUE_TICKET_TTL_SECONDS,
    activeMinutes: config.QUEUE_ACTIVE_MINUTES,
    windows: () => listWindows(deps.db),
    logger: deps.logger,
    adaptive: adaptiveOptions(config, deps.poolMax),
    ...(deps.registry ? { registry: deps.registry } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
  };
  let room: WaitingRoom;
  if (deps.redis || config.REDIS_URL) {
    const ownsClient = !deps.redis;
    const redis = deps.redis ?? createQueueRedis(config.REDIS_URL!, deps.logger);
    room = new RedisWaitingRoom({ ...options, redis, prefix: config.QUEUE_REDIS_PREFIX, ownsClient });
    if (deps.registry) registerRedisClientMetric(deps.registry, 'waiting_room', redis);
  } else {
    room = new InProcessWaitingRoom(options);
  }
  deps.logger.info({ store: room instanceof RedisWaitingRoom ? 'redis' : 'in-process' }, 'waiting room ready');
  return { room, admission: createAdmissionCheck(room, deps.registry ? { registry: deps.registry } : {}), close: () => room.close() };
}
