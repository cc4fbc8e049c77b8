import { config, type Period } from '../config.ts';
import { DAYS, type AnySection, type Day, type Meeting, type SectionCore } from '@goorm/contracts';

type T = (key: string, params?: Record<string, string | number>) => string;

const dayIndex = (d: Day) => DAYS.indexOf(d);

export function sortMeetings(meetings: readonly Meeting[]): Meeting[] {
  return [...meetings].sort((a, b) => dayIndex(a.day) - dayIndex(b.day) || a.startPeriod - b.startPeriod);
}

/** The clock times a run of periods covers (`11:00`–`12:50` for periods 3–4), or undefined when the table lacks one. */
export function periodTimes(
  startPeriod: number,
  endPeriod: number,
  periods: readonly Period[] = config.periods,
): { from: string; to: string } | undefined {
  const first = periods.find((p) => p.no === startPeriod);
  const last = periods.find((p) => p.no === endPeriod);
  return first && last ? { from: first.start, to: last.end } : undefined;
}

/** `화 3–4교시` / `Tue periods 3–4`, without clock times. */
export function formatPeriods(m: Meeting, t: T): string {
  const day = t(`days.${m.day}`);
  return m.startPeriod === m.endPeriod
    ? t('section.periodSingle', { day, start: m.startPeriod })
    : t('section.periodRange', { day, start: m.startPeriod, end: m.endPeriod });
}

/** `화 3–4교시 (11:00–12:50)`: the periods and, from the period table, their clock times. */
export function formatMeeting(m: Meeting, t: T, periods: readonly Period[] = config.periods): string {
  const when = formatPeriods(m, t);
  const times = periodTimes(m.startPeriod, m.endPeriod, periods);
  return times ? t('section.withTime', { when, from: times.from, to: times.to }) : when;
}

/** `월 1–2교시 (09:00–10:50), 수 3교시 (11:00–11:50)` (Korean) or `Mon periods 1–2 (09:00–10:50), …` (English). */
export function formatMeetings(meetings: readonly Meeting[], t: T, periods: readonly Period[] = config.periods): string {
  if (meetings.length === 0) return t('section.noMeetings');
  return sortMeetings(meetings)
    .map((m) => formatMeeting(m, t, periods))
    .join(', ');
}

/** The lecture's title in the language shown: the English title in English when there is one. */
export const lectureTitle = (lecture: Pick<AnySection['lecture'], 'title' | 'titleEn'>, english = false) =>
  english && lecture.titleEn ? lecture.titleEn : lecture.title;

/** Localised "자료구조 1분반" / "Data Structures, section 1". */
export function sectionName(section: Pick<AnySection, 'sectionNo' | 'lecture'>, t: T, english = false): string {
  return t('section.name', { title: lectureTitle(section.lecture, english), no: section.sectionNo });
}

export const seatsLeft = (s: Pick<SectionCore, 'capacity' | 'enrolled'>) => Math.max(0, s.capacity - s.enrolled);

/** Whether no seat is free: every seat taken, or (a search item) none left that the section could give. */
export const isFull = (s: Pick<SectionCore, 'capacity' | 'enrolled'> & { seatsLeft?: number }) => seatsLeft(s) === 0 || s.seatsLeft === 0;
