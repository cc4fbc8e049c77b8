/**
 * The container images, proven without a Docker engine.
 *
 * For every service (a workspace with a src/server.ts that its start script runs; the gateway is
 * the local stand-in for the ALB Ingress and has no image, gitops/README.md): its Dockerfile's
 * stages are reproduced in a temporary directory (gitops/test/lib/dockerfile.ts): the build
 * stage's own build command runs in the repository, the deps stage's `npm ci --omit=dev` runs
 * from the lockfile in its own directory, and the image directory receives exactly what the
 * runtime stage copies. Then, in the image directory, the migration Job's command runs twice (it
 * must be idempotent) and the CMD starts with a production-like environment (MariaDB and Redis,
 * JWT key files, NODE_ENV=production); /healthz and /readyz must answer 200, every stdout line
 * must be JSON, SIGTERM must end it with code 0, and the image directory must be unchanged
 * (nothing written to what is a read-only root filesystem in the cluster). Each CronJob entry
 * gitops/ schedules (enrollment's invariant check) then runs once from its image directory against
 * the migrated database and pushes to a stand-in Pushgateway.
 *
 * Every Dockerfile (services and apps) is linted with dockerfile-utils and held to the rules.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knexFactory from 'knex';
import { APPS as GITOPS_APPS } from '../generate.ts';
import { imageRuleViolations, parseDockerfile, reproduce, type Reproduced } from './lib/dockerfile.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MYSQL = process.env.IMAGE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.IMAGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/11';
const DB_NAME = `goorm_image_test_${process.pid}`;

/** Services without an image, and why. */
const NO_IMAGE: Record<string, string> = { gateway: 'the ALB Ingress is the production edge (gitops/README.md)' };
const APPS = ['frontend-student', 'frontend-admin'];

function runnableServices(): string[] {
  return readdirSync(path.join(REPO, 'services'))
    .filter((name) => {
      const dir = path.join(REPO, 'services', name);
      if (!existsSync(path.join(dir, 'src', 'server.ts'))) return false;
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
      return pkg.scripts?.start?.includes('src/server.ts') === true;
    })
    .sort();
}
const SERVICES = runnableServices().filter((s) => !(s in NO_IMAGE));
const dockerfileOf = (s: string) => (APPS.includes(s) ? `${s}/Dockerfile` : `services/${s}/Dockerfile`);

