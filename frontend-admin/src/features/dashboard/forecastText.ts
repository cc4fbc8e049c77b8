import { percentParts, registrationWindowOf, spanParts } from '@goorm/contracts';

/**
 * The forecast in words for staff. Registration minutes (the model's clock) count only while a window is
 * open (the contract's registrationWindowOf), so minute 962 is 2 minutes into grade 2's window.
 */

type T = (key: string, params?: Record<string, string | number>) => string;

const PERCENT = { under: (n: number) => `<${n}%`, over: (n: number) => `>${n}%`, value: (n: number) => `${n}%` } as const;

/** `82%`; `<1%` and `>99%` for what is nearly impossible or nearly certain but not quite. */
export function percentText(p: number): string {
  const { kind, n } = percentParts(p);
  return PERCENT[kind](n);
}

/** When the section is expected to be full: `개시 후 약 2분`, `2학년 개시 후 약 1시간 5분`, or `마감 가능성 낮음`. */
export function fillTimeText(minutes: number | null, t: T): string {
  if (minutes === null) return t('dashboard.forecast.unlikely');
  const { index, grade, within } = registrationWindowOf(minutes);
  const { kind, ...parts } = spanParts(within);
  const span = t(`dashboard.forecast.span.${kind}`, parts);
  return index === 0 ? t('dashboard.forecast.afterOpening', { span }) : t('dashboard.forecast.afterGradeOpening', { grade, span });
}
