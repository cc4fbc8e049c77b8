import { clampRate } from './queue.adaptive.ts';
import {
  BaseWaitingRoom,
  recordAdmissions,
  type AdmissionSlot,
  type CorePlace,
  type CoreTime,
  type QueueSettingsInput,
  type RateAdjustment,
  type StoredSettings,
  type WaitingRoomOptions,
} from './queue.room.ts';

/**
 * The embedded default (no REDIS_URL): the same algorithm as the Redis room, in one process's
 * memory. Every step is synchronous between awaits, so each is atomic in Node's single thread.
 * Only right for ONE enrollment process; several replicas need the Redis room.
 */
export class InProcessWaitingRoom extends BaseWaitingRoom {
  /** Arrival scores by student, and the same entries sorted by arrival. */
  private readonly arrivals = new Map<number, number>();
  private readonly order: Array<{ arrival: number; studentId: number }> = [];
  /** Admission cursor: everyone who arrived at or before it is admitted. */
  private cursor = 0;
  private credit: number | undefined;
  private advancedAt: number | undefined;
  private lastArrival = 0;
  private stored: StoredSettings & { adjustedAt?: number; decreasedAt?: number } = {};
  /** Admissions per second, the last ADMISSION_SLOTS seconds that admitted anyone. */
  private readonly admissions: AdmissionSlot[] = [];

  constructor(o: WaitingRoomOptions) {
    super(o);
  }

  protected coreNowUs(): number {
    return this.clock() * 1000;
  }

  /** Index of the first entry that arrived after `score`. */
  private upperBound(score: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid]!.arrival <= score) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private remove(studentId: number) {
    const a = this.arrivals.get(studentId);
    if (a === undefined) return;
    const i = this.upperBound(a) - 1;
    for (let j = i; j >= 0 && this.order[j]!.arrival === a; j--) {
      if (this.order[j]!.studentId === studentId) {
        this.order.splice(j, 1);
        break;
      }
    }
    this.arrivals.delete(studentId);
  }

  private insert(studentId: number, arrival: number) {
    this.remove(studentId);
    this.arrivals.set(studentId, arrival);
    this.order.splice(this.upperBound(arrival), 0, { arrival, studentId });
  }

  private rate(t: CoreTime): number {
    return this.stored.ratePerSecond ?? t.defaultRate;
  }

  /** Moves the cursor by the credit earned at `rate` since the last move; unused credit is capped at one second's worth. */
  private advance(nowUs: number, rate: number) {
    const burst = Math.max(1, rate);
    let credit = this.credit ?? 0;
    let at = this.advancedAt ?? nowUs;
    if (nowUs > at) {
      credit += (rate * (nowUs - at)) / 1_000_000;
      at = nowUs;
    }
    const k = Math.floor(credit);
    if (k >= 1) {
      const from = this.upperBound(this.cursor);
      const n = Math.min(k, this.order.length - from);
      if (n >= 1) {
        this.cursor = this.order[from + n - 1]!.arrival;
        credit -= n;
        recordAdmissions(this.admissions, nowUs, n, this.order[from]!.arrival, this.cursor);
      }
      if (n < k && credit > burst) credit = burst;
    }
    this.credit = credit;
    this.advancedAt = at;
  }

  private place(studentId: number, rate: number): CorePlace {
    const arrival = this.arrivals.get(studentId)!;
    if (arrival <= this.cursor) return { arrival, position: 0, rate };
    return { arrival, position: this.upperBound(arrival) - this.upperBound(this.cursor), rate };
  }

  protected async enter(studentId: number, t: CoreTime): Promise<CorePlace> {
    const now = t.nowUs ?? this.clock() * 1000;
    const rate = this.rate(t);
    const current = this.arrivals.get(studentId);
    if (current === undefined || current < now - t.staleUs) {
      // Settle the time before this arrival first: credit earned while the room was empty is capped.
      this.advance(now, rate);
      const arrival = Math.max(now, this.lastArrival + 1, t.floorUs + 1);
      this.lastArrival = arrival;
      this.insert(studentId, arrival);
    }
    this.advance(now, rate);
    return this.place(studentId, rate);
  }

  protected async restore(studentId: number, arrival: number, admitted: boolean, t: CoreTime): Promise<CorePlace> {
    const now = t.nowUs ?? this.clock() * 1000;
    const rate = this.rate(t);
    const current = this.arrivals.get(studentId);
    this.advance(now, rate);
    if (current === undefined || arrival < current) this.insert(studentId, arrival);
    if (arrival > this.lastArrival) this.lastArrival = arrival;
    if (admitted && arrival > this.cursor) this.cursor = arrival;
    this.advance(now, rate);
    return this.place(studentId, rate);
  }

  protected async readSettings(): Promise<StoredSettings> {
    const { adjustedAt: _a, decreasedAt: _d, ...s } = this.stored;
    return { ...s };
  }

  protected async writeSettings(s: QueueSettingsInput, updatedAt: string, t: CoreTime): Promise<void> {
    this.advance(t.nowUs ?? this.clock() * 1000, this.rate(t));
    this.stored = { ...this.stored, mode: s.mode, ratePerSecond: s.ratePerSecond, adaptive: s.adaptive, updatedAt };
  }

  protected async adjustRate(a: RateAdjustment, t: CoreTime): Promise<number | undefined> {
    const now = t.nowUs ?? this.clock() * 1000;
    if (!(this.stored.adaptive ?? t.defaultAdaptive)) return undefined;
    const guard = (a.vote === 'down' ? this.stored.decreasedAt : this.stored.adjustedAt) ?? -Infinity;
    if (now - guard < a.intervalUs) return undefined;
    const rate = this.rate(t);
    const bounded = clampRate(rate * a.factor, a.minRate, a.maxRate);
    // A vote moves the rate one way only (a staff rate below the minimum is not raised by a 'down').
    const next = a.vote === 'down' ? Math.min(rate, bounded) : Math.max(rate, bounded);
    if (next === rate) return undefined;
    this.advance(now, rate);
    this.stored = { ...this.stored, ratePerSecond: next, adjustedAt: now, ...(a.vote === 'down' ? { decreasedAt: now } : {}) };
    return next;
  }

  protected async counts(): Promise<{ waiting: number; admitted: number }> {
    const admitted = this.upperBound(this.cursor);
    return { waiting: this.order.length - admitted, admitted };
  }

  protected async admissionSlots(sinceMs: number): Promise<AdmissionSlot[]> {
    return this.admissions.filter((a) => a.atMs >= sinceMs).map((a) => ({ ...a }));
  }

  async close(): Promise<void> {}
}
