import { describe, expect, it } from 'vitest';
import type { Meeting } from '@goorm/contracts';
import { createAppI18n } from '../i18n/index.ts';
import { formatMeetings } from './meetings.ts';

const ko = createAppI18n('ko').global.t;
const en = createAppI18n('en').global.t;

describe('formatMeetings', () => {
  it('orders by day and period, joins ranges with an en dash and adds the clock times of the period table', () => {
    const meetings: Meeting[] = [
      { day: 'WED', startPeriod: 3, endPeriod: 3 },
      { day: 'MON', startPeriod: 1, endPeriod: 2 },
    ];
    expect(formatMeetings(meetings, ko)).toBe('월 1–2교시 (09:00–10:50), 수 3교시 (11:00–11:50)');
    expect(formatMeetings(meetings, en)).toBe('Mon periods 1–2 (09:00–10:50), Wed period 3 (11:00–11:50)');
  });

  it('says when a section has no meeting time', () => {
    expect(formatMeetings([], ko)).toBe('시간 미정');
  });
});
