import { DAYS, type Day, type Meeting, type Section } from '../api/types.ts';

type T = (key: string, params?: Record<string, string | number>) => string;

const dayIndex = (d: Day) => DAYS.indexOf(d);

export function sortMeetings(meetings: readonly Meeting[]): Meeting[] {
  return [...meetings].sort((a, b) => dayIndex(a.day) - dayIndex(b.day) || a.startPeriod - b.startPeriod);
}

/** `월 1–2, 수 3` (Korean) or `Mon 1–2, Wed 3` (English). */
export function formatMeetings(meetings: readonly Meeting[], t: T): string {
  if (meetings.length === 0) return t('section.noMeetings');
  return sortMeetings(meetings)
    .map((m) =>
      m.startPeriod === m.endPeriod
        ? t('section.periodSingle', { day: t(`days.${m.day}`), start: m.startPeriod })
        : t('section.periodRange', { day: t(`days.${m.day}`), start: m.startPeriod, end: m.endPeriod }),
    )
    .join(', ');
}

export const meetingsOverlap = (a: Meeting, b: Meeting) =>
  a.day === b.day && a.startPeriod <= b.endPeriod && b.startPeriod <= a.endPeriod;

export const sectionsClash = (a: Section, b: Section) =>
  a.id !== b.id && a.meetings.some((m) => b.meetings.some((n) => meetingsOverlap(m, n)));

/** Localised "자료구조 1분반". */
export function sectionName(section: Pick<Section, 'sectionNo' | 'lecture'>, t: T, english = false): string {
  const title = english && section.lecture.titleEn ? section.lecture.titleEn : section.lecture.title;
  return t('section.name', { title, no: section.sectionNo });
}

export const seatsLeft = (s: Pick<Section, 'capacity' | 'enrolled'>) => Math.max(0, s.capacity - s.enrolled);
