/**
 * A small iCalendar (RFC 5545) writer for the weekly timetable: one weekly recurring VEVENT per
 * meeting, from the first class day of the term to its last, at the clock times of the period table.
 * Text values are escaped (\\ ; , newline), lines end in CRLF and are folded at 75 octets without
 * splitting a UTF-8 character.
 */
import type { Period } from '../config.ts';
import { DAYS, type AnySection, type Day, type Meeting, type Term } from '@goorm/contracts';
import { periodTimes, sortMeetings } from './meetings.ts';

export interface IcsEvent {
  uid: string;
  summary: string;
  location?: string;
  description?: string;
  /** Local date-times in the calendar's zone, `YYYYMMDDTHHMMSS`. */
  start: string;
  end: string;
  /** e.g. `FREQ=WEEKLY;UNTIL=20260619T145959Z` */
  rrule?: string;
}

export interface CalendarOptions {
  /** IANA zone id, e.g. Asia/Seoul. */
  tzid: string;
  /** Its (fixed) UTC offset, `+09:00`. */
  utcOffset: string;
  /** DTSTAMP: when the file was made. */
  now: Date;
  name?: string;
}

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();
const octets = (s: string) => encoder.encode(s).length;

/** Folds one content line into chunks of at most 75 octets; continuation lines start with one space. */
export function foldLine(line: string): string {
  if (octets(line) <= 75) return line;
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const n = octets(ch);
    if (size + n > 75) {
      out.push(current);
      current = ' ';
      size = 1;
    }
    current += ch;
    size += n;
  }
  out.push(current);
  return out.join('\r\n');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const utcStamp = (d: Date) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
const compactOffset = (offset: string) => offset.replace(':', '');
function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) throw new Error(`not a UTC offset: ${offset}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** The whole VCALENDAR, CRLF line ends, folded. */
export function buildCalendar(events: readonly IcsEvent[], opts: CalendarOptions): string {
  const offset = compactOffset(opts.utcOffset);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Goorm University//Course Registration//KO',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(opts.name ? [`X-WR-CALNAME:${escapeText(opts.name)}`] : []),
    `X-WR-TIMEZONE:${opts.tzid}`,
    'BEGIN:VTIMEZONE',
    `TZID:${opts.tzid}`,
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    `TZOFFSETFROM:${offset}`,
    `TZOFFSETTO:${offset}`,
    'END:STANDARD',
    'END:VTIMEZONE',
    ...events.flatMap((e) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utcStamp(opts.now)}`,
      `DTSTART;TZID=${opts.tzid}:${e.start}`,
      `DTEND;TZID=${opts.tzid}:${e.end}`,
      ...(e.rrule ? [`RRULE:${e.rrule}`] : []),
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** Day of the week of a `YYYY-MM-DD` (0 = Monday … 6 = Sunday), from its calendar date alone. */
function weekdayOf(ymd: [number, number, number]): number {
  return (new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2])).getUTCDay() + 6) % 7;
}
function parseDate(iso: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new Error(`not a date: ${iso}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The first date on or after `from` that falls on `day`, as `YYYYMMDD` (and as a UTC date for comparisons). */
export function firstDateOn(from: string, day: Day): { ymd: string; utc: number } {
  const d = parseDate(from);
  const shift = (DAYS.indexOf(day) - weekdayOf(d) + 7) % 7;
  const date = new Date(Date.UTC(d[0], d[1] - 1, d[2] + shift));
  return { ymd: `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`, utc: date.getTime() };
}

export interface TimetableCalendarInput {
  sections: readonly AnySection[];
  term: Pick<Term, 'id' | 'code' | 'startsOn' | 'endsOn'>;
  periods: readonly Period[];
  tzid: string;
  utcOffset: string;
  now: Date;
  /** SUMMARY of a section, e.g. `자료구조 1분반`. */
  summary: (s: AnySection) => string;
  description?: (s: AnySection) => string;
  name?: string;
}

/** The timetable as a calendar: every meeting weekly from its first day in the term until the term's last day. */
export function timetableCalendar(input: TimetableCalendarInput): string {
  const [ey, em, ed] = parseDate(input.term.endsOn);
  const lastDay = Date.UTC(ey, em - 1, ed);
  // The end of the last day, local time, in UTC (RRULE UNTIL must be UTC when DTSTART has a TZID).
  const until = utcStamp(new Date(Date.UTC(ey, em - 1, ed, 23, 59, 59) - offsetMinutes(input.utcOffset) * 60_000));
  const events: IcsEvent[] = [];
  for (const s of input.sections) {
    sortMeetings(s.meetings).forEach((m: Meeting) => {
      const times = periodTimes(m.startPeriod, m.endPeriod, input.periods);
      if (!times) return;
      const first = firstDateOn(input.term.startsOn, m.day);
      if (first.utc > lastDay) return;
      events.push({
        uid: `term${input.term.id}-section${s.id}-${m.day}-${m.startPeriod}@student.goorm.ac.kr`,
        summary: input.summary(s),
        location: s.room || undefined,
        description: input.description?.(s),
        start: `${first.ymd}T${times.from.replace(':', '')}00`,
        end: `${first.ymd}T${times.to.replace(':', '')}00`,
        rrule: `FREQ=WEEKLY;UNTIL=${until}`,
      });
    });
  }
  return buildCalendar(events, { tzid: input.tzid, utcOffset: input.utcOffset, now: input.now, name: input.name });
}