describe('Dockerfiles', () => {
  it('every service that runs has one, and so does each app', () => {
    for (const s of [...SERVICES, ...APPS]) expect(existsSync(path.join(REPO, dockerfileOf(s))), dockerfileOf(s)).toBe(true);
    expect(SERVICES).toEqual(expect.arrayContaining(['auth', 'lectures', 'carts', 'enrollment']));
  });

  it.each([...SERVICES, ...APPS])('%s: lints clean and follows the image rules (pinned bases, numeric non-root USER, no secret in ENV/ARG, exec-form CMD, OCI labels)', (s) => {
    expect(imageRuleViolations(readFileSync(path.join(REPO, dockerfileOf(s)), 'utf8'))).toEqual([]);
  });

  it('the rules catch what they are for', () => {
    const good = readFileSync(path.join(REPO, 'services/auth/Dockerfile'), 'utf8');
    const broken = (from: string | RegExp, to: string) => imageRuleViolations(good.replace(from, to)).join('\n');
    expect(broken(/USER 1000:1000/, 'USER node')).toMatch(/not numeric/);
    expect(broken(/USER 1000:1000\n/, '')).toMatch(/no USER/);
    expect(broken(/CMD \[.*\]/, 'CMD node services/auth/dist/server.js')).toMatch(/shell form/);
    expect(broken(/node:20\.20\.2-bookworm-slim AS deps/, 'node:20-bookworm-slim AS deps')).toMatch(/not pinned/);
    expect(broken(/ENV NODE_ENV=production/, 'ENV NODE_ENV=production DB_PASSWORD=hunter2')).toMatch(/DB_PASSWORD looks like a secret/);
    expect(broken(/ARG REVISION\n/, 'ARG REVISION\nARG NPM_TOKEN\n')).toMatch(/NPM_TOKEN looks like a secret/);
  });

  it('every workspace package.json reaches the deps stage (npm ci checks the whole lockfile)', () => {
    const workspaces = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    for (const s of SERVICES) {
      const deps = parseDockerfile(readFileSync(path.join(REPO, dockerfileOf(s)), 'utf8')).find((st) => st.name === 'deps')!;
      const copied = deps.copies.flatMap((c) => c.sources);
      for (const w of workspaces) expect(copied, `${s}: ${w}/package.json`).toContain(`${w}/package.json`);
    }
  });

  it('the build context keeps out local keys, data and other images\' outputs (.dockerignore)', () => {
    const ignore = readFileSync(path.join(REPO, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['**/node_modules', '**/dist', '.git', 'data', '.env', '**/*.pem', '**/*.key']) expect(ignore).toContain(p);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

function duBytes(dir: string): number {
  let total = 0;
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (d.isFile()) total += statSync(path.join(d.parentPath, d.name)).size;
  }
  return total;
}

interface Started {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function start(argv: string[], cwd: string, env: Record<string, string>): Started {
  const [cmd, ...args] = argv;
  // `node` in CMD is the image's Node 20; here, the Node running the tests.
  const child = spawn(cmd === 'node' ? process.execPath : cmd!, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let rest = '';
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  });
  child.stderr!.on('data', (d: Buffer) => lines.push(`[stderr] ${d.toString()}`));
  // 'close', not 'exit': 'exit' can come before the last stdout chunk has been read.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      if (rest) lines.push(rest);
      resolve(code);
    }),
  );
  return { child, lines, exited };
}

async function waitFor200(url: string, started: Started, deadlineMs: number): Promise<number> {
  const until = Date.now() + deadlineMs;
  let last: number | string = 'no answer';
  while (Date.now() < until) {
    if (started.child.exitCode !== null) throw new Error(`exited ${started.child.exitCode} before ${url} answered:\n${started.lines.join('\n')}`);
    try {
      const res = await fetch(url);
      last = res.status;
      if (res.status === 200) return 200;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}: last answer ${last}\n${started.lines.join('\n')}`);
}

describe('service images, started as their CMD in a production-like environment', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'goorm-images-'));
  const images = new Map<string, Reproduced>();
  const env: Record<string, string> = {};

  beforeAll(async () => {
    const admin = knexFactory({ client: 'mysql2', connection: MYSQL });
    await admin.raw(`CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4`);
    await admin.destroy();
    const keys = generateKeyPairSync('ed25519');
    const secrets = path.join(work, 'secrets');
    mkdirSync(secrets, { recursive: true });
    writeFileSync(path.join(secrets, 'jwt-public.pem'), keys.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(path.join(secrets, 'jwt-private.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(path.join(secrets, 'queue-token-secret'), randomBytes(32).toString('hex'));
    Object.assign(env, {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: `${MYSQL}/${DB_NAME}`,
      REDIS_URL,
      QUEUE_REDIS_PREFIX: `goorm:image-test:${process.pid}:{enrollment}:`,
      JWT_PUBLIC_KEY_FILE: path.join(secrets, 'jwt-public.pem'),
      JWT_PRIVATE_KEY_FILE: path.join(secrets, 'jwt-private.pem'),
      QUEUE_TOKEN_SECRET_FILE: path.join(secrets, 'queue-token-secret'),
      // a directory that does not exist: nothing may need DATA_DIR in production
      DATA_DIR: path.join(work, 'no-data-dir'),
      TMPDIR: path.join(work, 'tmp'),
      SHUTDOWN_GRACE_MS: '2000',
    });
    // All images at once: each deps stage is one `npm ci --omit=dev` from the lockfile (npm's cache first).
    await Promise.all(
      SERVICES.map(async (s) => {
        images.set(s, await reproduce(REPO, dockerfileOf(s), path.join(work, s), { npm_config_prefer_offline: 'true', npm_config_loglevel: 'error' }));
      }),
    );
  }, 240_000);

  afterAll(async () => {
    const admin = knexFactory({ client: 'mysql2', connection: MYSQL });
    await admin.raw(`DROP DATABASE IF EXISTS \`${DB_NAME}\``);
    await admin.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  it.concurrent.each(SERVICES)('%s: migrates twice, then /healthz and /readyz answer 200 from `node dist/server.js`, JSON logs, SIGTERM exits 0, nothing written', async (s) => {
    const image = images.get(s)!;
    expect(image.cmd[0]).toBe('node');
    expect(image.cmd.at(-1)).toBe(`services/${s}/dist/server.js`);
    // Only what the Dockerfile copied: no TypeScript source, no tsx, no dev dependency.
    expect(existsSync(path.join(image.root, 'app/services', s, 'src'))).toBe(false);
    expect(existsSync(path.join(image.root, 'app/node_modules/tsx'))).toBe(false);
    expect(existsSync(path.join(image.root, 'app/node_modules/typescript'))).toBe(false);
    expect(existsSync(path.join(image.root, 'app/node_modules/vitest'))).toBe(false);
    const before = listFiles(image.root);
    const port = await freePort();
    const runEnv = { ...env, ...image.env, PORT: String(port) };

    const migrate = image.cmd.slice(0, -1).concat(`services/${s}/dist/migrate.js`);
    if (existsSync(path.join(image.workdir, migrate.at(-1)!))) {
      for (let i = 0; i < 2; i++) {
        const job = start(migrate, image.workdir, runEnv);
        expect(await job.exited, job.lines.join('\n')).toBe(0);
        expect(job.lines.some((l) => /"msg":"migrated"/.test(l))).toBe(true);
      }
    }

    const svc = start(image.cmd, image.workdir, runEnv);
    try {
      expect(await waitFor200(`http://127.0.0.1:${port}/healthz`, svc, 30_000)).toBe(200);
      expect(await waitFor200(`http://127.0.0.1:${port}/readyz`, svc, 30_000)).toBe(200);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
    } finally {
      svc.child.kill('SIGTERM');
    }
    expect(await svc.exited, svc.lines.join('\n')).toBe(0);
    const notJson = svc.lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    expect(listFiles(image.root)).toEqual(before);
    process.stdout.write(`${s}: image directory ${(duBytes(image.root) / 1024 / 1024).toFixed(1)} MiB\n`);
  }, 120_000);

  // After the services' tests (sequential, after the concurrent group): every table is there.
  const cronJobs = SERVICES.flatMap((s) => (GITOPS_APPS.find((a) => a.name === s)?.cronJobs ?? []).map((j) => [`${s}-${j.name}`, s, j.entry] as const));
  it.each(cronJobs)('%s: the CronJob entry runs once from the image against the migrated database and pushes its result (stand-in Pushgateway)', async (_name, s, entry) => {
    // the check reads other services' tables too: every migration first (idempotent)
    for (const other of SERVICES) {
      const img = images.get(other)!;
      const migrate = img.cmd.slice(0, -1).concat(`services/${other}/dist/migrate.js`);
      if (!existsSync(path.join(img.workdir, migrate.at(-1)!))) continue;
      const m = start(migrate, img.workdir, { ...env, ...img.env });
      expect(await m.exited, m.lines.join('\n')).toBe(0);
    }
    const pushes: Array<{ method?: string; url?: string; body: string }> = [];
    const gateway = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        pushes.push({ method: req.method, url: req.url, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const image = images.get(s)!;
    const before = listFiles(image.root);
    try {
      // the CronJob's command: the image's CMD with the job's bundle in place of the server's
      const argv = image.cmd.slice(0, -1).concat(`services/${s}/dist/${entry}.js`);
      const url = `http://127.0.0.1:${(gateway.address() as net.AddressInfo).port}`;
      const job = start(argv, image.workdir, { ...env, ...image.env, PUSHGATEWAY_URL: url, PUSHGATEWAY_JOB: `${s}-image-test` });
      expect(await job.exited, job.lines.join('\n')).toBe(0);
      expect(job.lines.some((l) => /"msg":"invariant metrics pushed"/.test(l)), job.lines.join('\n')).toBe(true);
    } finally {
      await new Promise((resolve) => gateway.close(resolve));
    }
    expect(pushes.map((p) => `${p.method} ${p.url}`)).toEqual([`PUT /metrics/job/${s}-image-test`]);
    expect(pushes[0]!.body).toMatch(/^enrollment_invariant_check_success 1$/m);
    expect(pushes[0]!.body).toMatch(/^enrollment_invariant_oversold_seats 0$/m);
    expect(listFiles(image.root)).toEqual(before);
  }, 60_000);
});

describe('app images', () => {
  it.each(APPS)('%s: its build output and nginx config are what the runtime stage copies', (app) => {
    const stages = parseDockerfile(readFileSync(path.join(REPO, dockerfileOf(app)), 'utf8'));
    const image = stages.at(-1)!;
    expect(image.image.name).toBe('nginxinc/nginx-unprivileged');
    const conf = readFileSync(path.join(REPO, app, 'nginx.conf'), 'utf8');
    expect(conf).toMatch(/listen 8080;/);
    expect(conf).toMatch(/location = \/healthz/);
    expect(image.copies.map((c) => c.sources[0])).toEqual([`${app}/nginx.conf`, `/src/${app}/dist`]);
  });
});
