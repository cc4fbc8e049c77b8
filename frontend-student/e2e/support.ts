/**
 * What the end-to-end files share: the backend (every service + the gateway on SQLite with the
 * demo data, serving a build of the student app of its own), Debian's Chromium, the API as a
 * student or staff member sees it, and the steps every story takes in the app (log in, search).
 */
import { fileURLToPath } from 'node:url';
import { eligibilityOf, firstClash, type Section, type SectionCore } from '@goorm/contracts';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PASSWORD, startBackend as startAppBackend, type Backend } from '../../scripts/e2e.ts';

export { HttpError, PASSWORD, shot, type Api, type Backend, type LoggedIn } from '../../scripts/e2e.ts';

export const appRoot = fileURLToPath(new URL('..', import.meta.url));
/** The demo student the stories follow (grade 3). */
export const STUDENT_NO = '20240001';

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' };
export const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ko-KR' };

/** A section as the search answers it (the contract's search item). */
export type ApiSection = Section;

/** Whether two sections meet at the same time (the contract's meeting overlap). */
export const clash = (a: Pick<SectionCore, 'meetings'>, b: Pick<SectionCore, 'meetings'>) => firstClash(a.meetings, b.meetings) !== undefined;
/** Whether the student may take the section (the contract's rule: major, then grade). */
export const eligibleFor = (student: { majorId: number; grade: number }) => (s: Pick<SectionCore, 'grades' | 'allowedMajorIds'>) =>
  eligibilityOf(s, student).eligible === true;
/** How the app names a section, e.g. `자료구조 1분반`. */
export const nameKo = (s: Pick<SectionCore, 'lecture' | 'sectionNo'>) => `${s.lecture.title} ${s.sectionNo}분반`;

/** The backend serving a fresh build of the student app at `/`, and Chromium. */
export const startBackend = (name: string, env: Record<string, string> = {}): Promise<Backend> =>
  startAppBackend({ root: appRoot, dirEnv: 'STUDENT_APP_DIR' }, name, env);

/** Signs in on the login screen and waits for the course search. */
export async function login(p: Page, studentNo = STUDENT_NO) {
  await p.getByLabel('학번').fill(studentNo);
  await p.getByLabel('비밀번호').fill(PASSWORD);
  await p.getByRole('button', { name: '로그인' }).click();
  await expect.poll(() => p.getByRole('heading', { name: '강의 검색' }).isVisible(), { timeout: 15_000 }).toBe(true);
}

/** Searches the catalog (filters left out are cleared) and waits for the answer and the table. */
export async function search(p: Page, filters: { q?: string; day?: string; period?: number }) {
  await p.getByLabel('검색어').fill(filters.q ?? '');
  // On a phone the detailed filters are folded behind one button.
  const more = p.getByRole('button', { name: /^상세 조건/ });
  if ((await more.isVisible()) && (await more.getAttribute('aria-expanded')) === 'false') await more.click();
  await p.getByLabel('요일').selectOption(filters.day ?? '');
  await p.getByLabel('교시').selectOption(filters.period ? String(filters.period) : '');
  const answered = p.waitForResponse((r) => r.url().includes('/api/lectures/sections?') && r.request().method() === 'GET');
  await p.getByRole('button', { name: '검색', exact: true }).click();
  await answered;
  await p.getByRole('table').waitFor();
}

/** The search, cart or timetable row of a section. */
export const rowOf = (p: Page, s: ApiSection) => p.locator(`tr[data-section-id="${s.id}"]`);
/** The app's per-section results: successes (polite status) and refusals (alert). */
export const status = (p: Page) => p.locator('.action-results [role="status"]');
export const alert = (p: Page) => p.locator('.action-results [role="alert"]');
