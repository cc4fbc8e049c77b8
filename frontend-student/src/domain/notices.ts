import type { Notice } from '@goorm/contracts';

type T = (key: string, params?: Record<string, string | number>) => string;

/** The refusal codes a skip can carry that have words of their own (others read as "the rules refused"). */
const SKIP_CODES = ['TIME_CONFLICT', 'CREDIT_LIMIT', 'NOT_ELIGIBLE', 'ALREADY_ENROLLED', 'SECTION_FULL'] as const;

/** Why a freed seat went past the student, in words: `시간 중복`, `학점 초과`, … */
export function skipReason(code: string | null | undefined, t: T): string {
  return (SKIP_CODES as readonly string[]).includes(code ?? '') ? t(`waitlist.reasons.${code}`) : t('waitlist.reasons.other');
}

/** A notice in words, e.g. `자료구조 1분반 대기 순번이 되어 자동 신청되었습니다`. */
export function noticeMessage(n: Notice, t: T): string {
  const section = t('section.name', { title: n.lectureTitle, no: n.sectionNo });
  const message = t(`notices.kinds.${n.kind}`, { section, reason: skipReason(n.code, t) });
  return n.kind === 'WAITLIST_REMOVED' && n.reason ? `${message} ${t('notices.staffReason', { reason: n.reason })}` : message;
}
