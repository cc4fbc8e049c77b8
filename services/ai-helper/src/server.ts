import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { baseConfigShape, bootstrap, loadServiceConfig, serveService } from '@goorm/common';
import { createApp } from './app.ts';
import { ModelStore } from './models.ts';

const config = loadServiceConfig('ai-helper', {
  ...baseConfigShape,
  PORT: z.coerce.number().int().default(4005),
  /** Where model-card.json, recommender.onnx and forecast.onnx are; relative paths from this package. */
  MODEL_DIR: z.string().default('models'),
  /** How often the model directory is checked for a new model (ms); 0 = never. */
  MODEL_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** The carts service's limit, so a recommendation still fits in the cart. */
  CART_CREDIT_LIMIT: z.coerce.number().int().min(1).max(60).default(24),
  /** How long one view of the catalog, carts and history answers before a background refresh (ms). */
  AI_CATALOG_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
});

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The AI helper only reads other services' tables (no migrations of its own).
const base = await bootstrap('ai-helper', config);
const models = new ModelStore(path.resolve(packageRoot, config.MODEL_DIR), base.logger);
await models.reload(true);
if (config.MODEL_POLL_MS > 0) models.watch(config.MODEL_POLL_MS);

const app = createApp({
  db: base.db,
  verifier: base.verifier,
  logger: base.logger,
  metrics: base.metrics,
  readiness: base.readiness,
  models,
  catalogTtlMs: config.AI_CATALOG_TTL_MS,
  cartCreditLimit: config.CART_CREDIT_LIMIT,
  accessLog: config.HTTP_ACCESS_LOG,
});
await serveService(base, config, app, [async () => models.close()]);
