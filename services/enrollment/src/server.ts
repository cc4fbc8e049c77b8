import { z } from 'zod';
import { baseConfigShape, bootstrap, createRateLimitStore, enrollLimiters, loadServiceConfig, rateLimitConfigShape, serveService } from '@goorm/common';
import { createEnrollment } from './app.ts';
import { enrollmentMigrations } from './db/migrations.ts';
import { createWaitingRoom, queueConfigShape } from './queue/index.ts';

const config = loadServiceConfig('enrollment', {
  ...baseConfigShape,
  ...rateLimitConfigShape,
  ...queueConfigShape,
  PORT: z.coerce.number().int().default(4004),
  /** How long the term's frozen catalog (sections, lectures, meetings, eligibility, reservations) and windows are cached. */
  CATALOG_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** How long a GET /api/enrollments/stats/live answer is shared by every staff tab (ms). */
  LIVE_STATS_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** Bounded retries of deadlocks, lock timeouts and SQLITE_BUSY inside the service. */
  ENROLL_TX_RETRIES: z.coerce.number().int().min(0).max(20).default(8),
  /**
   * Enroll / drop / swap requests in flight per process; past it, 503 with Retry-After at once
   * (0 = no limit). A safety net under the waiting room, not its regulator: at 200 the benchmark's
   * opening burst (500 students in flight, the room at 1,000/s) shed 9,265 requests that the pool
   * would have served within a second; 1,000 queued behind a pool of 10 is ~1-5 s of waiting at
   * 200-1,000 decisions/s, still inside the pool's 10 s acquire timeout.
   */
  ENROLL_MAX_IN_FLIGHT: z.coerce.number().int().min(0).max(100_000).default(1_000),
  /** How often seats freed outside a drop or swap go to the waitlists, and due auto-enrollment runs run (ms; 0 = never). */
  WAITLIST_SWEEP_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Students per cart auto-enrollment transaction: bounds how long one transaction holds its seat rows. */
  AUTO_ENROLL_BATCH: z.coerce.number().int().min(1).max(5_000).default(100),
  /** How long a stored Idempotency-Key answer is kept: a retry within it gets the same answer (hours). */
  IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
});

// multipleStatements: the enroll transaction batches BEGIN and COMMIT with its statements (enrollments.batched.ts).
const base = await bootstrap('enrollment', config, enrollmentMigrations, { multipleStatements: true });

const waiting = createWaitingRoom(config, { db: base.db, logger: base.logger, registry: base.metrics.registry, poolMax: config.DATABASE_POOL_MAX });
const limits = createRateLimitStore(config.REDIS_URL, base.logger, base.metrics.registry);

const { app, sweeper } = createEnrollment({
  admission: waiting.admission,
  room: waiting.room,
  limiters: enrollLimiters(config, limits.store, { verifier: base.verifier, logger: base.logger, registry: base.metrics.registry }),
  db: base.db,
  verifier: base.verifier,
  logger: base.logger,
  metrics: base.metrics,
  readiness: base.readiness,
  catalogTtlMs: config.CATALOG_TTL_MS,
  liveStatsTtlMs: config.LIVE_STATS_TTL_MS,
  txRetries: config.ENROLL_TX_RETRIES,
  maxInFlight: config.ENROLL_MAX_IN_FLIGHT,
  accessLog: config.HTTP_ACCESS_LOG,
  waitlistSweepMs: config.WAITLIST_SWEEP_MS,
  autoEnrollBatch: config.AUTO_ENROLL_BATCH,
  idempotencyRetentionHours: config.IDEMPOTENCY_RETENTION_HOURS,
});

await serveService(base, config, app, [sweeper.stop, waiting.close, limits.close]);
