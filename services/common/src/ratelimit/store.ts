import { createHash } from 'node:crypto';

/**
 * Counting for rate limits: a fixed window per key that starts with the key's first hit.
 *
 * Why a fixed window: one atomic INCR (+PEXPIRE on the first hit) per request, Redis keeps the
 * expiry, no clocks to agree on between replicas, and Retry-After is simply the window's PTTL.
 * The known cost: a client can spend `limit` at the end of one window and `limit` again at the
 * start of the next, so the worst burst is 2 x limit within windowMs. For login and enrollment
 * abuse limits that is acceptable; pick `limit` with it in mind.
 */

export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the current window ends and the count starts again from zero. */
  resetMs: number;
}

export interface RateLimitStore {
  /** Counts one hit for `key` in its current window of `windowMs` (starting a window if none). Atomic. */
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
}

/** In-process store: the embedded default (one process, or limits per process). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly now: () => number;
  private readonly maxKeys: number;
  private hitsSinceSweep = 0;

  constructor(opts: { clock?: () => number; maxKeys?: number } = {}) {
    this.now = opts.clock ?? Date.now;
    this.maxKeys = opts.maxKeys ?? 100_000;
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = this.now();
    if (++this.hitsSinceSweep >= 1_000 || this.windows.size >= this.maxKeys) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetMs: w.resetAt - now };
  }

  /** Number of live windows (tests). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number) {
    this.hitsSinceSweep = 0;
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    // Still full of live windows (an address scan): drop the oldest rather than grow without bound.
    while (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }
}

/**
 * The part of an ioredis client the Redis store uses (structural, so @goorm/common needs no
 * runtime dependency on ioredis; pass `new Redis(url)`).
 */
export interface RedisScriptClient {
  evalsha(sha: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/**
 * INCR, start the window's expiry on the first hit (or if the key somehow has none), and answer
 * the count and the milliseconds left. One script = one atomic step = one round trip.
 */
export const FIXED_WINDOW_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;

/** Runs a Lua script by its SHA1, loading it once with EVAL when the server does not know it (NOSCRIPT, e.g. after a restart). */
export class RedisScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = sha1(source);
  }
  async run(client: RedisScriptClient, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error)?.message ?? '').includes('NOSCRIPT')) throw err;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

/** Redis store (shared by every replica): one atomic Lua script per hit. */
export class RedisRateLimitStore implements RateLimitStore {
  private static readonly script = new RedisScript(FIXED_WINDOW_SCRIPT);
  private readonly client: RedisScriptClient;
  private readonly prefix: string;

  constructor(opts: { client: RedisScriptClient; prefix?: string }) {
    this.client = opts.client;
    this.prefix = opts.prefix ?? 'goorm:rl:';
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const reply = (await RedisRateLimitStore.script.run(this.client, [this.prefix + key], [Math.max(1, Math.round(windowMs))])) as [
      number | string,
      number | string,
    ];
    return { count: Number(reply[0]), resetMs: Math.max(0, Number(reply[1])) };
  }
}
