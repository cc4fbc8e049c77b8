import { ApiRouter, createServiceApp, overloaded, type Knex, type Logger, type Metrics, type TokenVerifier } from '@goorm/common';
import { aiApi } from '@goorm/contracts';
import type { Express } from 'express';
import { Gauge, Histogram } from 'prom-client';
import { CatalogCache } from './catalog.ts';
import type { ModelStore } from './models.ts';
import { forecastSections, recommend } from './serving.ts';

export interface AiHelperDeps {
  db: Knex;
  verifier: TokenVerifier;
  logger: Logger;
  metrics: Metrics;
  /** The database's own readiness (draining, ping); the models' state is added here. */
  readiness: () => Promise<void>;
  models: ModelStore;
  /** How long one catalog view answers before a background refresh (ms). */
  catalogTtlMs?: number;
  /** The carts service's CART_CREDIT_LIMIT (default 24). */
  cartCreditLimit?: number;
  accessLog?: boolean;
}

/** The AI helper under /api/ai: recommendations (a student's own), forecasts, the model card. Never listens. */
export function createApp(deps: AiHelperDeps): Express {
  const inference = new Histogram({
    name: 'ai_inference_duration_seconds',
    help: 'Time of one batched onnxruntime session.run, by model',
    labelNames: ['model'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [deps.metrics.registry],
  });
  const modelInfo = new Gauge({
    name: 'ai_model_info',
    help: 'The loaded model version (1 for the loaded version of each model)',
    labelNames: ['model', 'version'] as const,
    registers: [deps.metrics.registry],
  });
  const showModels = () => {
    modelInfo.reset();
    const state = deps.models.current;
    if (state.status === 'loaded') for (const name of Object.keys(state.models.card.models)) modelInfo.set({ model: name, version: state.models.card.version }, 1);
  };
  deps.models.onLoad(showModels);
  showModels();
  const catalog = new CatalogCache(deps.db, deps.catalogTtlMs ?? 30_000, (err) => deps.logger.warn({ err }, 'catalog refresh failed'));
  const serving = { db: deps.db, catalog, models: deps.models, inference, cartCreditLimit: deps.cartCreditLimit ?? 24 };

  const api = new ApiRouter(deps.verifier, aiApi);
  const { recommendations, forecast, model } = aiApi.endpoints;
  api.route(recommendations, async ({ user, query }, res) => {
    res.json(await recommend(serving, user!.id, query.limit));
  });
  api.route(forecast, async ({ query }, res) => {
    res.json(await forecastSections(serving, query.sectionIds));
  });
  api.route(model, async (_req, res) => {
    const state = deps.models.current;
    if (state.status !== 'loaded') throw overloaded(state.status === 'error' ? `The AI models are not available: ${state.error}` : 'The AI models are still loading', undefined, 5);
    res.json(state.models.info);
  });

  return createServiceApp({
    name: 'ai-helper',
    description: 'Section recommendations and seat-competition forecasts from ONNX models trained by the project',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: async () => {
      await deps.readiness();
      const state = deps.models.current;
      if (state.status === 'error') throw new Error(`models unusable: ${state.error}`);
      if (state.status === 'loading') throw new Error('models loading');
    },
    routers: [api],
    ...(deps.accessLog === undefined ? {} : { accessLog: deps.accessLog }),
  });
}
