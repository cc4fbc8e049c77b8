import type { Knex } from '@goorm/common';
import type { NativeStatement } from './enrollments.repository.ts';

/**
 * A MySQL transaction whose statements travel in as few round trips as the logic allows
 * (README "The enroll transaction"): `BEGIN` rides with the first statement and `COMMIT` with the
 * last writes, over a connection of the service's own knex pool opened with
 * `multipleStatements`. The statements are the repository's SQL text with their bindings: no
 * value is ever spliced into SQL text.
 *
 * knex's own transaction sends BEGIN and COMMIT as round trips of their own and adds its
 * per-query overhead; on registration day the database round trips of the enroll transaction
 * are what limits the decisions per second (docs/benchmarks.md).
 */

/** SQL text with its bindings, or a bare keyword (`commit`). */
type Statement = NativeStatement | string;

const compile = (s: Statement): NativeStatement => (typeof s === 'string' ? { sql: s, bindings: [] } : s);

interface RawConnection {
  query(opts: { sql: string; values: unknown[] }, cb: (err: Error | null, results: unknown) => void): void;
  destroy(): void;
}

interface PoolClient {
  acquireConnection(): Promise<RawConnection>;
  releaseConnection(conn: RawConnection): Promise<unknown>;
  config: { client: string; connection?: { multipleStatements?: boolean } };
}

/** Whether this pool can batch (MySQL opened with `multipleStatements`; see createDb). */
export function canBatch(db: Knex): boolean {
  const c = (db.client as PoolClient).config;
  return c.client === 'mysql2' && c.connection?.multipleStatements === true;
}

/** What MySQL answers an UPDATE / INSERT with. */
export interface WriteResult {
  affectedRows: number;
}

let batchIds = 0;

export class BatchedTransaction {
  private open = false;
  private broken = false;

  private constructor(
    private readonly db: Knex,
    private readonly conn: RawConnection,
  ) {}

  /** Runs `fn` on a pooled connection; whatever it leaves open is rolled back. */
  static async run<T>(db: Knex, fn: (tx: BatchedTransaction) => Promise<T>): Promise<T> {
    const client = db.client as PoolClient;
    const conn = await client.acquireConnection();
    const tx = new BatchedTransaction(db, conn);
    try {
      return await fn(tx);
    } finally {
      if (tx.open) await tx.rollback();
      // A connection that failed mid-conversation is closed; the pool then drops it.
      if (tx.broken) conn.destroy();
      await client.releaseConnection(conn);
    }
  }

  /** `BEGIN` and the first statement in one round trip; the first statement's result. */
  async begin<R>(first: Statement): Promise<R> {
    this.open = true;
    const [, result] = await this.send(['begin', first]);
    return result as R;
  }

  /** `BEGIN` and several statements in one round trip; their results, in order. */
  async beginWith(...statements: Statement[]): Promise<unknown[]> {
    this.open = true;
    const results = await this.send(['begin', ...statements]);
    return results.slice(1);
  }

  /**
   * The last writes and `COMMIT` in one round trip. If a statement fails, MySQL runs none of the
   * ones after it: nothing is committed and the error (e.g. a duplicate key) is thrown; the
   * transaction is rolled back when `run` ends (or by the caller).
   */
  async commitWith(...statements: Statement[]): Promise<unknown[]> {
    const results = await this.send([...statements, 'commit']);
    this.open = false;
    return results.slice(0, statements.length);
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    try {
      await this.send(['rollback']);
    } catch {
      this.broken = true;
    }
  }

  private send(statements: Statement[]): Promise<unknown[]> {
    const compiled = statements.map(compile);
    // Each statement is reported like knex reports its own (countQueries, query logging), with its
    // batch; when nobody listens (the service in production), no event object is built.
    if (this.db.listenerCount('query') > 0) {
      const batch = ++batchIds;
      for (const c of compiled) this.db.emit('query', { sql: c.sql, bindings: c.bindings, batch, method: 'raw' });
    }
    const sql = compiled.map((c) => c.sql).join(';\n');
    const values = compiled.flatMap((c) => c.bindings);
    return new Promise((resolve, reject) => {
      this.conn.query({ sql, values }, (err, results) => {
        if (err) {
          const e = err as Error & { fatal?: boolean };
          if (e.fatal) {
            this.broken = true;
            this.open = false;
          }
          return reject(err);
        }
        resolve(compiled.length === 1 ? [results] : (results as unknown[]));
      });
    });
  }
}
