// @vitest-environment node
/**
 * End to end, the AI helper in the student app: Debian's Chromium against the real backend (every service,
 * the AI helper serving the committed ONNX models, and the gateway on SQLite with the demo data). The 추천
 * 강의 panel shows the student's real recommendations with their reasons; 담기 puts one in the cart and the
 * panel moves on; the 매우 치열/치열/여유 badge shows the real forecast in search, cart and the section page,
 * its numbers in a tooltip on hover and keyboard focus. Screenshots ai-recommendations-desktop,
 * ai-badge-tooltip-desktop and ai-recommendations-375 under docs/screenshots/.
 */
import { COMPETITION_LABELS, type Cart, type Forecast, type Recommendation, type Recommendations, type SectionForecast } from '@goorm/contracts';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, login, nameKo, PHONE, search, shot, startBackend, status, STUDENT_NO, type Backend } from './support.ts';

let backend: Backend | undefined;
let desktop: BrowserContext;
let page: Page;
let token: string;
/** The recommendation the story adds to the cart. */
let picked: Recommendation;

/** A probability as the tooltip words it (the app's formatting: whole percent, never 0 %/100 % for nearly). */
const percent = (p: number) => (p > 0 && p < 0.005 ? '1% 미만' : p < 1 && p > 0.995 ? '99% 초과' : `${Math.round(p * 100)}%`);
const forecastOf = async (id: number): Promise<SectionForecast> => {
  const answer = await backend!.api<Forecast>(`/api/ai/forecast?sectionIds=${id}`, token);
  expect(answer.items.map((f) => f.sectionId)).toEqual([id]);
  return answer.items[0]!;
};
const panelOf = (p: Page) => p.getByRole('region', { name: '추천 강의' });
const badgeIn = (scope: Locator) => scope.getByRole('button', { name: /^경쟁 예측: / });

/** The badge shows the level the AI helper forecasts, and its tooltip the forecast's own numbers. */
async function expectBadge(scope: Locator, f: SectionForecast) {
  const badge = badgeIn(scope);
  await badge.waitFor();
  expect(await badge.getAttribute('aria-label')).toBe(`경쟁 예측: ${COMPETITION_LABELS[f.level]}`);
  expect(await badge.textContent()).toContain(COMPETITION_LABELS[f.level]);
  const tip = scope.locator(`#${await badge.getAttribute('aria-describedby')}`);
  expect(await tip.getAttribute('role')).toBe('tooltip');
  const text = await tip.textContent();
  expect(text).toContain(`신청 기간 안에 마감될 확률 ${percent(f.pFill)}`);
  expect(text).toContain(`개시 10분 안에 마감될 확률 ${percent(f.pFillWithin['10']!)}`);
  expect(text).toMatch(f.expectedFillMinutes === null ? /예상 마감 마감 가능성 낮음/ : /예상 마감 (\d학년 신청 )?개시 후 (약 \d+(분|시간)|1분 이내)/);
  return { badge, tip };
}

