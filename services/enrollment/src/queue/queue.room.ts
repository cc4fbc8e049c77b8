import { AppError, forbidden, type Logger } from '@goorm/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { ENROLL_PHASES, type EnrollmentWindow, type QueueMode, type QueueOverview, type QueuePlace, type QueueSettings } from '@goorm/contracts';
import { AdmissionRateController, DEFAULT_ADAPTIVE, type AdaptiveOptions, type RateVote } from './queue.adaptive.ts';
import type { AdmissionVerdict, QueueTokens } from './queue.tokens.ts';

/**
 * The answers of the room are the contract's: `QueueSettings` (mode auto: active while a
 * REGISTRATION or ADD_DROP window opened less than activeMinutes ago, on / off: staff override;
 * ratePerSecond admitted FIFO; adaptive: the controller moves the rate with the enroll latency and
 * error rate), `QueuePlace` (what a student sees: their place, and an admission token once it is
 * their turn) and `QueueOverview` (settings and live numbers).
 */
export { QUEUE_MODES, type QueueMode, type QueueOverview, type QueuePlace, type QueueSettings } from '@goorm/contracts';

export type QueueSettingsInput = Pick<QueueSettings, 'mode' | 'ratePerSecond' | 'adaptive'>;

/** The waiting room in front of POST /api/enrollments (README.md in this folder). */
export interface WaitingRoom {
  /** Takes a place (or returns the one the student already holds, whatever the number of tabs). */
  join(studentId: number): Promise<QueuePlace>;
  /** Polls a place by its ticket; only the ticket's own student may (403 otherwise, 404 forged or expired). */
  status(ticket: string, studentId: number): Promise<QueuePlace>;
  /** Whether POST /api/enrollments needs an admission token right now. Cached inputs: no round trip per call. */
  isActive(): Promise<boolean>;
  /** Stateless check of an admission token for this student (no Redis). */
  verifyAdmission(token: string | undefined, studentId: number): AdmissionVerdict;
  settings(): Promise<QueueSettings>;
  updateSettings(s: QueueSettingsInput): Promise<QueueSettings>;
  overview(): Promise<QueueOverview>;
  /**
   * Admissions per second since an instant (oldest first), with the sum of their waits: what the
   * live dashboard's median wait and admissions-over-time are computed from. The room keeps the
   * last ADMISSION_SLOTS seconds that admitted anyone (one slot per second: bounded memory).
   */
  recentAdmissions(sinceMs: number): Promise<AdmissionSlot[]>;
  /**
   * Feeds the adaptive controller with one enroll request's duration, whether it succeeded (not
   * 5xx) and how many enroll requests this process had in flight when it started.
   */
  observe(durationMs: number, ok: boolean, inFlight?: number): void;
  close(): Promise<void>;
}

/** The atomic core both implementations provide; times in µs since the epoch. */
export interface CoreTime {
  /** undefined: the store's own clock (Redis TIME), shared by every replica. */
  nowUs: number | undefined;
  /** Arrivals recorded from now on get a score above this (the highest this process has issued or seen). */
  floorUs: number;
  /** A place older than this many µs is stale: joining again starts a new place at the back. */
  staleUs: number;
  defaultRate: number;
  defaultAdaptive: boolean;
}

/** The students admitted in one second, and their waits summed (wait = admission - arrival). */
export interface AdmissionSlot {
  /** Start of the second, epoch ms. */
  atMs: number;
  admitted: number;
  waitSumMs: number;
}

/** Seconds of admissions a room remembers (one slot per second that admitted anyone): one hour. */
export const ADMISSION_SLOTS = 3_600;

/**
 * Adds a batch of admissions (n students, the first and last of them by arrival, µs) at `nowUs`
 * to the newest slot or a new one; keeps at most ADMISSION_SLOTS. Each admitted student waited
 * `now - arrival`; a batch is admitted FIFO between two arrivals, counted at its mean wait
 * (n x (now - (first + last) / 2)). The Redis room does the same in Lua (queue.redis.ts).
 */
