import { createHash } from 'node:crypto';
import { AppError, ERROR_STATUS, problemBody, validationFailed, type ErrorCode } from '@goorm/common';
import type { StoredAnswer } from './idempotency.repository.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** The answer a request gets (and a retry of it gets again). */
export interface Answer {
  status: number;
  body: unknown;
  replayed: boolean;
}

export interface Idempotency {
  /** "<scope>:<Idempotency-Key>", scope = the caller (a key is per student / staff member). */
  key: string;
  /** sha256 of the operation and its parsed input: same key + different request = conflict. */
  requestHash: string;
}

/** Reads the header; undefined without one; 400 for a malformed key. */
export function idempotencyOf(header: string | undefined, scope: string, request: Record<string, unknown>): Idempotency | undefined {
  if (header === undefined) return undefined;
  if (!KEY.test(header)) throw validationFailed([{ field: 'headers.idempotency-key', message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -' }]);
  const canonical = JSON.stringify(
    Object.keys(request)
      .filter((k) => request[k] !== undefined)
      .sort()
      .map((k) => [k, request[k]]),
  );
  return { key: `${scope}:${header}`, requestHash: createHash('sha256').update(canonical).digest('hex') };
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'requestId']);

/** What is stored for a refusal: its problem document without per-request members. */
export function storedProblem(err: AppError): { status: number; body: string } {
  return { status: err.status, body: JSON.stringify(problemBody(err)) };
}

/**
 * The first answer again: a success is returned, a refusal is thrown as the same problem.
 * The same key with a different request is 409 IDEMPOTENCY_CONFLICT.
 */
export function replay(stored: StoredAnswer, requestHash: string): Answer {
  if (stored.requestHash !== requestHash) {
    throw new AppError('IDEMPOTENCY_CONFLICT', { detail: 'This Idempotency-Key was already used for a different request' });
  }
  const body = stored.body === '' ? null : (JSON.parse(stored.body) as unknown);
  if (stored.status < 400) return { status: stored.status, body, replayed: true };
  const p = (body ?? {}) as Record<string, unknown>;
  const code = (typeof p.code === 'string' && p.code in ERROR_STATUS ? p.code : 'CONFLICT') as ErrorCode;
  const extra = Object.fromEntries(Object.entries(p).filter(([k]) => !PROBLEM_MEMBERS.has(k)));
  throw new AppError(code, {
    ...(typeof p.detail === 'string' ? { detail: p.detail } : {}),
    extra,
    headers: { [REPLAYED_HEADER]: 'true' },
  });
}
