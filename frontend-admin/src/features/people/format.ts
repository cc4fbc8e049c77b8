import type { Meeting } from '@goorm/contracts';

/** A date and time in the reader's language and time zone, e.g. "2026. 3. 2. 오후 2:05". */
export function formatDateTime(iso: string, locale: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ko-KR', { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** Meetings in words through the day names of the catalogue: "월 1–2, 수 3". */
export function formatMeetings(meetings: readonly Meeting[], dayName: (day: Meeting['day']) => string): string {
  return meetings.map((m) => `${dayName(m.day)} ${m.startPeriod === m.endPeriod ? m.startPeriod : `${m.startPeriod}–${m.endPeriod}`}`).join(', ');
}
