import { ConfigError, loadConfig } from '@goorm/common';
import { testMetrics } from '@goorm/common/testing';
import { describe, expect, it, vi } from 'vitest';
import { lecturesConfigShape } from '../src/config.ts';
import { clearingAfterWrites, createSearchCache, searchCacheKey } from '../src/sections/search-cache.ts';
import { sectionQuery } from '@goorm/contracts';
import { AnswerCache, type CacheResult } from '../src/support/answer-cache.ts';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function makeCache(opts: { ttlMs?: number; maxEntries?: number; refreshAfterMs?: () => number } = {}) {
  let t = 0;
  const results: CacheResult[] = [];
  const refreshErrors: unknown[] = [];
  const cache = new AnswerCache<string>({
    ttlMs: opts.ttlMs ?? 1000,
    maxEntries: opts.maxEntries ?? 100,
    now: () => t,
    onLookup: (r) => results.push(r),
    ...(opts.refreshAfterMs ? { refreshAfterMs: opts.refreshAfterMs, onRefreshError: (err: unknown) => refreshErrors.push(err) } : {}),
  });
  return {
    cache,
    results,
    refreshErrors,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('AnswerCache', () => {
  it('loads on a miss and answers the stored value on the next lookup without loading', async () => {
    const { cache, results } = makeCache();
    const load = vi.fn(async () => 'A');
    expect(await cache.get('k', load)).toBe('A');
    expect(await cache.get('k', load)).toBe('A');
    expect(load).toHaveBeenCalledTimes(1);
    expect(results).toEqual(['miss', 'hit']);
  });

  it('serves an answer until TTL after its load began, then loads again', async () => {
    const { cache, results, advance } = makeCache({ ttlMs: 1000 });
    let n = 0;
    const gate = deferred<void>();
    const load = async () => {
      await gate.promise;
      return `v${++n}`;
    };
    const first = cache.get('k', load);
    advance(400); // the load takes 400 ms
    gate.resolve();
    expect(await first).toBe('v1');
    advance(599); // 999 ms after the load began
    expect(await cache.get('k', load)).toBe('v1');
    advance(1); // 1000 ms
    expect(await cache.get('k', load)).toBe('v2');
    expect(results).toEqual(['miss', 'hit', 'miss']);
  });

  it('does not serve an answer whose load took longer than the TTL', async () => {
    const { cache, advance } = makeCache({ ttlMs: 100 });
    const load = vi.fn(async () => {
      advance(150);
      await cache.get('live', async () => 'live'); // stored meanwhile, still fresh
      return 'slow';
    });
    expect(await cache.get('k', load)).toBe('slow');
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('single flight: 20 concurrent misses on one key share one load', async () => {
    const { cache, results } = makeCache();
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);
    const answers = Array.from({ length: 20 }, () => cache.get('k', load));
    gate.resolve('shared');
    expect(await Promise.all(answers)).toEqual(Array(20).fill('shared'));
    expect(load).toHaveBeenCalledTimes(1);
    expect(results.filter((r) => r === 'miss')).toHaveLength(1);
    expect(results.filter((r) => r === 'coalesced')).toHaveLength(19);
  });

  it('different keys load separately', async () => {
    const { cache } = makeCache();
    const load = vi.fn(async () => 'x');
    await Promise.all([cache.get('a', load), cache.get('b', load)]);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('a failed load reaches every waiter, is not stored, and the next lookup loads again', async () => {
    const { cache, results } = makeCache();
    const gate = deferred<string>();
    const boom = new Error('database went away');
    const waiters = Array.from({ length: 3 }, () => cache.get('k', () => gate.promise));
    gate.reject(boom);
    for (const w of waiters) await expect(w).rejects.toBe(boom);
    expect(cache.size).toBe(0);
    const load = vi.fn(async () => 'recovered');
    expect(await cache.get('k', load)).toBe('recovered');
    expect(load).toHaveBeenCalledTimes(1);
    expect(results).toEqual(['miss', 'coalesced', 'coalesced', 'miss']);
  });

  it('a load that throws synchronously rejects and leaves nothing behind', async () => {
    const { cache } = makeCache();
    await expect(
      cache.get('k', () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
  });

  it('clear() drops stored answers and loads under way: their answers are not stored and later lookups load anew', async () => {
    const { cache, results } = makeCache();
    await cache.get('stored', async () => 'old');
    const gate = deferred<string>();
    const before = cache.get('k', () => gate.promise);
    cache.clear();
    expect(cache.size).toBe(0);
    // A lookup after the clear does not join the load that began before it.
    const after = cache.get('k', async () => 'fresh');
    expect(await after).toBe('fresh');
    // The older load ends last: its waiters get its answer, but it does not replace the newer one.
    gate.resolve('stale');
    expect(await before).toBe('stale');
    expect(await cache.get('k', async () => 'never')).toBe('fresh');
    expect(await cache.get('stored', async () => 'reloaded')).toBe('reloaded');
    expect(results).toEqual(['miss', 'miss', 'miss', 'hit', 'miss']);
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const { cache } = makeCache({ maxEntries: 2 });
    await cache.get('a', async () => 'A');
    await cache.get('b', async () => 'B');
    await cache.get('a', async () => 'never'); // a is now the most recently used
    await cache.get('c', async () => 'C');
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'reloaded')).toBe('A');
    expect(await cache.get('c', async () => 'reloaded')).toBe('C');
    expect(await cache.get('b', async () => 'B2')).toBe('B2');
  });

  it('prunes expired entries as new answers come in', async () => {
    const { cache, advance } = makeCache({ ttlMs: 100, maxEntries: 1000 });
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => k);
    advance(150);
    await cache.get('d', async () => 'd');
    expect(cache.size).toBe(1);
  });

  it('with ttlMs 0 it is off: every lookup loads, concurrent ones too, and nothing is counted', async () => {
    const { cache, results } = makeCache({ ttlMs: 0 });
    const load = vi.fn(async () => 'x');
    await Promise.all([cache.get('k', load), cache.get('k', load)]);
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(3);
    expect(cache.size).toBe(0);
    expect(results).toEqual([]);
  });

  describe('refresh ahead (refreshAfterMs)', () => {
    /** Loads v1, v2, …; while `hold` is set, each load waits for its gate (in `gates`). */
    const versions = () => {
      let n = 0;
      const ctl = { hold: false, gates: [] as ReturnType<typeof deferred<void>>[] };
      const load = vi.fn(async () => {
        if (ctl.hold) {
          const gate = deferred<void>();
          ctl.gates.push(gate);
          await gate.promise;
        }
        return `v${++n}`;
      });
      return { load, ctl };
    };

    it('before that age: a plain hit, nothing loads', async () => {
      const { cache, advance } = makeCache({ ttlMs: 1000, refreshAfterMs: () => 750 });
      const { load } = versions();
      expect(await cache.get('k', load)).toBe('v1');
      advance(749);
      expect(await cache.get('k', load)).toBe('v1');
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('past it: still answers at once with the stored value, and one background load (single flight) replaces it', async () => {
      const { cache, results, advance } = makeCache({ ttlMs: 1000, refreshAfterMs: () => 750 });
      const { load, ctl } = versions();
      expect(await cache.get('k', load)).toBe('v1');
      advance(800);
      ctl.hold = true;
      // The background load is held open: lookups meanwhile answer v1 at once and do not load again.
      expect(await cache.get('k', load)).toBe('v1');
      expect(await cache.get('k', load)).toBe('v1');
      await vi.waitFor(() => expect(ctl.gates).toHaveLength(1));
      expect(load).toHaveBeenCalledTimes(2);
      ctl.gates[0]!.resolve();
      await vi.waitFor(() => expect(cache.get('k', load)).resolves.toBe('v2'));
      expect(load).toHaveBeenCalledTimes(2);
      expect(results).toEqual(['miss', 'hit', 'hit', ...results.slice(3).map(() => 'hit')]);
      // The refreshed value is fresh from when its load began: the next refresh is 750 ms after that.
      advance(749);
      expect(await cache.get('k', load)).toBe('v2');
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('past the TTL: a lookup waits for the load, as without refresh ahead', async () => {
      const { cache, advance } = makeCache({ ttlMs: 1000, refreshAfterMs: () => 750 });
      const { load, ctl } = versions();
      expect(await cache.get('k', load)).toBe('v1');
      advance(1000);
      ctl.hold = true;
      let settled = false;
      const pending = cache.get('k', load).then((v) => {
        settled = true;
        return v;
      });
      await vi.waitFor(() => expect(ctl.gates).toHaveLength(1));
      await new Promise((r) => setTimeout(r, 5));
      expect(settled).toBe(false);
      ctl.gates[0]!.resolve();
      expect(await pending).toBe('v2');
    });

    it('a failed background load is reported, keeps the stored value until its TTL, and the next lookup tries again', async () => {
      const { cache, advance, refreshErrors } = makeCache({ ttlMs: 1000, refreshAfterMs: () => 750 });
      await cache.get('k', async () => 'v1');
      advance(800);
      const boom = new Error('database went away');
      const failing = vi.fn(async () => {
        throw boom;
      });
      expect(await cache.get('k', failing)).toBe('v1');
      await vi.waitFor(() => expect(refreshErrors).toEqual([boom]));
      const ok = vi.fn(async () => 'v2');
      expect(await cache.get('k', ok)).toBe('v1'); // starts the retry
      await vi.waitFor(() => expect(cache.get('k', ok)).resolves.toBe('v2'));
      expect(ok).toHaveBeenCalledTimes(1);
    });

    it('clear() during a background load: its value is not stored', async () => {
      const { cache, advance } = makeCache({ ttlMs: 1000, refreshAfterMs: () => 750 });
      await cache.get('k', async () => 'v1');
      advance(800);
      const gate = deferred<string>();
      expect(await cache.get('k', () => gate.promise)).toBe('v1');
      cache.clear();
      gate.resolve('old');
      await gate.promise;
      await new Promise((r) => setTimeout(r, 0));
      expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
    });

    it('asks for the age once per load (so callers can spread refreshes)', async () => {
      const refreshAfterMs = vi.fn(() => 500);
      const { cache, advance } = makeCache({ ttlMs: 1000, refreshAfterMs });
      await cache.get('a', async () => 'A');
      await cache.get('b', async () => 'B');
      for (let i = 0; i < 5; i++) await cache.get('a', async () => 'never');
      expect(refreshAfterMs).toHaveBeenCalledTimes(2);
      advance(500);
      await cache.get('a', async () => 'A2');
      await vi.waitFor(() => expect(refreshAfterMs).toHaveBeenCalledTimes(3));
    });
  });

  it('refuses a negative TTL or fewer than one entry', () => {
    expect(() => new AnswerCache({ ttlMs: -1, maxEntries: 1 })).toThrow(RangeError);
    expect(() => new AnswerCache({ ttlMs: 1, maxEntries: 0 })).toThrow(RangeError);
  });
});

describe('searchCacheKey', () => {
  const key = (query: Record<string, string>) => searchCacheKey(sectionQuery.parse(query));

  it('is the same for the same validated query whatever the parameter order, spelling of defaults or day case', () => {
    expect(key({ page: '1', q: '자료' })).toBe(key({ q: '자료', page: '1' }));
    expect(key({ q: '자료' })).toBe(key({ size: '20', sort: 'code', q: '자료', page: '1' }));
    expect(key({ day: 'mon', q: 'x' })).toBe(key({ q: 'x', day: 'MON' }));
    expect(key({ q: '  자료 ' })).toBe(key({ q: '자료' }));
  });

  it('does not depend on the order in which the object was built', () => {
    const a = { q: 'x', page: 1, size: 20, sort: 'code', day: 'MON' } as const;
    const b = { day: 'MON', sort: 'code', size: 20, page: 1, q: 'x' } as const;
    expect(searchCacheKey(a)).toBe(searchCacheKey(b));
    expect(searchCacheKey({ ...a, grade: undefined })).toBe(searchCacheKey(a));
  });

  it('differs when the page, the size, a filter or the sort differs', () => {
    const base = key({ q: '자료' });
    const others: Record<string, string>[] = [{ page: '2' }, { size: '10' }, { grade: '1' }, { sort: 'title' }, { order: 'desc' }, { termId: '3' }];
    for (const other of others) {
      expect(key({ q: '자료', ...other })).not.toBe(base);
    }
    expect(key({ q: '자료' })).not.toBe(key({ professor: '자료' }));
  });
});

describe('createSearchCache', () => {
  it('answers the JSON text of the loaded answer and counts hits and misses on the registry', async () => {
    const metrics = testMetrics('lectures');
    const cache = createSearchCache({ ttlMs: 1000, maxEntries: 10, now: () => 0 }, metrics);
    const q = sectionQuery.parse({ q: 'x' });
    const answer = { items: [{ id: 1, title: '자료구조' }], total: 1, page: 1, size: 20 };
    expect(await cache.body(q, async () => answer)).toBe(JSON.stringify(answer));
    expect(await cache.body(q, async () => ({ other: true }))).toBe(JSON.stringify(answer));
    const text = await metrics.registry.getSingleMetricAsString('lectures_search_cache_total');
    expect(text).toMatch(/lectures_search_cache_total\{result="miss"[^}]*\} 1/);
    expect(text).toMatch(/lectures_search_cache_total\{result="hit"[^}]*\} 1/);
  });

  it('a second cache on the same registry shares the counter instead of failing', () => {
    const metrics = testMetrics('lectures');
    createSearchCache({ ttlMs: 1000, maxEntries: 10 }, metrics);
    expect(() => createSearchCache({ ttlMs: 1000, maxEntries: 10 }, metrics)).not.toThrow();
  });
});

describe('clearingAfterWrites', () => {
  function service() {
    const calls: string[] = [];
    const svc = {
      calls,
      async get(id: number) {
        calls.push(`get ${id}`);
        return id;
      },
      async create(id: number) {
        calls.push(`create ${id}`);
        return this.get(id); // `this` is the service, as in the real services
      },
      async remove(id: number): Promise<void> {
        calls.push(`remove ${id}`);
        throw new Error('refused');
      },
    };
    return svc;
  }

  it('clears after a write settles, before its caller goes on, whether it succeeds or fails', async () => {
    const svc = service();
    const wrapped = clearingAfterWrites(svc, ['get'], () => svc.calls.push('clear'));
    expect(await wrapped.create(5)).toBe(5);
    svc.calls.push('answered');
    await expect(wrapped.remove(6)).rejects.toThrow('refused');
    svc.calls.push('answered');
    expect(svc.calls).toEqual(['create 5', 'get 5', 'clear', 'answered', 'remove 6', 'clear', 'answered']);
  });

  it('leaves the named reads alone', async () => {
    const svc = service();
    const clear = vi.fn();
    const wrapped = clearingAfterWrites(svc, ['get'], clear);
    await wrapped.get(1);
    expect(clear).not.toHaveBeenCalled();
  });
});

describe('config', () => {
  it('defaults to a 1 s TTL and 5,000 entries; the term catalog to 30 s, counts to 1 s, 2,000 match lists', () => {
    const c = loadConfig(lecturesConfigShape, {});
    expect(c.SEARCH_CACHE_TTL_MS).toBe(1000);
    expect(c.SEARCH_CACHE_MAX_ENTRIES).toBe(5000);
    expect(c.SEARCH_CATALOG_TTL_MS).toBe(30_000);
    expect(c.SEARCH_COUNTS_TTL_MS).toBe(1000);
    expect(c.SEARCH_MATCH_MAX_ENTRIES).toBe(2000);
    expect(c.PORT).toBe(4002);
  });

  it('reads the term catalog keys; 0 turns the catalog off', () => {
    const c = loadConfig(lecturesConfigShape, { SEARCH_CATALOG_TTL_MS: '0', SEARCH_COUNTS_TTL_MS: '250', SEARCH_MATCH_MAX_ENTRIES: '7' });
    expect([c.SEARCH_CATALOG_TTL_MS, c.SEARCH_COUNTS_TTL_MS, c.SEARCH_MATCH_MAX_ENTRIES]).toEqual([0, 250, 7]);
  });

  it('reads the keys from the environment; 0 turns the cache off', () => {
    const c = loadConfig(lecturesConfigShape, { SEARCH_CACHE_TTL_MS: '0', SEARCH_CACHE_MAX_ENTRIES: '10' });
    expect(c.SEARCH_CACHE_TTL_MS).toBe(0);
    expect(c.SEARCH_CACHE_MAX_ENTRIES).toBe(10);
  });

  it.each([
    ['SEARCH_CACHE_TTL_MS', '-1'],
    ['SEARCH_CACHE_TTL_MS', 'soon'],
    ['SEARCH_CACHE_MAX_ENTRIES', '0'],
    ['SEARCH_CATALOG_TTL_MS', '-1'],
    ['SEARCH_COUNTS_TTL_MS', '60001'],
    ['SEARCH_MATCH_MAX_ENTRIES', '0'],
  ])('refuses %s=%s', (k, v) => {
    expect(() => loadConfig(lecturesConfigShape, { [k]: v })).toThrow(ConfigError);
  });
});
