// @vitest-environment node
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, LAPTOP, expectAccessible, shot, signIn, startBackend, type Backend } from './support.ts';

describe('staff app: who may use it (Chromium, real backend)', () => {
  let b: Backend;
  let ctx: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    b = await startBackend('access');
    ctx = await b.browser.newContext(LAPTOP);
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await ctx?.close();
    await b?.stop();
  });

  it('signs staff in at /admin/ and shows the dashboard', async () => {
    await signIn(page, b.url);
    expect(page.url()).toBe(`${b.url}/admin/`);
    await expectAccessible(page, 'dashboard');
    await page.getByRole('button', { name: '로그아웃' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '교직원 로그인' }).isVisible()).toBe(true);
    await expectAccessible(page, 'sign-in');
    await shot(page, 'admin-login');
  });

  it("refuses a student's token on a staff route with 403, and the app shows sign-in with the reason", async () => {
    const student = await b.logIn('student', '20240001');
    const refused = await b.api('/api/auth/students', student.accessToken).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(403);
    expect(JSON.parse((refused as HttpError).body)).toMatchObject({ code: 'FORBIDDEN' });

    // A student's session planted where the app keeps its own: every staff screen refuses it.
    await page.goto(`${b.url}/admin/login`);
    await page.evaluate((s) => localStorage.setItem('goorm.admin.session', JSON.stringify({ ...s, user: { id: s.user.id, role: 'staff', loginId: 'x', name: 'x' } })), student);
    await page.goto(`${b.url}/admin/students`);
    await expect.poll(() => page.getByRole('heading', { name: '교직원 로그인' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByText('교직원 권한이 없는 계정입니다').isVisible()).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('goorm.admin.session'))).toBeNull();

    // And signing in with a student's own credentials never opens it.
    await page.getByLabel('아이디').fill('20240001');
    await page.getByLabel('비밀번호').fill('password123');
    await page.getByRole('button', { name: '로그인' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('아이디 또는 비밀번호가 맞지 않습니다');
  });

  it('runs under the production Content-Security-Policy: the dashboard with a chart tooltip, and the staff screens, without one violation', async () => {
    // The gateway's header is the production one (nginx.conf sends the same): no inline script or style, no eval.
    const csp = (await fetch(`${b.url}/admin/`)).headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"]) expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe');

    await signIn(page, b.url);
    // The charts are drawn, and their tooltips (the hovered period's or section's numbers) shown.
    const charts = page.locator('.dashboard-chart canvas');
    await charts.first().waitFor();
    for (let i = 0; i < (await charts.count()); i++) {
      await charts.nth(i).scrollIntoViewIfNeeded();
      const box = (await charts.nth(i).boundingBox())!;
      for (const dx of [0.3, 0.5, 0.55, 0.6]) await page.mouse.move(box.x + box.width * dx, box.y + box.height * 0.5);
      await page.waitForTimeout(300); // the tooltip's own fade-in
    }
    for (const path of ['/admin/windows', '/admin/queue', '/admin/catalog/sections', '/admin/catalog/sections/new', '/admin/catalog/lectures', '/admin/students', '/admin/waitlists', '/admin/audit']) {
      await page.goto(`${b.url}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.locator('main').textContent(), path).not.toBe('');
    }
    // Every page of this file (sign-in, dashboard, the refused student, the screens above) was watched from its first script (scripts/e2e.ts).
    expect(b.cspViolations).toEqual([]);
  }, 90_000);
});
