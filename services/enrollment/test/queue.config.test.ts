import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { baseConfigShape, loadConfig, type Knex } from '@goorm/common';
import { testLogger } from '@goorm/common/testing';
import { adaptiveOptions, createWaitingRoom, queueConfigShape } from '../src/queue/queue.config.ts';
import { InProcessWaitingRoom } from '../src/queue/queue.memory.ts';
import { RedisWaitingRoom } from '../src/queue/queue.redis.ts';
import { devQueueSecretPath } from '../src/queue/queue.tokens.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'goorm-queue-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const config = (env: Record<string, string>) => loadConfig({ ...baseConfigShape, ...queueConfigShape }, env);
const noDb = {} as Knex; // windows are only read in auto mode, which these tests do not reach

async function redisReachable(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  try {
    await r.connect();
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error(`CI=true but Redis is not reachable at ${REDIS_URL}`);
    return false;
  } finally {
    r.disconnect();
  }
}

describe('createWaitingRoom (server wiring)', () => {
  it('without REDIS_URL builds the in-process room with a dev secret generated once under DATA_DIR (mode 0600), shared by every replica', async () => {
    const DATA_DIR = dataDir();
    const one = createWaitingRoom(config({ DATA_DIR, QUEUE_MODE: 'on' }), { db: noDb, logger: testLogger() });
    const two = createWaitingRoom(config({ DATA_DIR, QUEUE_MODE: 'on' }), { db: noDb, logger: testLogger() });
    expect(one.room).toBeInstanceOf(InProcessWaitingRoom);
    expect(statSync(devQueueSecretPath(DATA_DIR)).mode & 0o777).toBe(0o600);
    const place = await one.room.join(1);
    expect(place.active).toBe(true);
    // A token of one replica is accepted by the other: same secret.
    const admitted = await (async () => {
      for (let i = 0; i < 50; i++) {
        const p = await one.room.status(place.ticket, 1);
        if (p.admitted) return p;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('never admitted');
    })();
    expect(two.room.verifyAdmission(admitted.admissionToken, 1)).toBe('ok');
    await expect(two.admission.check({ id: 1, role: 'student', loginId: '1', name: 'a' }, admitted.admissionToken)).resolves.toBeUndefined();
    await expect(two.admission.check({ id: 1, role: 'student', loginId: '1', name: 'a' }, undefined)).rejects.toMatchObject({ code: 'QUEUE_REQUIRED' });
    await one.close();
    await two.close();
  });

  it('in production, refuses to start without QUEUE_TOKEN_SECRET', () => {
    expect(() => createWaitingRoom(config({ DATA_DIR: dataDir(), NODE_ENV: 'production' }), { db: noDb, logger: testLogger() })).toThrow(/QUEUE_TOKEN_SECRET/);
    expect(() => config({ QUEUE_TOKEN_SECRET: 'too short' })).toThrow(/QUEUE_TOKEN_SECRET/);
    expect(() => config({ REDIS_URL: 'http://localhost' })).toThrow(/REDIS_URL/);
  });

  it('the adaptive controller calls a process busy from twice its database pool, unless QUEUE_BUSY_IN_FLIGHT says otherwise', () => {
    expect(adaptiveOptions(config({}), 20).busyInFlight).toBe(40);
    expect(adaptiveOptions(config({})).busyInFlight).toBe(20);
    expect(adaptiveOptions(config({ QUEUE_BUSY_IN_FLIGHT: '7' }), 20).busyInFlight).toBe(7);
  });

  it('with REDIS_URL builds the Redis room and closes its own client', async () => {
    if (!(await redisReachable())) return;
    const setup = createWaitingRoom(
      config({ REDIS_URL, NODE_ENV: 'production', QUEUE_TOKEN_SECRET: 'x'.repeat(40), QUEUE_MODE: 'off', QUEUE_REDIS_PREFIX: `test:queue:{cfg-${process.pid}}:` }),
      { db: noDb, logger: testLogger() },
    );
    expect(setup.room).toBeInstanceOf(RedisWaitingRoom);
    expect(await setup.room.isActive()).toBe(false);
    expect(await setup.room.overview()).toMatchObject({ mode: 'off', waiting: 0 });
    await setup.close();
  });
});
