/**
 * The processes one bench run needs, started the way scripts/system.ts starts them
 * (`node --import tsx services/<svc>/src/server.ts`, loopback only, free ports) but only those
 * the opening touches: the enrollment service (one process, or N replicas behind one port), the
 * lectures service (catalog search) and, for the gateway target, the gateway.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, probe, REPO_ROOT } from '../system.ts';

export { REPO_ROOT };

interface Proc {
  name: string;
  port: number;
  proc: ChildProcess;
  lines: string[];
  exitCode: number | null | undefined;
  exited: Promise<void>;
  /** A line that must appear before the process counts as ready (the replica primary's). */
  marker?: string;
  markerSeen: boolean;
}

export interface SystemSpec {
  databaseUrl: string;
  dataDir: string;
  enrollmentReplicas: number;
  gateway: boolean;
  /** Extra environment for every service (REDIS_URL, queue and pool settings...). */
  env: Record<string, string>;
  /** node --cpu-prof into this directory. */
  cpuProfDir?: string | undefined;
  readyTimeoutMs: number;
  /** Write every line each service logs to <logDir>/<service>.log (with --access-log: one line per request). */
  logDir?: string | undefined;
  /** The cluster primary that runs the enrollment replicas (default scripts/bench/replicas.ts; the chaos script's restarts a killed one). */
  replicaLauncher?: string | undefined;
}

export interface BenchSystem {
  ports: { enrollment: number; lectures: number; gateway?: number };
  /** Processes that died while the system was up (a crash is a failed run). */
  crashes: Array<{ name: string; code: number | null; lines: string[] }>;
  /** Lines at warn level or above the services logged (kept for the report, at most 200). */
  warnings: string[];
  /** Process id of each service as started (the replicas' primary: its workers are its children). */
  pids: Record<string, number | undefined>;
  stop(): Promise<void>;
}

const KEEP = 60;

export async function startBenchSystem(spec: SystemSpec): Promise<BenchSystem> {
  const ports = {
    enrollment: await freePort(),
    lectures: await freePort(),
    ...(spec.gateway ? { gateway: await freePort() } : {}),
  };
  const unused = await freePort(); // auth and carts: not part of the opening; the gateway answers 502 for them
  const profArgs = spec.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', spec.cpuProfDir] : [];
  if (spec.cpuProfDir) mkdirSync(spec.cpuProfDir, { recursive: true });
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TZ: 'UTC',
    NODE_ENV: 'development',
    DATABASE_URL: spec.databaseUrl,
    DATA_DIR: spec.dataDir,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE_MS: '3000',
    ...spec.env,
  };
  const procs: Proc[] = [];
  const crashes: BenchSystem['crashes'] = [];
  const warnings: string[] = [];
  let stopping = false;

  const launch = (name: string, args: string[], env: Record<string, string>, port: number, marker?: string) => {
    const proc = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log: WriteStream | undefined;
    if (spec.logDir) {
      mkdirSync(spec.logDir, { recursive: true });
      log = createWriteStream(path.join(spec.logDir, `${name}.log`), { flags: 'a' });
      proc.once('exit', () => log?.end());
    }
    const p: Proc = { name, port, proc, lines: [], exitCode: undefined, exited: Promise.resolve(), markerSeen: marker === undefined, ...(marker ? { marker } : {}) };
    p.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        p.exitCode = code ?? (signal ? -1 : null);
        if (!stopping) crashes.push({ name, code: p.exitCode, lines: [...p.lines] });
        resolve();
      });
    });
    for (const stream of [proc.stdout!, proc.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        log?.write(line + '\n');
        p.lines.push(line);
        if (p.lines.length > KEEP) p.lines.shift();
        if (p.marker && line.includes(p.marker)) p.markerSeen = true;
        const level = /"level":(\d+)/.exec(line);
        if ((level && Number(level[1]) >= 40) || (!level && line.trim())) {
          if (warnings.length < 200) warnings.push(`${name}: ${line.slice(0, 500)}`);
        }
      });
    }
    procs.push(p);
    return p;
  };

  const serverFile = (svc: string) => path.join(REPO_ROOT, 'services', svc, 'src', 'server.ts');
  const stop = async () => {
    stopping = true;
    await Promise.all(
      procs.map(async (p) => {
        if (p.exitCode !== undefined) return;
        p.proc.kill('SIGTERM');
        const timer = setTimeout(() => p.proc.kill('SIGKILL'), 10_000);
        await p.exited;
        clearTimeout(timer);
      }),
    );
    process.removeListener('exit', killAll);
  };
  const killAll = () => {
    for (const p of procs) if (p.exitCode === undefined) p.proc.kill('SIGKILL');
  };
  process.once('exit', killAll);

  try {
    if (spec.enrollmentReplicas > 1) {
      launch(
        'enrollment',
        ['--import', 'tsx', spec.replicaLauncher ?? path.join(REPO_ROOT, 'scripts', 'bench', 'replicas.ts')],
        {
          PORT: String(ports.enrollment),
          REPLICAS: String(spec.enrollmentReplicas),
          SERVER_FILE: serverFile('enrollment'),
          REPLICA_EXEC_ARGV: profArgs.join(' '),
        },
        ports.enrollment,
        'replicas listening',
      );
    } else {
      launch('enrollment', [...profArgs, '--import', 'tsx', serverFile('enrollment')], { PORT: String(ports.enrollment) }, ports.enrollment);
    }
    launch('lectures', [...profArgs, '--import', 'tsx', serverFile('lectures')], { PORT: String(ports.lectures) }, ports.lectures);
    if (ports.gateway !== undefined) {
      launch(
        'gateway',
        [...profArgs, '--import', 'tsx', serverFile('gateway')],
        {
          PORT: String(ports.gateway),
          AUTH_URL: `http://127.0.0.1:${unused}`,
          CARTS_URL: `http://127.0.0.1:${unused}`,
          LECTURES_URL: `http://127.0.0.1:${ports.lectures}`,
          ENROLLMENT_URL: `http://127.0.0.1:${ports.enrollment}`,
          AI_URL: '',
        },
        ports.gateway,
      );
    }
    const deadline = Date.now() + spec.readyTimeoutMs;
    await Promise.all(
      procs.map(async (p) => {
        let last: number | string = 'no answer yet';
        for (;;) {
          if (p.exitCode !== undefined) throw new Error(`${p.name} exited (code ${p.exitCode}) before it was ready:\n    ${p.lines.slice(-20).join('\n    ')}`);
          last = await probe(p.port);
          if (last === 200 && p.markerSeen) return;
          if (Date.now() > deadline) throw new Error(`${p.name} was not ready on port ${p.port} in time (last /readyz: ${last}):\n    ${p.lines.slice(-20).join('\n    ')}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { ports, crashes, warnings, pids: Object.fromEntries(procs.map((p) => [p.name, p.proc.pid])), stop };
}
