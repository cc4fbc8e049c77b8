import type { Knex } from '@goorm/common';
import type { Role } from '@goorm/contracts';

/**
 * Signs out every token of an account issued until now: a row every service's revocation list
 * (common/src/revocations.ts) picks up within its poll interval. Written in the transaction that
 * deletes the account or changes its password.
 */
export async function revokeTokens(trx: Knex | Knex.Transaction, role: Role, accountId: number, reason: 'DELETED' | 'PASSWORD', now: Date): Promise<void> {
  await trx('account_revocation').insert({ role, account_id: accountId, reason, revoked_at: now });
}
