import { ApiRouter, createServiceApp, type Knex, type Logger, type Metrics, type TokenVerifier } from '@goorm/common';
import type { Express } from 'express';
import { cartsApi } from '@goorm/contracts';
import { registerCartRoutes } from './carts/carts.routes.ts';

export const DEFAULT_CART_CREDIT_LIMIT = 24;

export interface CartsDeps {
  db: Knex;
  verifier: TokenVerifier;
  logger: Logger;
  metrics: Metrics;
  readiness: () => Promise<void>;
  clock?: () => Date;
  /** Most credits one cart may hold (CART_CREDIT_LIMIT). */
  cartCreditLimit?: number;
  accessLog?: boolean;
}

/** The carts service: a student's own cart under /api/carts. Never listens. */
export function createApp(deps: CartsDeps): Express {
  const api = new ApiRouter(deps.verifier, cartsApi);
  registerCartRoutes(api, {
    db: deps.db,
    clock: deps.clock ?? (() => new Date()),
    settings: { creditLimit: deps.cartCreditLimit ?? DEFAULT_CART_CREDIT_LIMIT },
  });
  return createServiceApp({
    name: 'carts',
    description: 'Student carts (장바구니) and cart counts per section',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
    routers: [api],
    ...(deps.accessLog === undefined ? {} : { accessLog: deps.accessLog }),
  });
}
