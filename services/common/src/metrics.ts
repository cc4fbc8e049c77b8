import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  httpRequests: Counter<'method' | 'route' | 'status_code'>;
}

/** One registry per app: default process metrics plus the HTTP request histogram. */
export function createMetrics(service: string, opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, httpRequests };
}

/** Records every request under its route template (never the raw URL). */
export function metricsMiddleware(m: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = process.hrtime.bigint();
    res.on('finish', () => {
      const route =
        (res.locals.routeTemplate as string | undefined) ??
        (req.route?.path !== undefined ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched');
      const labels = { method: req.method, route, status_code: String(res.statusCode) };
      m.httpDuration.observe(labels, Number(process.hrtime.bigint() - end) / 1e9);
      m.httpRequests.inc(labels);
    });
    next();
  };
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  max: number;
}

/**
 * The database connection pool on the app's registry, read at scrape time (no timers):
 * `db_pool_connections{state="used"|"free"|"pending_acquires"|"pending_creates"}` and `db_pool_max`.
 * Registered once per registry.
 */
export function registerDbPoolMetrics(registry: Registry, db: { client: unknown }): void {
  if (registry.getSingleMetric('db_pool_connections')) return;
  const pool = () => (db.client as { pool?: TarnPool }).pool;
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state: used, free, pending_acquires (callers waiting for a connection), pending_creates',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const p = pool();
      this.set({ state: 'used' }, p ? p.numUsed() : 0);
      this.set({ state: 'free' }, p ? p.numFree() : 0);
      this.set({ state: 'pending_acquires' }, p ? p.numPendingAcquires() : 0);
      this.set({ state: 'pending_creates' }, p ? p.numPendingCreates() : 0);
    },
  });
  new Gauge({
    name: 'db_pool_max',
    help: 'Database pool size limit (connections)',
    registers: [registry],
    collect() {
      this.set(pool()?.max ?? 0);
    },
  });
}

/**
 * `redis_client_ready{client}`: 1 while the ioredis client is connected and ready, 0 otherwise
 * (read at scrape time). One series per client name on a registry.
 */
export function registerRedisClientMetric(registry: Registry, client: string, redis: { status: string }): void {
  const existing = registry.getSingleMetric('redis_client_ready') as Gauge<'client'> | undefined;
  const gauge =
    existing ??
    new Gauge({
      name: 'redis_client_ready',
      help: 'Whether the Redis client is connected and ready (1) or not (0), by client',
      labelNames: ['client'] as const,
      registers: [registry],
      collect() {
        for (const [name, c] of clients.get(this) ?? []) this.set({ client: name }, c.status === 'ready' ? 1 : 0);
      },
    });
  const map = clients.get(gauge) ?? new Map<string, { status: string }>();
  map.set(client, redis);
  clients.set(gauge, map);
}
const clients = new WeakMap<object, Map<string, { status: string }>>();
