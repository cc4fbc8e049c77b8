import { registrationWindowOf, type SectionForecast } from '@goorm/contracts';

type T = (key: string, params?: Record<string, string | number>) => string;

/** `약 2분`, `약 1시간 24분`, `1분 이내`: a span of registration minutes, rounded to the minute. */
export function formatSpan(minutes: number, t: T): string {
  const m = Math.round(minutes);
  if (m < 1) return t('forecast.span.underMinute');
  if (m < 60) return t('forecast.span.minutes', { m });
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? t('forecast.span.hours', { h }) : t('forecast.span.hoursMinutes', { h, m: rest });
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
  if (p > 0 && p < 0.005) return t('forecast.percent.under', { n: 1 });
  if (p < 1 && p > 0.995) return t('forecast.percent.over', { n: 99 });
  return t('forecast.percent.value', { n: Math.round(p * 100) });
}

/** P(full within 10 registration minutes) (the forecast's key "10"). */
export const pFillWithin10 = (f: SectionForecast): number | undefined => f.pFillWithin['10'];

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
