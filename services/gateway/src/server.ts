import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { baseConfigShape, createLogger, createMetrics, loadServiceConfig, serve } from '@goorm/common';
import { createGatewayApp } from './app.ts';
import { UPSTREAM_MAX_CONNECTIONS, upstreamAgent } from './proxy/proxy.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const url = z.url({ protocol: /^https?$/ });

const config = loadServiceConfig('gateway', {
  NODE_ENV: baseConfigShape.NODE_ENV,
  LOG_LEVEL: baseConfigShape.LOG_LEVEL,
  HOST: baseConfigShape.HOST,
  SHUTDOWN_GRACE_MS: baseConfigShape.SHUTDOWN_GRACE_MS,
  HTTP_ACCESS_LOG: baseConfigShape.HTTP_ACCESS_LOG,
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  AUTH_URL: url.default('http://127.0.0.1:4001'),
  LECTURES_URL: url.default('http://127.0.0.1:4002'),
  CARTS_URL: url.default('http://127.0.0.1:4003'),
  ENROLLMENT_URL: url.default('http://127.0.0.1:4004'),
  /** The AI helper; an empty value leaves /api/ai/* unrouted (503). */
  AI_URL: z.union([url, z.literal('')]).default('http://127.0.0.1:4005'),
  /** Built apps; relative paths are taken from the repository root. */
  STUDENT_APP_DIR: z.string().default('frontend-student/dist'),
  ADMIN_APP_DIR: z.string().default('frontend-admin/dist'),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Connections kept open to each service; requests beyond wait in the gateway in arrival order. */
  UPSTREAM_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(4_096).default(UPSTREAM_MAX_CONNECTIONS),
});

const logger = createLogger('gateway', config.LOG_LEVEL);
const metrics = createMetrics('gateway');
const lifecycle = { draining: false };
const agent = upstreamAgent(config.UPSTREAM_MAX_CONNECTIONS);

const app = createGatewayApp({
  upstreams: {
    auth: config.AUTH_URL,
    lectures: config.LECTURES_URL,
    carts: config.CARTS_URL,
    enrollment: config.ENROLLMENT_URL,
    ...(config.AI_URL ? { ai: config.AI_URL } : {}),
  },
  studentDist: path.resolve(repoRoot, config.STUDENT_APP_DIR),
  adminDist: path.resolve(repoRoot, config.ADMIN_APP_DIR),
  logger,
  metrics,
  agent,
  readiness: async () => {
    if (lifecycle.draining) throw new Error('shutting down');
  },
  accessLog: config.HTTP_ACCESS_LOG,
  upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
});

await serve({
  app,
  port: config.PORT,
  host: config.HOST,
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  lifecycle,
  closers: [async () => agent.destroy()],
});
