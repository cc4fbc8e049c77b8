import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startSystem, type RunningSystem } from '../../../scripts/system.ts';

/** Whether anything still accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

async function login(url: string, role: 'student' | 'staff', loginId: string, password: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, loginId, password }),
  });
  return { status: res.status, body: (await res.json()) as { accessToken?: string; code?: string } };
}

describe('startSystem (every service as its own process behind the gateway, SQLite, demo data)', () => {
  let dataDir: string;
  let system: RunningSystem;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'goorm-system-'));
    system = await startSystem({ dataDir, gatewayPort: 0, servicePorts: 'free', quiet: true });
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates and seeds the demo university on first start, on free ports', () => {
    expect(system.seed?.seeded).toBe(true);
    expect(system.seed?.counts).toMatchObject({ sections: 250, students: 400 });
    expect(Object.keys(system.ports)).toEqual(expect.arrayContaining(['auth', 'lectures', 'carts', 'enrollment', 'gateway']));
    expect(system.ports.gateway).not.toBe(8080);
    expect(system.url).toBe(`http://127.0.0.1:${system.ports.gateway}`);
  });

  it('when the demo student signs in through the gateway, finds 자료구조 in the catalog', async () => {
    const { status, body } = await login(system.url, 'student', '20230001', 'password123');
    expect(status).toBe(200);
    const res = await fetch(`${system.url}/api/lectures/sections?q=${encodeURIComponent('자료구조')}`, {
      headers: { authorization: `Bearer ${body.accessToken}`, 'x-request-id': 'system-test-1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('system-test-1');
    const page = (await res.json()) as { total: number; items: Array<{ lecture: { code: string; title: string } }> };
    expect(page.total).toBeGreaterThanOrEqual(1);
    expect(page.items[0]!.lecture).toMatchObject({ code: 'CSE2010', title: '자료구조' });
  });

  it('signs in the demo staff member, and refuses a wrong password with 401 and no token', async () => {
    const staff = await login(system.url, 'staff', 'admin', 'password123');
    expect(staff.status).toBe(200);
    const me = await fetch(`${system.url}/api/auth/me`, { headers: { authorization: `Bearer ${staff.body.accessToken}` } });
    expect(await me.json()).toMatchObject({ role: 'staff' });
    const wrong = await login(system.url, 'student', '20240001', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.accessToken).toBeUndefined();
  });

  it('serves the student app (or its placeholder) at /', async () => {
    const res = await fetch(`${system.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('stop() ends every process: nothing listens afterwards', async () => {
    await system.stop();
    const still = await Promise.all(Object.values(system.ports).map(listening));
    expect(still).toEqual(Object.values(system.ports).map(() => false));
  });
});

/** Every process below `root`, from `ps` (pid and command line). */
function descendants(root: number): Array<{ pid: number; args: string }> {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const found: Array<{ pid: number; args: string }> = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const r of rows.filter((row) => row.ppid === parent)) {
      found.push({ pid: r.pid, args: r.args });
      queue.push(r.pid);
    }
  }
  return found;
}

/** Whether the process still runs (a zombie waiting to be reaped does not). */
function running(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when there is no such process
  }
}

/** Waits until `done()` holds or `ms` have passed. */
async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

describe('npm start when only its parent process is signalled (not the process group)', () => {
  let dataDir: string | undefined;
  let started: number[] = [];

  /** `tsx scripts/start.ts` as `npm start` runs it, on free ports; resolves once it prints its ports. */
  async function npmStart(): Promise<{ tsx: ChildProcess; ports: number[]; tree: Array<{ pid: number; args: string }> }> {
    dataDir = mkdtempSync(path.join(tmpdir(), 'goorm-start-'));
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATA_DIR: dataDir,
      GATEWAY_PORT: '0',
      SERVICE_PORTS: 'free',
      SKIP_BUILD: 'true',
      LOG_LEVEL: 'warn',
    };
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'PORT']) delete env[key];
    const tsx = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), 'scripts/start.ts'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const ports = await new Promise<number[]>((resolve, reject) => {
      const onData = (b: Buffer) => {
        out += b.toString();
        const line = /Services: (.*)\n/.exec(out);
        if (line) resolve([...line[1]!.matchAll(/:(\d+)/g)].map((m) => Number(m[1])));
      };
      tsx.stdout!.on('data', onData);
      tsx.stderr!.on('data', onData);
      tsx.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${out}`)));
    });
    const tree = descendants(tsx.pid!);
    started = [tsx.pid!, ...tree.map((p) => p.pid)];
    return { tsx, ports, tree };
  }

  afterEach(() => {
    for (const pid of started) if (running(pid)) process.kill(pid, 'SIGKILL');
    started = [];
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it.each([
    { signal: 'SIGTERM', whom: 'the tsx parent', inner: false },
    { signal: 'SIGHUP', whom: 'the tsx parent (it dies without relaying)', inner: false },
    { signal: 'SIGKILL', whom: 'the start script itself', inner: true },
  ] as const)('$signal to $whom: every service process exits and no port listens', async ({ signal, inner }) => {
    const { tsx, ports, tree } = await npmStart();
    const services = tree.filter((p) => /services\/[\w-]+\/src\/server\.ts/.test(p.args));
    expect(services.length).toBeGreaterThanOrEqual(5); // auth, lectures, carts, enrollment, gateway
    expect(ports).toHaveLength(services.length);
    const startScript = tree.find((p) => p.args.includes('scripts/start.ts'));
    expect(startScript).toBeDefined();

    process.kill(inner ? startScript!.pid : tsx.pid!, signal);

    await waitUntil(() => started.every((pid) => !running(pid)), 30_000);
    expect(started.filter(running).map((pid) => tree.find((p) => p.pid === pid)?.args ?? `tsx ${pid}`)).toEqual([]);
    expect(await Promise.all(ports.map(listening))).toEqual(ports.map(() => false));
  }, 180_000);
});
