import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, createDb, isOverloadError, pingDb, purgeOlderThan, toIso, withTransaction, type Knex } from '../src/index.ts';
import { createTestDb, testEngines, type TestDb } from '../src/testing/index.ts';

const engines = await testEngines();

describe.each(engines)('database layer on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
    await t.db.schema.createTable('counter', (tb) => {
      tb.integer('id').primary();
      tb.integer('n').notNullable();
      tb.datetime('at', { precision: 3 }).nullable();
    });
    await t.db('counter').insert({ id: 1, n: 0 });
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('purgeOlderThan deletes only the rows before the cut-off, in batches, and counts them', async () => {
    await t.db.schema.createTable('kept_for_a_while', (tb) => {
      tb.string('k', 40).primary();
      tb.datetime('created_at', { precision: 3 }).notNullable().index();
    });
    const cut = new Date('2026-12-01T00:00:00.000Z');
    const rows = Array.from({ length: 25 }, (_, i) => ({ k: `old-${i}`, created_at: new Date(cut.getTime() - (i + 1) * 60_000) }));
    rows.push({ k: 'at-the-cut', created_at: cut }, { k: 'new', created_at: new Date(cut.getTime() + 1) });
    await t.db('kept_for_a_while').insert(rows);
    const counter = countQueries(t.db);
    expect(await purgeOlderThan(t.db, 'kept_for_a_while', 'k', 'created_at', cut, 10)).toBe(25);
    counter.stop();
    // Three batches of at most 10: a select and a delete each (the last one short, so no fourth select).
    expect(counter.count).toBe(6);
    expect((await t.db('kept_for_a_while').orderBy('k').pluck('k')).sort()).toEqual(['at-the-cut', 'new']);
    expect(await purgeOlderThan(t.db, 'kept_for_a_while', 'k', 'created_at', cut)).toBe(0);
  });

  it('increments without losing updates when two connections write in parallel transactions', async () => {
    const other = t.connect();
    const bump = (db: Knex) =>
      withTransaction(db, async (trx) => {
        const row = await trx('counter').where({ id: 1 }).first();
        await trx('counter').where({ id: 1 }).update({ n: row.n + 1 });
      });
    // read-modify-write is only safe because the transaction serialises writers per row
    // (SQLite: BEGIN IMMEDIATE; MySQL: we take the row lock with the update after the read, so use FOR UPDATE there)
    const lockedBump = (db: Knex) =>
      withTransaction(db, async (trx) => {
        const q = trx('counter').where({ id: 1 });
        const row = engine === 'mysql' ? await q.forUpdate().first() : await q.first();
        await trx('counter').where({ id: 1 }).update({ n: row.n + 1 });
      });
    // SQLite: connect() shares the one connection (see testing/index.ts); transactions queue on it.
    const fn = engine === 'sqlite' ? bump : lockedBump;
    await Promise.all(Array.from({ length: 40 }, (_, i) => fn(i % 2 ? t.db : other)));
    expect((await t.db('counter').where({ id: 1 }).first()).n).toBe(40);
  });

  it('rolls back everything when the transaction throws', async () => {
    const before = (await t.db('counter').where({ id: 1 }).first()).n;
    await expect(
      withTransaction(t.db, async (trx) => {
        await trx('counter').where({ id: 1 }).update({ n: 999 });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await t.db('counter').where({ id: 1 }).first()).n).toBe(before);
  });

  it('retries a deadlock-like error a bounded number of times', async () => {
    let calls = 0;
    const err = engine === 'mysql' ? Object.assign(new Error('deadlock'), { errno: 1213 }) : Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
    const result = await withTransaction(t.db, async () => {
      calls++;
      if (calls < 3) throw err;
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(withTransaction(t.db, async () => { calls++; throw err; }, { retries: 2 })).rejects.toBe(err);
    expect(calls).toBe(3);
  });

  it('stores Date values so that comparisons and toIso round-trip', async () => {
    const at = new Date('2026-03-02T09:00:00.123Z');
    await t.db('counter').insert({ id: 2, n: 0, at });
    const row = await t.db('counter').where('at', '<=', new Date('2026-03-02T09:00:01Z')).andWhere({ id: 2 }).first();
    expect(toIso(row.at)).toBe('2026-03-02T09:00:00.123Z');
    const none = await t.db('counter').where('at', '>', new Date('2026-03-02T09:00:01Z')).andWhere({ id: 2 }).first();
    expect(none).toBeUndefined();
  });

  it('counts the queries it sends', async () => {
    const c = countQueries(t.db);
    await t.db('counter').select();
    await t.db('counter').where({ id: 1 }).first();
    c.stop();
    await t.db('counter').select();
    expect(c.count).toBe(2);
  });

  it('treats the server going away as "database away" and a query of ours that fails as a bug', () => {
    expect(isOverloadError(Object.assign(new Error('Server shutdown in progress'), { errno: 1053, code: 'ER_SERVER_SHUTDOWN' }))).toBe(true);
    expect(isOverloadError(Object.assign(new Error('Connection lost'), { fatal: true, code: 'PROTOCOL_CONNECTION_LOST' }))).toBe(true);
    expect(isOverloadError(Object.assign(new Error('read ECONNRESET'), { fatal: true, code: 'ECONNRESET' }))).toBe(true);
    expect(isOverloadError(Object.assign(new Error("You have an error in your SQL syntax"), { errno: 1064, code: 'ER_PARSE_ERROR' }))).toBe(false);
    expect(isOverloadError(Object.assign(new Error('Duplicate entry'), { errno: 1062, code: 'ER_DUP_ENTRY' }))).toBe(false);
    expect(isOverloadError(new Error('kaboom'))).toBe(false);
  });

  it('pings a live database and fails a dead one', async () => {
    await pingDb(t.db);
    const dead = engine === 'mysql' ? createDb('mysql://root@127.0.0.1:1/none', { poolMax: 1 }) : t.connect();
    if (engine === 'sqlite') await dead.destroy();
    await expect(pingDb(dead, 3_000)).rejects.toThrow();
    if (engine === 'mysql') await dead.destroy();
  });
});

describe('toIso', () => {
  it('normalises engine date representations', () => {
    expect(toIso(1772442000000)).toBe('2026-03-02T09:00:00.000Z');
    expect(toIso('2026-03-02 09:00:00')).toBe('2026-03-02T09:00:00.000Z');
    expect(toIso(new Date('2026-03-02T09:00:00Z'))).toBe('2026-03-02T09:00:00.000Z');
    expect(() => toIso(null)).toThrow();
  });
});

// MariaDB only (SQLite has no server to close a connection); it runs wherever MariaDB does, as in CI.
describe.skipIf(!engines.includes('mysql'))('database layer on MariaDB when the server closes a connection', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('mysql');
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it(
    'when the server closes a connection inside a transaction, the failure (the ROLLBACK on the closed connection) is "database away": 503 with Retry-After, not 500',
    async () => {
      // What a MariaDB restart mid-burst does to the transactions in flight (npm run chaos): the
      // server closes their connections, and knex's ROLLBACK then rejects with mysql2's fatal
      // "Can't add new command when connection is in closed state", which has no code.
      const victim = t.connect();
      try {
        const err: unknown = await victim
          .transaction(async (trx) => {
            const [[row]] = (await trx.raw('select connection_id() as id')) as [[{ id: number }]];
            await t.db.raw(`kill connection ${Number(row.id)}`);
            await trx.raw('select 1');
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(err).toMatchObject({ fatal: true });
        expect(isOverloadError(err)).toBe(true);
        // The pool hands out a working connection again.
        expect(await victim.raw('select 1 as one')).toBeDefined();
      } finally {
        await victim.destroy();
      }
    },
  );
});
