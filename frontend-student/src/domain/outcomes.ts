import type { AnySection, Problem } from '@goorm/contracts';
import type { ClientErrorCode } from '@goorm/contracts/client';
import { formatPeriods, sectionName } from './meetings.ts';

export type ActionKind = 'enroll' | 'drop' | 'swap' | 'cartAdd' | 'cartRemove' | 'waitlistJoin' | 'waitlistLeave';

/** The section an outcome names. */
export type SectionRef = Pick<AnySection, 'id' | 'sectionNo' | 'lecture'>;
/** The enrolled section a TIME_CONFLICT names (the contract's problem member). */
export type TimeConflict = Problem<'TIME_CONFLICT'>['conflict'];

/** What happened to one action on one section, kept for the result list and the live region. */
export interface Outcome {
  id: number;
  kind: ActionKind;
  ok: boolean;
  section: SectionRef;
  /** swap: the new section. */
  target?: SectionRef;
  code?: ClientErrorCode;
  /** TIME_CONFLICT: the clashing section and meeting, as the problem document names them. */
  conflict?: TimeConflict;
  /** TIME_CONFLICT: the clashing section when the app could name it from the student's timetable. */
  conflictSection?: SectionRef;
  /** waitlistJoin: the place taken (1 = next) and how many wait in all. */
  waitlist?: { position: number; waiting: number };
}

type T = (key: string, params?: Record<string, string | number>) => string;

/** Names the clashing section of a TIME_CONFLICT (and when it meets) from the timetable or the problem document. */
export function conflictName(o: Outcome, t: T, english = false): string | undefined {
  const c = o.conflict;
  const name = o.conflictSection ? sectionName(o.conflictSection, t, english) : c ? t('section.name', { title: c.lectureTitle, no: c.sectionNo }) : undefined;
  if (!name) return undefined;
  return c ? `${name} (${formatPeriods(c, t)})` : name;
}

/** The Korean (or English) message of an outcome, without the section name; `english` picks the English lecture titles. */
export function outcomeMessage(o: Outcome, t: T, english = false): string {
  if (o.ok) return t(`results.ok.${o.kind}`, { to: o.target ? sectionName(o.target, t, english) : '', position: o.waitlist?.position ?? '', waiting: o.waitlist?.waiting ?? '' });
  const code = o.code ?? 'INTERNAL';
  if (code === 'TIME_CONFLICT') {
    const name = conflictName(o, t, english);
    return name ? t('results.codes.TIME_CONFLICT', { conflict: name }) : t('results.timeConflictUnnamed');
  }
  return t(`results.codes.${code}`);
}

export function outcomeLine(o: Outcome, t: T, english = false): string {
  return t('results.line', { section: sectionName(o.section, t, english), message: outcomeMessage(o, t, english) });
}
