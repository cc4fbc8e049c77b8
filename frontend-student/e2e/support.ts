/**
 * What the end-to-end files share: the backend (every service + the gateway on SQLite with the
 * demo data, serving a build of the student app of its own), Debian's Chromium, the API as a
 * student or staff member sees it, and the steps every story takes in the app (log in, search).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eligibilityOf, firstClash, type LoginResult, type Role, type Section, type SectionCore } from '@goorm/contracts';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const appRoot = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = path.resolve(appRoot, '..');
const shots = path.join(repoRoot, 'docs', 'screenshots');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Every demo account's password (generated demo data only). */
export const PASSWORD = 'password123';
/** The demo student the stories follow (grade 3). */
export const STUDENT_NO = '20240001';

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' };
export const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ko-KR' };

/** A section as the search answers it (the contract's search item). */
export type ApiSection = Section;
/** A sign-in as the contract answers it, its user narrowed to the role signed in as. */
export type LoggedIn<R extends Role = 'student'> = Omit<LoginResult, 'user'> & { user: Extract<LoginResult['user'], { role: R }> };

/** Whether two sections meet at the same time (the contract's meeting overlap). */
export const clash = (a: Pick<SectionCore, 'meetings'>, b: Pick<SectionCore, 'meetings'>) => firstClash(a.meetings, b.meetings) !== undefined;
/** Whether the student may take the section (the contract's rule: major, then grade). */
export const eligibleFor = (student: { majorId: number; grade: number }) => (s: Pick<SectionCore, 'grades' | 'allowedMajorIds'>) =>
  eligibilityOf(s, student).eligible === true;
/** How the app names a section, e.g. `자료구조 1분반`. */
export const nameKo = (s: Pick<SectionCore, 'lecture' | 'sectionNo'>) => `${s.lecture.title} ${s.sectionNo}분반`;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    message: string,
  ) {
    super(message);
  }
}

export type Api = <T>(pathname: string, token?: string, init?: RequestInit) => Promise<T>;

export interface Backend {
  /** The gateway, e.g. http://127.0.0.1:41234 */
  url: string;
  browser: Browser;
  /** JSON through the gateway; a status other than 2xx throws an HttpError. */
  api: Api;
  /** Signs in through the API (a student, or staff for the staff-only calls the stories make). */
  logIn<R extends Role>(role: R, loginId: string): Promise<LoggedIn<R>>;
  /** Closes the browser, stops every process, removes the data directory. */
  stop(): Promise<void>;
}

interface System {
  url: string;
  stop(): Promise<void>;
}

/**
 * Builds the student app into a temp directory of this run (so end-to-end files never race over
 * frontend-student/dist), starts the backend serving it on free ports, and launches Chromium.
 */
export async function startBackend(name: string, env: Record<string, string> = {}): Promise<Backend> {
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), `goorm-e2e-${name}-`));
  const appDir = path.join(dataDir, 'student-app');
  let system: System | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { build } = await import('vite');
    await build({ root: appRoot, configFile: path.join(appRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: appDir, emptyOutDir: true } });

    const systemFile = path.join(repoRoot, 'scripts', 'system.ts');
    if (!existsSync(systemFile)) throw new Error(`${systemFile} does not exist yet: the backend cannot be started`);
    const { startSystem } = (await import(pathToFileURL(systemFile).href)) as {
      startSystem(o: Record<string, unknown>): Promise<System>;
    };
    system = await startSystem({ dataDir, gatewayPort: 0, servicePorts: 'free', quiet: true, seed: true, env: { ...env, STUDENT_APP_DIR: appDir } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (err) {
    await stop();
    throw err;
  }

  const url = system.url;
  const api: Api = async <T>(pathname: string, token?: string, init: RequestInit = {}) => {
    const res = await fetch(`${url}${pathname}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers },
    });
    const text = await res.text();
    if (!res.ok) throw new HttpError(res.status, text, `${init.method ?? 'GET'} ${pathname} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  const logIn = <R extends Role>(role: R, loginId: string) =>
    api<LoggedIn<R>>('/api/auth/login', undefined, { method: 'POST', body: JSON.stringify({ role, loginId, password: PASSWORD }) });
  return { url, browser, api, logIn, stop };
}

/** Saves docs/screenshots/<name>.png once the fonts have loaded. */
export async function shot(p: Page, name: string) {
  await p.evaluate(() => document.fonts.ready);
  await p.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
}

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
