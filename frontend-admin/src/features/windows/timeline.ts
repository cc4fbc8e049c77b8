/**
 * The windows timeline as a pure layout: one row per phase, each window a bar placed by time
 * (left and width in % of the shown range), overlapping windows of a phase on separate lanes.
 * Also the datetime-local conversions of the form.
 */
import { PHASES, type EnrollmentWindow, type Phase } from '@goorm/contracts';

export interface TimelineBar {
  window: EnrollmentWindow;
  /** % of the range from its start. */
  left: number;
  /** % of the range (at least a sliver, so a short window still shows). */
  width: number;
  /** 0-based lane within the phase's row. */
  lane: number;
}

export interface TimelineRow {
  phase: Phase;
  lanes: number;
  bars: TimelineBar[];
}

export interface Timeline {
  start: number;
  end: number;
  rows: TimelineRow[];
  /** % where now falls, when inside the range. */
  now: number | undefined;
  /** Evenly spaced instants with their %, for the axis. */
  ticks: Array<{ at: number; left: number }>;
}

const MIN_WIDTH = 0.6;
const HOUR = 3_600_000;

export type WindowState = 'open' | 'upcoming' | 'closed';

export function stateOf(w: EnrollmentWindow, now: number): WindowState {
  if (Date.parse(w.closesAt) <= now) return 'closed';
  return Date.parse(w.opensAt) <= now ? 'open' : 'upcoming';
}

/** The views of the timeline: every window of the term, or a day or a week around now. */
export const TIMELINE_VIEWS = ['all', 'day', 'week'] as const;
export type TimelineView = (typeof TIMELINE_VIEWS)[number];

/** The fixed range of a view around now (undefined: fit the windows). */
export function viewRange(view: TimelineView, now: number): { start: number; end: number } | undefined {
  if (view === 'day') return { start: now - 3 * HOUR, end: now + 21 * HOUR };
  if (view === 'week') return { start: now - 24 * HOUR, end: now + 6 * 24 * HOUR };
  return undefined;
}

/**
 * Lays the windows out over `range`, or from the first opening to the last closing (now included
 * when near) padded by 2%. Windows outside a fixed range are left out; those across its edges are cut.
 */
export function layoutTimeline(windows: readonly EnrollmentWindow[], now: number, tickCount = 5, range?: { start: number; end: number }): Timeline {
  let start: number;
  let end: number;
  if (range) {
    ({ start, end } = range);
  } else {
    const opens = windows.map((w) => Date.parse(w.opensAt));
    const closes = windows.map((w) => Date.parse(w.closesAt));
    start = windows.length ? Math.min(...opens) : now - 12 * HOUR;
    end = windows.length ? Math.max(...closes) : now + 12 * HOUR;
    // Now is shown when it is within the range's own length of it (a past or coming term stays readable).
    const span0 = Math.max(end - start, HOUR);
    if (now >= start - span0 && now <= end + span0) {
      start = Math.min(start, now);
      end = Math.max(end, now);
    }
    const pad = Math.max(end - start, HOUR) * 0.02;
    start -= pad;
    end += pad;
  }
  const span = end - start;
  const pct = (t: number) => Math.round(((t - start) / span) * 10_000) / 100;

  const rows = PHASES.map((phase): TimelineRow => {
    const mine = windows.filter((w) => w.phase === phase).sort((a, b) => Date.parse(a.opensAt) - Date.parse(b.opensAt) || a.id - b.id);
    const laneEnds: number[] = [];
    const bars = mine
      .filter((w) => Date.parse(w.closesAt) > start && Date.parse(w.opensAt) < end)
      .map((w) => {
        const o = Date.parse(w.opensAt);
        const c = Date.parse(w.closesAt);
        let lane = laneEnds.findIndex((endAt) => endAt <= o);
        if (lane === -1) lane = laneEnds.push(c) - 1;
        else laneEnds[lane] = c;
        const left = Math.max(0, pct(o));
        return { window: w, left, width: Math.max(MIN_WIDTH, Math.min(100, pct(c)) - left), lane };
      });
    return { phase, lanes: Math.max(1, laneEnds.length), bars };
  });

  const ticks = Array.from({ length: tickCount }, (_, i) => {
    const at = start + (span * (i + 0.5)) / tickCount;
    return { at, left: pct(at) };
  });
  return { start, end, rows, now: now >= start && now <= end ? pct(now) : undefined, ticks };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** An instant as a datetime-local input value in this browser's time zone ("2026-02-09T10:00"). */
export function toLocalInput(iso: string | number | Date): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** A datetime-local value (this browser's time zone) as ISO 8601 with a zone, or undefined when empty or not a time. */
export function fromLocalInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
