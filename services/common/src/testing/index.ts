import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { createDb, engineOf, migrate, type DbEngine, type DbOptions, type Knex, type MigrationSet } from '../db.ts';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import {
  createTokenSigner,
  createTokenVerifier,
  generateKeyPairPem,
  type AuthUser,
  type TokenSigner,
  type TokenVerifier,
} from '../tokens.ts';

export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

let mysqlReachable: Promise<boolean> | undefined;
async function probeMysql(): Promise<boolean> {
  const db = createDb(TEST_MYSQL_URL, { poolMax: 1 });
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await db.destroy();
  }
}

/**
 * The engines database tests run on: SQLite always; MariaDB/MySQL when reachable.
 * Under CI=true an unreachable MySQL is a failure, not a skip.
 */
export async function testEngines(): Promise<DbEngine[]> {
  mysqlReachable ??= probeMysql();
  const ok = await mysqlReachable;
  if (!ok && process.env.CI === 'true') {
    throw new Error(`CI=true but MySQL/MariaDB is not reachable at ${TEST_MYSQL_URL}`);
  }
  return ok ? ['sqlite', 'mysql'] : ['sqlite'];
}

export interface TestDb {
  db: Knex;
  engine: DbEngine;
  url: string;
  /**
   * MySQL: opens another pool on the same database (a second "service process").
   * SQLite: returns the same instance. better-sqlite3 is synchronous: a second connection in the
   * SAME process that waits for the write lock blocks the thread the lock holder needs to finish,
   * so in-process contention can only be tested with one connection; real multi-writer contention
   * on SQLite needs separate processes (see the benchmark's two-replica run).
   */
  connect(): Knex;
  destroy(): Promise<void>;
}

/** A fresh, empty database of its own for one test file: a temp SQLite file or a new MySQL schema. */
export async function createTestDb(engine: DbEngine, opts: DbOptions = {}): Promise<TestDb> {
  const extra: Knex[] = [];
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'goorm-test-'));
    const url = `sqlite:${path.join(dir, 'test.sqlite')}`;
    const db = createDb(url);
    return {
      db,
      engine,
      url,
      connect: () => db,
      async destroy() {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = createDb(TEST_MYSQL_URL, { poolMax: 1 });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  const base = new URL(TEST_MYSQL_URL);
  base.pathname = `/${name}`;
  const url = base.toString();
  const db = createDb(url, { ...opts, poolMax: opts.poolMax ?? 20 });
  return {
    db,
    engine,
    url,
    connect: () => {
      const d = createDb(url, { ...opts, poolMax: opts.poolMax ?? 20 });
      extra.push(d);
      return d;
    },
    async destroy() {
      await Promise.all([db, ...extra].map((d) => d.destroy()));
      const a = createDb(TEST_MYSQL_URL, { poolMax: 1 });
      await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await a.destroy();
    },
  };
}

export async function migrateAll(db: Knex, sets: MigrationSet[]): Promise<void> {
  for (const s of sets) await migrate(db, s);
}

export interface TestAuth {
  signer: TokenSigner;
  verifier: TokenVerifier;
  publicKey: string;
  privateKey: string;
  token(user: Partial<AuthUser> & Pick<AuthUser, 'id' | 'role'>, ttlSeconds?: number, now?: Date): Promise<string>;
  /** Authorization header value. */
  bearer(user: Partial<AuthUser> & Pick<AuthUser, 'id' | 'role'>): Promise<string>;
}

export const TEST_TOKEN_SETTINGS = { issuer: 'goorm-auth', audience: 'goorm-registration' };

/** A throwaway key pair and helpers to mint tokens for tests. */
export async function createTestAuth(opts: { now?: () => number } = {}): Promise<TestAuth> {
  const pair = generateKeyPairPem();
  const signer = await createTokenSigner(pair.privateKey, TEST_TOKEN_SETTINGS);
  const verifier = await createTokenVerifier(pair.publicKey, {
    ...TEST_TOKEN_SETTINGS,
    clockToleranceSeconds: 30,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const token = async (u: Partial<AuthUser> & Pick<AuthUser, 'id' | 'role'>, ttl = 3600, now?: Date) =>
    (await signer.sign({ loginId: String(u.id), name: `user ${u.id}`, ...u }, ttl, now)).token;
  return {
    signer,
    verifier,
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    token,
    bearer: async (u) => `Bearer ${await token(u)}`,
  };
}

export function testLogger() {
  return createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
}
export function testMetrics(service = 'test') {
  return createMetrics(service, { defaultMetrics: false });
}

export { engineOf, knexFactory };
export { checkResponsesAgainstContract, type ContractCheck } from './contract-check.ts';
export { openApiAgainstSnapshot } from './openapi-snapshot.ts';
