import { baseConfigShape, bootstrap, loadServiceConfig, runPeriodically, serveService } from '@goorm/common';
import { z } from 'zod';
import { createApp, DEFAULT_CART_CREDIT_LIMIT } from './app.ts';
import { purgeOrphanedItems } from './carts/carts.repository.ts';
import { cartsMigrations } from './db/migrations.ts';

const config = loadServiceConfig('carts', {
  ...baseConfigShape,
  PORT: z.coerce.number().int().default(4003),
  /** Most credits one student's cart may hold. */
  CART_CREDIT_LIMIT: z.coerce.number().int().min(1).max(60).default(DEFAULT_CART_CREDIT_LIMIT),
  /** How often cart items of deleted students and sections are deleted. */
  CART_ORPHAN_PURGE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(10 * 60_000),
});

const base = await bootstrap('carts', config, cartsMigrations);

const app = createApp({
  db: base.db,
  verifier: base.verifier,
  logger: base.logger,
  metrics: base.metrics,
  readiness: base.readiness,
  cartCreditLimit: config.CART_CREDIT_LIMIT,
  accessLog: config.HTTP_ACCESS_LOG,
});

// Items of a student or section deleted since are deleted here (every replica; idempotent).
const stopPurge = runPeriodically('purge of cart items of deleted students and sections', config.CART_ORPHAN_PURGE_MS, () => purgeOrphanedItems(base.db), base.logger);

await serveService(base, config, app, [stopPurge]);
