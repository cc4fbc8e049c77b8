// @vitest-environment node
/**
 * End to end, the waiting room (대기실): Debian's Chromium (playwright-core) drives the built student
 * app against the real backend, started by this file with the waiting room switched ON
 * (QUEUE_MODE=on, fixed slow rate). Other demo students queue first through the API; the student
 * clicks 수강신청, lands in the waiting room, sees a place (> 1) and an estimated wait announced in a
 * polite live region, is admitted once staff raise the rate, and the registration goes through by
 * itself. Saves docs/screenshots/waiting-room-desktop.png and waiting-room-375.png while waiting.
 * Then another student, in a fresh session, runs 전체 신청 over a cart of four sections: the first
 * request is sent to the waiting room, and after admission every remaining item is registered and
 * gets its own outcome (docs/screenshots/register-all-desktop.png).
 */
import { firstClash, type Cart, type Page as ApiPage, type QueueOverview, type QueuePlace, type Timetable } from '@goorm/contracts';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alert,
  DESKTOP,
  HttpError,
  clash,
  eligibleFor,
  login,
  nameKo,
  PHONE,
  rowOf,
  search,
  shot,
  startBackend,
  status,
  STUDENT_NO,
  type ApiSection,
  type Backend,
} from './support.ts';

/** Demo students who queue before the student (they never poll: admission follows arrival order, not polling). */
const AHEAD = ['20230001', '20250001', '20260001', '20250002'];
/** Slow enough that the place shown does not move while the screenshots are taken (one admission per 10 s). */
const SLOW_RATE = 0.1;
/** Then fast enough to admit everybody ahead within a few seconds, slow enough that places visibly count down. */
const OPEN_RATE = 0.5;

interface Announcement {
  text: string;
  role: string | null;
  live: string | null;
}
declare global {
  interface Window {
    __waitingRoomAnnouncements?: Announcement[];
  }
}

let backend: Backend | undefined;
let page: Page;
let staffToken: string;
let studentToken: string;
let aheadTokens: string[] = [];
let S: ApiSection;
let placeShown = 0;

const api: Backend['api'] = (pathname, token, init) => backend!.api(pathname, token, init);
const overview = () => api<QueueOverview>('/api/enrollments/queue/settings', staffToken);
const setRoom = (ratePerSecond: number) =>
  api<QueueOverview>('/api/enrollments/queue/settings', staffToken, {
    method: 'PUT',
    body: JSON.stringify({ mode: 'on', ratePerSecond, adaptive: false, reason: 'e2e: waiting room' }),
  });

/** An eligible section with free seats that fits the student's (demo) timetable: a 자료구조 section when there is one. */
async function pickSection(token: string, user: { majorId: number; grade: number }): Promise<ApiSection> {
  const mine = await api<Timetable>('/api/enrollments/me', token);
  const taken = mine.items.flatMap((e) => e.section.meetings);
  const takenLectures = new Set(mine.items.map((e) => e.lectureId));
  const fits = (s: ApiSection) =>
    eligibleFor(user)(s) && s.seatsLeft > 1 && s.meetings.length > 0 && !takenLectures.has(s.lectureId) && firstClash(s.meetings, taken) === undefined;
  const ds = await api<ApiPage<ApiSection>>(`/api/lectures/sections?q=${encodeURIComponent('자료구조')}&size=50`, token);
  const any = await api<ApiPage<ApiSection>>(`/api/lectures/sections?grade=${user.grade}&size=100`, token);
  const s = [...ds.items.filter((x) => x.lecture.title === '자료구조'), ...any.items].find(fits);
  if (!s) throw new Error('the demo data has no section the demo student can register for');
  return s;
}

/** Searches for S's lecture and waits for S's row. */
async function searchS(p: Page) {
  await search(p, { q: S.lecture.code });
  await rowOf(p, S).waitFor();
}

