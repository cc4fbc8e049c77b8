import { Counter, type Knex, type Logger, type Metrics } from '@goorm/common';
import { z } from 'zod';
import { AnswerCache, type CacheResult } from '../support/answer-cache.ts';
import { searchCacheKey } from './search-cache.ts';
import * as repo from './sections.repository.ts';
import type { SectionQuery } from '@goorm/contracts';

export const SEARCH_CATALOG_DEFAULTS = { catalogTtlMs: 30_000, countsTtlMs: 1_000, maxMatchLists: 2_000 } as const;

/** The service's keys for the in-memory term catalog (see the README, "How a search is answered"). */
export const searchCatalogConfigShape = {
  /** How old the current term's catalog and match lists may be; 0: every search is SQL, as before. */
  SEARCH_CATALOG_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(SEARCH_CATALOG_DEFAULTS.catalogTtlMs),
  /** How old the seat and cart counts a search shows may be; 0: read them for every search. */
  SEARCH_COUNTS_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(SEARCH_CATALOG_DEFAULTS.countsTtlMs),
  /** At most this many match lists (filter + sort) kept, and as many answers per counts load. */
  SEARCH_MATCH_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(SEARCH_CATALOG_DEFAULTS.maxMatchLists),
};

export interface SearchCatalogOptions {
  catalogTtlMs: number;
  countsTtlMs: number;
  maxMatchLists: number;
  /** Monotonic milliseconds (default `performance.now`). */
  now?: () => number;
  /** In [0, 1): spreads the background refresh of match lists (default `Math.random`). */
  random?: () => number;
}

/** The catalog and the counts are refreshed in the background from this fraction of their TTL. */
export const REFRESH_AHEAD = 0.75;
/** Each match list between this fraction and REFRESH_AHEAD of its TTL, so they do not all reload at once. */
export const MATCH_REFRESH_FROM = 0.5;

type Part = 'catalog' | 'counts' | 'matches';

/** A section of the catalog: its JSON around the three live fields, serialised once per load. */
interface Entry {
  id: number;
  capacity: number;
  /** `{"id":…,"capacity":…,"enrolled":` */
  head: string;
  /** `"room":…}` */
  tail: string;
}

/** One load of the current term's sections. */
interface Snapshot {
  /** Distinguishes loads in the answer memo's keys. */
  version: number;
  termId: number | undefined;
  byId: Map<number, Entry>;
  /** Match lists resolved to this snapshot's entries (ids it does not have are left out). */
  resolved: WeakMap<MatchList, Entry[]>;
}

/** The ordered ids of every section of a term matching a filter, as SQL sorts them. */
interface MatchList {
  version: number;
  ids: number[];
}

/** One load of the term's live counts, with what is derived from them and dies with them. */
interface Counts {
  enrolled: Map<number, number>;
  carts: Map<number, number>;
  /** seatsLeft orders of match lists under these counts. */
  bySeats: Map<string, Entry[]>;
  /** Answers (JSON bytes) built with these counts. */
  answers: Map<string, Buffer>;
}

function counters(m: Metrics) {
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    (m.registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [m.registry] });
  return {
    loads: counter(
      'lectures_search_catalog_loads_total',
      'Loads of the in-memory search catalog (part="catalog"), of its seat and cart counts (part="counts") and of its match lists (part="matches"), by result',
      ['part', 'result'] as const,
    ),
    lookups: counter(
      'lectures_search_catalog_lookups_total',
      'Lookups of the in-memory search catalog, counts and match lists: answered from memory (hit), by a load (miss) or by joining a load under way (coalesced)',
      ['part', 'result'] as const,
    ),
  };
}

function toEntry(s: repo.StaticSection): Entry {
  const json = JSON.stringify(repo.liveSection(s, 0, 0));
  // Ids and capacity are numbers, so this sequence can only be the keys themselves (quotes inside a
  // string value are escaped).
  const live = `,"enrolled":0,"seatsLeft":${Math.max(0, s.capacity)},"cartCount":0,`;
  const at = json.indexOf(live);
  if (at < 0) throw new Error('unexpected section JSON');
  return { id: s.id, capacity: s.capacity, head: `${json.slice(0, at)},"enrolled":`, tail: json.slice(at + live.length) };
}

/** The bytes `JSON.stringify(liveSection(…))` gives, without building the object. */
function sectionJson(e: Entry, counts: Counts): string {
  const enrolled = counts.enrolled.get(e.id) ?? 0;
  return `${e.head}${enrolled},"seatsLeft":${Math.max(0, e.capacity - enrolled)},"cartCount":${counts.carts.get(e.id) ?? 0},${e.tail}`;
}

/** Keeps a memo map from growing past `max` (it lives as long as one counts load). */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): V {
  if (map.size >= max) map.clear();
  map.set(key, value);
  return value;
}

export interface SearchCatalog {
  /**
   * The JSON body of a search of the current term, answered from memory; `undefined` when the
   * search is not one (another term, no current term, the catalog turned off): the caller asks SQL.
   */
  answer(q: SectionQuery): Promise<Buffer | undefined>;
  /** After any catalog write of this process: the next search loads everything anew. */
  clear(): void;
}

/**
 * The current term's sections kept in memory, split by how fast they change (see the README):
 * - the catalog: every section of the term with lecture, professor, meetings, majors and
 *   reservations, serialised once (five queries);
 * - the live counts: `enrolled` and `cartCount` of every section of the term (one query);
 * - per filter and sort, the ordered ids of every matching section (one query: the matching stays
 *   SQL, so collation, LIKE and ordering are the database's). seatsLeft sorts the code order by the
 *   live counts here, with the SQL's tie-breakers.
 * Each is loaded single flight, never served past its TTL, refreshed in the background before it
 * (so steady traffic does not wait), and cleared by this process's writes. A warm search sends no
 * query: slice the match list, add the counts, concatenate the JSON (memoised per counts load).
 */
