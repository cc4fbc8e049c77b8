/**
 * Starts the whole system locally: every service as its own process plus the gateway, on one
 * database (SQLite under the data dir by default), migrated and seeded with demo data.
 * `npm start` (scripts/start.ts) and the end-to-end tests use it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureDevKeyPair } from '@goorm/common';
import { migrateUniversity, seedDemo, type SeedResult } from '@goorm/demo-data';
import { openDatabase, redactUrl } from './lib/db.ts';
import { formatLogLine, prefixer } from './lib/logs.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The services `npm start` runs, in start order, with their default ports. */
export const SERVICES = [
  { name: 'auth', port: 4001, upstreamKey: 'AUTH_URL' },
  { name: 'lectures', port: 4002, upstreamKey: 'LECTURES_URL' },
  { name: 'carts', port: 4003, upstreamKey: 'CARTS_URL' },
  { name: 'enrollment', port: 4004, upstreamKey: 'ENROLLMENT_URL' },
  { name: 'ai-helper', port: 4005, upstreamKey: 'AI_URL' },
] as const;
export const GATEWAY_PORT = 8080;

export interface StartSystemOptions {
  /** Holds the SQLite file, the dev JWT key pair and anything else local. Created if missing. */
  dataDir: string;
  /** Default: sqlite:<dataDir>/goorm.sqlite. `mysql://user@host:3306/db` runs on MySQL/MariaDB (the database is created if missing). */
  databaseUrl?: string;
  redisUrl?: string;
  /** 8080 by default; 0 picks a free port. */
  gatewayPort?: number;
  /** 'default' = 4001-4005; 'free' = any free ports (tests, several systems side by side). */
  servicePorts?: 'default' | 'free';
  /** Fill an empty database with the demo university (default true). */
  seed?: boolean;
  /** Do not print the children's logs (they are still kept for error messages). */
  quiet?: boolean;
  /** Extra environment for every child (e.g. LOG_LEVEL, SHUTDOWN_GRACE_MS). */
  env?: Record<string, string>;
  /** How long to wait for every /readyz (default 90 s). */
  readyTimeoutMs?: number;
  /** Where the gateway listens (default 0.0.0.0); the services always listen on 127.0.0.1. */
  gatewayHost?: string;
}

export interface RunningSystem {
  /** The gateway, e.g. http://127.0.0.1:8080 */
  url: string;
  ports: Record<string, number>;
  databaseUrl: string;
  seed: SeedResult | undefined;
  /** Settles when a process dies on its own after the start (not during stop): the start script then stops everything. */
  crashed: Promise<{ name: string; code: number | null; lines: string[] }>;
  /** SIGTERM to every process, then wait until all have exited. Safe to call twice. */
  stop(): Promise<void>;
}

interface Child {
  name: string;
  port: number;
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  exitCode: number | null | undefined;
}

const KEEP_LINES = 40;

