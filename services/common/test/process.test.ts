import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = (script: string, args: string[], ipc = false) =>
  spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', script), ...args], {
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
const exitOf = (p: ReturnType<typeof tsx>) => new Promise<number | null>((r) => p.on('exit', (code) => r(code)));

describe('SQLite shared by several service processes', () => {
  it('loses no update when two processes read-modify-write in BEGIN IMMEDIATE transactions', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'goorm-proc-'));
    const url = `sqlite:${path.join(dir, 'db.sqlite')}`;
    const db = createDb(url);
    await db.schema.createTable('counter', (t) => {
      t.integer('id').primary();
      t.integer('n').notNullable();
    });
    await db('counter').insert({ id: 1, n: 0 });
    const startAt = String(Date.now() + 4_000);
    const workers = [tsx('counter-worker.ts', [url, '300', startAt]), tsx('counter-worker.ts', [url, '300', startAt])];
    const outputs = workers.map((w) => {
      let o = '';
      w.stdout!.on('data', (b: Buffer) => (o += b.toString()));
      return () => o;
    });
    const codes = await Promise.all(workers.map(exitOf));
    expect(codes).toEqual([0, 0]);
    // BEGIN IMMEDIATE takes the write lock up front: a writer waits (busy timeout) instead of
    // failing half-way when its read lock cannot be upgraded, so nothing needs a retry.
    expect(outputs.map((o) => o().trim())).toEqual(['retries 0', 'retries 0']);
    expect((await db('counter').where({ id: 1 }).first()).n).toBe(600);
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
});

/** The slow-server fixture, once it listens: its port and everything it printed so far. */
async function slowServer(ipc = false) {
  const child = tsx('slow-server.ts', [], ipc);
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`exited early: ${out}`)));
  });
  return { child, port, output: () => out };
}

describe('serve() on SIGTERM, or when its parent is gone', () => {
  it('finishes the in-flight request, refuses new connections, closes the pool, exits 0', async () => {
    const { child, port, output } = await slowServer();
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 150));
    await expect(fetch(`http://127.0.0.1:${port}/slow`)).rejects.toThrow();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    expect(await exitOf(child)).toBe(0);
    expect(output()).toContain('closed pool');
  });

  it('drains, closes the pool and exits 0 when the IPC channel to its parent closes (as when the parent dies)', async () => {
    const { child, output } = await slowServer(true);
    child.disconnect();
    expect(await exitOf(child)).toBe(0);
    expect(output()).toContain('closed pool');
  });
});
