import { baseConfigShape, bootstrap, loadServiceConfig, serveService } from '@goorm/common';
import { z } from 'zod';
import { createApp, DEFAULT_CART_CREDIT_LIMIT } from './app.ts';
import { cartsMigrations } from './db/migrations.ts';

const config = loadServiceConfig('carts', {
  ...baseConfigShape,
  PORT: z.coerce.number().int().default(4003),
  /** Most credits one student's cart may hold. */
  CART_CREDIT_LIMIT: z.coerce.number().int().min(1).max(60).default(DEFAULT_CART_CREDIT_LIMIT),
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

await serveService(base, config, app);
