/**
 * What both apps' end-to-end files share: the real backend (every service + the gateway on SQLite with
 * the demo data, started by startSystem on free ports) serving a fresh build of one app, Debian's
 * Chromium, JSON calls through the gateway, screenshots under docs/screenshots, and the
 * Content-Security-Policy violations of every page the tests open (the gateway's own header applies).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoginResult, Role } from '@goorm/contracts';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT, startSystem } from './system.ts';

const SHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
/** Debian's Chromium, never a downloaded browser; flags that work in CI's sandbox. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Every demo account's password (generated demo data only). */
export const PASSWORD = 'password123';

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
/** A sign-in as the contract answers it, its user narrowed to the role signed in as. */
export type LoggedIn<R extends Role = 'student'> = Omit<LoginResult, 'user'> & { user: Extract<LoginResult['user'], { role: R }> };

/** A Content-Security-Policy violation a page reported, e.g. `script-src-elem blocked inline at /login`. */
export interface CspViolation {
  /** The page's URL when it happened. */
  url: string;
  /** From the page's `securitypolicyviolation` event, or the console's "Content Security Policy" message. */
  via: 'event' | 'console';
  /** The directive broken (event), or the console's text. */
  what: string;
  /** What was blocked: a URL, `inline`, `eval`, with a sample of the code when the browser gives one. */
  blocked: string;
}

/**
 * Collects every CSP violation of the context's pages into `into`: a `securitypolicyviolation`
 * listener installed before any script of the page runs (init scripts and bindings are not subject to the
 * page's CSP) reports through a binding, and the console messages Chromium writes for a violation
 * ("… violates the following Content Security Policy directive …") are kept too.
 */
export async function watchCsp(context: BrowserContext, into: CspViolation[]): Promise<void> {
  await context.exposeBinding('__e2eCspViolation', ({ page }, v: { what: string; blocked: string }) => {
    into.push({ url: page.url(), via: 'event', ...v });
  });
  await context.addInitScript(() => {
    const report = (window as unknown as { __e2eCspViolation: (v: { what: string; blocked: string }) => Promise<void> }).__e2eCspViolation;
    document.addEventListener('securitypolicyviolation', (e) => {
      void report({ what: e.effectiveDirective, blocked: `${e.blockedURI || '(none)'}${e.sample ? `: ${e.sample}` : ''} at ${e.sourceFile || '?'}:${e.lineNumber}` });
    });
  });
  context.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) into.push({ url: m.page()?.url() ?? '?', via: 'console', what: m.text(), blocked: m.location().url });
  });
}

export interface Backend {
  /** The gateway, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Debian's Chromium; every context it makes (newContext) is watched for CSP violations. */
  browser: Browser;
  /** The CSP violations of every page of every context so far (the gateway sends the production policy). */
  cspViolations: readonly CspViolation[];
  /** JSON through the gateway; a status other than 2xx throws an HttpError. */
  api: Api;
  /** Signs in through the API. */
  logIn<R extends Role>(role: R, loginId: string): Promise<LoggedIn<R>>;
  /**
   * Closes the browser, stops every process, removes the data directory; then throws if any page
   * broke the Content-Security-Policy, so every end-to-end file (its afterAll) fails on a violation.
   */
  stop(): Promise<void>;
}

export interface AppUnderTest {
  /** The app's folder (its vite.config.ts is used). */
  root: string;
  /** The gateway's setting that points at the app's build: STUDENT_APP_DIR or ADMIN_APP_DIR. */
  dirEnv: 'STUDENT_APP_DIR' | 'ADMIN_APP_DIR';
}

/**
 * Builds the app into a temp directory of this run (so end-to-end files never race over its dist),
 * starts the backend serving it, and launches Chromium.
 */
export async function startBackend(app: AppUnderTest, name: string, env: Record<string, string> = {}): Promise<Backend> {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), `goorm-e2e-${name}-`));
  const appDir = path.join(dataDir, 'app');
  let system: Awaited<ReturnType<typeof startSystem>> | undefined;
  let browser: Browser | undefined;
  const cspViolations: CspViolation[] = [];
  const stop = async () => {
    await browser?.close();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { build } = await import('vite');
    await build({ root: app.root, configFile: path.join(app.root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: appDir, emptyOutDir: true } });
    system = await startSystem({ dataDir, gatewayPort: 0, servicePorts: 'free', quiet: true, seed: true, env: { ...env, [app.dirEnv]: appDir } });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    // Every context the tests make collects the CSP violations of its pages.
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (options) => {
      const context = await newContext(options);
      await watchCsp(context, cspViolations);
      return context;
    };
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
  const logIn = <R extends Role>(role: R, loginId: string) =>
    api<LoggedIn<R>>('/api/auth/login', undefined, { method: 'POST', body: JSON.stringify({ role, loginId, password: PASSWORD }) });
  const stopAndCheck = async () => {
    await stop();
    if (cspViolations.length > 0) throw new Error(`${cspViolations.length} Content-Security-Policy violations: ${JSON.stringify(cspViolations.slice(0, 5))}`);
  };
  return { url, browser, cspViolations, api, logIn, stop: stopAndCheck };
}

/** Saves docs/screenshots/<name>.png once the fonts have loaded. */
export async function shot(p: Page, name: string, fullPage = false) {
  await p.evaluate(() => document.fonts.ready);
  await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}
