/**
 * Growth analysis of the soak's samples: per series, the value at the end of the warm-up and at
 * the end (medians of a few samples: a heap is a sawtooth), the least-squares slope per minute
 * after the warm-up, and a verdict against a stated threshold.
 */

export interface Point {
  /** Minutes since the steady traffic began. */
  t: number;
  v: number;
}

export type SeriesKind = 'bytes' | 'rss' | 'count';

/** When a series counts as growing. Both conditions must hold: a slope alone is noise on a short run, a difference alone is one unlucky sample. */
export const THRESHOLDS = {
  /** Heap used: slope above 1 MB/min after the warm-up AND the end above the warm-up value by 20 %. */
  bytes: { slopePerMin: 1024 * 1024, relative: 0.2, absolute: 0 },
  /** RSS: slope above 2 MB/min AND the end above the warm-up value by 20 %. */
  rss: { slopePerMin: 2 * 1024 * 1024, relative: 0.2, absolute: 0 },
  /** Descriptors, handles, connections: slope above 0.25 per minute (3 over 12 minutes) AND the end above the warm-up value by max(2, 10 %). */
  count: { slopePerMin: 0.25, relative: 0.1, absolute: 2 },
} as const;

export interface Growth {
  samples: number;
  warmupValue: number;
  endValue: number;
  min: number;
  max: number;
  /** Least-squares slope after the warm-up, per minute. */
  slopePerMin: number;
  /** endValue / warmupValue - 1. */
  change: number;
  grows: boolean;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Least-squares slope of v over t (per unit of t); 0 with fewer than two distinct times. */
export function slope(points: Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** `window` samples (minutes) at the end of the warm-up and at the end are summarised by their median. */
export function analyse(points: Point[], warmupMin: number, kind: SeriesKind, windowMin = 0.5): Growth {
  const pts = points.filter((p) => Number.isFinite(p.v));
  const last = pts.length ? pts[pts.length - 1]!.t : 0;
  const after = pts.filter((p) => p.t >= warmupMin);
  const atWarmup = pts.filter((p) => p.t <= warmupMin && p.t >= warmupMin - windowMin);
  const warmupValue = median(atWarmup.length ? atWarmup.map((p) => p.v) : after.slice(0, 1).map((p) => p.v));
  const endValue = median(pts.filter((p) => p.t >= last - windowMin).map((p) => p.v));
  const perMin = slope(after);
  const th = THRESHOLDS[kind];
  const margin = Math.max(th.absolute, Math.abs(warmupValue) * th.relative);
  const grows = after.length >= 3 && perMin > th.slopePerMin && endValue > warmupValue + margin;
  return {
    samples: pts.length,
    warmupValue,
    endValue,
    min: Math.min(...pts.map((p) => p.v)),
    max: Math.max(...pts.map((p) => p.v)),
    slopePerMin: perMin,
    change: warmupValue ? endValue / warmupValue - 1 : 0,
    grows,
  };
}

/**
 * The lower envelope of a sawtooth: the minimum of each `windowMin` bucket, buckets anchored at
 * `anchorMin` (the end of the warm-up), each point at its bucket's end. A heap's used size climbs
 * until a major collection and falls back to what is live: the troughs are what a leak raises,
 * the peaks only say when the last collection ran (every 1-2 min at this rate in enrollment).
 */
export function floorSeries(points: Point[], windowMin: number, anchorMin: number): Point[] {
  const pts = points.filter((p) => Number.isFinite(p.v));
  if (pts.length === 0 || windowMin <= 0) return pts;
  const bucketOf = (t: number) => Math.ceil((t - anchorMin) / windowMin - 1e-9);
  const last = pts[pts.length - 1]!.t;
  const lastBucket = bucketOf(last);
  // A last bucket of less than a quarter window (the final sample lands a few ms after the end) joins the one before: one sample is not a floor.
  const shortTail = pts.some((p) => bucketOf(p.t) < lastBucket) && pts.filter((p) => bucketOf(p.t) === lastBucket).every((p) => p.t > last - windowMin / 4);
  const buckets = new Map<number, Point>();
  for (const p of pts) {
    const k = shortTail && bucketOf(p.t) === lastBucket ? lastBucket - 1 : bucketOf(p.t);
    const end = anchorMin + k * windowMin;
    const b = buckets.get(k);
    if (!b || p.v < b.v) buckets.set(k, { t: end, v: p.v });
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => ({ t: Math.min(b.t, last), v: b.v }));
}

/** Synthetic series the analysis must tell apart (npm run soak -- --self-test): flat or leaking, with a GC sawtooth and noise. */
export function selfTest(): { ok: boolean; cases: Array<{ name: string; expected: boolean; growth: Growth }> } {
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const series = (f: (t: number) => number) => Array.from({ length: 91 }, (_, i) => ({ t: i / 6, v: f(i / 6) }));
  const MB = 1024 * 1024;
  const sawtooth = (t: number) => ((t * 60) % 45) / 45; // a GC cycle every 45 s
  const cases: Array<{ name: string; kind: SeriesKind; expected: boolean; points: Point[]; floor?: boolean }> = [
    { name: 'heap flat (40-60 MB sawtooth)', kind: 'bytes', expected: false, points: series((t) => 40 * MB + 20 * MB * sawtooth(t) + MB * noise()) },
    { name: 'heap warming up then flat', kind: 'bytes', expected: false, points: series((t) => (t < 2 ? 20 * MB + 10 * MB * t : 40 * MB) + 15 * MB * sawtooth(t)) },
    { name: 'heap leaking 2 MB/min (the planted array)', kind: 'bytes', expected: true, points: series((t) => 40 * MB + 2 * MB * t + 20 * MB * sawtooth(t) + MB * noise()) },
    { name: 'heap leaking 0.5 MB/min (below the threshold)', kind: 'bytes', expected: false, points: series((t) => 40 * MB + 0.5 * MB * t + 5 * MB * sawtooth(t)) },
    { name: 'enrollment-like heap 40-170 MB, a major GC every 1.5 min, no leak (judged on its floor)', kind: 'bytes', expected: false, floor: true, points: series((t) => 40 * MB + 130 * MB * (((t * 60) % 90) / 90) + 2 * MB * noise()) },
    { name: 'the same with a 2 MB/min leak (judged on its floor)', kind: 'bytes', expected: true, floor: true, points: series((t) => 40 * MB + 2 * MB * t + 130 * MB * (((t * 60) % 90) / 90) + 2 * MB * noise()) },
    { name: 'rss flat 180 MB', kind: 'rss', expected: false, points: series(() => 180 * MB + 4 * MB * noise()) },
    { name: 'rss leaking 5 MB/min', kind: 'rss', expected: true, points: series((t) => 180 * MB + 5 * MB * t + 4 * MB * noise()) },
    { name: 'fds flat 30 ± 2', kind: 'count', expected: false, points: series(() => 30 + Math.round(4 * noise())) },
    { name: 'fds leaking 1 per minute (a socket never closed)', kind: 'count', expected: true, points: series((t) => 30 + Math.floor(t) + Math.round(2 * noise())) },
    { name: 'pool connections 2-20 with load', kind: 'count', expected: false, points: series((t) => 11 + Math.round(9 * Math.sin(t * 3))) },
  ];
  const out = cases.map((c) => ({ name: c.name, expected: c.expected, growth: c.floor ? analyse(floorSeries(c.points, 2, 3), 3, c.kind, 0) : analyse(c.points, 3, c.kind) }));
  return { ok: out.every((c) => c.growth.grows === c.expected), cases: out };
}
