/**
 * Latency samples and status codes per endpoint. Percentiles come from the sorted samples (exact;
 * fine for a few hundred thousand requests).
 */

export class Samples {
  private buf = new Float64Array(1024);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  values(): Float64Array {
    return this.buf.subarray(0, this.n);
  }

  addAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.add(values[i]!);
  }
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function summarize(values: Float64Array): LatencySummary {
  if (values.length === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p50: round(at(0.5)), p90: round(at(0.9)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]!), mean: round(sum / sorted.length) };
}

/** One endpoint's requests: latencies, status codes, problem codes, transport errors. */
export class EndpointStats {
  readonly latency = new Samples();
  readonly statuses: Record<string, number> = {};
  readonly codes: Record<string, number> = {};
  /** Connection refused / reset / timed out: no HTTP answer at all. */
  transportErrors = 0;
  readonly transportErrorKinds: Record<string, number> = {};

  constructor(readonly name: string) {}

  record(ms: number, status: number, code?: string): void {
    this.latency.add(ms);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (code) this.codes[code] = (this.codes[code] ?? 0) + 1;
  }

  failed(kind: string): void {
    this.transportErrors++;
    this.transportErrorKinds[kind] = (this.transportErrorKinds[kind] ?? 0) + 1;
  }

  get requests(): number {
    return this.latency.count;
  }

  count5xx(): number {
    return Object.entries(this.statuses).reduce((n, [s, c]) => (Number(s) >= 500 ? n + c : n), 0);
  }

  /** Folds in another recorder's numbers (e.g. from the side-traffic process). */
  merge(other: EndpointReport & { samples?: ArrayLike<number> }): void {
    if (other.samples) this.latency.addAll(other.samples);
    for (const [k, v] of Object.entries(other.statuses)) this.statuses[k] = (this.statuses[k] ?? 0) + v;
    for (const [k, v] of Object.entries(other.codes)) this.codes[k] = (this.codes[k] ?? 0) + v;
    this.transportErrors += other.transportErrors;
    for (const [k, v] of Object.entries(other.transportErrorKinds ?? {})) this.transportErrorKinds[k] = (this.transportErrorKinds[k] ?? 0) + v;
  }

  report(durationMs: number): EndpointReport {
    return {
      endpoint: this.name,
      requests: this.requests,
      rps: durationMs > 0 ? Math.round((this.requests / durationMs) * 1000 * 10) / 10 : 0,
      latencyMs: summarize(this.latency.values()),
      statuses: { ...this.statuses },
      codes: { ...this.codes },
      transportErrors: this.transportErrors,
      transportErrorKinds: { ...this.transportErrorKinds },
    };
  }
}

export interface EndpointReport {
  endpoint: string;
  requests: number;
  rps: number;
  latencyMs: LatencySummary;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  transportErrors: number;
  transportErrorKinds?: Record<string, number>;
}

/** Counts per whole second since a start (decisions, seats filled), for the JSON time series. */
export class PerSecond {
  private readonly counts: number[] = [];
  constructor(private readonly startMs: number) {}
  add(atMs: number, n = 1): void {
    const i = Math.max(0, Math.floor((atMs - this.startMs) / 1000));
    while (this.counts.length <= i) this.counts.push(0);
    this.counts[i]! += n;
  }
  series(): number[] {
    return [...this.counts];
  }
}
