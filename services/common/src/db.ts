import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type { Knex };
export type DbEngine = 'mysql' | 'sqlite';

const require = createRequire(import.meta.url);

export interface DbOptions {
  poolMax?: number;
  /** SQLite: how long a writer waits for the lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /**
   * MySQL: let one round trip carry several statements (`BEGIN; SELECT … FOR UPDATE`). Only for
   * a service that batches its own parameterised statements (enrollment's hot path); every value
   * still goes through placeholders.
   */
  multipleStatements?: boolean;
}

export function engineFromUrl(url: string): DbEngine {
  if (url.startsWith('mysql:') || url.startsWith('mysql2:') || url.startsWith('mariadb:')) return 'mysql';
  if (url.startsWith('sqlite:') || url.startsWith('file:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with sqlite: or mysql: (got ${url.split(':')[0]}:)`);
}

export function engineOf(db: Knex): DbEngine {
  const name = (db.client as { config: { client: string } }).config.client;
  return name === 'mysql2' ? 'mysql' : 'sqlite';
}

function sqlitePath(url: string): string {
  const rest = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return rest === ':memory:' ? rest : path.resolve(rest);
}

let immediateTxClass: unknown;
/** knex opens SQLite transactions with a deferred BEGIN; ours take the write lock up front. */
function sqliteImmediateTransactions(db: Knex) {
  if (!immediateTxClass) {
    const Base = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction.js') as new (...args: unknown[]) => {
      query(conn: unknown, sql: string): Promise<unknown>;
    };
    immediateTxClass = class ImmediateTransaction extends Base {
      begin(conn: unknown) {
        return this.query(conn, 'BEGIN IMMEDIATE;');
      }
    };
  }
  const Tx = immediateTxClass as new (...args: unknown[]) => unknown;
  (db.client as { transaction: (...args: unknown[]) => unknown }).transaction = function (this: unknown, ...args: unknown[]) {
    return new Tx(this, ...args);
  };
}

export function createDb(url: string, opts: DbOptions = {}): Knex {
  const engine = engineFromUrl(url);
  if (engine === 'sqlite') {
    const filename = sqlitePath(url);
    if (filename !== ':memory:') mkdirSync(path.dirname(filename), { recursive: true });
    const busy = opts.busyTimeoutMs ?? 10_000;
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          try {
            conn.pragma('journal_mode = WAL');
            conn.pragma(`busy_timeout = ${busy}`);
            conn.pragma('synchronous = NORMAL');
            conn.pragma('foreign_keys = ON');
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    });
    sqliteImmediateTransactions(db);
    return db;
  }
  const u = new URL(url.replace(/^(mysql2|mariadb):/, 'mysql:'));
  return knexFactory({
    client: 'mysql2',
    connection: {
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
      database: u.pathname.replace(/^\//, ''),
      charset: 'utf8mb4',
      timezone: 'Z',
      supportBigNumbers: true,
      connectTimeout: 5_000,
      ...(opts.multipleStatements ? { multipleStatements: true } : {}),
    },
    pool: {
      min: 0,
      max: opts.poolMax ?? 10,
      afterCreate(conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        // READ COMMITTED per session: no gap locks against other students' inserts, and no extra
        // round trip per transaction. Time zone UTC so DATETIME values are UTC.
        conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', (err) => {
          if (err) return done(err, conn);
          conn.query("SET time_zone = '+00:00'", (err2) => done(err2, conn));
        });
      },
    },
    acquireConnectionTimeout: 10_000,
  });
}

const RETRYABLE_MYSQL = new Set([1213 /* deadlock */, 1205 /* lock wait timeout */]);

export function isRetryableDbError(err: unknown): boolean {
  const e = err as { errno?: number; code?: string } | undefined;
  if (!e) return false;
  if (typeof e.errno === 'number' && RETRYABLE_MYSQL.has(e.errno)) return true;
  return e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_BUSY_SNAPSHOT' || e.code === 'SQLITE_LOCKED';
}

export interface TxOptions {
  retries?: number;
  onRetry?: (err: unknown, attempt: number) => void;
}

