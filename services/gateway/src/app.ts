import type http from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import {
  AppError,
  errorHandler,
  notFound,
  problemBody,
  PROBLEM_CONTENT_TYPE,
  REQUEST_ID_HEADER,
  requestIdFrom,
  TRUSTED_PROXIES,
  type Logger,
  type Metrics,
} from '@goorm/common';
import { createApiProxy, ROUTES, type Upstreams } from './proxy/proxy.ts';
import { spa } from './static/static.ts';

export type { Upstreams } from './proxy/proxy.ts';

export interface GatewayDeps {
  /** Base URLs of the services, e.g. { auth: 'http://127.0.0.1:4001', ... }; ai is optional. */
  upstreams: Upstreams;
  /** Built student app (frontend-student/dist), served at `/`. */
  studentDist?: string;
  /** Built staff app (frontend-admin/dist), served at `/admin/`. */
  adminDist?: string;
  logger: Logger;
  metrics: Metrics;
  /** Throws when the gateway should not get traffic (shutting down). */
  readiness?: () => Promise<void>;
  accessLog?: boolean;
  upstreamTimeoutMs?: number;
  /** Keep-alive agent towards the services; pass one to destroy it at shutdown. */
  agent?: http.Agent;
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Headers every answer carries (the apps' nginx.conf in frontend-student and frontend-admin send the same,
 * services/gateway/src/static/security-headers.test.ts compares them): no content sniffing, no referrer
 * beyond our origin, the pages never framed elsewhere (clickjacking). The Content-Security-Policy is the
 * full one: scripts, styles, fonts, images and connections from our own origin only (images also as
 * data: URLs), no eval, no inline <script>, <style> or style="…", no plugins, no <base> or form target
 * elsewhere. The production builds of both apps pass it (every e2e file's Chromium collects the
 * violations, scripts/e2e.ts; frontend-student/e2e/student.e2e.test.ts and frontend-admin/e2e/access.e2e.test.ts
 * assert there are none on the main screens), because:
 * vite emits no inline script or style (index.html links hashed files); Vue's `:style` bindings
 * set styles through the CSSOM, which CSP does not govern; vue-i18n 11 compiles messages to an AST
 * and interprets it (no `new Function`); zod's schemas are built jitless, without its `new Function`
 * probe (public/zod-jitless.js in each app); the staff dashboard's ECharts tooltips are drawn on
 * the canvas (renderMode 'richText'), not as HTML with style attributes. The placeholder page of an
 * unbuilt app allows its one <style> by hash (static/static.ts).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
    "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
};
/** HSTS only when the request came over TLS (the ALB terminates it and says so in X-Forwarded-Proto). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** A low-cardinality route label: the Ingress rule a request matched, never its URL. */
function routeLabel(url: string): string {
  const m = /^\/api\/([a-z-]+)(?:[/?]|$)/.exec(url);
  if (m) return ROUTES.some((r) => r.prefix === m[1]) ? `/api/${m[1]}/*` : '/api/*';
  const p = url.split('?')[0]!;
  if (PROBES.has(p)) return p;
  if (p === '/admin' || p.startsWith('/admin/')) return '/admin/*';
  return '/*';
}

/**
 * The local edge: mirrors the production Ingress. `/api/<service>/…` goes to each service with
 * the path unchanged, `/admin/` serves the staff app, `/` the student app. Creates the request id
 * when the client sent none and forwards it; logs every request once; never listens.
 */
export function createGatewayApp(deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // X-Forwarded-Proto from the load balancer in front (loopback or the VPC), for req.secure.
  app.set('trust proxy', TRUSTED_PROXIES);
  const { handler: apiProxy } = createApiProxy({
    upstreams: deps.upstreams,
    logger: deps.logger,
    ...(deps.upstreamTimeoutMs !== undefined ? { upstreamTimeoutMs: deps.upstreamTimeoutMs } : {}),
    ...(deps.agent ? { agent: deps.agent } : {}),
  });

  // Request id, access log and metrics for everything, proxied or not.
  const observe: RequestHandler = (req, res, next) => {
    const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = id;
    (req as { id?: string }).id = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    const started = process.hrtime.bigint();
    const url = req.url;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? res.statusCode : 499;
      const labels = { method: req.method, route: routeLabel(url), status_code: String(status) };
      deps.metrics.httpDuration.observe(labels, seconds);
      deps.metrics.httpRequests.inc(labels);
      if (deps.accessLog !== false && !PROBES.has(url)) {
        const entry = { reqId: id, method: req.method, url, status, ms: Math.round(seconds * 10_000) / 10, ip: req.socket.remoteAddress };
        if (status >= 500) deps.logger.error(entry, 'request');
        else deps.logger.info(entry, 'request');
      }
    };
    res.on('finish', finish);
    res.on('close', finish);
    next();
  };
  app.use(observe);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/readyz', async (req, res) => {
    try {
      await deps.readiness?.();
      res.json({ status: 'ready', service: 'gateway' });
    } catch (err) {
      const e = new AppError('SERVICE_UNAVAILABLE', { detail: `not ready: ${(err as Error).message}` });
      res.status(503).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(e, req.originalUrl)));
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  app.use(apiProxy);
  app.use('/api', (req, _res, next) => next(notFound('API route', `${req.method} ${req.originalUrl.split('?')[0]}`)));

  app.use('/admin', (req, res, next) => {
    const q = req.originalUrl.indexOf('?');
    if ((q >= 0 ? req.originalUrl.slice(0, q) : req.originalUrl) !== '/admin') return next();
    res.redirect(301, `/admin/${q >= 0 ? req.originalUrl.slice(q) : ''}`);
  });
  app.use('/admin', spa(deps.adminDist, 'admin'));
  app.use(spa(deps.studentDist, 'student'));

  app.use((req, _res, next) => next(notFound('File', req.path)));
  app.use(errorHandler(deps.logger));
  return app;
}
