import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@goorm/common';
import type { QUEUE_REFUSAL_REASONS } from '@goorm/contracts';

/**
 * Tickets and admission tokens of the waiting room: `<base64url JSON>.<base64url HMAC-SHA256>`,
 * signed with one secret shared by every enrollment replica. Stateless to verify (one HMAC, no
 * Redis round trip on the enroll hot path). The MAC covers a type prefix, so a ticket can never
 * be presented as an admission token or the other way round.
 */

/** A student's place: who, the arrival score (µs; null = taken while the room was inactive), expiry (epoch ms). */
export interface TicketClaims {
  studentId: number;
  arrival: number | null;
  /** The place had been admitted when this ticket was issued (lets the room rebuild its cursor after a Redis restart). */
  admitted: boolean;
  expiresAtMs: number;
}

export type AdmissionVerdict = 'ok' | (typeof QUEUE_REFUSAL_REASONS)[number];

const MAX_TOKEN_LENGTH = 512;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{8,400}\.[A-Za-z0-9_-]{43}$/;

export class QueueTokens {
  private readonly key: Buffer;

  constructor(
    secret: string | Buffer,
    /** Lifetime of an admission token, seconds. */
    readonly admissionTtlSeconds: number,
  ) {
    this.key = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
    if (this.key.length < 32) throw new Error('the waiting-room token secret must be at least 32 bytes');
  }

  private mac(type: 't' | 'a', body: string): string {
    return createHmac('sha256', this.key).update(`${type}.${body}`).digest('base64url');
  }

  private sign(type: 't' | 'a', payload: object): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(type, body)}`;
  }

  /** The payload if the MAC is right (constant-time compare), else undefined. */
  private open(type: 't' | 'a', token: string): Record<string, unknown> | undefined {
    if (token.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) return undefined;
    const dot = token.indexOf('.');
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(type, body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Deterministic: the same place gives the same ticket, so every tab of a student holds the same string. */
  signTicket(c: TicketClaims): string {
    return this.sign('t', { s: c.studentId, a: c.arrival, ...(c.admitted ? { x: 1 } : {}), e: c.expiresAtMs });
  }

  /** The claims of a genuine ticket (expired or not), or undefined for anything forged or malformed. */
  readTicket(ticket: string): TicketClaims | undefined {
    const p = this.open('t', ticket);
    if (!p) return undefined;
    const { s, a, e, x } = p;
    if (!Number.isSafeInteger(s) || !Number.isSafeInteger(e)) return undefined;
    if (a !== null && !(typeof a === 'number' && Number.isSafeInteger(a) && a >= 0)) return undefined;
    return { studentId: s as number, arrival: a as number | null, admitted: x === 1, expiresAtMs: e as number };
  }

  signAdmission(studentId: number, nowMs: number): { token: string; expiresAt: Date } {
    const e = nowMs + this.admissionTtlSeconds * 1000;
    return { token: this.sign('a', { s: studentId, e }), expiresAt: new Date(e) };
  }

  verifyAdmission(token: string | undefined, studentId: number, nowMs: number): AdmissionVerdict {
    if (!token) return 'missing';
    const p = this.open('a', token);
    if (!p || !Number.isSafeInteger(p.s) || !Number.isSafeInteger(p.e)) return 'invalid';
    if ((p.e as number) <= nowMs) return 'expired';
    if (p.s !== studentId) return 'other-student';
    return 'ok';
  }
}

export function devQueueSecretPath(dataDir: string): string {
  return path.resolve(dataDir, 'keys', 'queue-token.secret');
}

/**
 * The signing secret: inline (QUEUE_TOKEN_SECRET), a file (QUEUE_TOKEN_SECRET_FILE), or outside
 * production a random one generated once under <DATA_DIR>/keys (shared by the local replicas,
 * like the JWT dev key). Production without a secret is a startup error; nothing is in the repo.
 */
export function resolveQueueSecret(o: { inline?: string | undefined; file?: string | undefined; dataDir: string; allowDevSecret: boolean }): string {
  if (o.inline) return o.inline;
  if (o.file) return readFileSync(o.file, 'utf8').trim();
  if (!o.allowDevSecret) throw new ConfigError(['No waiting-room token secret configured (set QUEUE_TOKEN_SECRET or QUEUE_TOKEN_SECRET_FILE)']);
  const file = devQueueSecretPath(o.dataDir);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      // 'wx': two replicas starting together must end up with one secret, not two.
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  // Another replica may have created the file a moment ago and not written it yet.
  for (let attempt = 0; ; attempt++) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32 || attempt >= 20) return secret;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
  }
}
