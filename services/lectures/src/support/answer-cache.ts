/** How a lookup was answered: from a fresh entry, by a new load, or by joining a load under way. */
export type CacheResult = 'hit' | 'miss' | 'coalesced';

export interface AnswerCacheOptions {
  /** How long an answer is served, counted from when its load began. 0: no cache at all. */
  ttlMs: number;
  /** Least recently used entries beyond this are dropped. */
  maxEntries: number;
  /**
   * Refresh ahead: an entry whose load began more than this many ms ago is still served (until its
   * TTL) and reloaded in the background, single flight, so steady traffic never waits for a reload.
   * Called once per load (it may jitter). Default: no refresh ahead (a lookup after the TTL loads).
   */
  refreshAfterMs?: () => number;
  /** A background refresh failed: the entry is still served until its TTL, the next lookup retries. */
  onRefreshError?: (err: unknown) => void;
  /** Milliseconds on a monotonic clock (default `performance.now`); tests pass a fake one. */
  now?: () => number;
  onLookup?: (result: CacheResult) => void;
}

/**
 * A small LRU cache of answers with a TTL and single flight: concurrent misses on one key share one
 * load; a failed load is not kept (every waiter gets the error, the next lookup loads again).
 * `clear()` drops every entry and every load under way (their answers are not stored), so a lookup
 * after it always loads anew. Expired entries at the least recently used end are pruned as new
 * ones come in. With `refreshAfterMs`, a lookup of an entry past that age also starts its reload
 * in the background.
 */
export class AnswerCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number; refreshAt: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly opts: AnswerCacheOptions) {
    if (!(opts.ttlMs >= 0) || !(opts.maxEntries >= 1)) throw new RangeError('ttlMs must be >= 0 and maxEntries >= 1');
    this.now = opts.now ?? (() => performance.now());
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.opts.ttlMs === 0) return Promise.resolve().then(load);
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      const now = this.now();
      if (now < entry.expiresAt) {
        this.entries.set(key, entry); // most recently used last
        this.opts.onLookup?.('hit');
        if (now >= entry.refreshAt && !this.loading.has(key)) {
          this.start(key, load).catch((err: unknown) => this.opts.onRefreshError?.(err));
        }
        return Promise.resolve(entry.value);
      }
    }
    const pending = this.loading.get(key);
    if (pending) {
      this.opts.onLookup?.('coalesced');
      return pending;
    }
    this.opts.onLookup?.('miss');
    return this.start(key, load);
  }

  /** Loads the key, single flight, and stores the answer unless `clear()` ran meanwhile. */
  private start(key: string, load: () => Promise<V>): Promise<V> {
    const generation = this.generation;
    const startedAt = this.now();
    const done = () => {
      if (this.loading.get(key) === flight) this.loading.delete(key);
    };
    const flight: Promise<V> = Promise.resolve()
      .then(load)
      .then(
        (value) => {
          done();
          if (generation === this.generation) {
            const refreshAt = startedAt + (this.opts.refreshAfterMs?.() ?? Infinity);
            this.store(key, { value, expiresAt: startedAt + this.opts.ttlMs, refreshAt });
          }
          return value;
        },
        (err: unknown) => {
          done();
          throw err;
        },
      );
    this.loading.set(key, flight);
    return flight;
  }

  /** Forgets every answer and every load under way. */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.loading.clear();
  }

  private store(key: string, entry: { value: V; expiresAt: number; refreshAt: number }): void {
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, entry);
    // Least recently used first: drop the overflow, and expired entries up to the first live one.
    for (const [k, e] of this.entries) {
      if (this.entries.size > this.opts.maxEntries || e.expiresAt <= now) this.entries.delete(k);
      else break;
    }
  }
}
