import { describe, expect, it } from 'vitest';
import { config, defaultPeriods, parsePeriods } from './config.ts';

describe('the period table (교시 → clock time)', () => {
  it('defaults to 15 periods of 50 minutes every hour from 09:00', () => {
    expect(config.periods).toHaveLength(15);
    expect(config.periods[0]).toEqual({ no: 1, start: '09:00', end: '09:50' });
    expect(config.periods[2]).toEqual({ no: 3, start: '11:00', end: '11:50' });
    expect(config.periods[14]).toEqual({ no: 15, start: '23:00', end: '23:50' });
    expect(parsePeriods(undefined)).toEqual(defaultPeriods());
    expect(parsePeriods(' ')).toEqual(defaultPeriods());
  });

  it('reads VITE_PERIODS as comma-separated HH:MM-HH:MM ranges, period 1 first', () => {
    expect(parsePeriods('08:30-09:45, 10:00-11:15,13:00–14:15')).toEqual([
      { no: 1, start: '08:30', end: '09:45' },
      { no: 2, start: '10:00', end: '11:15' },
      { no: 3, start: '13:00', end: '14:15' },
    ]);
  });

  it.each([
    ['9-10', /period 1 "9-10"|not a time/],
    ['09:00-09:50,garbage', /period 2 "garbage" is not HH:MM-HH:MM/],
    ['09:00-08:50', /ends before it starts/],
    ['09:00-09:50,09:30-10:20', /period 2 .* starts before period 1 ends/],
    ['24:00-24:50', /not a time/],
    [Array.from({ length: 16 }, (_, i) => `${String(i + 6).padStart(2, '0')}:00-${String(i + 6).padStart(2, '0')}:50`).join(','), /at most 15/],
  ])('refuses %s with a readable message', (raw, message) => {
    expect(() => parsePeriods(raw)).toThrow(message);
  });
});
