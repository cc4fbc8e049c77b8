import { describe, expect, it } from 'vitest';
import type { EnrollmentWindow } from '@goorm/contracts';
import { fromLocalInput, layoutTimeline, stateOf, toLocalInput, viewRange } from './timeline.ts';

const w = (id: number, phase: EnrollmentWindow['phase'], grades: number[], opensAt: string, closesAt: string): EnrollmentWindow => ({ id, termId: 1, phase, grades, opensAt, closesAt });
const DAY = 86_400_000;
const t0 = Date.parse('2026-02-01T00:00:00Z');
const at = (days: number) => new Date(t0 + days * DAY).toISOString();

describe('the windows timeline layout', () => {
  it('places each window by time in its phase row, overlapping windows of a phase on separate lanes', () => {
    const windows = [
      w(1, 'CART', [1, 2, 3, 4], at(0), at(50)),
      w(2, 'REGISTRATION', [4], at(10), at(20)),
      w(3, 'REGISTRATION', [3], at(15), at(25)),
      w(4, 'REGISTRATION', [2], at(20), at(30)),
    ];
    const layout = layoutTimeline(windows, t0 + 200 * DAY);
    expect(layout.now).toBeUndefined();
    const [cart, reg, addDrop] = layout.rows;
    expect(cart).toMatchObject({ phase: 'CART', lanes: 1 });
    expect(addDrop).toMatchObject({ phase: 'ADD_DROP', lanes: 1, bars: [] });
    expect(reg!.lanes).toBe(2);
    expect(reg!.bars.map((b) => [b.window.id, b.lane])).toEqual([
      [2, 0],
      [3, 1],
      [4, 0],
    ]);
    // 50 days padded by 1 day each side: window 2 starts 11/52 of the way.
    expect(reg!.bars[0]!.left).toBeCloseTo((11 / 52) * 100, 1);
    expect(reg!.bars[0]!.width).toBeCloseTo((10 / 52) * 100, 1);
    expect(cart!.bars[0]!.left + cart!.bars[0]!.width).toBeLessThanOrEqual(100);
  });

  it('includes now when it is near the windows, and gives a short window a visible sliver', () => {
    const windows = [w(1, 'REGISTRATION', [1, 2, 3, 4], at(0), at(30)), w(2, 'REGISTRATION', [3], at(10), new Date(t0 + 10 * DAY + 60_000).toISOString())];
    const layout = layoutTimeline(windows, t0 - 5 * DAY);
    expect(layout.now).toBeGreaterThan(0);
    expect(layout.now).toBeLessThan(layout.rows[1]!.bars[0]!.left);
    expect(layout.rows[1]!.bars[1]!.width).toBeGreaterThanOrEqual(0.6);
    expect(layout.ticks).toHaveLength(5);
  });

  it('over a fixed range around now, leaves out the windows outside it and cuts those across its edges', () => {
    const now = t0 + 10 * DAY;
    const windows = [w(1, 'CART', [1, 2, 3, 4], at(0), at(40)), w(2, 'REGISTRATION', [3], at(10), new Date(now + 3 * 3_600_000).toISOString()), w(3, 'ADD_DROP', [1], at(30), at(31))];
    const range = viewRange('day', now)!;
    expect(range).toEqual({ start: now - 3 * 3_600_000, end: now + 21 * 3_600_000 });
    const layout = layoutTimeline(windows, now, 5, range);
    expect(layout.rows[0]!.bars[0]).toMatchObject({ left: 0, width: 100 });
    expect(layout.rows[1]!.bars[0]).toMatchObject({ left: 12.5, width: 12.5 });
    expect(layout.rows[2]!.bars).toEqual([]);
    expect(layout.now).toBe(12.5);
    expect(viewRange('all', now)).toBeUndefined();
  });

  it("tells a window's state at a time", () => {
    const x = w(1, 'CART', [1], at(1), at(2));
    expect(stateOf(x, t0)).toBe('upcoming');
    expect(stateOf(x, t0 + 1.5 * DAY)).toBe('open');
    expect(stateOf(x, t0 + 2 * DAY)).toBe('closed');
  });

  it('converts datetime-local values and instants (the specs run in UTC)', () => {
    expect(toLocalInput('2026-02-09T01:00:30Z')).toBe('2026-02-09T01:00');
    expect(fromLocalInput('2026-02-09T10:00')).toBe('2026-02-09T10:00:00.000Z');
    expect(fromLocalInput('')).toBeUndefined();
  });
});
