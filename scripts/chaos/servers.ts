/**
 * The chaos script's own MariaDB and Redis: fresh instances on free loopback ports with their data
 * in a temporary directory, so stopping and restarting them never touches the machine's shared
 * servers (127.0.0.1:3306 and :6379, which other test runs use). Each can be stopped (SIGTERM: a
 * clean shutdown; SIGKILL: a crash) and started again on the same data directory and port.
 * Everything is killed when the script exits, however it exits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { redisReachable } from '../bench/children.ts';
import mysql from 'mysql2/promise';
import { sleep } from '../bench/client.ts';
import { freePort } from '../system.ts';

const MARIADBD = '/usr/sbin/mariadbd';

interface Daemon {
  proc: ChildProcess | undefined;
  exited: Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function launch(cmd: string, args: string[], log: string[]): Daemon {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  for (const s of [proc.stdout!, proc.stderr!]) {
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => {
      log.push(...chunk.split('\n').filter(Boolean));
      if (log.length > 200) log.splice(0, log.length - 200);
    });
  }
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      running.delete(proc);
      resolve();
    }),
  );
  return { proc, exited };
}

async function until(what: string, ms: number, check: () => Promise<boolean>, log: string[]): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up in ${ms / 1000} s:\n    ${log.slice(-15).join('\n    ')}`);
    await sleep(100);
  }
}

export interface ChaosServer {
  readonly name: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Starts it (again, on the same data and port) and resolves once it answers. */
  start(): Promise<void>;
  /** SIGTERM (a clean shutdown) or SIGKILL (a crash); resolves once the process has exited. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Whether it answers right now. */
  up(): Promise<boolean>;
  log: string[];
}

/** A MariaDB server of its own: `mariadb-install-db` into `dir`, then `mariadbd` on a free port (root, no password, loopback only). */
export async function createMariaDb(dir: string): Promise<ChaosServer & { url: (database?: string) => string }> {
  const datadir = path.join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  const installed = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--user=root', '--skip-test-db'], {
    encoding: 'utf8',
  });
  if (installed.status !== 0) throw new Error(`mariadb-install-db failed (exit ${installed.status}): ${installed.stderr || installed.stdout}`);
  const port = await freePort();
  const log: string[] = [];
  let d: Daemon | undefined;
  const url = (database = '') => `mysql://root@127.0.0.1:${port}/${database}`;
  const up = async () => {
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1_000 });
      try {
        await c.query('select 1');
        return true;
      } finally {
        c.destroy();
      }
    } catch {
      return false;
    }
  };
  const server = {
    name: 'mariadb',
    port,
    log,
    url,
    up,
    get pid() {
      return d?.proc?.pid;
    },
    async start() {
      d = launch(
        MARIADBD,
        [
          '--no-defaults',
          `--datadir=${datadir}`,
          `--port=${port}`,
          `--socket=${path.join(dir, 'mysqld.sock')}`,
          `--pid-file=${path.join(dir, 'mysqld.pid')}`,
          '--bind-address=127.0.0.1',
          '--user=root',
          '--skip-name-resolve',
          '--max-connections=500',
          '--innodb-buffer-pool-size=256M',
          // Durable commits (the default, stated): a 201 the client saw must survive a crash.
          '--innodb-flush-log-at-trx-commit=1',
          '--log-error=' + path.join(dir, 'error.log'),
        ],
        log,
      );
      let gone = false;
      void d.exited.then(() => (gone = true));
      await until(
        'mariadbd',
        60_000,
        async () => {
          if (gone) throw new Error(`mariadbd exited while starting: see ${path.join(dir, 'error.log')}`);
          return up();
        },
        log,
      );
    },
    async stop(signal: 'SIGTERM' | 'SIGKILL') {
      if (!d?.proc || d.proc.exitCode !== null || d.proc.signalCode !== null) return;
      d.proc.kill(signal);
      await d.exited;
    },
  };
  await server.start();
  return server;
}

/** A Redis server of its own on a free port, keeping nothing on disk (as the services' Redis: a restart empties it). */
export async function createRedis(dir: string): Promise<ChaosServer & { url: string }> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const log: string[] = [];
  let d: Daemon | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const up = () => redisReachable(url, 500);
  const server = {
    name: 'redis',
    port,
    log,
    url,
    up,
    get pid() {
      return d?.proc?.pid;
    },
    async start() {
      d = launch('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], log);
      await until('redis-server', 20_000, up, log);
    },
    async stop(signal: 'SIGTERM' | 'SIGKILL') {
      if (!d?.proc || d.proc.exitCode !== null || d.proc.signalCode !== null) return;
      d.proc.kill(signal);
      await d.exited;
    },
  };
  await server.start();
  return server;
}
