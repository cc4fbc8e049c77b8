/** Environment, read once and validated. Nothing else reads `import.meta.env`. */
export interface AppConfig {
  /** Prefix of every API call; the gateway serves the app and the API on one origin. */
  readonly apiBase: string;
  /** How often the registration dashboard refreshes while its tab is visible. */
  readonly dashboardRefreshMs: number;
  readonly defaultLocale: 'ko' | 'en';
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function apiBase(raw: string | undefined): string {
  const base = raw ?? '';
  if (base !== '' && !/^(https?:\/\/|\/)/.test(base)) throw new Error(`VITE_API_BASE must be a URL or a path, got "${base}"`);
  return base.replace(/\/$/, '');
}

export const config: AppConfig = Object.freeze({
  apiBase: apiBase(import.meta.env.VITE_API_BASE),
  dashboardRefreshMs: positiveInt(import.meta.env.VITE_DASHBOARD_REFRESH_MS, 3000, 'VITE_DASHBOARD_REFRESH_MS'),
  defaultLocale: 'ko',
});
