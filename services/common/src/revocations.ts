import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { toIso } from './db.ts';
import type { AccountCheck } from './tokens.ts';

/**
 * The accounts whose older tokens no longer work (deleted, or the password changed), as auth
 * writes them to `account_revocation`: loaded at start for the last `horizonMs` (the longest a
 * token lives), then polled every `pollMs` for new rows — one indexed query per poll per process,
 * whatever the traffic, and a map lookup per request. A revocation takes effect on every replica
 * within `pollMs` (docs/decisions/0014). A failed poll keeps the list it has (logged) and tries
 * again at the next.
 */
export interface RevocationList {
  /** A token issued at `issuedAtMs` still works for this account. */
  check: AccountCheck;
  /** Reads the rows added since the last read (the first: those within the horizon). */
  refresh(): Promise<void>;
  stop(): void;
  readonly size: number;
}

/** How far back a revocation matters: longer than any access token lives (ACCESS_TOKEN_TTL_SECONDS ≤ 24 h) plus clock tolerance. */
export const REVOCATION_HORIZON_MS = 26 * 3_600_000;

export function createRevocationList(
  db: Knex,
  opts: { pollMs?: number; horizonMs?: number; logger?: Logger; now?: () => number } = {},
): RevocationList {
  const pollMs = opts.pollMs ?? 5_000;
  const horizonMs = opts.horizonMs ?? REVOCATION_HORIZON_MS;
  const now = opts.now ?? Date.now;
  /** role:id → when its tokens were last revoked (ms). */
  const revokedAt = new Map<string, number>();
  let lastId = 0;
  let loaded = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const read = async () => {
    const q = db('account_revocation').orderBy('id').select<Array<{ id: number; role: string; account_id: number; revoked_at: unknown }>>('id', 'role', 'account_id', 'revoked_at');
    const rows = loaded ? await q.where('id', '>', lastId) : await q.where('revoked_at', '>', new Date(now() - horizonMs));
    for (const r of rows) {
      const key = `${r.role}:${Number(r.account_id)}`;
      const at = Date.parse(toIso(r.revoked_at));
      revokedAt.set(key, Math.max(at, revokedAt.get(key) ?? 0));
      lastId = Math.max(lastId, Number(r.id));
    }
    if (!loaded && rows.length === 0) {
      // Nothing within the horizon: start after the newest row there is.
      const [max] = await db('account_revocation').max<Array<{ id: number | null }>>({ id: 'id' });
      lastId = Number(max?.id ?? 0);
    }
    loaded = true;
  };

  const list: RevocationList = {
    check: (user, issuedAtMs) => {
      const at = revokedAt.get(`${user.role}:${user.id}`);
      // Issued at or before the revocation: refused (to the ms; a token without iatMs to its whole second).
      return at === undefined || issuedAtMs > at;
    },
    refresh() {
      running ??= read().finally(() => {
        running = undefined;
      });
      return running;
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    get size() {
      return revokedAt.size;
    },
  };
  if (pollMs > 0) {
    timer = setInterval(() => {
      list.refresh().catch((err: unknown) => opts.logger?.warn({ err }, 'account revocations: poll failed; keeping the list as it was'));
    }, pollMs);
    timer.unref();
  }
  return list;
}
