import http from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import { createProxyMiddleware, debugProxyErrorsPlugin } from 'http-proxy-middleware';
import { AppError, problemBody, PROBLEM_CONTENT_TYPE, validationFailed, type Logger } from '@goorm/common';

/** Where each `/api/<prefix>/…` goes: the same table as the production Ingress. */
export const ROUTES = [
  { prefix: 'auth', upstream: 'auth' },
  { prefix: 'lectures', upstream: 'lectures' },
  { prefix: 'carts', upstream: 'carts' },
  { prefix: 'enrollments', upstream: 'enrollment' },
  { prefix: 'ai', upstream: 'ai' },
] as const;

export type UpstreamName = (typeof ROUTES)[number]['upstream'];
export type Upstreams = Partial<Record<UpstreamName, string>> & Record<Exclude<UpstreamName, 'ai'>, string>;

export interface ProxyOptions {
  upstreams: Upstreams;
  logger: Logger;
  /** Longest wait for an upstream's answer before the gateway gives up with 504. */
  upstreamTimeoutMs?: number;
  /** Connection reuse towards the services (keep-alive); shared by all upstreams. Default `upstreamAgent()`. */
  agent?: http.Agent;
}

/** Connections the gateway keeps open to each service by default (`UPSTREAM_MAX_CONNECTIONS`). */
export const UPSTREAM_MAX_CONNECTIONS = 128;

/**
 * The gateway's connections to the services: at most `maxConnections` to each, all kept open once made
 * (as many free as busy, closed after 60 s idle, before the services' 65 s keep-alive ends them). Requests
 * beyond that wait here, in arrival order, and their `UPSTREAM_TIMEOUT_MS` starts when they are sent.
 *
 * Why not more, or fewer kept: a Node service whose event loop is busy accepts about one new connection
 * per loop turn, and under the opening a turn takes a second. New connections then wait in its accept
 * queue while the open ones are served; requests sent on them reached the 30 s timeout (612 × 504 on
 * SQLite in session 5) although the service answered every other request in ~2 ms of its own time.
 * Reusing a bounded set of connections means no new connection under load (decision 0015).
 */
export function upstreamAgent(maxConnections = UPSTREAM_MAX_CONNECTIONS): http.Agent {
  return new http.Agent({ keepAlive: true, keepAliveMsecs: 1_000, maxSockets: maxConnections, maxFreeSockets: maxConnections, timeout: 60_000 });
}

