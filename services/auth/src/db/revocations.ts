import { purgeOlderThan, REVOCATION_HORIZON_MS, withTransaction, type Knex } from '@goorm/common';
import type { Role } from '@goorm/contracts';

/**
 * Signs out every token of an account issued until now: a row every service's revocation list
 * (common/src/revocations.ts) picks up within its poll interval. Written in the transaction that
 * deletes the account or changes its password.
 */
export async function revokeTokens(trx: Knex | Knex.Transaction, role: Role, accountId: number, reason: 'DELETED' | 'PASSWORD', now: Date): Promise<void> {
  await trx('account_revocation').insert({ role, account_id: accountId, reason, revoked_at: now });
}

/** The table of each kind of account. */
const ACCOUNT_TABLE: Readonly<Record<Role, string>> = { student: 'student', staff: 'staff' };

/**
 * Writes an account's row; when the write sets a new password, every token issued before it is
 * signed out in the same transaction. Answers whether the account exists.
 */
export function updateAccount(db: Knex, role: Role, id: number, row: Record<string, unknown> & { password_hash?: string }, now: Date): Promise<boolean> {
  return withTransaction(db, async (trx) => {
    const n = await trx(ACCOUNT_TABLE[role]).where({ id }).update(row);
    if (n > 0 && row.password_hash !== undefined) await revokeTokens(trx, role, id, 'PASSWORD', now);
    return n > 0;
  });
}

/**
 * The rows auth keeps only for a while: login throttles whose window and lock are both over, and
 * revocations older than any token they could still refuse. The server runs it every 10 minutes.
 */
export async function purgeExpired(db: Knex, policy: { windowSeconds: number; lockSeconds: number }, now: Date): Promise<{ throttles: number; revocations: number }> {
  const throttles = await purgeOlderThan(db, 'login_throttle', 'throttle_key', 'window_started_at', new Date(now.getTime() - (policy.windowSeconds + policy.lockSeconds) * 1000));
  const revocations = await purgeOlderThan(db, 'account_revocation', 'id', 'revoked_at', new Date(now.getTime() - REVOCATION_HORIZON_MS));
  return { throttles, revocations };
}
