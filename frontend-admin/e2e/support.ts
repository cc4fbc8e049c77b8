/**
 * What the staff app's end-to-end files share: the backend (every service + the gateway on SQLite with
 * the demo data, serving a build of the staff app of its own at /admin/), Debian's Chromium, the API as
 * a student or staff member sees it, axe-core, and the sign-in step.
 */
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PASSWORD, startBackend as startAppBackend, type Backend } from '../../scripts/e2e.ts';

export { HttpError, PASSWORD, shot, type Api, type Backend, type LoggedIn } from '../../scripts/e2e.ts';

export const appRoot = fileURLToPath(new URL('..', import.meta.url));
export const STAFF_LOGIN = 'admin';

export const LAPTOP: BrowserContextOptions = { viewport: { width: 1366, height: 820 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul', acceptDownloads: true };
export const TABLET: BrowserContextOptions = { viewport: { width: 820, height: 1180 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul', hasTouch: true };

/** The backend serving a fresh build of the staff app at `/admin/`, and Chromium. */
export const startBackend = (name: string, env: Record<string, string> = {}): Promise<Backend> =>
  startAppBackend({ root: appRoot, dirEnv: 'ADMIN_APP_DIR' }, name, env);

/** axe-core on the current screen: no serious or critical violation (WCAG 2 A/AA rules). */
export async function expectAccessible(p: Page, screen: string) {
  const result = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Signs in on the staff sign-in screen and waits for the dashboard. */
export async function signIn(p: Page, base: string, loginId = STAFF_LOGIN) {
  await p.goto(`${base}/admin/login`);
  await p.getByLabel('아이디').fill(loginId);
  await p.getByLabel('비밀번호').fill(PASSWORD);
  await p.getByRole('button', { name: '로그인' }).click();
  await expect.poll(() => p.getByRole('heading', { name: '수강신청 현황' }).isVisible(), { timeout: 15_000 }).toBe(true);
}
