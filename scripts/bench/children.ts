/**
 * What the benchmark, the soak and the chaos script share beside the system: the side-traffic
 * process, the MariaDB version for the report, and Redis probes and clean-up.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createDb } from '@goorm/common';
import { REPO_ROOT } from './processes.ts';
import type { SideConfig, SideReport } from './side-traffic.ts';

/** The MariaDB server's version, for the report (undefined when it cannot be asked). */
export async function mariadbVersion(url: string): Promise<string | undefined> {
  const db = createDb(url, { poolMax: 1 });
  try {
    const [rows] = (await db.raw('select version() as v')) as [Array<{ v: string }>];
    return rows[0]?.v;
  } catch {
    return undefined;
  } finally {
    await db.destroy();
  }
}

/** Forks the side-traffic process now (it takes a moment to start); begin() at the opening, stop() at the end. */
export function forkSide(cfg: SideConfig): { pid: number | undefined; ready: Promise<void>; begin: () => void; stop: () => Promise<SideReport>; kill: () => void } {
  const child = fork(path.join(REPO_ROOT, 'scripts', 'bench', 'side-traffic.ts'), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the side-traffic process exited (code ${code}) before it was ready`)));
  });
  const report = new Promise<SideReport>((resolve, reject) => {
    child.on('message', (m: { report?: SideReport }) => {
      if (m.report) resolve(m.report);
    });
    child.once('exit', (code) => reject(new Error(`the side-traffic process exited (code ${code}) without a report`)));
  });
  report.catch(() => {});
  ready.catch(() => {});
  return {
    pid: child.pid,
    ready,
    begin: () => child.send({ start: cfg }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    async stop() {
      child.send({ stop: true });
      return report;
    },
  };
}

/** Whether a Redis server answers PING at `url` (never retries; false on any error). */
export async function redisReachable(url: string, connectTimeoutMs = 1_000): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: connectTimeoutMs, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Deletes every key under `prefix` (SCAN + DEL in pages of 500). */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 1_000 });
  r.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]]/g, '\\$&')}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}
