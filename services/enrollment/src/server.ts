import { z } from 'zod';
import { baseConfigShape, bootstrap, createRateLimitStore, enrollLimiters, loadConfig, rateLimitConfigShape, serveService } from '@goorm/common';
import { createApp } from './app.ts';
import { enrollmentMigrations } from './db/migrations.ts';
import { createWaitingRoom, queueConfigShape } from './queue/index.ts';

const config = loadConfig({
  ...baseConfigShape,
  ...rateLimitConfigShape,
  ...queueConfigShape,
  PORT: z.coerce.number().int().default(4004),
  /** How long the term's frozen catalog (sections, lectures, meetings, eligibility, reservations) and windows are cached. */
  CATALOG_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** Bounded retries of deadlocks, lock timeouts and SQLITE_BUSY inside the service. */
  ENROLL_TX_RETRIES: z.coerce.number().int().min(0).max(20).default(8),
  /** Enroll / drop / swap requests in flight per process; past it, 503 with Retry-After at once (0 = no limit). */
  ENROLL_MAX_IN_FLIGHT: z.coerce.number().int().min(0).max(100_000).default(200),
});

// multipleStatements: the enroll transaction batches BEGIN and COMMIT with its statements (enrollments.batched.ts).
const base = await bootstrap('enrollment', config, enrollmentMigrations, { multipleStatements: true });

const waiting = createWaitingRoom(config, { db: base.db, logger: base.logger, registry: base.metrics.registry });
const limits = createRateLimitStore(config.REDIS_URL, base.logger);

const app = createApp({
  admission: waiting.admission,
  room: waiting.room,
  limiters: enrollLimiters(config, limits.store, { verifier: base.verifier, logger: base.logger, registry: base.metrics.registry }),
  db: base.db,
  verifier: base.verifier,
  logger: base.logger,
  metrics: base.metrics,
  readiness: base.readiness,
  catalogTtlMs: config.CATALOG_TTL_MS,
  txRetries: config.ENROLL_TX_RETRIES,
  maxInFlight: config.ENROLL_MAX_IN_FLIGHT,
  accessLog: config.HTTP_ACCESS_LOG,
});

await serveService(base, config, app, [waiting.close, limits.close]);