export function recordAdmissions(slots: AdmissionSlot[], nowUs: number, n: number, firstUs: number, lastUs: number): void {
  const atMs = Math.floor(nowUs / 1_000_000) * 1000;
  const waitSumMs = Math.max(0, (n * (nowUs - (firstUs + lastUs) / 2)) / 1000);
  const head = slots.at(-1);
  if (head && head.atMs === atMs) {
    head.admitted += n;
    head.waitSumMs += waitSumMs;
    return;
  }
  slots.push({ atMs, admitted: n, waitSumMs });
  if (slots.length > ADMISSION_SLOTS) slots.splice(0, slots.length - ADMISSION_SLOTS);
}

/** Bounds of a waiting place's `retryAfterMs`: polls no more often than this ... */
export const RETRY_MIN_MS = 250;
/** ... and no less often than this, so a change of rate is noticed within seconds. */
export const RETRY_MAX_MS = 10_000;
/** Added after the admission instant, by student: the students admitted in one burst do not all poll in one millisecond. */
export const RETRY_SPREAD_MS = 100;
/** Taken off the cap, by student: a crowd that joined together and is told "10 s" comes back over 2 s. */
export const RETRY_CAP_SPREAD_MS = 2_000;

/** A stable fraction in [0, 1) per student (Fibonacci hashing: consecutive ids spread evenly). */
export function spreadOf(studentId: number): number {
  return (Math.imul(studentId, 0x9e3779b1) >>> 0) / 2 ** 32;
}

/**
 * When a waiting place should poll next (ms). The cursor admits `rate` students per second and
 * `position` counts the place itself, so it is admitted at most position / rate seconds from now
 * (credit left over from earlier only makes it sooner): a poll after that finds it admitted, one
 * poll per admission while the wait is under the cap. Kept within [RETRY_MIN_MS, RETRY_MAX_MS]
 * plus the student's spread (`spread` in [0, 1)); a place further back polls again by the cap,
 * where it sees a rate change. 0 for an admitted place.
 */
export function nextPollMs(position: number, rate: number, spread: number): number {
  if (position <= 0) return 0;
  // +1 ms: the credit is a sum of floating-point shares and must reach `position`, not 1e-9 short of it.
  const untilAdmitted = Math.ceil((position * 1000) / Math.max(rate, 1e-3)) + 1;
  const cap = RETRY_MAX_MS - Math.floor(spread * RETRY_CAP_SPREAD_MS);
  return Math.min(cap, Math.max(RETRY_MIN_MS, untilAdmitted) + Math.floor(spread * RETRY_SPREAD_MS));
}

export interface CorePlace {
  /** Arrival score, µs. */
  arrival: number;
  /** 0 = admitted; else 1-based place among those not yet admitted. */
  position: number;
  rate: number;
}

export interface StoredSettings {
  mode?: QueueMode;
  ratePerSecond?: number;
  adaptive?: boolean;
  updatedAt?: string;
}

export interface RateAdjustment {
  vote: Exclude<RateVote, 'hold'>;
  intervalUs: number;
  minRate: number;
  maxRate: number;
  factor: number;
}

export interface WaitingRoomOptions {
  tokens: QueueTokens;
  /** Settings until staff change them (and again after a Redis restart). */
  defaults: QueueSettingsInput;
  /** How long a place (and its ticket) lasts; a later join starts a new place. Default 3 h. */
  ticketTtlSeconds?: number;
  /** auto mode: the room is active this long after a REGISTRATION or ADD_DROP window opens. Default 60. */
  activeMinutes?: number;
  /** Enrollment windows (auto mode), e.g. () => listWindows(db). Without it, auto is never active. */
  windows?: () => Promise<EnrollmentWindow[]>;
  clock?: () => number;
  logger?: Logger;
  adaptive?: Partial<AdaptiveOptions>;
  /** How long settings read from the store are reused by isActive (ms). Default 1000. */
  settingsCacheMs?: number;
  /** How long the window list is reused by isActive (ms). Default 5000. */
  windowsCacheMs?: number;
  registry?: Registry;
}

