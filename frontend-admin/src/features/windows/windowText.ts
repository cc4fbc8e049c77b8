import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { ALL_GRADES, type EnrollmentWindow } from '@goorm/contracts';

/** A window in words: "수강신청 · 3학년 · 2026. 02. 09. 10:00 – 2026. 02. 13. 18:00", in the user's language and time zone. */
export function useWindowText() {
  const { t, locale } = useI18n();
  const fmt = computed(
    () => new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }),
  );
  const dateTime = (iso: string | number) => fmt.value.format(new Date(iso));
  const grades = (g: readonly number[]) =>
    ALL_GRADES.every((x) => g.includes(x)) ? t('common.allGrades') : t('common.grades', { grades: [...g].sort((a, b) => a - b).join(', ') });
  const describe = (w: EnrollmentWindow) =>
    t('windows.timeline.bar', { phase: t(`phases.${w.phase}`), grades: grades(w.grades), opens: dateTime(w.opensAt), closes: dateTime(w.closesAt) });
  return { dateTime, grades, describe };
}