describe('the AI helper in the student app (Chromium, real backend)', () => {
  beforeAll(async () => {
    backend = await startBackend('ai');
    ({ accessToken: token } = await backend.logIn('student', STUDENT_NO));
    desktop = await backend.browser.newContext(DESKTOP);
    page = await desktop.newPage();
  }, 240_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('the search page shows 추천 강의: the student’s real recommendations, best first, each with its reasons', async () => {
    const recs = await backend!.api<Recommendations>('/api/ai/recommendations?limit=6', token);
    expect(recs.items.length).toBeGreaterThan(1);
    await page.goto(backend!.url);
    await login(page);

    const panel = panelOf(page);
    const list = panel.getByRole('list', { name: '추천 강의 목록' });
    await list.waitFor();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe(`추천 강의 ${recs.items.length}개`);
    const cards = list.locator(':scope > li');
    expect(await cards.count()).toBe(recs.items.length);
    for (const [i, r] of recs.items.entries()) {
      const card = cards.nth(i);
      expect(await card.getAttribute('data-section-id')).toBe(String(r.sectionId));
      expect(await card.getByRole('heading', { level: 3 }).textContent()).toContain(nameKo(r.section));
      expect(await card.locator('.recommendation__reasons li').allTextContents()).toEqual(r.reasons.map((x) => x.text));
      expect(await card.textContent()).toContain(`잔여 ${r.section.seatsLeft}석`);
    }
    // Each card's competition badge, from one forecast call for the whole list.
    const first = recs.items[0]!;
    await expectBadge(cards.first(), await forecastOf(first.sectionId));
    expect(await panel.textContent()).toContain(`추천 모델 ${recs.modelVersion} · 후보 ${recs.candidates}개`);

    picked = first;
    await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'ai-recommendations-desktop');
  });

  it('담기 on a recommendation puts it in the cart, says so, and the panel reads its recommendations again without it', async () => {
    const panel = panelOf(page);
    const asked = page.waitForResponse((r) => r.url().includes('/api/ai/recommendations') && r.request().method() === 'GET');
    await panel.getByRole('button', { name: `추천: ${nameKo(picked.section)} 담기` }).click();
    await expect.poll(() => status(page).textContent()).toContain(`${nameKo(picked.section)}: 장바구니에 담음`);
    await asked;
    await expect.poll(() => panel.locator(`li[data-section-id="${picked.sectionId}"]`).count()).toBe(0);
    const cart = await backend!.api<Cart>('/api/carts/me', token);
    expect(cart.items.map((i) => i.sectionId)).toContain(picked.sectionId);
    const again = await backend!.api<Recommendations>('/api/ai/recommendations?limit=6', token);
    expect(again.items.map((r) => r.sectionId)).not.toContain(picked.sectionId);
    await expect.poll(() => panel.locator('.recommendations__list > li').first().getAttribute('data-section-id')).toBe(String(again.items[0]!.sectionId));
  });

  it('the search results carry the competition badge with the real forecast, its numbers shown on hover and on keyboard focus', async () => {
    await search(page, { q: picked.section.lecture.code });
    const row = page.locator(`tr[data-section-id="${picked.sectionId}"]`);
    await row.waitFor();
    const { badge, tip } = await expectBadge(row, await forecastOf(picked.sectionId));
    expect(await row.textContent()).toMatch(new RegExp(`장바구니 \\d+ / 정원 ${picked.section.capacity}`));

    // Keyboard: focus reaches the badge and the tooltip shows; Escape after a tap closes it.
    await badge.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await expect.poll(() => tip.isVisible()).toBe(true);
    await page.mouse.click(5, 5);
    await expect.poll(() => tip.isVisible()).toBe(false);

    await badge.hover();
    await expect.poll(() => tip.isVisible()).toBe(true);
    const box = (await tip.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    await shot(page, 'ai-badge-tooltip-desktop');
    await page.mouse.move(5, 5);
  });

  it('the cart and the section page carry the same badge', async () => {
    const f = await forecastOf(picked.sectionId);
    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: /장바구니/ }).click();
    await page.getByRole('heading', { name: '장바구니' }).waitFor();
    await expectBadge(page.locator(`tr[data-section-id="${picked.sectionId}"]`), f);

    await page.goto(`${backend!.url}/sections/${picked.sectionId}`);
    await page.getByRole('heading', { level: 1, name: nameKo(picked.section) }).waitFor();
    await expectBadge(page.locator('.section-detail__competition'), f);
  });

  it('at 375 px the panel reads without scrolling sideways', async () => {
    const phone = await backend!.browser.newContext(PHONE);
    try {
      const p = await phone.newPage();
      await p.goto(`${backend!.url}/login`);
      await login(p);
      const panel = panelOf(p);
      await panel.getByRole('list', { name: '추천 강의 목록' }).waitFor();
      await badgeIn(panel.locator('.recommendations__list > li').first()).waitFor();
      // The cards scroll sideways inside the panel, the page does not.
      const list = panel.locator('.recommendations__list');
      expect(await list.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      // A tap on a badge keeps its tooltip open (no hover on a touch screen).
      const badge = badgeIn(panel.locator('.recommendations__list > li').first());
      await badge.tap();
      const tip = p.locator(`#${await badge.getAttribute('aria-describedby')}`);
      await expect.poll(() => tip.isVisible()).toBe(true);
      await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await shot(p, 'ai-recommendations-375');
    } finally {
      await phone.close();
    }
  });
});
