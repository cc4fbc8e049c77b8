import type { Express, RequestHandler } from 'express';
import { ApiRouter, createServiceApp, inFlightLimit, type Knex, type Logger, type Metrics, type TokenVerifier } from '@goorm/common';
import { registerAuditRoutes } from './audit/audit.routes.ts';
import { CatalogCache } from './catalog/catalog.service.ts';
import { enrollmentMetrics } from './enrollments/enrollments.metrics.ts';
import { registerEnrollmentRoutes } from './enrollments/enrollments.routes.ts';
import { createEnrollmentService, type AdmissionGate } from './enrollments/enrollments.service.ts';
import { observeEnrollLatency, registerQueueRoutes } from './queue/queue.routes.ts';
import type { WaitingRoom } from './queue/queue.room.ts';
import { registerRosterRoutes } from './roster/roster.routes.ts';
import { registerStatsRoutes } from './stats/stats.routes.ts';
import { registerWindowRoutes } from './windows/windows.routes.ts';

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
  accessLog?: boolean;
}

/** The registration writes: enroll, swap, drop (not the waiting room's or staff's other writes). */
const isRegistrationWrite = (req: { method: string; path: string }) =>
  (req.method === 'POST' && (req.path === '/' || req.path === '/swap')) || (req.method === 'DELETE' && /^\/\d+\/?$/.test(req.path));

/** The enrollment service: windows, enroll / drop / swap, timetable, rosters, stats, audit. Never listens. */
export function createApp(deps: EnrollmentAppDeps): Express {
  const clock = deps.clock ?? (() => new Date());
  const metrics = enrollmentMetrics(deps.metrics);
  const catalog = new CatalogCache(deps.db, {
    ttlMs: deps.catalogTtlMs ?? 5_000,
    logger: deps.logger,
    onReload: () => metrics.catalogReloads.inc(),
  });
  const service = createEnrollmentService({
    db: deps.db,
    catalog,
    clock,
    logger: deps.logger,
    metrics,
    admission: deps.admission,
    txRetries: deps.txRetries ?? 8,
  });

  const api = new ApiRouter(deps.verifier, '/api/enrollments');
  registerWindowRoutes(api, { db: deps.db, clock });
  registerRosterRoutes(api, { db: deps.db });
  registerStatsRoutes(api, { db: deps.db, clock });
  registerAuditRoutes(api, { db: deps.db });
  if (deps.room) registerQueueRoutes(api, { room: deps.room, db: deps.db, clock, logger: deps.logger });
  registerEnrollmentRoutes(api, { service });

  return createServiceApp({
    name: 'enrollment',
    description: 'Enrollment windows, registration (enroll, drop, swap), timetables, rosters and live stats',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
    routers: [api],
    configure: (app) => {
      // The room sees every answer (a shed request counts as a failure and lowers the admission rate);
      // shedding comes before the rate limiters, which may cost a Redis round trip.
      if (deps.room) app.use('/api/enrollments', observeEnrollLatency(deps.room));
      app.use('/api/enrollments', inFlightLimit({ max: deps.maxInFlight ?? 0, match: isRegistrationWrite, registry: deps.metrics.registry, name: 'enrollment' }));
      if (deps.limiters?.length) app.use('/api/enrollments', ...deps.limiters);
    },
    ...(deps.accessLog !== undefined ? { accessLog: deps.accessLog } : {}),
  });
}
