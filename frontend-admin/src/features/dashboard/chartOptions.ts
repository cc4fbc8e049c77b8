/**
 * The dashboard's charts as pure functions of one live-stats answer: the ECharts options (series,
 * axes) and the numbers of each chart's table alternative. No DOM here, so jsdom specs test them.
 */
import type { LiveSection, LiveStats } from '@goorm/contracts';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { AriaComponentOption, GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | AriaComponentOption
>;

/** What the charts need to say in words: an outcome's name, a time of day, a series' name. */
export interface ChartLabels {
  outcome(code: string): string;
  time(iso: string): string;
  series: { enrolled: string; capacity: string; cart: string; filled: string; admitted: string; perSecond: string };
  section(s: LiveSection): string;
}

/** Outcomes in a stable order: the seat taken first, then the refusals, the drop last; unknown codes after, by name. */
export const OUTCOME_ORDER = ['ENROLLED', 'SECTION_FULL', 'TIME_CONFLICT', 'CREDIT_LIMIT', 'WINDOW_CLOSED', 'NOT_ELIGIBLE', 'ALREADY_ENROLLED', 'DROPPED'] as const;

/** One colour per outcome (the legend, the decal patterns and the table say the same in words). */
export const OUTCOME_COLOURS: Record<string, string> = {
  ENROLLED: '#116329',
  SECTION_FULL: '#a40e26',
  TIME_CONFLICT: '#bc4c00',
  CREDIT_LIMIT: '#8250df',
  WINDOW_CLOSED: '#57606a',
  NOT_ELIGIBLE: '#9a6700',
  ALREADY_ENROLLED: '#0969da',
  DROPPED: '#6e7781',
};
const OTHER_COLOUR = '#1b1f24';

/** Decal patterns besides colour, so the series differ without colour; the numbers are in the table. */
const ARIA: AriaComponentOption = { enabled: true, label: { enabled: false }, decal: { show: true } };

/**
 * Tooltips drawn on the canvas ('richText'), not as HTML: ECharts' HTML tooltip is markup with style="…"
 * attributes, which the Content-Security-Policy (style-src 'self', services/gateway/src/app.ts) blocks.
 */
const TOOLTIP = { renderMode: 'richText' } as const satisfies TooltipComponentOption;

/** The outcomes that occur in the period, in OUTCOME_ORDER then by name. */
export function outcomesOf(live: LiveStats): string[] {
  const seen = new Set(Object.keys(live.decisions.byOutcome).filter((k) => (live.decisions.byOutcome[k] ?? 0) > 0));
  for (const b of live.decisions.buckets) for (const [k, n] of Object.entries(b.outcomes)) if (n > 0) seen.add(k);
  const known = OUTCOME_ORDER.filter((o) => seen.has(o));
  const others = [...seen].filter((o) => !(OUTCOME_ORDER as readonly string[]).includes(o)).sort();
  return [...known, ...others];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The buckets that had decisions (the table of the chart): counts per outcome, the total and decisions per second. */
export function decisionRows(live: LiveStats): Array<{ at: string; total: number; perSecond: number; outcomes: Record<string, number> }> {
  return live.decisions.buckets
    .filter((b) => b.total > 0)
    .map((b) => ({ at: b.at, total: b.total, perSecond: round2(b.total / live.bucketSeconds), outcomes: { ...b.outcomes } }));
}

/** Decisions per second by outcome: one stacked bar per bucket. */
export function decisionsOption(live: LiveStats, l: ChartLabels): ChartOption {
  const width = live.bucketSeconds;
  return {
    aria: ARIA,
    animation: false,
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: live.decisions.buckets.map((b) => l.time(b.at)) },
    yAxis: { type: 'value', name: l.series.perSecond, minInterval: 0.1 },
    series: outcomesOf(live).map(
      (o): BarSeriesOption => ({
        type: 'bar',
        name: l.outcome(o),
        stack: 'decisions',
        itemStyle: { color: OUTCOME_COLOURS[o] ?? OTHER_COLOUR },
        data: live.decisions.buckets.map((b) => round2((b.outcomes[o] ?? 0) / width)),
      }),
    ),
  };
}

/** Decisions in the last `seconds` of the period (the buckets that end within it). */
export function decisionsInLast(live: LiveStats, seconds = 60): number {
  const from = Date.parse(live.until) - seconds * 1000;
  return live.decisions.buckets
    .filter((b) => Date.parse(b.at) + live.bucketSeconds * 1000 > from)
    .reduce((n, b) => n + b.total, 0);
}

/** Seats held at the end of each bucket, against the term's capacity. */
export function seatsOption(live: LiveStats, l: ChartLabels): ChartOption {
  const filled = live.seats.map((s) => s.filled);
  const min = Math.min(...filled, live.totals.enrolled);
  return {
    aria: ARIA,
    animation: false,
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 16, top: 40, bottom: 32 },
    xAxis: { type: 'category', boundaryGap: false, data: live.seats.map((s) => l.time(s.at)) },
    // Starting at zero would flatten a morning's change on a term of thousands of seats.
    yAxis: { type: 'value', min: Math.max(0, Math.floor(min * 0.95)), minInterval: 1 },
    series: [
      { type: 'line', name: l.series.filled, showSymbol: false, areaStyle: { opacity: 0.15 }, itemStyle: { color: '#1f4fd1' }, data: filled },
    ],
  };
}

/** The seats chart in words: from, to, change over the period. */
export function seatsChange(live: LiveStats): { from: number; to: number; change: number } {
  const first = live.seats[0];
  const to = live.seats.at(-1)?.filled ?? live.totals.enrolled;
  const from = first ? first.filled - first.change : to;
  return { from, to, change: to - from };
}

/** The most contested sections: enrolled, capacity and cart count side by side (the most contested on top). */
export function contestedOption(live: LiveStats, l: ChartLabels): ChartOption {
  const items = [...live.contested.items].reverse();
  return {
    aria: ARIA,
    animation: false,
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 40, bottom: 24, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: items.map((s) => l.section(s)), axisLabel: { width: 180, overflow: 'truncate' } },
    series: [
      { type: 'bar', name: l.series.enrolled, itemStyle: { color: '#1f4fd1' }, data: items.map((s) => s.enrolled) },
      { type: 'bar', name: l.series.capacity, itemStyle: { color: '#8c959f' }, data: items.map((s) => s.capacity) },
      { type: 'bar', name: l.series.cart, itemStyle: { color: '#bc4c00' }, data: items.map((s) => s.cartCount) },
    ],
  };
}

/** Waiting-room admissions per second, per bucket (empty without a waiting room). */
export function admissionsOption(live: LiveStats, l: ChartLabels): ChartOption {
  const room = live.waitingRoom;
  const rows = room?.admissions ?? [];
  return {
    aria: ARIA,
    animation: false,
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: rows.map((r) => l.time(r.at)) },
    yAxis: { type: 'value', name: l.series.perSecond },
    series: [{ type: 'bar', name: l.series.admitted, itemStyle: { color: '#0969da' }, data: rows.map((r) => round2(r.admitted / live.bucketSeconds)) }],
  };
}

/** A duration in whole units for words: 75 → {m: 1, s: 15}. */
export function splitDuration(seconds: number): { h: number; m: number; s: number } {
  const total = Math.max(0, Math.round(seconds));
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 };
}

/** The period choices: minutes, and a bucket width that keeps about sixty bars. */
export const PERIODS = [
  { minutes: 5, bucketSeconds: 5 },
  { minutes: 10, bucketSeconds: 10 },
  { minutes: 30, bucketSeconds: 30 },
  { minutes: 60, bucketSeconds: 60 },
] as const;
