import type { ConflictInfo, ErrorCode } from '../api/http.ts';
import type { Section } from '../api/types.ts';
import { formatPeriods, sectionName } from './meetings.ts';

export type ActionKind = 'enroll' | 'drop' | 'swap' | 'cartAdd' | 'cartRemove';

/** What happened to one action on one section, kept for the result list and the live region. */
export interface Outcome {
  id: number;
  kind: ActionKind;
  ok: boolean;
  section: Pick<Section, 'id' | 'sectionNo' | 'lecture'>;
  /** swap: the new section. */
  target?: Pick<Section, 'id' | 'sectionNo' | 'lecture'>;
  code?: ErrorCode;
  conflict?: ConflictInfo;
  /** TIME_CONFLICT: the clashing section when the app could name it from the student's timetable. */
  conflictSection?: Pick<Section, 'id' | 'sectionNo' | 'lecture'>;
}

type T = (key: string, params?: Record<string, string | number>) => string;

const KNOWN = new Set([
  'SECTION_FULL',
  'TIME_CONFLICT',
  'CREDIT_LIMIT',
  'WINDOW_CLOSED',
  'NOT_ELIGIBLE',
  'ALREADY_ENROLLED',
  'QUEUE_REQUIRED',
  'RATE_LIMITED',
  'CART_LIMIT',
  'DUPLICATE',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'IDEMPOTENCY_CONFLICT',
  'NETWORK',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
]);

function conflictWhen(c: ConflictInfo | undefined, t: T): string | undefined {
  if (!c || typeof c.day !== 'string' || typeof c.startPeriod !== 'number') return undefined;
  const endPeriod = typeof c.endPeriod === 'number' ? c.endPeriod : c.startPeriod;
  return formatPeriods({ day: c.day, startPeriod: c.startPeriod, endPeriod }, t);
}

function conflictSectionName(o: Outcome, t: T, english: boolean): string | undefined {
  if (o.conflictSection) return sectionName(o.conflictSection, t, english);
  const c = o.conflict;
  if (!c) return undefined;
  const lecture = c.lecture && typeof c.lecture === 'object' ? (c.lecture as Record<string, unknown>) : {};
  const title = [c.lectureTitle, c.title, lecture.title].find((x): x is string => typeof x === 'string');
  const code = [c.lectureCode, c.code, lecture.code].find((x): x is string => typeof x === 'string');
  const no = typeof c.sectionNo === 'number' ? c.sectionNo : undefined;
  if (title && no !== undefined) return t('section.name', { title, no });
  if (title) return title;
  if (code && no !== undefined) return `${code}-${no}`;
  if (code) return code;
  return typeof c.sectionId === 'number' ? `#${c.sectionId}` : undefined;
}

/** Names the clashing section of a TIME_CONFLICT (and when it meets) from the problem document or the timetable. */
export function conflictName(o: Outcome, t: T, english = false): string | undefined {
  const name = conflictSectionName(o, t, english);
  if (!name) return undefined;
  const when = conflictWhen(o.conflict, t);
  return when ? `${name} (${when})` : name;
}

/** The Korean (or English) message of an outcome, without the section name; `english` picks the English lecture titles. */
export function outcomeMessage(o: Outcome, t: T, english = false): string {
  if (o.ok) return t(`results.ok.${o.kind}`, { to: o.target ? sectionName(o.target, t, english) : '' });
  const code = o.code ?? 'INTERNAL';
  if (code === 'TIME_CONFLICT') {
    const name = conflictName(o, t, english);
    return name ? t('results.codes.TIME_CONFLICT', { conflict: name }) : t('results.codes.TIME_CONFLICT_UNNAMED');
  }
  return KNOWN.has(code) ? t(`results.codes.${code}`) : t('results.codes.UNKNOWN', { code });
}

export function outcomeLine(o: Outcome, t: T, english = false): string {
  return t('results.line', { section: sectionName(o.section, t, english), message: outcomeMessage(o, t, english) });
}
