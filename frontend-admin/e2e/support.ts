/**
 * What the staff app's end-to-end files share: the backend (every service + the gateway on SQLite with
 * the demo data, serving a build of the staff app of its own at /admin/), Debian's Chromium, the API as
 * a student or staff member sees it, axe-core, and the sign-in step.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { LoginResult } from '@goorm/contracts';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const appRoot = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = path.resolve(appRoot, '..');
const shots = path.join(repoRoot, 'docs', 'screenshots');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Every demo account's password (generated demo data only). */
export const PASSWORD = 'password123';
export const STAFF_LOGIN = 'admin';

export const LAPTOP: BrowserContextOptions = { viewport: { width: 1366, height: 820 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul', acceptDownloads: true };
export const TABLET: BrowserContextOptions = { viewport: { width: 820, height: 1180 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul', hasTouch: true };

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
  /** The gateway, e.g. http://127.0.0.1:41234; the staff app is at `${url}/admin/`. */
  url: string;
  browser: Browser;
  /** JSON through the gateway; a status other than 2xx throws an HttpError. */
  api: Api;
  logIn(role: 'student' | 'staff', loginId: string): Promise<LoginResult>;
  stop(): Promise<void>;
}

interface System {
  url: string;
  stop(): Promise<void>;
}

/** Builds the staff app into a temp directory of this run, starts the backend serving it on free ports, and launches Chromium. */
export async function startBackend(name: string, env: Record<string, string> = {}): Promise<Backend> {
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), `goorm-admin-e2e-${name}-`));
  const appDir = path.join(dataDir, 'admin-app');
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
    if (!existsSync(systemFile)) throw new Error(`${systemFile} does not exist: the backend cannot be started`);
    const { startSystem } = (await import(pathToFileURL(systemFile).href)) as { startSystem(o: Record<string, unknown>): Promise<System> };
    system = await startSystem({ dataDir, gatewayPort: 0, servicePorts: 'free', quiet: true, seed: true, env: { ...env, ADMIN_APP_DIR: appDir } });
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
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  const logIn = (role: 'student' | 'staff', loginId: string) =>
    api<LoginResult>('/api/auth/login', undefined, { method: 'POST', body: JSON.stringify({ role, loginId, password: PASSWORD }) });
  return { url, browser, api, logIn, stop };
}

/** Saves docs/screenshots/<name>.png once the fonts have loaded. */
export async function shot(p: Page, name: string, fullPage = false) {
  await p.evaluate(() => document.fonts.ready);
  await p.screenshot({ path: path.join(shots, `${name}.png`), fullPage });
}

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
