import http from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Stop accepting, let in-flight requests finish (up to the grace period), then run closers. */
  shutdown(reason?: string): Promise<void>;
  readonly draining: boolean;
}

export interface ServeOptions {
  app: Express;
  port: number;
  host?: string;
  logger: Logger;
  graceMs?: number;
  /** Closed in order after the server has drained (DB pools, Redis, ...). */
  closers?: Array<() => Promise<unknown>>;
  /** Install SIGTERM/SIGINT handlers that shut down and exit; likewise when the IPC channel to the parent process closes. */
  handleSignals?: boolean;
  /** Flipped to draining at shutdown so /readyz fails and the load balancer stops sending. */
  lifecycle?: { draining: boolean };
}

export async function serve(o: ServeOptions): Promise<RunningServer> {
  const server = http.createServer(o.app);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  let draining = false;
  let inFlight = 0;
  const idleWaiters: Array<() => void> = [];
  server.on('request', (_req, res) => {
    inFlight++;
    if (draining) res.setHeader('Connection', 'close');
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) idleWaiters.splice(0).forEach((f) => f());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  o.logger.info({ port }, 'listening');

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (reason = 'shutdown') =>
    (shuttingDown ??= (async () => {
      draining = true;
      if (o.lifecycle) o.lifecycle.draining = true;
      o.logger.info({ reason, inFlight }, 'draining');
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const drained = inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r));
      const grace = new Promise<void>((r) => setTimeout(r, o.graceMs ?? 10_000).unref());
      await Promise.race([drained, grace]);
      server.closeAllConnections();
      await closed;
      for (const close of o.closers ?? []) {
        try {
          await close();
        } catch (err) {
          o.logger.error({ err }, 'error while closing');
        }
      }
      o.logger.info('stopped');
    })());

  if (o.handleSignals !== false) {
    const exitAfterShutdown = (reason: string) => {
      shutdown(reason).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => exitAfterShutdown(sig));
    // Started with an IPC channel (scripts/system.ts does): the parent holds the other end and the
    // OS closes it however the parent ends, even on SIGKILL, so no service outlives `npm start`.
    // Without a channel (production, a plain shell) this never fires.
    if (process.channel) process.once('disconnect', () => exitAfterShutdown('parent exited'));
  }
  return {
    server,
    port,
    shutdown,
    get draining() {
      return draining;
    },
  };
}
