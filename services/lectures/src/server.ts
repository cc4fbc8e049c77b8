import { baseConfigShape, bootstrap, loadConfig, serveService } from '@goorm/common';
import { z } from 'zod';
import { createApp } from './app.ts';
import { lecturesMigrations } from './db/migrations.ts';

const config = loadConfig({
  ...baseConfigShape,
  PORT: z.coerce.number().int().default(4002),
});

const base = await bootstrap('lectures', config, lecturesMigrations);
const app = createApp({
  db: base.db,
  verifier: base.verifier,
  logger: base.logger,
  metrics: base.metrics,
  readiness: base.readiness,
  accessLog: config.HTTP_ACCESS_LOG,
});
await serveService(base, config, app);
