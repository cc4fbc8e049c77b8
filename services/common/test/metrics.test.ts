/**
 * The shared gauges read at scrape time: the database pool by state and whether a Redis client is
 * ready, on the app's own registry, with bounded labels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, registerDbPoolMetrics, registerRedisClientMetric, withTransaction } from '../src/index.ts';
import { createTestDb, type TestDb } from '../src/testing/index.ts';

const line = async (text: Promise<string>, series: string) =>
  (await text)
    .split('\n')
    .find((l) => l.startsWith(`${series} `))
    ?.split(' ')
    .at(-1);

describe('registerDbPoolMetrics', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('reports connections in use while a transaction holds one, the pool limit, and registers once per registry', async () => {
    const m = createMetrics('carts', { defaultMetrics: false });
    registerDbPoolMetrics(m.registry, t.db);
    registerDbPoolMetrics(m.registry, t.db); // a second call (a rebuilt app) adds no duplicate
    let inside: string | undefined;
    await withTransaction(t.db, async (trx) => {
      await trx.raw('select 1');
      inside = await line(m.registry.metrics(), 'db_pool_connections{state="used",service="carts"}');
    });
    expect(inside).toBe('1');
    expect(await line(m.registry.metrics(), 'db_pool_connections{state="used",service="carts"}')).toBe('0');
    expect(await line(m.registry.metrics(), 'db_pool_connections{state="pending_acquires",service="carts"}')).toBe('0');
    expect(Number(await line(m.registry.metrics(), 'db_pool_max{service="carts"}'))).toBeGreaterThanOrEqual(1);
  });
});

describe('registerRedisClientMetric', () => {
  it('reads each client’s status when scraped: 1 while ready, 0 otherwise', async () => {
    const m = createMetrics('enrollment', { defaultMetrics: false });
    const queue = { status: 'ready' };
    const limits = { status: 'connecting' };
    registerRedisClientMetric(m.registry, 'waiting_room', queue);
    registerRedisClientMetric(m.registry, 'rate_limit', limits);
    expect(await line(m.registry.metrics(), 'redis_client_ready{client="waiting_room",service="enrollment"}')).toBe('1');
    expect(await line(m.registry.metrics(), 'redis_client_ready{client="rate_limit",service="enrollment"}')).toBe('0');
    queue.status = 'reconnecting';
    expect(await line(m.registry.metrics(), 'redis_client_ready{client="waiting_room",service="enrollment"}')).toBe('0');
  });
});