/** The waiting room's polite live region and the place it announces (undefined before the first answer). */
const liveRegion = (p: Page) => p.locator('.waiting-room [role="status"]');
async function placeOf(p: Page): Promise<number | undefined> {
  const text = (await liveRegion(p).textContent({ timeout: 1_000 }).catch(() => null)) ?? '';
  const m = /내 순서 (\d+)번/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Records every text the waiting room's live region takes, from page load on (what a screen reader would be handed). */
function recordAnnouncements() {
  const log: Announcement[] = [];
  window.__waitingRoomAnnouncements = log;
  const read = () => {
    const el = document.querySelector('.waiting-room [role="status"]');
    if (!el) return;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text && log.at(-1)?.text !== text) log.push({ text, role: el.getAttribute('role'), live: el.getAttribute('aria-live') });
  };
  new MutationObserver(read).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Clicks 수강신청 on S (the room is on, so the app is refused 428 and moves to the waiting room). */
async function registerIntoRoom(p: Page) {
  await p.getByRole('button', { name: `${nameKo(S)} 수강신청` }).first().click();
  await expect.poll(() => new URL(p.url()).pathname, { timeout: 15_000 }).toBe('/waiting-room');
  await p.getByRole('heading', { name: '대기실' }).waitFor();
  await expect.poll(() => placeOf(p), { timeout: 15_000 }).toBeGreaterThan(0);
}

describe('the waiting room in Chromium against the real backend', () => {
  beforeAll(async () => {
    backend = await startBackend('queue', { QUEUE_MODE: 'on', QUEUE_ADAPTIVE: 'false', QUEUE_RATE_PER_SECOND: String(SLOW_RATE) });
    const { logIn } = backend;
    const [staff, student, ...ahead] = await Promise.all([logIn('staff', 'admin'), logIn('student', STUDENT_NO), ...AHEAD.map((no) => logIn('student', no))]);
    staffToken = staff.accessToken;
    studentToken = student.accessToken;
    aheadTokens = ahead.map((a) => a.accessToken);
    S = await pickSection(studentToken, student.user);

    const desktop = await backend.browser.newContext(DESKTOP);
    await desktop.addInitScript(recordAnnouncements);
    page = await desktop.newPage();
  }, 240_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('is switched on: enrolling without an admission token is refused 428 QUEUE_REQUIRED', async () => {
    const o = await overview();
    expect(o).toMatchObject({ mode: 'on', active: true, adaptive: false, ratePerSecond: SLOW_RATE, waiting: 0 });
    const refused = await api('/api/enrollments', studentToken, { method: 'POST', body: JSON.stringify({ sectionId: S.id }) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(428);
    expect(JSON.parse((refused as HttpError).body)).toMatchObject({ code: 'QUEUE_REQUIRED' });
  });

  it('puts the student behind those who came first: a place (> 1) and an estimated wait, announced politely', async () => {
    await page.goto(backend!.url);
    await expect.poll(() => page.url()).toContain('/login');
    await login(page);
    await searchS(page);

    // Others queue first, through the API, in this order.
    for (const [i, token] of aheadTokens.entries()) {
      const place = await api<QueuePlace>('/api/enrollments/queue', token, { method: 'POST' });
      expect(place).toMatchObject({ active: true, admitted: false });
      expect(place.position).toBeLessThanOrEqual(i + 1);
    }

    await registerIntoRoom(page);
    placeShown = (await placeOf(page))!;
    expect(placeShown).toBeGreaterThan(1);
    expect(placeShown).toBeLessThanOrEqual(AHEAD.length + 1);
    const eta = page.locator('.waiting-room__eta');
    expect(await eta.isVisible()).toBe(true);
    expect(await eta.textContent()).toMatch(/^예상 대기 시간 (\d+분 )?\d+초$/);

    // The place and the wait are in one polite, atomic live region; the progress bar is labelled.
    const region = liveRegion(page);
    expect(await region.getAttribute('aria-live')).toBe('polite');
    expect(await region.getAttribute('aria-atomic')).toBe('true');
    expect(await region.textContent()).toContain(`내 순서 ${placeShown}번`);
    expect(await region.textContent()).toContain('예상 대기 시간');
    const bar = page.getByRole('progressbar', { name: /입장 진행률/ });
    expect(await bar.isVisible()).toBe(true);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(0);
    // The 428 was said in words on the way in: as the next step (polite), not as a refusal.
    expect(await status(page).textContent()).toContain(`${nameKo(S)}: 대기열 필요`);
    expect(await alert(page).textContent()).not.toContain('대기열 필요');
    await shot(page, 'waiting-room-desktop');
  });

  it('keeps the same place in a second tab (a phone, 375 px wide) and fits the screen', async () => {
    const phone = await backend!.browser.newContext(PHONE);
    const p = await phone.newPage();
    try {
      await p.goto(`${backend!.url}/login`);
      await login(p);
      await searchS(p);
      await registerIntoRoom(p);
      // Both tabs show one place: opening another tab does not queue the student again.
      await expect.poll(async () => [await placeOf(p), await placeOf(page)], { timeout: 10_000 }).toSatisfy(([a, b]) => a !== undefined && a === b);
      expect(await placeOf(p)).toBeGreaterThan(1);
      expect(await p.locator('.waiting-room__eta').isVisible()).toBe(true);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await shot(p, 'waiting-room-375');
    } finally {
      await phone.close();
    }
    const o = await overview();
    expect(o.waiting + o.admitted).toBe(AHEAD.length + 1);
    expect(o.waiting).toBeGreaterThan(1);
  });

  it('moves on by itself once admitted and registers: 성공, and the enrollment exists', async () => {
    expect((await api<Timetable>('/api/enrollments/me', studentToken)).items.map((e) => e.sectionId)).not.toContain(S.id);
    await setRoom(OPEN_RATE); // staff open the doors wider; the student does nothing

    await expect.poll(() => new URL(page.url()).pathname, { timeout: 45_000, interval: 200 }).toBe('/');
    await expect.poll(() => status(page).textContent(), { timeout: 20_000 }).toContain(`${nameKo(S)}: 성공`);
    expect(await page.getByRole('heading', { name: '강의 검색' }).isVisible()).toBe(true);
    expect(await alert(page).textContent()).not.toContain('대기열 필요');

    // What the live region said, in order: places that only go down, then the admission; never "joining" again.
    const said = await page.evaluate(() => window.__waitingRoomAnnouncements ?? []);
    for (const a of said) expect(a).toMatchObject({ role: 'status', live: 'polite' });
    const texts = said.map((a) => a.text);
    const places = texts.map((t) => /내 순서 (\d+)번/.exec(t)).filter((m) => m !== null).map((m) => Number(m[1]));
    expect(places[0]).toBeGreaterThanOrEqual(placeShown);
    for (let i = 1; i < places.length; i++) expect(places[i]).toBeLessThanOrEqual(places[i - 1]!);
    const firstPlace = texts.findIndex((t) => /내 순서/.test(t));
    expect(texts.slice(firstPlace)).not.toContainEqual(expect.stringContaining('대기열에 들어가는 중'));
    expect(texts.at(-1)).toBe('입장했습니다. 신청을 이어서 진행합니다.');

    const mine = await api<Timetable>('/api/enrollments/me', studentToken);
    expect(mine.items.map((e) => e.sectionId)).toContain(S.id);
    const o = await overview();
    expect(o.waiting).toBe(0);
  });

  it('a fresh session runs 전체 신청 over four cart sections through the waiting room: each item gets its own outcome', async () => {
    const FRESH = '20240002';
    const { accessToken: token, user } = await backend!.logIn('student', FRESH);
    expect(user.grade).toBe(3);
    const cart = await pickCart(token, user);
    await setRoom(SLOW_RATE); // slow enough to see the waiting room, then staff open up again

    const ctx = await backend!.browser.newContext(DESKTOP);
    const p = await ctx.newPage();
    try {
      await p.goto(`${backend!.url}/login`);
      await login(p, FRESH);
      await p.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: /장바구니/ }).click();
      for (const s of Object.values(cart)) await rowOf(p, s).waitFor();

      const visited: string[] = [];
      p.on('framenavigated', (f) => {
        if (f === p.mainFrame()) visited.push(new URL(f.url()).pathname);
      });
      await p.getByRole('button', { name: '전체 신청' }).click();
      // The first request is refused 428: the app waits in the room (however briefly), then staff open up.
      await expect.poll(() => visited, { timeout: 15_000 }).toContain('/waiting-room');
      await setRoom(OPEN_RATE);

      await expect.poll(() => new URL(p.url()).pathname, { timeout: 45_000, interval: 200 }).toBe('/cart');
      const lines = async () => `${await status(p).textContent()}|${await alert(p).textContent()}`;
      // A and C clash: whichever the cart lists first is registered, the other is refused with the clash named.
      await expect.poll(lines, { timeout: 30_000 }).toContain(`${nameKo(cart.D)}: 수강 자격 없음`);
      const text = await lines();
      expect(text).toContain(`${nameKo(cart.B)}: 성공`);
      const aFirst = text.includes(`${nameKo(cart.A)}: 성공`);
      const [won, lost] = aFirst ? [cart.A, cart.C] : [cart.C, cart.A];
      expect(text).toContain(`${nameKo(won)}: 성공`);
      expect(text).toContain(`${nameKo(lost)}: 시간 중복: ${nameKo(won)}`);
      expect(text).not.toContain('대기열 필요');
      expect(await p.locator('.action-results .result').count()).toBe(4);
      await shot(p, 'register-all-desktop');

      const mine = await api<Timetable>('/api/enrollments/me', token);
      expect(mine.items.map((e) => e.sectionId).sort()).toEqual([won.id, cart.B.id].sort());
    } finally {
      await ctx.close();
    }
  });
});

/**
 * A cart of four for a student, through the API (emptied first): A and B eligible and apart, C
 * eligible but clashing with A, D of a grade or major the student may not take.
 */
async function pickCart(token: string, user: { majorId: number; grade: number }): Promise<Record<'A' | 'B' | 'C' | 'D', ApiSection>> {
  const current = await api<Cart>('/api/carts/me', token);
  for (const item of current.items) await api(`/api/carts/me/items/${item.sectionId}`, token, { method: 'DELETE' }).catch(() => undefined);
  const eligible = (s: ApiSection) => eligibleFor(user)(s) && s.seatsLeft > 1;
  const all = (await api<ApiPage<ApiSection>>(`/api/lectures/sections?size=100`, token)).items.filter((s) => s.meetings.length > 0);
  const mine = (await api<ApiPage<ApiSection>>(`/api/lectures/sections?grade=${user.grade}&size=100`, token)).items.filter(
    (s) => s.meetings.length > 0 && eligible(s),
  );
  for (const A of mine) {
    const C = mine.find((s) => s.lectureId !== A.lectureId && clash(A, s));
    if (!C) continue;
    const B = mine.find((s) => ![A.lectureId, C.lectureId].includes(s.lectureId) && !clash(A, s) && !clash(C, s));
    if (!B) continue;
    const D = all.find(
      (s) =>
        ![A.lectureId, B.lectureId, C.lectureId].includes(s.lectureId) &&
        !eligible(s) &&
        s.capacity - s.enrolled > 1 &&
        ![A, B, C].some((x) => clash(x, s)),
    );
    if (!D) continue;
    for (const s of [A, C, B, D]) await api('/api/carts/me/items', token, { method: 'POST', body: JSON.stringify({ sectionId: s.id }) });
    return { A, B, C, D };
  }
  throw new Error('the demo data has no cart of four (two apart, one clash, one not eligible) for the fresh student');
}
