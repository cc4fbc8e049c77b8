import { toIso, withTransaction, type Knex } from '@goorm/common';
import { isUniqueViolation } from '@goorm/common';

/** One login_throttle row: failed (or in-flight) attempts since windowStartedAt, and a lock. */
export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

interface ThrottleRow {
  throttle_key: string;
  failures: number;
  window_started_at: unknown;
  locked_until: unknown;
}

const toState = (r: ThrottleRow): ThrottleState => ({
  failures: Number(r.failures),
  windowStartedAt: new Date(toIso(r.window_started_at)),
  lockedUntil: r.locked_until === null || r.locked_until === undefined ? null : new Date(toIso(r.locked_until)),
});

export function createLoginRepository(db: Knex) {
  return {
    /**
     * Reads the throttle row of `key` under a row lock, lets `decide` compute the next state, writes
     * it, and commits: parallel attempts on one key are serialised, so none is left uncounted.
     * (SQLite: BEGIN IMMEDIATE; MySQL: SELECT ... FOR UPDATE. Two first attempts racing to insert
     * the row: the loser hits the primary key and runs again, then finds the row.)
     */
    async updateThrottle<T>(key: string, decide: (current: ThrottleState | undefined) => { next?: ThrottleState; result: T }): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await withTransaction(db, async (trx) => {
            const row = await trx<ThrottleRow>('login_throttle').where({ throttle_key: key }).forUpdate().first();
            const { next, result } = decide(row ? toState(row) : undefined);
            if (next) {
              const values = { failures: next.failures, window_started_at: next.windowStartedAt, locked_until: next.lockedUntil };
              if (row) await trx('login_throttle').where({ throttle_key: key }).update(values);
              else await trx('login_throttle').insert({ throttle_key: key, ...values });
            }
            return result;
          });
        } catch (err) {
          if (attempt < 3 && isUniqueViolation(err)) continue;
          throw err;
        }
      }
    },

    async clearThrottle(key: string): Promise<void> {
      await db('login_throttle').where({ throttle_key: key }).delete();
    },
  };
}

export type LoginRepository = ReturnType<typeof createLoginRepository>;