/**
 * Runs fn in a write transaction (BEGIN IMMEDIATE on SQLite, READ COMMITTED on MySQL) and retries
 * deadlocks and lock timeouts a bounded number of times with jittered backoff.
 */
export async function withTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, opts: TxOptions = {}): Promise<T> {
  return withRetries(() => db.transaction(fn), opts);
}

/** Runs a whole transaction `attempt` again on deadlocks and lock timeouts, a bounded number of times. */
export async function withRetries<T>(attempt: () => Promise<T>, opts: TxOptions = {}): Promise<T> {
  const retries = opts.retries ?? 5;
  for (let attemptNo = 0; ; attemptNo++) {
    try {
      return await attempt();
    } catch (err) {
      if (attemptNo >= retries || !isRetryableDbError(err)) throw err;
      opts.onRetry?.(err, attemptNo + 1);
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attemptNo));
    }
  }
}

/** Counts SQL statements sent through a knex instance (tests assert fixed query counts). */
export function countQueries(db: Knex) {
  let count = 0;
  const statements: string[] = [];
  const listener = (q: { sql: string }) => {
    count++;
    statements.push(q.sql);
  };
  db.on('query', listener);
  return {
    get count() {
      return count;
    },
    statements,
    reset() {
      count = 0;
      statements.length = 0;
    },
    stop() {
      db.removeListener('query', listener);
    },
  };
}

export async function pingDb(db: Knex, timeoutMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.raw('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Dates come back as Date (mysql2), epoch ms (better-sqlite3) or text: always hand out ISO 8601. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') {
    const n = Number(value);
    if (value !== '' && Number.isFinite(n)) return new Date(n).toISOString();
    return new Date(value.includes('T') ? value : value.replace(' ', 'T') + 'Z').toISOString();
  }
  throw new Error(`not a date: ${String(value)}`);
}

export interface MigrationSet {
  /** e.g. 'auth'; migration bookkeeping goes to knex_migrations_<service>. */
  service: string;
  migrations: Record<string, { up(db: Knex): Promise<void>; down(db: Knex): Promise<void> }>;
}

/** Each service owns its tables and migrates them with its own bookkeeping table. */
export async function migrate(db: Knex, set: MigrationSet): Promise<void> {
  const names = Object.keys(set.migrations).sort();
  await db.migrate.latest({
    tableName: `knex_migrations_${set.service}`,
    migrationSource: {
      getMigrations: async () => names,
      getMigrationName: (n: string) => n,
      getMigration: async (n: string) => set.migrations[n]!,
    },
  });
}

/** True when a write failed on a UNIQUE (or primary key) constraint, on MySQL/MariaDB or SQLite. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { errno?: number; code?: string } | undefined;
  if (!e || typeof e !== 'object') return false;
  return (
    e.errno === 1062 /* ER_DUP_ENTRY */ ||
    e.code === 'ER_DUP_ENTRY' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** LIKE pattern matching `text` anywhere, with `!` as the escape character (use `escape '!'`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** A foreign-key violation on either engine (referenced row missing, or still referenced). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { errno?: number; code?: string } | undefined;
  return e?.errno === 1451 || e?.errno === 1452 || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Runs a write; a unique-key violation (a concurrent writer won the race) becomes the given error. */
export async function onUniqueViolation<T>(fn: () => Promise<T>, toError: () => Error): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw toError();
    throw err;
  }
}

/** DATE columns come back as Date (mysql2) or text (SQLite): always hand out YYYY-MM-DD. */
export function toIsoDate(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/**
 * Deletes the rows of `table` whose `timeColumn` is before `before`, `batch` at a time (each batch
 * its own short statement: no long lock, no huge transaction), until none is left; the count
 * deleted. For the purges of rows kept only for a while (idempotency answers, login throttles,
 * token revocations). `timeColumn` should be indexed.
 */
export async function purgeOlderThan(db: Knex, table: string, key: string, timeColumn: string, before: Date, batch = 1_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const keys = (await db(table).where(timeColumn, '<', before).orderBy(timeColumn).limit(batch).pluck(key)) as Array<string | number>;
    if (keys.length === 0) return deleted;
    deleted += await db(table).whereIn(key, keys).where(timeColumn, '<', before).delete();
    if (keys.length < batch) return deleted;
  }
}