/** auto mode: a window of an enrolling phase (REGISTRATION, ADD_DROP) opened at most activeMinutes ago and is still open. */
export function windowActivates(w: EnrollmentWindow, nowMs: number, activeMinutes: number): boolean {
  if (!ENROLL_PHASES.includes(w.phase)) return false;
  const opens = Date.parse(w.opensAt);
  const closes = Date.parse(w.closesAt);
  return opens <= nowMs && nowMs < closes && nowMs < opens + activeMinutes * 60_000;
}

export const queueUnavailable = (cause: unknown) =>
  new AppError('SERVICE_UNAVAILABLE', { detail: 'The waiting room is unavailable; retry shortly', headers: { 'Retry-After': '2' }, cause });

export const ticketNotFound = (detail = 'Queue ticket not found; join the queue again') => new AppError('NOT_FOUND', { detail });

interface RoomMetrics {
  joins: Counter<'outcome'>;
  rate: Gauge;
  adjustments: Counter<'vote'>;
  admissions: Counter<'via'>;
  admissionWait: Histogram;
  rateMin: Gauge;
  adaptive: Gauge;
  polls: Counter;
}

/** The room whose queue length a registry reports (the last one built on it). */
const lengthSource = new WeakMap<Registry, BaseWaitingRoom>();

/** One set per registry, so two rooms (or a rebuilt one) on the same registry share the series. */
function roomMetrics(registry: Registry): RoomMetrics {
  const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
  const m: RoomMetrics = {
    joins:
      existing<Counter<'outcome'>>('waiting_room_joins_total') ??
      new Counter({
        name: 'waiting_room_joins_total',
        help: 'Waiting-room joins and polls, by outcome (waiting, admitted, inactive)',
        labelNames: ['outcome'] as const,
        registers: [registry],
      }),
    rate:
      existing<Gauge>('waiting_room_admission_rate') ??
      new Gauge({ name: 'waiting_room_admission_rate', help: 'Students admitted per second (last known setting)', registers: [registry] }),
    adjustments:
      existing<Counter<'vote'>>('waiting_room_rate_adjustments_total') ??
      new Counter({
        name: 'waiting_room_rate_adjustments_total',
        help: 'Adaptive admission-rate changes applied by this replica, by direction',
        labelNames: ['vote'] as const,
        registers: [registry],
      }),
    admissions:
      existing<Counter<'via'>>('waiting_room_admissions_total') ??
      new Counter({
        name: 'waiting_room_admissions_total',
        help: 'Students admitted: on joining (via=join) or on a poll whose ticket was still waiting (via=poll)',
        labelNames: ['via'] as const,
        registers: [registry],
      }),
    admissionWait:
      existing<Histogram>('waiting_room_admission_wait_seconds') ??
      new Histogram({
        name: 'waiting_room_admission_wait_seconds',
        help: 'Time from arrival in the waiting room to admission, in seconds',
        buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200],
        registers: [registry],
      }),
    rateMin:
      existing<Gauge>('waiting_room_admission_rate_min') ??
      new Gauge({ name: 'waiting_room_admission_rate_min', help: 'The floor the adaptive controller never lowers the admission rate below (students per second)', registers: [registry] }),
    adaptive:
      existing<Gauge>('waiting_room_adaptive') ??
      new Gauge({ name: 'waiting_room_adaptive', help: 'Whether the adaptive controller may change the admission rate (1) or staff fixed it (0), last known setting', registers: [registry] }),
    polls:
      existing<Counter>('waiting_room_polls_total') ??
      new Counter({
        name: 'waiting_room_polls_total',
        help: 'Polls of a waiting-room ticket (GET /queue/:ticket), refused ones included; divided by waiting_room_admissions_total: polls per admission',
        registers: [registry],
      }),
  };
  if (!existing('waiting_room_length')) {
    for (const via of ['join', 'poll'] as const) m.admissions.inc({ via }, 0);
    new Gauge({
      name: 'waiting_room_length',
      help: 'Students waiting in the room, not yet admitted (read from the store when scraped)',
      registers: [registry],
      async collect() {
        const room = lengthSource.get(registry);
        const waiting = room ? await room.waitingCount() : undefined;
        if (waiting !== undefined) this.set(waiting);
      },
    });
  }
  return m;
}

