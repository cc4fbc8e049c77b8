import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../../../scripts/system.ts';

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
