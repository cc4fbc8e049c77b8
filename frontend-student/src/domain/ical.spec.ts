import { describe, expect, it } from 'vitest';
import { defaultPeriods } from '../config.ts';
import { makeSection } from '../testing/fixtures.ts';
import { buildCalendar, escapeText, firstDateOn, foldLine, timetableCalendar } from './ical.ts';

const utf8 = (s: string) => new TextEncoder().encode(s).length;

describe('escapeText', () => {
  it('escapes backslashes, semicolons, commas and line breaks (RFC 5545 TEXT)', () => {
    expect(escapeText('a\\b; c, d\ne\r\nf')).toBe('a\\\\b\\; c\\, d\\ne\\nf');
  });
});

describe('foldLine', () => {
  it('leaves lines of 75 octets alone', () => {
    const line = `SUMMARY:${'x'.repeat(67)}`;
    expect(utf8(line)).toBe(75);
    expect(foldLine(line)).toBe(line);
  });

  it('folds longer lines with CRLF and one space, at most 75 octets each, never inside a Korean character', () => {
    const line = `SUMMARY:${'자료구조와 알고리즘, '.repeat(12)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(utf8(p)).toBeLessThanOrEqual(75);
    for (const p of parts.slice(1)) expect(p.startsWith(' ')).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(folded).not.toContain('\uFFFD');
  });
});

describe('firstDateOn', () => {
  it('finds the first given weekday on or after a date', () => {
    expect(firstDateOn('2026-03-02', 'MON').ymd).toBe('20260302'); // a Monday
    expect(firstDateOn('2026-03-02', 'WED').ymd).toBe('20260304');
    expect(firstDateOn('2026-03-04', 'MON').ymd).toBe('20260309');
  });
});

describe('timetableCalendar', () => {
  const section = makeSection({
    id: 7,
    room: '공학관 301',
    professor: { name: '이교수' },
    meetings: [
      { day: 'TUE', startPeriod: 3, endPeriod: 4 },
      { day: 'THU', startPeriod: 3, endPeriod: 3 },
    ],
  });
  const ics = timetableCalendar({
    sections: [section],
    term: { id: 1, code: '2026-1', startsOn: '2026-03-02', endsOn: '2026-06-19' },
    periods: defaultPeriods(),
    tzid: 'Asia/Seoul',
    utcOffset: '+09:00',
    now: new Date('2026-02-10T01:02:03Z'),
    summary: () => '자료구조 1분반',
    description: () => 'CSE2010, 이교수; 3학점',
    name: '주간 시간표',
  });
  const lines = ics.split('\r\n');

  it('is a VCALENDAR with CRLF line ends and the campus time zone', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines).toContain('TZID:Asia/Seoul');
    expect(lines).toContain('TZOFFSETTO:+0900');
  });

  it('writes one weekly event per meeting at the period table’s clock times, until the term’s last day (UTC)', () => {
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
    expect(lines).toContain('DTSTART;TZID=Asia/Seoul:20260303T110000');
    expect(lines).toContain('DTEND;TZID=Asia/Seoul:20260303T125000');
    expect(lines).toContain('DTSTART;TZID=Asia/Seoul:20260305T110000');
    expect(lines).toContain('DTEND;TZID=Asia/Seoul:20260305T115000');
    expect(lines.filter((l) => l === 'RRULE:FREQ=WEEKLY;UNTIL=20260619T145959Z')).toHaveLength(2);
    expect(lines).toContain('DTSTAMP:20260210T010203Z');
    expect(lines).toContain('UID:term1-section7-TUE-3@student.goorm.ac.kr');
  });

  it('escapes the text of summary, location and description', () => {
    expect(lines).toContain('SUMMARY:자료구조 1분반');
    expect(lines).toContain('LOCATION:공학관 301');
    expect(lines).toContain('DESCRIPTION:CSE2010\\, 이교수\\; 3학점');
  });

  it('leaves out a meeting whose periods are not in the period table', () => {
    const late = makeSection({ meetings: [{ day: 'MON', startPeriod: 14, endPeriod: 15 }] });
    const out = buildCalendar([], { tzid: 'Asia/Seoul', utcOffset: '+09:00', now: new Date(0) });
    expect(out).not.toContain('BEGIN:VEVENT');
    const short = timetableCalendar({
      sections: [late],
      term: { id: 1, code: '2026-1', startsOn: '2026-03-02', endsOn: '2026-06-19' },
      periods: defaultPeriods(9),
      tzid: 'Asia/Seoul',
      utcOffset: '+09:00',
      now: new Date(0),
      summary: () => 'x',
    });
    expect(short).not.toContain('BEGIN:VEVENT');
  });
});
