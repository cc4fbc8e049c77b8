import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { deploymentProblems } from '../src/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts the fixture with exactly this environment (not vitest's NODE_ENV=test). */
function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'goorm-start-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'start-config.ts')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr: stderr + `\n[DATA_DIR ${dataDir}]` })));
}

const MYSQL = 'mysql://goorm@db.internal:3306/goorm';
const noStack = (text: string) => !/\n\s+at .+:\d+:\d+/.test(text);

describe('a service that starts with an unsafe or bad configuration', () => {
  it('deploymentProblems: NODE_ENV unset is only accepted with the embedded SQLite database (or no database)', () => {
    expect(deploymentProblems({}, { DATABASE_URL: MYSQL })).toHaveLength(1);
    expect(deploymentProblems({ NODE_ENV: '' }, { DATABASE_URL: MYSQL })).toHaveLength(1);
    expect(deploymentProblems({}, { DATABASE_URL: 'sqlite:./data/goorm.sqlite' })).toEqual([]);
    expect(deploymentProblems({ NODE_ENV: 'development' }, { DATABASE_URL: MYSQL })).toEqual([]);
    expect(deploymentProblems({ NODE_ENV: 'production' }, { DATABASE_URL: MYSQL })).toEqual([]);
    expect(deploymentProblems({}, {})).toEqual([]); // the gateway: no database, no keys
  });

  it('NODE_ENV unset with a server database: refused with one readable message, no development key generated', async () => {
    const r = await start({ DATABASE_URL: MYSQL });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^fixture: cannot start: Invalid configuration:\n {2}- NODE_ENV: not set, and DATABASE_URL is a server database/);
    expect(noStack(r.stderr)).toBe(true);
    const dataDir = /\[DATA_DIR (.+)\]/.exec(r.stderr)![1]!;
    expect(existsSync(path.join(dataDir, 'keys'))).toBe(false);
  });

  it('production without its key, and a malformed value: one readable message each, exit code 1, no stack trace', async () => {
    const missingKey = await start({ NODE_ENV: 'production', DATABASE_URL: MYSQL });
    expect(missingKey.code).toBe(1);
    expect(missingKey.stderr).toMatch(/^fixture: cannot start: Invalid configuration:\n {2}- No JWT public key configured \(set JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE\)/);
    expect(noStack(missingKey.stderr)).toBe(true);

    const malformed = await start({ NODE_ENV: 'production', DATABASE_POOL_MAX: 'lots' });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^fixture: cannot start: Invalid configuration:\n {2}- DATABASE_POOL_MAX: /);
    expect(noStack(malformed.stderr)).toBe(true);
  });

  it('a local run starts: NODE_ENV=development with a server database, or nothing set with the embedded SQLite', async () => {
    const dev = await start({ NODE_ENV: 'development', DATABASE_URL: MYSQL });
    expect(dev.stdout).toBe('started\n');
    expect(dev.code).toBe(0);
    const embedded = await start({});
    expect(embedded.stdout).toBe('started\n');
    expect(embedded.code).toBe(0);
  });
});
