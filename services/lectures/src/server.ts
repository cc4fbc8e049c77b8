import { baseConfigShape, bootstrap, loadConfig, migrate, serve } from '@goorm/common';
import { z } from 'zod';
import { createApp } from './app.ts';
import { lecturesMigrations } from './db/migrations.ts';

const config = loadConfig({
  ...baseConfigShape,
  PORT: z.coerce.number().int().default(4002),
  /** Normally the start script (or the deploy job) migrates; true migrates this service's tables at start. */
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

const base = await bootstrap('lectures', config);
if (config.MIGRATE_ON_START) await migrate(base.db, lecturesMigrations);
const app = createApp({
  db: base.db,
  verifier: base.verifier,
  logger: base.logger,
  metrics: base.metrics,
  readiness: base.readiness,
  accessLog: config.HTTP_ACCESS_LOG,
});
await serve({
  app,
  port: config.PORT,
  host: config.HOST,
  logger: base.logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  lifecycle: base.lifecycle,
  closers: [() => base.db.destroy()],
});
