import type { Knex } from '@goorm/common';

/** What a request answered, stored under "<scope>:<Idempotency-Key>". */
export interface StoredAnswer {
  requestHash: string;
  status: number;
  body: string;
}

export interface IdempotencyRecord extends StoredAnswer {
  key: string;
  createdAt: Date;
}

function row(r: IdempotencyRecord) {
  return { idem_key: r.key, request_hash: r.requestHash, status: r.status, body: r.body, created_at: r.createdAt };
}

/** The answer stored under a key, if any: one primary-key read. */
export async function findAnswer(db: Knex | Knex.Transaction, key: string): Promise<StoredAnswer | undefined> {
  const found = await db('idempotency_record')
    .select<{ request_hash: string; status: number; body: string }[]>('request_hash', 'status', 'body')
    .where('idem_key', key)
    .first();
  return found ? { requestHash: found.request_hash, status: Number(found.status), body: String(found.body) } : undefined;
}

/**
 * Stores a success inside the enroll transaction, so the enrollment and its answer commit
 * together. A duplicate key (a twin request committed first) fails the statement.
 */
export async function storeAnswer(trx: Knex.Transaction, r: IdempotencyRecord): Promise<void> {
  await trx('idempotency_record').insert(row(r));
}

/**
 * Stores a refusal unless an answer is already stored; returns the answer that is stored now
 * (this one, or a twin's that got there first).
 */
export async function storeAnswerIfAbsent(db: Knex | Knex.Transaction, r: IdempotencyRecord): Promise<StoredAnswer> {
  await db('idempotency_record').insert(row(r)).onConflict('idem_key').ignore();
  return (await findAnswer(db, r.key)) ?? r;
}