export function createSearchCatalog(db: Knex, opts: SearchCatalogOptions, deps: { metrics: Metrics; logger?: Logger }): SearchCatalog {
  const { loads, lookups } = counters(deps.metrics);
  const now = opts.now ?? (() => performance.now());
  const random = opts.random ?? Math.random;
  let versions = 0;
  const cache = <V>(part: Part, ttlMs: number, maxEntries: number, refreshAfterMs: () => number) =>
    new AnswerCache<V>({
      ttlMs,
      maxEntries,
      now,
      refreshAfterMs,
      onLookup: (result: CacheResult) => lookups.inc({ part, result }),
      onRefreshError: (err) => deps.logger?.warn({ err, part }, 'search catalog: background refresh failed; serving the previous load until its TTL'),
    });
  const counted =
    <T>(part: Part, load: () => Promise<T>) =>
    async (): Promise<T> => {
      try {
        const value = await load();
        loads.inc({ part, result: 'ok' });
        return value;
      } catch (err) {
        loads.inc({ part, result: 'error' });
        throw err;
      }
    };

  const catalog = cache<Snapshot>('catalog', opts.catalogTtlMs, 1, () => opts.catalogTtlMs * REFRESH_AHEAD);
  const counts = cache<Counts>('counts', opts.countsTtlMs, 1, () => opts.countsTtlMs * REFRESH_AHEAD);
  const matches = cache<MatchList>('matches', opts.catalogTtlMs, opts.maxMatchLists, () => {
    const from = MATCH_REFRESH_FROM + (REFRESH_AHEAD - MATCH_REFRESH_FROM) * random();
    return opts.catalogTtlMs * from;
  });

  const loadSnapshot = counted('catalog', async (): Promise<Snapshot> => {
    const { termId, sections } = await repo.loadTermCatalog(db);
    return { version: ++versions, termId, byId: new Map(sections.map((s) => [s.id, toEntry(s)])), resolved: new WeakMap() };
  });

  const loadCounts = (termId: number) =>
    counted('counts', async (): Promise<Counts> => {
      const enrolled = new Map<number, number>();
      const carts = new Map<number, number>();
      for (const row of await repo.loadTermCounts(db, termId)) {
        if (row.enrolled !== 0) enrolled.set(row.id, row.enrolled);
        if (row.carts !== 0) carts.set(row.id, row.carts);
      }
      return { enrolled, carts, bySeats: new Map(), answers: new Map() };
    });

  const loadMatches = (f: repo.SectionFilter, o: repo.SectionOrder) =>
    counted('matches', async (): Promise<MatchList> => ({ version: ++versions, ids: await repo.matchingSectionIds(db, f, o) }));

  /** The list's sections in this snapshot: a section created since it was loaded waits for the next load. */
  function resolve(snap: Snapshot, list: MatchList): Entry[] {
    let entries = snap.resolved.get(list);
    if (!entries) {
      entries = list.ids.flatMap((id) => snap.byId.get(id) ?? []);
      snap.resolved.set(list, entries);
    }
    return entries;
  }

  /** Seats left as the SQL sorts them (capacity - enrolled, not clamped); the code order breaks ties. */
  function bySeatsLeft(inCodeOrder: Entry[], c: Counts, dir: 'asc' | 'desc'): Entry[] {
    const sign = dir === 'asc' ? 1 : -1;
    const keyed = inCodeOrder.map((e) => ({ e, left: e.capacity - (c.enrolled.get(e.id) ?? 0) }));
    // Array.prototype.sort is stable: equal seats keep the code order (code, section number, id).
    return keyed.sort((a, b) => sign * (a.left - b.left)).map((k) => k.e);
  }

  return {
    async answer(q) {
      if (opts.catalogTtlMs === 0) return undefined;
      const snap = await catalog.get('catalog', loadSnapshot);
      const termId = snap.termId;
      if (termId === undefined || (q.termId !== undefined && q.termId !== termId)) return undefined;
      const { page, size, sort, order: _order, termId: _termId, ...filters } = q;
      const dir = repo.sortDirection(q);
      // seatsLeft moves with the counts: its match list is the code order, sorted here.
      const bySeats = sort === 'seatsLeft';
      const matchOrder: repo.SectionOrder = bySeats ? { sort: 'code', order: 'asc' } : { sort, order: dir };
      const [list, live] = await Promise.all([
        matches.get(`${termId}:${searchCacheKey({ ...filters, ...matchOrder })}`, loadMatches({ ...filters, termId }, matchOrder)),
        counts.get(String(termId), loadCounts(termId)),
      ]);
      const memoKey = `${snap.version}|${list.version}|${sort}|${dir}|${page}|${size}`;
      const memo = live.answers.get(memoKey);
      if (memo) return memo;

      let ordered = resolve(snap, list);
      if (bySeats) {
        const sortKey = `${snap.version}|${list.version}|${dir}`;
        ordered = live.bySeats.get(sortKey) ?? remember(live.bySeats, sortKey, bySeatsLeft(ordered, live, dir), opts.maxMatchLists);
      }
      const items: string[] = [];
      for (let i = (page - 1) * size; i < Math.min(page * size, ordered.length); i++) items.push(sectionJson(ordered[i]!, live));
      // What JSON.stringify({items, total, page, size}) gives on the SQL path.
      const body = `{"items":[${items.join(',')}],"total":${ordered.length},"page":${page},"size":${size}}`;
      return remember(live.answers, memoKey, Buffer.from(body), opts.maxMatchLists);
    },
    clear() {
      catalog.clear();
      counts.clear();
      matches.clear();
    },
  };
}