/**
 * Everything the two implementations share: tokens, activity, caching, the adaptive controller.
 * Subclasses provide the atomic core (enter, restore, settings, adjust, counts).
 */
export abstract class BaseWaitingRoom implements WaitingRoom {
  protected readonly clock: () => number;
  protected readonly tokens: QueueTokens;
  protected readonly defaults: QueueSettingsInput;
  protected readonly ticketTtlMs: number;
  private readonly activeMinutes: number;
  private readonly windowsSource: (() => Promise<EnrollmentWindow[]>) | undefined;
  private readonly logger: Logger | undefined;
  private readonly controller: AdmissionRateController;
  private readonly settingsCacheMs: number;
  private readonly windowsCacheMs: number;
  private readonly metrics: RoomMetrics | undefined;
  private highWaterUs = 0;
  private settingsCache: { value: QueueSettings; until: number } | undefined;
  private settingsLoad: Promise<QueueSettings> | undefined;
  private windowsCache: { value: EnrollmentWindow[]; until: number } | undefined;
  private windowsLoad: Promise<EnrollmentWindow[]> | undefined;

  constructor(o: WaitingRoomOptions) {
    this.clock = o.clock ?? Date.now;
    this.tokens = o.tokens;
    this.defaults = o.defaults;
    this.ticketTtlMs = (o.ticketTtlSeconds ?? 3 * 3600) * 1000;
    this.activeMinutes = o.activeMinutes ?? 60;
    this.windowsSource = o.windows;
    this.logger = o.logger;
    this.controller = new AdmissionRateController({ ...DEFAULT_ADAPTIVE, ...o.adaptive });
    this.settingsCacheMs = o.settingsCacheMs ?? 1_000;
    this.windowsCacheMs = o.windowsCacheMs ?? 5_000;
    this.metrics = o.registry ? roomMetrics(o.registry) : undefined;
    if (o.registry && this.metrics) {
      lengthSource.set(o.registry, this);
      this.metrics.rateMin.set(this.controller.options.minRate);
    }
  }

  // ---- the atomic core -------------------------------------------------------------------------
  /** Places the student: their current place unless missing or stale, else a new one at the back. Advances admission. */
  protected abstract enter(studentId: number, t: CoreTime): Promise<CorePlace>;
  /**
   * Puts the student back at the ticket's arrival (keeping an earlier one) and, if the ticket says
   * the place was admitted, moves the cursor up to it (everyone who arrived before an admitted
   * student was admitted too). Advances admission. Only changes anything after a Redis restart.
   */
  protected abstract restore(studentId: number, arrival: number, admitted: boolean, t: CoreTime): Promise<CorePlace>;
  protected abstract readSettings(): Promise<StoredSettings>;
  /** Stores settings after advancing admission at the old rate up to now. */
  protected abstract writeSettings(s: QueueSettingsInput, updatedAt: string, t: CoreTime): Promise<void>;
  /** Applies an adaptive vote if the room is adaptive and no vote of that kind was applied within the interval; the new rate or undefined. */
  protected abstract adjustRate(a: RateAdjustment, t: CoreTime): Promise<number | undefined>;
  protected abstract counts(): Promise<{ waiting: number; admitted: number }>;
  /** The remembered admission slots starting at or after this second (epoch ms), oldest first. */
  protected abstract admissionSlots(sinceMs: number): Promise<AdmissionSlot[]>;
  abstract close(): Promise<void>;
  /** The clock passed to the core: the injected one, or undefined for the store's own. */
  protected abstract coreNowUs(): number | undefined;

  // ---- shared behaviour ------------------------------------------------------------------------
  private time(): CoreTime {
    return {
      nowUs: this.coreNowUs(),
      floorUs: this.highWaterUs,
      staleUs: this.ticketTtlMs * 1000,
      defaultRate: this.defaults.ratePerSecond,
      defaultAdaptive: this.defaults.adaptive,
    };
  }

