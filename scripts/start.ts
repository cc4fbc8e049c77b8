/**
 * `npm start`: builds the apps that are missing, then runs every service and the gateway on
 * SQLite under ./data (or DATABASE_URL), with demo data on first start. Ctrl-C stops everything,
 * and so do SIGTERM and SIGHUP to this process or to the tsx process that runs it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '@goorm/common';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@goorm/demo-data';
import { GATEWAY_PORT, REPO_ROOT, startSystem, type RunningSystem } from './system.ts';
import { formatLogLine } from './lib/logs.ts';

const config = loadConfig({
  DATA_DIR: z.string().default('./data'),
  /** Default: sqlite:<DATA_DIR>/goorm.sqlite */
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.string().min(1).optional(),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65_535).default(GATEWAY_PORT),
  /** 'default' = 4001-4005; 'free' = any free ports (a second system beside the first, tests). */
  SERVICE_PORTS: z.enum(['default', 'free']).default('default'),
  /** Skip building the apps even when their dist is missing. */
  SKIP_BUILD: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

const say = (text = '') => process.stdout.write(`${text}\n`);

/** Builds an app with vite when it has a vite config but no dist/index.html yet. */
async function buildIfMissing(dir: string): Promise<void> {
  const root = path.join(REPO_ROOT, dir);
  const hasConfig = ['vite.config.ts', 'vite.config.mts', 'vite.config.js'].some((f) => existsSync(path.join(root, f)));
  if (!hasConfig || existsSync(path.join(root, 'dist', 'index.html'))) return;
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  say(`Building ${dir} (first start only) ...`);
  const code = await new Promise<number | null>((resolve) => {
    const p = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    p.on('exit', resolve);
    p.on('error', () => resolve(1));
  });
  if (code !== 0) say(`! ${dir} did not build (exit ${code}); the gateway shows a placeholder page instead.`);
}

// Set once every service is ready; the signal handlers below are in place before that.
let system: RunningSystem | undefined = undefined;
let stopping = false;
let firstSignalAt = 0;
const shutdown = async (why: string) => {
  if (stopping) {
    // npm and tsx relay Ctrl-C too, so one press can arrive twice at once; a second press later forces.
    if (firstSignalAt && Date.now() - firstSignalAt > 1_000) {
      say('Forcing exit.');
      process.exit(1);
    }
    return;
  }
  stopping = true;
  firstSignalAt = Date.now();
  if (!system) {
    // Still starting: exiting ends whatever has started (system.ts kills its children on exit,
    // and they also exit when their IPC channel to this process closes).
    say(`\n${why}: stopping before start-up finished.`);
    process.exit(1);
  }
  say(`\n${why}: stopping every service ...`);
  await system.stop();
  say('Stopped.');
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));
// Under `npm start` the parent is the tsx CLI. It relays SIGINT and SIGTERM, but when it dies
// without relaying (SIGHUP, SIGKILL) nothing tells this process, except that it is re-parented.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown(`parent process ${parentPid} gone`);
}, 1_000).unref();

if (!config.SKIP_BUILD) {
  await buildIfMissing('frontend-student');
  await buildIfMissing('frontend-admin');
}

say('Starting Goorm University course registration (구름대학 수강신청) ...');
system = await startSystem({
  dataDir: config.DATA_DIR,
  ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
  ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
  gatewayPort: config.GATEWAY_PORT,
  servicePorts: config.SERVICE_PORTS,
});

const base = `http://localhost:${system.ports.gateway}`;
const [g4, g3, g2, g1] = DEMO_LOGINS.students;
say();
say(`  Ready.  ${base}/          student app (학생)`);
say(`          ${base}/admin/    staff app (교직원)`);
say(`          ${base}/api/      API, e.g. curl '${base}/api/lectures/sections?q=자료구조' -H "Authorization: Bearer <token>"`);
say(`  Services: ${Object.entries(system.ports).map(([name, port]) => `${name} :${port}`).join(', ')}`);
say(`  Database: ${system.databaseUrl}${system.seed?.seeded ? ' (demo data loaded)' : ''}`);
say();
say(`  Demo logins (password ${DEMO_PASSWORD}; demo data only):`);
say(`    staff    ${DEMO_LOGINS.staff.loginId}`);
say(`    students ${g4!.studentNo} (grade 4), ${g3!.studentNo} (3), ${g2!.studentNo} (2), ${g1!.studentNo} (1)`);
say(`  Sign in:  curl -X POST ${base}/api/auth/login -H 'Content-Type: application/json' \\`);
say(`              -d '{"role":"student","loginId":"${g4!.studentNo}","password":"${DEMO_PASSWORD}"}'`);
say();
say('  Ctrl-C stops everything.');
say();

void system.crashed.then(async (c) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`\n${c.name} stopped unexpectedly (exit ${c.code}). Last lines:\n${c.lines.map((l) => `  ${formatLogLine(l)}`).join('\n')}\nStopping the rest ...\n`);
  await system!.stop();
  process.exit(1);
});
