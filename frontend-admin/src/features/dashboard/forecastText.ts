import { registrationWindowOf, type SectionForecast } from '@goorm/contracts';

/**
 * The forecast in words for staff. Registration minutes (the model's clock) count only while a window is
 * open (the contract's registrationWindowOf), so minute 962 is 2 minutes into grade 2's window.
 */

type T = (key: string, params?: Record<string, string | number>) => string;

/** `82%`; `<1%` and `>99%` for what is nearly impossible or nearly certain but not quite. */
export function percentText(p: number): string {
  if (p > 0 && p < 0.005) return '<1%';
  if (p < 1 && p > 0.995) return '>99%';
  return `${Math.round(p * 100)}%`;
}

/** When the section is expected to be full: `개시 후 약 2분`, `2학년 개시 후 약 1시간 5분`, or `마감 가능성 낮음`. */
export function fillTimeText(minutes: number | null, t: T): string {
  if (minutes === null) return t('dashboard.forecast.unlikely');
  const { index, grade, within } = registrationWindowOf(minutes);
  const m = Math.round(within);
  const span =
    m < 1
      ? t('dashboard.forecast.span.underMinute')
      : m < 60
        ? t('dashboard.forecast.span.minutes', { m })
        : m % 60 === 0
          ? t('dashboard.forecast.span.hours', { h: Math.floor(m / 60) })
          : t('dashboard.forecast.span.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 });
  return index === 0 ? t('dashboard.forecast.afterOpening', { span }) : t('dashboard.forecast.afterGradeOpening', { grade, span });
}

/** P(full within 10 registration minutes), when the model forecasts that horizon. */
export const within10 = (f: SectionForecast): number | undefined => f.pFillWithin['10'];
