import type { Express, RequestHandler } from 'express';
import { ApiRouter, createServiceApp, inFlightLimit, purgeOlderThan, type Knex, type Logger, type Metrics, type TokenVerifier } from '@goorm/common';
import { enrollmentApi, type Endpoint } from '@goorm/contracts';
import { registerAuditRoutes } from './audit/audit.routes.ts';
import { CatalogCache } from './catalog/catalog.service.ts';
import { enrollmentMetrics } from './enrollments/enrollments.metrics.ts';
import { REGISTRATION_WRITES, registerEnrollmentRoutes } from './enrollments/enrollments.routes.ts';
import { createEnrollmentService, type AdmissionGate } from './enrollments/enrollments.service.ts';
import { observeEnrollLatency, registerQueueRoutes } from './queue/queue.routes.ts';
import type { WaitingRoom } from './queue/queue.room.ts';
import { registerRosterRoutes } from './roster/roster.routes.ts';
import { registerSeatMetrics } from './stats/seats.metrics.ts';
import { registerStatsRoutes } from './stats/stats.routes.ts';
import { registerWindowRoutes } from './windows/windows.routes.ts';
import { createAutoEnrollService } from './autoenroll/autoenroll.service.ts';
import { registerWaitlistRoutes } from './waitlist/waitlist.routes.ts';
import { createWaitlistService } from './waitlist/waitlist.service.ts';
import { startSweeper, type Sweeper } from './waitlist/waitlist.sweeper.ts';

export type { AdmissionGate } from './enrollments/enrollments.service.ts';

export interface EnrollmentAppDeps {
  db: Knex;
  verifier: TokenVerifier;
  logger: Logger;
  metrics: Metrics;
  readiness: () => Promise<void>;
  clock?: () => Date;
  /** The waiting room (next issue): checked before the transaction of a student's enroll / swap. */
  admission?: AdmissionGate;
  /** The waiting room behind /queue routes (and fed with enroll latencies for the adaptive rate). */
  room?: WaitingRoom;
  /** Rate limiters in front of the routes (per student, per client address). */
  limiters?: RequestHandler[];
  /** How long the term's catalog and windows are cached (ms). Default 5000; 0 = reload on every request. */
  catalogTtlMs?: number;
  /** Retries of deadlocks / lock timeouts / SQLITE_BUSY inside the service. Default 8. */
  txRetries?: number;
  /** Enroll / drop / swap requests handled at once by this process; more are answered 503 with Retry-After. 0 (default) = no limit. */
  maxInFlight?: number;
  /** How long a GET /stats/live answer is shared by every caller (ms). Default 2000. */
  liveStatsTtlMs?: number;
  accessLog?: boolean;
  /** How often the sweeper fills seats freed outside a drop or swap and runs scheduled auto-enrollments (ms). 0 (default) = no timer: `sweeper.sweepOnce()` by hand. */
  waitlistSweepMs?: number;
  /** Students per auto-enrollment transaction. Default 100. */
  autoEnrollBatch?: number;
  /** How long a stored Idempotency-Key answer is kept (hours; the sweeper deletes older ones every 10 minutes). Default 24. */
  idempotencyRetentionHours?: number;
}

export interface EnrollmentParts {
  app: Express;
  sweeper: Sweeper;
}

/**
 * Route knowledge on the route: `handlers` run before these contract endpoints' own (same method
 * and path, so Express matches them exactly as it matches the endpoint), in the order mounted.
 */
function before(api: ApiRouter, endpoints: readonly Endpoint[], ...handlers: RequestHandler[]): void {
  for (const e of endpoints) api.router[e.method](e.path, ...handlers);
}

/** The enrollment service: windows, enroll / drop / swap, timetable, rosters, stats, audit. Never listens. */
export function createApp(deps: EnrollmentAppDeps): Express {
  return createEnrollment(deps).app;
}

/** Stored Idempotency-Key answers past their retention are deleted this often (by the sweeper, on every replica: the deletes are idempotent). */
const PURGE_EVERY_MS = 10 * 60_000;

/** A task that does its work at most once per `intervalMs` (the first call does it). */
function every(intervalMs: number, task: () => Promise<unknown>): () => Promise<unknown> {
  let last: number | undefined;
  return async () => {
    const now = performance.now();
    if (last !== undefined && now - last < intervalMs) return undefined;
    last = now;
    return task();
  };
}

/** The app and the waitlist sweeper (server.ts stops it on shutdown). */
export function createEnrollment(deps: EnrollmentAppDeps): EnrollmentParts {
  const clock = deps.clock ?? (() => new Date());
  const metrics = enrollmentMetrics(deps.metrics);
  const catalog = new CatalogCache(deps.db, {
    ttlMs: deps.catalogTtlMs ?? 5_000,
    logger: deps.logger,
    onReload: () => metrics.catalogReloads.inc(),
    onLookup: (result) => metrics.catalogLookups.inc({ result }),
  });
  registerSeatMetrics(deps.metrics, deps.db, catalog, deps.logger);
  const txRetries = deps.txRetries ?? 8;
  const service = createEnrollmentService({
    db: deps.db,
    catalog,
    clock,
    logger: deps.logger,
    metrics,
    admission: deps.admission,
    txRetries,
  });

  const waitlist = createWaitlistService({ db: deps.db, catalog, clock, logger: deps.logger, metrics, txRetries });
  const autoEnroll = createAutoEnrollService({ db: deps.db, catalog, clock, logger: deps.logger, txRetries, batchSize: deps.autoEnrollBatch });
  const purgeIdempotency = every(PURGE_EVERY_MS, () =>
    purgeOlderThan(deps.db, 'idempotency_record', 'idem_key', 'created_at', new Date(clock().getTime() - (deps.idempotencyRetentionHours ?? 24) * 3_600_000)),
  );
  const sweeper = startSweeper({
    intervalMs: deps.waitlistSweepMs ?? 0,
    logger: deps.logger,
    tasks: [() => waitlist.sweep(), () => autoEnroll.runDue(), purgeIdempotency],
  });

  const api = new ApiRouter(deps.verifier, enrollmentApi);
  const { enroll, swap } = enrollmentApi.endpoints;
  // The room sees every enroll and swap answer (a shed request counts as a failure and lowers the
  // admission rate); shedding of the registration writes comes before the rate limiters, which may
  // cost a Redis round trip; the limiters (they pick the requests they count) before every route.
  if (deps.room) before(api, [enroll, swap], observeEnrollLatency(deps.room));
  if ((deps.maxInFlight ?? 0) > 0) {
    before(api, REGISTRATION_WRITES, inFlightLimit({ max: deps.maxInFlight!, match: () => true, registry: deps.metrics.registry, name: 'enrollment' }));
  }
  if (deps.limiters?.length) api.router.use(...deps.limiters);

  registerWindowRoutes(api, { db: deps.db, clock });
  registerRosterRoutes(api, { db: deps.db });
  registerStatsRoutes(api, { db: deps.db, clock, room: deps.room, liveTtlMs: deps.liveStatsTtlMs, registry: deps.metrics.registry });
  registerAuditRoutes(api, { db: deps.db });
  registerQueueRoutes(api, { room: deps.room, db: deps.db, clock, logger: deps.logger });
  registerEnrollmentRoutes(api, { service });
  registerWaitlistRoutes(api, { waitlist, autoEnroll });

  const app = createServiceApp({
    name: 'enrollment',
    description: 'Enrollment windows, registration (enroll, drop, swap), timetables, rosters and live stats',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
    routers: [api],
    ...(deps.accessLog !== undefined ? { accessLog: deps.accessLog } : {}),
  });
  return { app, sweeper };
}