function sendProblem(res: http.ServerResponse, status: number, detail: string, instance: string, requestId: string | undefined) {
  const err = new AppError('SERVICE_UNAVAILABLE', { detail });
  const body = JSON.stringify({ ...problemBody(err, instance, requestId), status });
  res.writeHead(status, { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * A DELETE or OPTIONS with a body (chunked, or a length above 0). No route of ours takes one, and
 * http-proxy must not forward it: for these methods it sets `Content-Length: 0` and drops
 * `Transfer-Encoding` when the client sent no length, yet still pipes the body. The service then
 * runs the request without its body and reads the body as a second request on the pooled connection
 * that the gateway never saw: request smuggling (found by the fuzz suite: a smuggled DELETE of a
 * student, with an X-Forwarded-For of the client's choosing). Refused before proxying.
 */
export function bodyOnBodilessMethod(req: http.IncomingMessage): boolean {
  if (req.method !== 'DELETE' && req.method !== 'OPTIONS') return false;
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** The most of a refused DELETE/OPTIONS body the gateway reads before answering (then 413, and the connection closes). */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

const isResponse = (r: unknown): r is http.ServerResponse => !!r && typeof (r as http.ServerResponse).writeHead === 'function';

/**
 * One proxy per upstream. The path is kept as is (services mount their routers at the same
 * prefixes); X-Forwarded-For/-Proto/-Host are added; the request id set by the gateway travels in
 * the request headers. An upstream that refuses or drops the connection answers 502 problem+json,
 * one that does not answer in time 504, never a hang.
 */
export function createApiProxy(o: ProxyOptions): { handler: RequestHandler; agent: http.Agent } {
  const agent = o.agent ?? upstreamAgent();
  const timeoutMs = o.upstreamTimeoutMs ?? 30_000;
  const proxies = new Map<string, RequestHandler>();
  for (const route of ROUTES) {
    const target = o.upstreams[route.upstream];
    if (!target) continue;
    const proxy = createProxyMiddleware<http.IncomingMessage, http.ServerResponse>({
      target,
      agent,
      xfwd: true,
      changeOrigin: false,
      proxyTimeout: timeoutMs,
      // Connection is hop-by-hop: a client's "Connection: close" must not end the pooled
      // connection to the service (the keep-alive agent is the point of the gateway's design).
      // Set here, before the upstream request exists: in a proxyReq listener the headers may
      // already be flushed (a POST body piped while the agent has no free socket), and setHeader
      // would throw ERR_HTTP_HEADERS_SENT and take the process down.
      headers: { connection: 'keep-alive' },
      ejectPlugins: true,
      plugins: [
        debugProxyErrorsPlugin,
        (server) => {
          server.on('error', (err: NodeJS.ErrnoException, req, res) => {
            const requestId = req.headers['x-request-id'] as string | undefined;
            const timedOut = (req as { proxyTimedOut?: boolean }).proxyTimedOut === true;
            o.logger.warn({ err: { code: err.code, message: err.message }, upstream: route.upstream, requestId, url: req.url }, 'upstream error');
            if (isResponse(res)) {
              if (res.headersSent) {
                res.destroy();
                return;
              }
              sendProblem(
                res,
                timedOut ? 504 : 502,
                timedOut
                  ? `The ${route.upstream} service did not answer within ${timeoutMs} ms`
                  : `The ${route.upstream} service is not reachable (${err.code ?? err.message})`,
                req.url ?? '',
                requestId,
              );
            } else {
              (res as Socket | undefined)?.destroy();
            }
          });
          server.on('proxyReq', (proxyReq, req) => {
            if (!proxyReq.headersSent) proxyReq.removeHeader('proxy-connection');
            proxyReq.on('timeout', () => {
              (req as { proxyTimedOut?: boolean }).proxyTimedOut = true;
            });
          });
        },
      ],
    }) as unknown as RequestHandler;
    proxies.set(route.prefix, proxy);
  }
  const known = new Set<string>(ROUTES.map((r) => r.prefix));

  const handler: RequestHandler = (req, res, next) => {
    // /api/<prefix>[/...][?...]
    const m = /^\/api\/([a-z-]+)(?:[/?]|$)/.exec(req.url);
    if (!m) return next();
    if (bodyOnBodilessMethod(req)) {
      // Read the body to its end first (up to 1 MiB), then answer: Node closes a connection whose request
      // was not read to the end, and a client still sending would get EPIPE instead of the answer.
      const refuse = () => next(validationFailed([{ field: 'body', message: `a ${req.method} request carries no body` }], 'No API route takes a body on DELETE or OPTIONS'));
      let read = 0;
      let answered = false;
      const once = (answer: () => void) => {
        if (answered) return;
        answered = true;
        answer();
      };
      req.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > DRAIN_LIMIT_BYTES) once(() => next(new AppError('PAYLOAD_TOO_LARGE', { detail: 'No API route takes a body on DELETE or OPTIONS' })));
      });
      req.once('end', () => once(refuse));
      req.once('error', () => once(refuse));
      return;
    }
    const proxy = proxies.get(m[1]!);
    if (proxy) return proxy(req, res, next);
    if (known.has(m[1]!)) {
      const requestId = req.headers['x-request-id'] as string | undefined;
      return sendProblem(res, 503, `The ${m[1]} service is not configured in this gateway`, req.originalUrl, requestId);
    }
    next();
  };
  return { handler, agent };
}
