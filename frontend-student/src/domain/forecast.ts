import { percentParts, pFillWithin10, registrationWindowOf, spanParts, type SectionForecast } from '@goorm/contracts';

type T = (key: string, params?: Record<string, string | number>) => string;

/** `약 2분`, `약 1시간 24분`, `1분 이내`: a span of registration minutes, rounded to the minute. */
export function formatSpan(minutes: number, t: T): string {
  const { kind, ...parts } = spanParts(minutes);
  return t(`forecast.span.${kind}`, parts);
}

/**
 * When the section is expected to be full, from `expectedFillMinutes` (registration minutes):
 * 2 → `개시 후 약 2분`, 962 → `2학년 신청 개시 후 약 2분`; null (unlikely to fill) → `마감 가능성 낮음`.
 */
export function formatFillTime(minutes: number | null, t: T): string {
  if (minutes === null) return t('forecast.fill.unlikely');
  const { index, grade, within } = registrationWindowOf(minutes);
  const span = formatSpan(within, t);
  return index === 0 ? t('forecast.fill.afterOpening', { span }) : t('forecast.fill.afterGradeOpening', { grade, span });
}

/** A probability as a whole percentage: `41%`, `1% 미만` below 0.5 %, `99% 초과` above 99.5 % but not certain. */
export function formatProbability(p: number, t: T): string {
  const { kind, n } = percentParts(p);
  return t(`forecast.percent.${kind}`, { n });
}

/** The badge's description, one line each: P(full before registration ends), P(full within 10 minutes), the expected fill time. */
export function forecastLines(f: SectionForecast, t: T): string[] {
  const within10 = pFillWithin10(f);
  return [
    t('forecast.pFill', { p: formatProbability(f.pFill, t) }),
    ...(within10 === undefined ? [] : [t('forecast.pFill10', { p: formatProbability(within10, t) })]),
    t('forecast.expected', { when: formatFillTime(f.expectedFillMinutes, t) }),
  ];
}

/** The same lines as one sentence for the accessible description: `… · … · …`. */
export const forecastDescription = (f: SectionForecast, t: T): string => forecastLines(f, t).join(' · ');
