import { createHash } from 'node:crypto';

/**
 * Counting for rate limits: a sliding window per key, kept as two counters: the hits of the current
 * fixed slot (`windowMs` long, aligned to the epoch) and those of the slot before it. The hits in
 * the last `windowMs` are estimated as `current + previous × (the part of the previous slot still
 * inside the window)`, so the previous slot's hits fade out linearly instead of vanishing at a
 * boundary.
 *
 * Why: the fixed window it replaces let a client spend `limit` at the end of one window and `limit`
 * again at the start of the next, 2 × limit within a moment. Here a client who spent `limit` just
 * before a boundary gets back about `limit × elapsed / windowMs` after it, so any short burst is
 * bounded by `limit` plus what the elapsed time earned. The previous share is rounded up, so hits just
 * before a boundary count in full just after it. (Over one whole window the estimate can still
 * be beaten by hits bunched at the very end of the previous slot; an exact log per key would cost
 * `limit` entries per client, 3,000 for the per-address limit, and is not worth it here.)
 * Refused hits count too, so hammering keeps a client limited.
 *
 * Both stores keep two numbers per key and do one atomic step per hit (Redis: one Lua script, one
 * hash key per limiter key, the Redis server's clock).
 */

export interface RateLimitHit {
  /** Hits in the current slot, this one included. */
  current: number;
  /** Hits in the slot before it. */
  previous: number;
  /** Milliseconds since the current slot began (0 ≤ elapsedMs < windowMs). */
  elapsedMs: number;
}

/**
 * The estimated hits in the last `windowMs`, this one included: the previous slot's share rounded up,
 * so hits just before a boundary count in full just after it (never fewer than the fixed window saw).
 */
export function slidingCount(hit: RateLimitHit, windowMs: number): number {
  return hit.current + Math.ceil((hit.previous * (windowMs - hit.elapsedMs)) / windowMs);
}

/**
 * Milliseconds until one more hit would be allowed under `limit`, if nobody hits before then (0 when
 * the next hit would pass now); at most until this slot no longer counts. For Retry-After and RateLimit-Reset.
 */
export function msUntilAllowed(hit: RateLimitHit, windowMs: number, limit: number): number {
  const left = windowMs - hit.elapsedMs;
  if (hit.current < limit) {
    if (hit.previous === 0) return 0;
    // Later in this slot: current + 1 + ceil(previous × (left − Δ) / windowMs) ≤ limit.
    const wait = left - ((limit - hit.current - 1) * windowMs) / hit.previous;
    if (wait <= 0) return 0;
    if (wait < left) return Math.ceil(wait);
  }
  // In the next slot, e into it: 1 + ceil(current × (windowMs − e) / windowMs) ≤ limit.
  const intoNext = Math.max(0, windowMs - ((limit - 1) * windowMs) / hit.current);
  return Math.min(left + windowMs, left + Math.ceil(intoNext));
}

export interface RateLimitStore {
  /** Counts one hit for `key` in its current slot of `windowMs` and answers both slots' counts. Atomic. */
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
}

/** In-process store: the embedded default (one process, or limits per process). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly slots = new Map<string, { slot: number; current: number; previous: number; windowMs: number }>();
  private readonly now: () => number;
  private readonly maxKeys: number;
  private hitsSinceSweep = 0;

  constructor(opts: { clock?: () => number; maxKeys?: number } = {}) {
    this.now = opts.clock ?? Date.now;
    this.maxKeys = opts.maxKeys ?? 100_000;
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = this.now();
    if (++this.hitsSinceSweep >= 1_000 || this.slots.size >= this.maxKeys) this.sweep(now);
    const slot = Math.floor(now / windowMs);
    let s = this.slots.get(key);
    if (!s) {
      s = { slot, current: 0, previous: 0, windowMs };
      this.slots.set(key, s);
    } else if (s.slot !== slot) {
      s.previous = s.slot === slot - 1 ? s.current : 0;
      s.current = 0;
      s.slot = slot;
    }
    s.current++;
    return { current: s.current, previous: s.previous, elapsedMs: now - slot * windowMs };
  }

  /** Number of keys kept (tests). */
  get size(): number {
    return this.slots.size;
  }

  private sweep(now: number) {
    this.hitsSinceSweep = 0;
    // A key whose last hit is two slots old counts nothing any more.
    for (const [k, s] of this.slots) if (Math.floor(now / s.windowMs) - s.slot >= 2) this.slots.delete(k);
    // Still full of live keys (an address scan): drop the oldest rather than grow without bound.
    while (this.slots.size >= this.maxKeys) {
      const oldest = this.slots.keys().next().value;
      if (oldest === undefined) break;
      this.slots.delete(oldest);
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
 * One hash per limiter key, a field per slot: HINCRBY the current slot, read the previous one, drop
 * older fields, expire the hash two windows after its last hit. The slot comes from the Redis server's
 * clock (TIME), so replicas need not agree on time. One script = one atomic step = one round trip.
 */
export const SLIDING_WINDOW_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local w = tonumber(ARGV[1])
local slot = math.floor(now / w)
local current = redis.call('HINCRBY', KEYS[1], slot, 1)
local previous = tonumber(redis.call('HGET', KEYS[1], slot - 1) or '0')
if current == 1 then
  for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
    if tonumber(f) < slot - 1 then redis.call('HDEL', KEYS[1], f) end
  end
end
redis.call('PEXPIRE', KEYS[1], w * 2)
return {current, previous, now - slot * w}
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
  private static readonly script = new RedisScript(SLIDING_WINDOW_SCRIPT);
  private readonly client: RedisScriptClient;
  private readonly prefix: string;

  constructor(opts: { client: RedisScriptClient; prefix?: string }) {
    this.client = opts.client;
    this.prefix = opts.prefix ?? 'goorm:rl:';
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const reply = (await RedisRateLimitStore.script.run(this.client, [this.prefix + key], [Math.max(1, Math.round(windowMs))])) as Array<number | string>;
    return { current: Number(reply[0]), previous: Number(reply[1]), elapsedMs: Number(reply[2]) };
  }
}
