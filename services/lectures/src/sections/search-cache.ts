import { Counter, type Metrics } from '@goorm/common';
import { z } from 'zod';
import { AnswerCache, type CacheResult } from '../support/answer-cache.ts';
import type { SectionQuery } from '@goorm/contracts';

export const SEARCH_CACHE_DEFAULTS = { ttlMs: 1_000, maxEntries: 5_000 } as const;

/** The service's keys for the search cache (see the README, "Search cache"). */
export const searchCacheConfigShape = {
  /** How long a search answer is served from memory; 0 turns the cache off. */
  SEARCH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(SEARCH_CACHE_DEFAULTS.ttlMs),
  SEARCH_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(SEARCH_CACHE_DEFAULTS.maxEntries),
};

export interface SearchCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Monotonic milliseconds (default `performance.now`). */
  now?: () => number;
}

/**
 * The key of a search: the validated query (zod output: defaults applied, `day` upper-cased,
 * empty parameters already dropped) as JSON with sorted keys, so parameter order does not matter.
 * (The term catalog keys its match lists the same way, on the filters and the sort.)
 */
export function searchCacheKey(q: object): string {
  const entries = Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

function lookupCounter(m: Metrics): Counter<'result'> {
  const name = 'lectures_search_cache_total';
  return (
    (m.registry.getSingleMetric(name) as Counter<'result'> | undefined) ??
    new Counter({ name, help: 'Section searches answered from the cache (hit), by a query (miss) or by joining a query under way (coalesced)', labelNames: ['result'] as const, registers: [m.registry] })
  );
}

export interface SearchCache {
  /** The JSON body of the search's answer: cached, or `load`ed and serialised once for every caller. */
  body(q: SectionQuery, load: () => Promise<unknown>): Promise<string>;
  /** After any catalog write of this process. */
  clear(): void;
}

/**
 * Search answers are the same for every caller (nothing in them depends on who asks), so one
 * serialised body per query serves everybody for `ttlMs`.
 */
export function createSearchCache(opts: SearchCacheOptions, metrics: Metrics): SearchCache {
  const counter = lookupCounter(metrics);
  const cache = new AnswerCache<string>({
    ttlMs: opts.ttlMs,
    maxEntries: opts.maxEntries,
    ...(opts.now ? { now: opts.now } : {}),
    onLookup: (result: CacheResult) => counter.inc({ result }),
  });
  return {
    body: (q, load) => cache.get(searchCacheKey(q), async () => JSON.stringify(await load())),
    clear: () => cache.clear(),
  };
}

/**
 * The service with every method except the named reads wrapped so the search caches are cleared
 * when it settles, before the route answers: a staff member's next search sees their own write. A
 * method added later counts as a write until it is named here as a read.
 */
export function clearingAfterWrites<T extends object>(service: T, reads: readonly (keyof T & string)[], clear: () => void): T {
  const wrapped: Record<string, unknown> = { ...(service as Record<string, unknown>) };
  for (const [name, fn] of Object.entries(service)) {
    if (typeof fn !== 'function' || (reads as readonly string[]).includes(name)) continue;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>).apply(service, args);
      } finally {
        clear();
      }
    };
  }
  return wrapped as T;
}