  private async core<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw queueUnavailable(err);
    }
  }

  private answer(studentId: number, p: CorePlace, waitingBefore?: 'join' | 'poll'): QueuePlace {
    if (p.arrival > this.highWaterUs) this.highWaterUs = p.arrival;
    const now = this.clock();
    const ticket = this.tokens.signTicket({
      studentId,
      arrival: p.arrival,
      admitted: p.position === 0,
      expiresAtMs: Math.floor(p.arrival / 1000) + this.ticketTtlMs,
    });
    if (p.position > 0) {
      this.metrics?.joins.inc({ outcome: 'waiting' });
      return {
        ticket,
        position: p.position,
        etaSeconds: Math.max(1, Math.ceil(p.position / p.rate)),
        admitted: false,
        active: true,
        retryAfterMs: nextPollMs(p.position, p.rate, spreadOf(studentId)),
      };
    }
    this.metrics?.joins.inc({ outcome: 'admitted' });
    if (waitingBefore && this.metrics) {
      this.metrics.admissions.inc({ via: waitingBefore });
      this.metrics.admissionWait.observe(Math.max(0, (now - p.arrival / 1000) / 1000));
    }
    const adm = this.tokens.signAdmission(studentId, now);
    return {
      ticket,
      position: 0,
      etaSeconds: 0,
      admitted: true,
      admissionToken: adm.token,
      admissionExpiresAt: adm.expiresAt.toISOString(),
      active: true,
      retryAfterMs: 0,
    };
  }

  /** While inactive nobody queues and no token is handed out (a token taken before the opening must not skip the queue). */
  private inactivePlace(studentId: number, ticket?: string): QueuePlace {
    this.metrics?.joins.inc({ outcome: 'inactive' });
    return {
      ticket: ticket ?? this.tokens.signTicket({ studentId, arrival: null, admitted: false, expiresAtMs: this.clock() + this.ticketTtlMs }),
      position: 0,
      etaSeconds: 0,
      admitted: true,
      active: false,
      retryAfterMs: 0,
    };
  }

  async join(studentId: number): Promise<QueuePlace> {
    if (!(await this.isActive())) return this.inactivePlace(studentId);
    return this.answer(studentId, await this.core(() => this.enter(studentId, this.time())), 'join');
  }

  async status(ticket: string, studentId: number): Promise<QueuePlace> {
    this.metrics?.polls.inc();
    const claims = this.tokens.readTicket(ticket);
    if (!claims) throw ticketNotFound();
    if (claims.studentId !== studentId) throw forbidden('This queue ticket belongs to another student');
    if (claims.expiresAtMs <= this.clock()) throw ticketNotFound('The queue ticket has expired; join the queue again');
    if (!(await this.isActive())) return this.inactivePlace(studentId, ticket);
    // A ticket taken while the room was inactive has no arrival: the student arrives now.
    if (claims.arrival === null) return this.answer(studentId, await this.core(() => this.enter(studentId, this.time())), 'poll');
    const arrival = claims.arrival;
    return this.answer(studentId, await this.core(() => this.restore(studentId, arrival, claims.admitted, this.time())), claims.admitted ? undefined : 'poll');
  }

  verifyAdmission(token: string | undefined, studentId: number): AdmissionVerdict {
    return this.tokens.verifyAdmission(token, studentId, this.clock());
  }

  async isActive(): Promise<boolean> {
    const s = await this.settings();
    if (s.mode !== 'auto') return s.mode === 'on';
    const now = this.clock();
    const windows = await this.windows();
    return windows.some((w) => windowActivates(w, now, this.activeMinutes));
  }

  private async windows(): Promise<EnrollmentWindow[]> {
    if (!this.windowsSource) return [];
    const now = this.clock();
    if (this.windowsCache && this.windowsCache.until > now) return this.windowsCache.value;
    this.windowsLoad ??= this.windowsSource()
      .then((value) => {
        this.windowsCache = { value, until: this.clock() + this.windowsCacheMs };
        return value;
      })
      .catch((err: unknown) => {
        // Keep deciding with the last list rather than fail every enroll while the database hiccups.
        if (this.windowsCache) {
          this.logger?.warn({ err }, 'waiting room: could not reload windows; using the last list');
          return this.windowsCache.value;
        }
        throw err;
      })
      .finally(() => {
        this.windowsLoad = undefined;
      });
    return this.windowsLoad;
  }

  async settings(): Promise<QueueSettings> {
    const now = this.clock();
    if (this.settingsCache && this.settingsCache.until > now) return this.settingsCache.value;
    this.settingsLoad ??= this.readSettings()
      .then((stored) => this.remember(this.withDefaults(stored)))
      .catch((err: unknown) => {
        // Redis down: keep the last known settings (or the defaults); the token check needs no Redis.
        this.logger?.warn({ err }, 'waiting room: could not read settings; using the last known');
        return this.settingsCache?.value ?? this.withDefaults({});
      })
      .finally(() => {
        this.settingsLoad = undefined;
      });
    return this.settingsLoad;
  }

  private withDefaults(s: StoredSettings): QueueSettings {
    return {
      mode: s.mode ?? this.defaults.mode,
      ratePerSecond: s.ratePerSecond ?? this.defaults.ratePerSecond,
      adaptive: s.adaptive ?? this.defaults.adaptive,
      ...(s.updatedAt ? { updatedAt: s.updatedAt } : {}),
    };
  }

  private remember(value: QueueSettings): QueueSettings {
    this.settingsCache = { value, until: this.clock() + this.settingsCacheMs };
    this.metrics?.rate.set(value.ratePerSecond);
    this.metrics?.adaptive.set(value.adaptive ? 1 : 0);
    return value;
  }

  async updateSettings(input: QueueSettingsInput): Promise<QueueSettings> {
    const updatedAt = new Date(this.clock()).toISOString();
    await this.core(() => this.writeSettings(input, updatedAt, this.time()));
    return this.remember({ ...input, updatedAt });
  }

  async overview(): Promise<QueueOverview> {
    this.settingsCache = undefined; // staff look at the truth, not a cached copy
    const s = await this.settings();
    const [active, counts] = await Promise.all([this.isActive(), this.core(() => this.counts())]);
    return { ...s, active, ...counts };
  }

  /** Students waiting (not yet admitted) for the waiting_room_length gauge; undefined when the store does not answer. */
  async waitingCount(): Promise<number | undefined> {
    try {
      return (await this.counts()).waiting;
    } catch (err) {
      this.logger?.warn({ err }, 'waiting room: could not count the queue for metrics');
      return undefined;
    }
  }

  async recentAdmissions(sinceMs: number): Promise<AdmissionSlot[]> {
    return this.core(() => this.admissionSlots(sinceMs));
  }

  observe(durationMs: number, ok: boolean, inFlight?: number): void {
    const vote = this.controller.observe(durationMs, ok, this.clock(), inFlight);
    if (vote === undefined || vote === 'hold') return;
    void this.vote(vote).catch((err: unknown) => this.logger?.warn({ err, vote }, 'waiting room: could not adjust the admission rate'));
  }

  /** Applies one adaptive vote (exposed for tests and for an operator's tooling). */
  async vote(vote: Exclude<RateVote, 'hold'>): Promise<number | undefined> {
    const o = this.controller.options;
    const s = await this.settings();
    if (!s.adaptive) return undefined;
    const rate = await this.adjustRate(
      { vote, intervalUs: o.intervalMs * 1000, minRate: o.minRate, maxRate: o.maxRate, factor: vote === 'down' ? o.downFactor : o.upFactor },
      this.time(),
    );
    if (rate !== undefined) {
      this.metrics?.adjustments.inc({ vote });
      this.logger?.info({ vote, from: s.ratePerSecond, to: rate }, 'waiting room: admission rate adjusted');
      this.remember({ ...s, ratePerSecond: rate });
    }
    return rate;
  }
}
