import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assess, waitForApps } from '../scripts/argo-wait.js';

const app = (name: string, sync: string, health: string, revision = 'abc123', phase?: string) => ({
  metadata: { name },
  status: { sync: { status: sync, revision }, health: { status: health }, operationState: phase ? { phase, message: 'boom' } : undefined },
});

// A stand-in Argo CD API: answers GET /api/v1/applications with the next scripted list.
let server: Server;
let url: string;
let answers: unknown[][] = [];
const seen: { selector: string | null; auth: string | undefined }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push({ selector: u.searchParams.get('selector'), auth: req.headers.authorization });
    const items = answers.length > 1 ? answers.shift() : answers[0];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ items }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const wait = (revision = 'abc123', timeoutMs = 2_000) => {
  const log: string[] = [];
  return waitForApps({ server: url, token: 't0ken', selector: 'environment=staging', revision, timeoutMs, intervalMs: 20, log: (l) => log.push(l) }).then((ok) => ({ ok, log }));
};

describe('argo-wait', () => {
  it('waits until every application is Synced and Healthy at the pushed revision', async () => {
    answers = [
      [app('carts', 'OutOfSync', 'Healthy', 'old'), app('auth', 'Synced', 'Healthy')],
      [app('carts', 'Synced', 'Progressing'), app('auth', 'Synced', 'Healthy')],
      [app('carts', 'Synced', 'Healthy'), app('auth', 'Synced', 'Healthy')],
    ];
    const { ok, log } = await wait();
    expect(ok).toBe(true);
    expect(log.at(-1)).toBe('all 2 applications Synced and Healthy at abc123');
    expect(seen.at(-1)).toEqual({ selector: 'environment=staging', auth: 'Bearer t0ken' });
  });

  it('fails at once when a sync operation failed', async () => {
    answers = [[app('carts', 'OutOfSync', 'Degraded', 'abc123', 'Failed')]];
    const { ok, log } = await wait();
    expect(ok).toBe(false);
    expect(log).toEqual(['FAILED carts: OutOfSync/Degraded (operation Failed: boom)']);
  });

  it('gives up after the timeout, naming what was not ready', async () => {
    answers = [[app('carts', 'Synced', 'Healthy', 'old')]];
    const { ok, log } = await wait('abc123', 100);
    expect(ok).toBe(false);
    expect(log.at(-1)).toBe('NOT READY carts: Synced/Healthy at old');
  });

  it('reads multi-source revisions too', () => {
    expect(assess({ metadata: { name: 'x' }, status: { sync: { status: 'Synced', revisions: ['a', 'abc123'] }, health: { status: 'Healthy' } } }, 'abc123').ready).toBe(true);
  });
});
