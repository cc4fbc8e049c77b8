import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { AppError, errorHandler, notFoundHandler, problemBody, PROBLEM_CONTENT_TYPE } from './errors.ts';
import { buildOpenApi, methodNotAllowed, type ApiRouter } from './http.ts';
import { metricsMiddleware, type Metrics } from './metrics.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

export interface ServiceAppOptions {
  name: string;
  version?: string;
  description?: string;
  logger: Logger;
  metrics: Metrics;
  /** Throws when the service cannot serve (database unreachable, shutting down). */
  readiness: () => Promise<void>;
  routers: ApiRouter[];
  accessLog?: boolean;
  /** Extra set-up before the routers (e.g. raw routes). */
  configure?: (app: Express) => void;
}

/** Who may say the client's address and protocol (X-Forwarded-*): the gateway, the load balancer in the VPC. */
export const TRUSTED_PROXIES = 'loopback, linklocal, uniquelocal';

/** A client's request id that is safe to log and to forward: short, no spaces or control characters. */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id a request goes by: the client's `x-request-id` when it is safe, else a new UUID. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Builds an Express app with request ids, logs, metrics, health, OpenAPI and problem+json errors. Never listens. */
export function createServiceApp(o: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', TRUSTED_PROXIES);
  app.set('etag', false);

  app.use((req, res, next) => {
    const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    (req as { id?: string }).id = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    // Answers are JSON or problem+json as declared: never sniffed as something else.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  if (o.accessLog !== false) {
    app.use(
      pinoHttp({
        logger: o.logger,
        genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
        autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
        customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      }),
    );
  }
  app.use(metricsMiddleware(o.metrics));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: o.name });
  });
  app.get('/readyz', async (req, res) => {
    try {
      await o.readiness();
      res.json({ status: 'ready', service: o.name });
    } catch (err) {
      const e = new AppError('SERVICE_UNAVAILABLE', { detail: `not ready: ${(err as Error).message}` });
      res.status(503).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(e, req.originalUrl)));
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(o.metrics.registry.contentType).send(await o.metrics.registry.metrics());
  });
  const openapi = buildOpenApi({ title: `${o.name} service`, version: o.version ?? '0.1.0', description: o.description }, o.routers);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  app.use(express.json({ limit: '256kb' }));
  o.configure?.(app);
  for (const r of o.routers) app.use(r.prefix, r.router);

  app.use(methodNotAllowed(o.routers));
  app.use(notFoundHandler());
  app.use(errorHandler(o.logger));
  return app;
}
