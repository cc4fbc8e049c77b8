/**
 * The adaptive admission rate: each replica watches its own POST /api/enrollments latency, server
 * errors and requests in flight over short intervals and votes to lower or raise the room's shared rate
 * (multiplicative decrease when slow or failing, gentle multiplicative increase when comfortably
 * fast, always within [min, max]). The room applies a vote atomically and at most once per
 * interval (see the stores), so two replicas voting in the same interval do not double it.
 */

export type RateVote = 'up' | 'down' | 'hold';

export interface AdaptiveOptions {
  /** Bounds of the admission rate, students per second. */
  minRate: number;
  maxRate: number;
  /** p95 of the enroll request above this lowers the rate; below 80 % of it raises it. */
  targetLatencyMs: number;
  /** Share of failed requests (5xx, timeouts) above which the rate is lowered. */
  maxErrorRate: number;
  /** Length of one observation interval. */
  intervalMs: number;
  /** Observations needed in an interval before latency counts (errors count from the first). */
  minSamples: number;
  /** Rate x downFactor on a 'down' vote, x upFactor on an 'up' vote. */
  downFactor: number;
  upFactor: number;
  /**
   * Enroll requests in flight in this process (mean over the interval) from which slowness is
   * blamed on admissions: requests queueing for the database, which admitting fewer students
   * relieves. Below it, a slow p95 comes from elsewhere (CPU shared with other work): cutting
   * admissions would only idle the database, so the vote holds, and raises the rate while fewer
   * than half as many are in flight. About twice the pool size.
   */
  busyInFlight: number;
}

export const DEFAULT_ADAPTIVE: AdaptiveOptions = {
  minRate: 20,
  maxRate: 2_000,
  targetLatencyMs: 150,
  maxErrorRate: 0.01,
  intervalMs: 2_000,
  minSamples: 20,
  downFactor: 0.7,
  upFactor: 1.15,
  busyInFlight: 20,
};

const MAX_SAMPLES = 2_048;

export class AdmissionRateController {
  private startedAt: number | undefined;
  private durations: number[] = [];
  private seen = 0;
  private failures = 0;
  private inFlightSum = 0;

  constructor(readonly options: AdaptiveOptions) {}

  /**
   * Records one enroll request (with how many were in flight in this process when it started;
   * unknown counts as busy); at the end of an interval returns the vote for it, else undefined.
   */
  observe(durationMs: number, ok: boolean, nowMs: number, inFlight = Number.POSITIVE_INFINITY): RateVote | undefined {
    this.startedAt ??= nowMs;
    this.seen++;
    if (!ok) this.failures++;
    this.inFlightSum += inFlight;
    if (this.durations.length < MAX_SAMPLES) {
      this.durations.push(durationMs);
    } else {
      // Reservoir sampling keeps the percentile honest without holding every observation.
      const j = Math.floor(Math.random() * this.seen);
      if (j < MAX_SAMPLES) this.durations[j] = durationMs;
    }
    if (nowMs - this.startedAt < this.options.intervalMs) return undefined;
    const vote = this.vote();
    this.startedAt = nowMs;
    this.durations = [];
    this.seen = 0;
    this.failures = 0;
    this.inFlightSum = 0;
    return vote;
  }

  private vote(): RateVote {
    const o = this.options;
    const errorRate = this.failures / this.seen;
    if (this.failures > 0 && errorRate > o.maxErrorRate) return 'down';
    if (this.seen < o.minSamples) return 'hold';
    const p95 = percentile(this.durations, 0.95);
    const inFlight = this.inFlightSum / this.seen;
    const queueing = inFlight >= o.busyInFlight;
    if (p95 > o.targetLatencyMs) return queueing ? 'down' : inFlight < o.busyInFlight / 2 ? 'up' : 'hold';
    if (p95 <= o.targetLatencyMs * 0.8) return 'up';
    return 'hold';
  }

  /** The rate after a vote: within bounds, and never moved against the vote. */
  next(rate: number, vote: RateVote): number {
    const o = this.options;
    if (vote === 'hold') return rate;
    if (vote === 'down') return Math.min(rate, clampRate(rate * o.downFactor, o.minRate, o.maxRate));
    return Math.max(rate, clampRate(rate * o.upFactor, o.minRate, o.maxRate));
  }
}

export function clampRate(r: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, r)) * 1000) / 1000;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}
