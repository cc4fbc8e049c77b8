/** Environment, read once and validated. Nothing else reads `import.meta.env`. */

/** One 교시 (class period) of the university's day: local clock times, `HH:MM`. */
export interface Period {
  /** 1-based period number, as the API's `startPeriod`/`endPeriod`. */
  readonly no: number;
  readonly start: string;
  readonly end: string;
}

export interface AppConfig {
  /** Prefix of every API call; the gateway serves the app and the API on one origin. */
  readonly apiBase: string;
  /** How often the waiting room asks for its position when the server does not say (its answers carry `retryAfterMs`), and after a failed poll. */
  readonly queuePollMs: number;
  /** How often a signed-in student's notices are read (also on sign-in and when the window regains focus). */
  readonly noticePollMs: number;
  readonly defaultLocale: 'ko' | 'en';
  /** The university's period table (교시 → clock time); the API allows periods 1..15. */
  readonly periods: readonly Period[];
  /** The campus time zone: period times are wall-clock times there (calendar export, window dates). */
  readonly timeZone: { readonly id: string; readonly utcOffset: string };
}

/** The API's periods are 1..15 (services/lectures MAX_PERIOD). */
export const MAX_PERIODS = 15;

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function apiBase(raw: string | undefined): string {
  const base = raw ?? '';
  if (base !== '' && !/^(https?:\/\/|\/)/.test(base)) throw new Error(`VITE_API_BASE must be a URL or a path, got "${base}"`);
  return base.replace(/\/$/, '');
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** The default table: period 1 at 09:00, 50 minutes each, one every hour, 15 periods (09:00–09:50 … 23:00–23:50). */
export function defaultPeriods(count = MAX_PERIODS, firstStart = 9 * 60, length = 50, every = 60): Period[] {
  return Array.from({ length: count }, (_, i) => ({ no: i + 1, start: clock(firstStart + i * every), end: clock(firstStart + i * every + length) }));
}

function minutesOf(hhmm: string, name: string, whole: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`${name}: "${hhmm}" is not a time HH:MM (in "${whole}")`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * `VITE_PERIODS`: the period table as comma-separated `HH:MM-HH:MM` ranges in order, period 1 first
 * (e.g. `09:00-09:50,10:00-10:50,11:00-11:50`); 1 to 15 periods, each ending after it starts and
 * starting no earlier than the previous one ends. Unset or empty: `defaultPeriods()`.
 */
export function parsePeriods(raw: string | undefined, name = 'VITE_PERIODS'): Period[] {
  if (raw === undefined || raw.trim() === '') return defaultPeriods();
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > MAX_PERIODS) throw new Error(`${name} has ${parts.length} periods; at most ${MAX_PERIODS}`);
  let previousEnd = -1;
  return parts.map((part, i) => {
    const m = /^(\S+)\s*[-–]\s*(\S+)$/.exec(part);
    if (!m) throw new Error(`${name}: period ${i + 1} "${part}" is not HH:MM-HH:MM`);
    const start = minutesOf(m[1]!, name, raw);
    const end = minutesOf(m[2]!, name, raw);
    if (end <= start) throw new Error(`${name}: period ${i + 1} "${part}" ends before it starts`);
    if (start < previousEnd) throw new Error(`${name}: period ${i + 1} "${part}" starts before period ${i} ends`);
    previousEnd = end;
    return { no: i + 1, start: clock(start), end: clock(end) };
  });
}

export const config: AppConfig = Object.freeze({
  apiBase: apiBase(import.meta.env.VITE_API_BASE),
  queuePollMs: positiveInt(import.meta.env.VITE_QUEUE_POLL_MS, 2000, 'VITE_QUEUE_POLL_MS'),
  noticePollMs: positiveInt(import.meta.env.VITE_NOTICE_POLL_MS, 20_000, 'VITE_NOTICE_POLL_MS'),
  defaultLocale: 'ko',
  periods: Object.freeze(parsePeriods(import.meta.env.VITE_PERIODS)),
  // Korea has no daylight saving time: one fixed offset describes the campus clock all year.
  timeZone: Object.freeze({ id: 'Asia/Seoul', utcOffset: '+09:00' }),
});
