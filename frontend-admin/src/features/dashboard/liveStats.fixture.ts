import type { LiveSection, LiveStats } from '@goorm/contracts';

/** A live-stats answer for the specs: six 10-second buckets ending at 01:01:00Z, two contested sections, a waiting room. */
export function liveSection(over: Partial<LiveSection> = {}): LiveSection {
  return {
    sectionId: 11,
    lectureCode: 'CSE2010',
    title: '자료구조',
    sectionNo: 1,
    capacity: 40,
    enrolled: 38,
    cartCount: 120,
    fillRatio: 0.95,
    cartPressure: 3,
    firstEnrollAt: '2026-02-09T01:00:02.000Z',
    filledAt: null,
    secondsToFill: null,
    ...over,
  };
}

export function liveStats(over: Partial<LiveStats> = {}): LiveStats {
  const at = (i: number) => new Date(Date.UTC(2026, 1, 9, 1, 0, i * 10)).toISOString();
  return {
    term: { id: 1, code: '2026-1', name: '2026학년도 1학기' },
    generatedAt: '2026-02-09T01:01:00.000Z',
    since: '2026-02-09T01:00:00.000Z',
    until: '2026-02-09T01:01:00.000Z',
    minutes: 1,
    bucketSeconds: 10,
    totals: { sections: 250, capacity: 12000, enrolled: 530, cartItems: 1900, fillRatio: 530 / 12000 },
    decisions: {
      byOutcome: { ENROLLED: 30, SECTION_FULL: 10, TIME_CONFLICT: 2 },
      buckets: [0, 1, 2, 3, 4, 5].map((i) => ({
        at: at(i),
        total: i === 5 ? 12 : 6,
        perSecond: i === 5 ? 1.2 : 0.6,
        outcomes: (i === 5 ? { ENROLLED: 5, SECTION_FULL: 5, TIME_CONFLICT: 2 } : { ENROLLED: 5, SECTION_FULL: 1 }) as Record<string, number>,
      })),
    },
    seats: [0, 1, 2, 3, 4, 5].map((i) => ({ at: at(i), filled: 505 + i * 5, change: 5 })),
    contested: {
      by: 'cart',
      items: [
        liveSection(),
        liveSection({ sectionId: 12, lectureCode: 'CSE3010', title: '운영체제', sectionNo: 2, capacity: 30, enrolled: 30, cartCount: 60, fillRatio: 1, cartPressure: 2, filledAt: '2026-02-09T01:00:47.000Z', secondsToFill: 45 }),
      ],
    },
    nearlyFull: { threshold: 0.9, total: 2, items: [] },
    waitingRoom: {
      mode: 'auto',
      active: true,
      adaptive: true,
      ratePerSecond: 200,
      waiting: 42,
      admitted: 310,
      medianWaitSeconds: 75,
      admittedInPeriod: 300,
      admissions: [0, 1, 2, 3, 4, 5].map((i) => ({ at: at(i), admitted: 50 })),
    },
    ...over,
  };
}
