import { describe, expect, it } from 'vitest';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import {
  admissionsOption,
  contestedOption,
  decisionRows,
  decisionsInLast,
  decisionsOption,
  outcomesOf,
  seatsChange,
  seatsOption,
  splitDuration,
  type ChartLabels,
} from './chartOptions.ts';
import { liveSection, liveStats } from './liveStats.fixture.ts';

const labels: ChartLabels = {
  outcome: (c) => `o:${c}`,
  time: (iso) => iso.slice(11, 19),
  series: { enrolled: 'enrolled', capacity: 'capacity', cart: 'cart', filled: 'filled', admitted: 'admitted', perSecond: '/s' },
  section: (s) => `${s.lectureCode}-${s.sectionNo}`,
};
const seriesOf = (o: { series?: unknown }) => o.series as Array<BarSeriesOption & LineSeriesOption>;
const xOf = (o: { xAxis?: unknown }) => (o.xAxis as { data: string[] }).data;

describe('the dashboard charts, from a live-stats answer', () => {
  it('orders the outcomes that occurred: the seat taken first, refusals next, unknown codes last', () => {
    const live = liveStats();
    live.decisions.buckets[0]!.outcomes.ZZZ_NEW = 1;
    expect(outcomesOf(live)).toEqual(['ENROLLED', 'SECTION_FULL', 'TIME_CONFLICT', 'ZZZ_NEW']);
  });

  it('draws decisions per second as one stacked bar per bucket and outcome (count / bucket width)', () => {
    const option = decisionsOption(liveStats(), labels);
    expect(xOf(option)).toEqual(['01:00:00', '01:00:10', '01:00:20', '01:00:30', '01:00:40', '01:00:50']);
    const series = seriesOf(option);
    expect(series.map((s) => s.name)).toEqual(['o:ENROLLED', 'o:SECTION_FULL', 'o:TIME_CONFLICT']);
    expect(series.every((s) => s.type === 'bar' && s.stack === 'decisions')).toBe(true);
    expect(series[0]!.data).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(series[2]!.data).toEqual([0, 0, 0, 0, 0, 0.2]);
  });

  it('gives the counts of each bucket that had decisions for the table, and counts the decisions of the last minute', () => {
    const rows = decisionRows(liveStats());
    expect(rows.at(-1)).toEqual({ at: '2026-02-09T01:00:50.000Z', total: 12, perSecond: 1.2, outcomes: { ENROLLED: 5, SECTION_FULL: 5, TIME_CONFLICT: 2 } });
    const quiet = liveStats();
    quiet.decisions.buckets[0] = { at: quiet.decisions.buckets[0]!.at, total: 0, perSecond: 0, outcomes: {} };
    expect(decisionRows(quiet)).toHaveLength(5);
    expect(decisionsInLast(liveStats(), 60)).toBe(42);
    expect(decisionsInLast(liveStats(), 10)).toBe(12);
  });

  it('draws the seats taken at the end of each bucket, and says from, to and the change', () => {
    const live = liveStats();
    const option = seatsOption(live, labels);
    expect(seriesOf(option)[0]).toMatchObject({ type: 'line', name: 'filled', data: [505, 510, 515, 520, 525, 530] });
    expect(seatsChange(live)).toEqual({ from: 500, to: 530, change: 30 });
  });

  it('draws the most contested sections top first: enrolled, capacity and cart count', () => {
    const option = contestedOption(liveStats(), labels);
    expect((option.yAxis as { data: string[] }).data).toEqual(['CSE3010-2', 'CSE2010-1']);
    expect(seriesOf(option).map((s) => [s.name, s.data])).toEqual([
      ['enrolled', [30, 38]],
      ['capacity', [30, 40]],
      ['cart', [60, 120]],
    ]);
    expect(seriesOf(contestedOption(liveStats({ contested: { by: 'cart', items: [liveSection()] } }), labels))[0]!.data).toEqual([38]);
  });

  it('draws admissions per second of the waiting room, and nothing without one', () => {
    expect(seriesOf(admissionsOption(liveStats(), labels))[0]!.data).toEqual([5, 5, 5, 5, 5, 5]);
    expect(seriesOf(admissionsOption(liveStats({ waitingRoom: null }), labels))[0]!.data).toEqual([]);
  });

  it('splits a duration for words', () => {
    expect(splitDuration(75)).toEqual({ h: 0, m: 1, s: 15 });
    expect(splitDuration(3725.4)).toEqual({ h: 1, m: 2, s: 5 });
  });
});