/** A port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** GET /readyz on 127.0.0.1:port: the status code, or the connection error's code. */
export function probe(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz', timeout: 2_000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

function describeFailure(c: Child, why: string): Error {
  const tail = c.lines.length ? c.lines.map((l) => `    ${formatLogLine(l)}`).join('\n') : '    (no output)';
  return new Error(`${c.name} ${why}. Its last log lines:\n${tail}`);
}

/** Polls /readyz until 200; fails early when the process exits and after the deadline. */
async function waitReady(c: Child, deadline: number): Promise<void> {
  let last: number | string = 'no answer yet';
  for (;;) {
    if (c.exitCode !== undefined) throw describeFailure(c, `exited (code ${c.exitCode}) before it was ready on port ${c.port}`);
    last = await probe(c.port);
    if (last === 200) return;
    if (Date.now() > deadline) throw describeFailure(c, `was not ready on port ${c.port} in time (last /readyz answer: ${last})`);
    await Promise.race([new Promise((r) => setTimeout(r, 150)), c.exited]);
  }
}

function serverFile(name: string): string {
  return path.join(REPO_ROOT, 'services', name, 'src', 'server.ts');
}

/** Migrates (and seeds) the database, then starts every service and the gateway and waits until all are ready. */
export async function startSystem(opts: StartSystemOptions): Promise<RunningSystem> {
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // Generate the dev key pair once, before any service races to create its own.
  ensureDevKeyPair(dataDir);
  const databaseUrl = opts.databaseUrl ?? `sqlite:${path.join(dataDir, 'goorm.sqlite')}`;

  const db = await openDatabase(databaseUrl);
  let seed: SeedResult | undefined;
  try {
    await migrateUniversity(db);
    if (opts.seed !== false) seed = await seedDemo(db, { now: new Date() });
  } finally {
    await db.destroy();
  }

  const services = SERVICES.filter((s) => existsSync(serverFile(s.name)));
  const missing = SERVICES.filter((s) => !services.includes(s) && s.name !== 'ai-helper');
  if (missing.length) throw new Error(`missing service entry points: ${missing.map((s) => serverFile(s.name)).join(', ')}`);

  const ports: Record<string, number> = {};
  for (const s of services) ports[s.name] = opts.servicePorts === 'free' ? await freePort() : s.port;
  ports.gateway = opts.gatewayPort === 0 ? await freePort() : (opts.gatewayPort ?? GATEWAY_PORT);

  const names = [...services.map((s) => s.name), 'gateway'];
  const prefix = prefixer(names, process.stdout.isTTY === true);
  const children: Child[] = [];
  const baseEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    // The local launcher says what it is: a development run (the services refuse a server
    // database with NODE_ENV unset, which could be a production deployment that forgot it).
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? (opts.quiet ? 'warn' : 'info'),
    SHUTDOWN_GRACE_MS: process.env.SHUTDOWN_GRACE_MS ?? '5000',
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
    ...opts.env,
  };
  delete baseEnv.PORT;
  delete baseEnv.MIGRATE_ON_START;

  const launch = (name: string, file: string, env: Record<string, string>) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: REPO_ROOT,
      env: { ...baseEnv, ...env },
      // The IPC channel is the child's lifeline: serve() exits when it closes, so a service
      // never outlives this process, however this process ends (SIGKILL included).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const child: Child = { name, port: Number(env.PORT), proc, lines: [], exitCode: undefined, exited: Promise.resolve(null) };
    child.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        child.exitCode = code ?? (signal ? -1 : null);
        resolve(code);
        if (ready && !stopping) reportCrash({ name, code: child.exitCode, lines: child.lines });
      });
    });
    for (const stream of [proc.stdout, proc.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        child.lines.push(line);
        if (child.lines.length > KEEP_LINES) child.lines.shift();
        if (!opts.quiet) process.stdout.write(`${prefix(name)} ${formatLogLine(line)}\n`);
      });
    }
    children.push(child);
    return child;
  };

  let stopping: Promise<void> | undefined;
  let ready = false;
  let reportCrash: (c: { name: string; code: number | null; lines: string[] }) => void = () => {};
  const crashed = new Promise<{ name: string; code: number | null; lines: string[] }>((resolve) => (reportCrash = resolve));
  const killOnExit = () => {
    for (const c of children) if (c.exitCode === undefined) c.proc.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = () =>
    (stopping ??= (async () => {
      const graceMs = Number(baseEnv.SHUTDOWN_GRACE_MS) || 5_000;
      await Promise.all(
        children.map(async (c) => {
          if (c.exitCode !== undefined) return;
          c.proc.kill('SIGTERM');
          const timer = setTimeout(() => c.proc.kill('SIGKILL'), graceMs + 5_000);
          await c.exited;
          clearTimeout(timer);
        }),
      );
      process.removeListener('exit', killOnExit);
    })());

  try {
    for (const s of services) launch(s.name, serverFile(s.name), { PORT: String(ports[s.name]), HOST: '127.0.0.1' });
    const upstreamEnv: Record<string, string> = { AI_URL: '' };
    for (const s of services) upstreamEnv[s.upstreamKey] = `http://127.0.0.1:${ports[s.name]}`;
    launch('gateway', serverFile('gateway'), {
      PORT: String(ports.gateway),
      HOST: opts.gatewayHost ?? '0.0.0.0',
      ...upstreamEnv,
    });
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
    await Promise.all(children.map((c) => waitReady(c, deadline)));
    ready = true;
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url: `http://127.0.0.1:${ports.gateway}`,
    ports,
    databaseUrl: redactUrl(databaseUrl),
    seed,
    crashed,
    stop,
  };
}
