type T = (key: string, params?: Record<string, string | number>) => string;

/** "1시간 2분 3초" / "1h 2m 3s"; never negative. */
export function formatDuration(totalSeconds: number, t: T): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return t('duration.days', { d, h, m });
  if (h > 0) return t('duration.hours', { h, m, s: sec });
  if (m > 0) return t('duration.minutes', { m, s: sec });
  return t('duration.seconds', { s: sec });
}
