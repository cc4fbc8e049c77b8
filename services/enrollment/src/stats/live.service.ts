import { notFound, type Knex } from '@goorm/common';
import type { LiveSection, LiveStats, LiveStatsQuery, SectionStat } from '@goorm/contracts';
import type { WaitingRoom } from '../queue/queue.room.ts';
import { decisionsSince, fillTimes, liveTotals, rankSections, type FillTime } from './live.repository.ts';
import { findTerm, ratio } from './stats.repository.ts';

/** Median of admissions given per slot as (count, mean wait): the wait below which half the students were admitted. */
export function weightedMedian(slots: { weight: number; value: number }[]): number | null {
  const sorted = slots.filter((s) => s.weight > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((n, s) => n + s.weight, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const s of sorted) {
    seen += s.weight;
    if (seen >= total / 2) return s.value;
  }
  return sorted.at(-1)!.value;
}

/** Where the buckets of the period start: the last `minutes` aligned to the bucket width, ending with the current (partial) one. */
function bucketStarts(nowMs: number, minutes: number, bucketMs: number): number[] {
  const last = Math.floor(nowMs / bucketMs) * bucketMs;
  const count = Math.ceil((minutes * 60_000) / bucketMs);
  return Array.from({ length: count }, (_, i) => last - (count - 1 - i) * bucketMs);
}

/**
 * The dashboard's numbers: at most six queries whatever the number of sections and events (term,
 * totals, decisions, contested, nearly full, fill times); the waiting room is asked without the
 * database (its own store).
 */
export async function computeLiveStats(db: Knex, room: WaitingRoom | undefined, q: LiveStatsQuery, now: Date): Promise<LiveStats> {
  const term = await findTerm(db, q.termId);
  if (!term) throw q.termId === undefined ? notFound('Current term') : notFound('Term', q.termId);
  const bucketMs = q.bucketSeconds * 1000;
  const starts = bucketStarts(now.getTime(), q.minutes, bucketMs);
  const since = new Date(starts[0]!);

  const totals = await liveTotals(db, term.id, q.nearlyFull);
  const decisions = await decisionsSince(db, { termId: term.id, since, bucketMs });
  const contested = await rankSections(db, { termId: term.id, by: q.contestedBy, limit: q.top });
  const nearlyFull = totals.nearlyFull > 0 ? await rankSections(db, { termId: term.id, by: 'fill', limit: q.top, atLeast: q.nearlyFull }) : [];
  const fills = await fillTimes(db, [...new Set([...contested, ...nearlyFull].map((s) => s.sectionId))]);

  // Decisions per bucket; seat changes of the period and after it (to anchor the cumulative line on now).
  const byOutcome: Record<string, number> = {};
  const buckets = new Map<number, Record<string, number>>(starts.map((s) => [s, {}]));
  const change = new Map<number, number>();
  let changeAfter = 0;
  const lastEnd = starts.at(-1)! + bucketMs;
  for (const d of decisions) {
    const delta = d.outcome === 'ENROLLED' ? d.count : d.outcome === 'DROPPED' ? -d.count : 0;
    if (d.bucketMs >= lastEnd) {
      changeAfter += delta;
      continue;
    }
    const b = buckets.get(d.bucketMs);
    if (!b) continue;
    b[d.outcome] = (b[d.outcome] ?? 0) + d.count;
    byOutcome[d.outcome] = (byOutcome[d.outcome] ?? 0) + d.count;
    change.set(d.bucketMs, (change.get(d.bucketMs) ?? 0) + delta);
  }
  let filled = totals.enrolled - changeAfter;
  const seats: LiveStats['seats'] = [];
  for (let i = starts.length - 1; i >= 0; i--) {
    const c = change.get(starts[i]!) ?? 0;
    seats.push({ at: new Date(starts[i]!).toISOString(), filled, change: c });
    filled -= c;
  }
  seats.reverse();

  const withFill = (s: SectionStat): LiveSection => {
    const f: FillTime = fills.get(s.sectionId) ?? { firstEnrollAt: null, filledAt: null };
    const secondsToFill = f.firstEnrollAt && f.filledAt ? (Date.parse(f.filledAt) - Date.parse(f.firstEnrollAt)) / 1000 : null;
    return { ...s, ...f, secondsToFill };
  };

  return {
    term,
    generatedAt: now.toISOString(),
    since: since.toISOString(),
    until: now.toISOString(),
    minutes: q.minutes,
    bucketSeconds: q.bucketSeconds,
    totals: {
      sections: totals.sections,
      capacity: totals.capacity,
      enrolled: totals.enrolled,
      cartItems: totals.cartItems,
      fillRatio: ratio(totals.enrolled, totals.capacity),
    },
    decisions: {
      byOutcome,
      buckets: starts.map((s) => {
        const outcomes = buckets.get(s)!;
        const total = Object.values(outcomes).reduce((n, c) => n + c, 0);
        return { at: new Date(s).toISOString(), total, perSecond: Math.round((total / q.bucketSeconds) * 100) / 100, outcomes };
      }),
    },
    seats,
    contested: { by: q.contestedBy, items: contested.map(withFill) },
    nearlyFull: { threshold: q.nearlyFull, total: totals.nearlyFull, items: nearlyFull.map(withFill) },
    waitingRoom: room ? await waitingRoomNow(room, starts, bucketMs) : null,
  };
}

async function waitingRoomNow(room: WaitingRoom, starts: number[], bucketMs: number): Promise<NonNullable<LiveStats['waitingRoom']>> {
  const [overview, slots] = await Promise.all([room.overview(), room.recentAdmissions(starts[0]!)]);
  const perBucket = new Map<number, number>(starts.map((s) => [s, 0]));
  let admittedInPeriod = 0;
  for (const s of slots) {
    const b = Math.floor(s.atMs / bucketMs) * bucketMs;
    if (!perBucket.has(b)) continue;
    perBucket.set(b, perBucket.get(b)! + s.admitted);
    admittedInPeriod += s.admitted;
  }
  const median = weightedMedian(slots.map((s) => ({ weight: s.admitted, value: s.waitSumMs / s.admitted })));
  return {
    mode: overview.mode,
    active: overview.active,
    adaptive: overview.adaptive,
    ratePerSecond: overview.ratePerSecond,
    waiting: overview.waiting,
    admitted: overview.admitted,
    medianWaitSeconds: median === null ? null : Math.round(median) / 1000,
    admittedInPeriod,
    admissions: starts.map((s) => ({ at: new Date(s).toISOString(), admitted: perBucket.get(s)! })),
  };
}

/**
 * One computation per query per period, whoever asks. An answer is fresh for `ttlMs` from when it was
 * computed (generatedAt); callers arriving while the first one is computed wait for it (single-flight).
 * Past its period the last answer is still served at once while one new computation runs in the
 * background (refresh-ahead), so a dashboard never waits behind registration's transactions for its
 * numbers; `generatedAt` says how old they are. Holds at most `maxEntries` distinct queries (the oldest
 * goes first). A failed computation is not kept (the next caller computes again). A `ttlMs` of 0 shares nothing.
 */
export class LiveStatsCache {
  private readonly entries = new Map<string, { until: number; value: Promise<LiveStats>; refreshing: boolean }>();

  constructor(
    private readonly compute: (q: LiveStatsQuery, now: Date) => Promise<LiveStats>,
    private readonly clock: () => Date,
    private readonly ttlMs: number,
    private readonly maxEntries = 64,
    /** Told of every answer: computed for this caller, shared (fresh, or being computed), or stale while a refresh runs. */
    private readonly onAnswer: (how: 'computed' | 'shared' | 'stale') => void = () => {},
  ) {}

  get(q: LiveStatsQuery): Promise<LiveStats> {
    const key = JSON.stringify([q.termId ?? null, q.minutes, q.bucketSeconds, q.top, q.contestedBy, q.nearlyFull]);
    const now = this.clock();
    if (this.ttlMs <= 0) {
      // No sharing at all (LIVE_STATS_TTL_MS=0): every caller computes.
      this.onAnswer('computed');
      return this.compute(q, now);
    }
    const entry = this.entries.get(key);
    if (!entry) {
      this.onAnswer('computed');
      const value = this.compute(q, now);
      const created = { until: Number.POSITIVE_INFINITY, value, refreshing: false };
      this.entries.set(key, created);
      value.then(
        () => (created.until = this.clock().getTime() + this.ttlMs),
        () => this.entries.get(key) === created && this.entries.delete(key),
      );
      while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      return value;
    }
    if (entry.until > now.getTime() || entry.refreshing) {
      this.onAnswer(entry.until > now.getTime() ? 'shared' : 'stale');
      return entry.value;
    }
    // Past its period: answer the last numbers now, compute the next ones once in the background.
    this.onAnswer('stale');
    entry.refreshing = true;
    this.compute(q, now).then(
      (fresh) => {
        entry.value = Promise.resolve(fresh);
        entry.until = this.clock().getTime() + this.ttlMs;
        entry.refreshing = false;
      },
      () => {
        entry.refreshing = false;
      },
    );
    return entry.value;
  }
}
