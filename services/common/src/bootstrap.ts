import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createDb, migrate, pingDb, type DbOptions, type MigrationSet } from './db.ts';
import { serve, type RunningServer } from './server.ts';
import { createLogger } from './logger.ts';
import { createMetrics, registerDbPoolMetrics, type Metrics } from './metrics.ts';
import { createRevocationList, type RevocationList } from './revocations.ts';
import { createTokenVerifier, resolveKey, type TokenVerifier } from './tokens.ts';
import type { baseConfigShape } from './config.ts';
import type { z } from 'zod';

export type BaseConfig = Readonly<z.output<z.ZodObject<typeof baseConfigShape>>>;

export interface Lifecycle {
  draining: boolean;
}

export interface ServiceBase {
  logger: Logger;
  metrics: Metrics;
  db: Knex;
  verifier: TokenVerifier;
  /** The accounts whose older tokens are refused (polled; stopped at shutdown). */
  revocations: RevocationList;
  lifecycle: Lifecycle;
  readiness: () => Promise<void>;
}

/** What every service's server.ts builds before its own dependencies. */
export async function bootstrap(service: string, config: BaseConfig, migrations?: MigrationSet, dbOptions: Omit<DbOptions, 'poolMax'> = {}): Promise<ServiceBase> {
  const logger = createLogger(service, config.LOG_LEVEL);
  const metrics = createMetrics(service);
  const db = createDb(config.DATABASE_URL, { ...dbOptions, poolMax: config.DATABASE_POOL_MAX });
  registerDbPoolMetrics(metrics.registry, db);
  const revocations = createRevocationList(db, { pollMs: config.ACCOUNT_REVOCATION_POLL_MS, logger });
  // Before the first request: the revocations of the last day. A database that is not there yet
  // (or not migrated) is retried by the poll; readiness still waits for the database.
  await revocations.refresh().catch((err: unknown) => logger.warn({ err }, 'account revocations: first read failed; the poll retries'));
  const publicKey = resolveKey({
    inline: config.JWT_PUBLIC_KEY,
    file: config.JWT_PUBLIC_KEY_FILE,
    dataDir: config.DATA_DIR,
    kind: 'public',
    allowDevKey: config.NODE_ENV !== 'production',
  });
  const verifier = await createTokenVerifier(publicKey, {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
    // A deleted account's token, or one older than its last password change, is refused within ACCOUNT_REVOCATION_POLL_MS.
    accounts: revocations.check,
  });
  if (migrations && config.MIGRATE_ON_START) await migrate(db, migrations);
  const lifecycle: Lifecycle = { draining: false };
  const readiness = async () => {
    if (lifecycle.draining) throw new Error('shutting down');
    await pingDb(db);
  };
  return { logger, metrics, db, verifier, revocations, lifecycle, readiness };
}

/** Listens on the service's port and, on SIGTERM, drains, runs `closers`, then closes the pool. */
export function serveService(
  base: ServiceBase,
  config: BaseConfig & { PORT: number },
  app: Express,
  closers: Array<() => Promise<unknown>> = [],
): Promise<RunningServer> {
  return serve({
    app,
    port: config.PORT,
    host: config.HOST,
    logger: base.logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    lifecycle: base.lifecycle,
    closers: [...closers, async () => base.revocations.stop(), () => base.db.destroy()],
  });
}
