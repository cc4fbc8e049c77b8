// @vitest-environment node
/**
 * Waitlists (대기순번제) and notices in Debian's Chromium against the real backend (demo data:
 * REGISTRATION open now for every grade; the waiting room off so that 수강신청 answers at once).
 * Arranged through the API: a section open to every grade and major made full (capacity 1, its one
 * seat given to HOLDER by staff), and OTHER on its waitlist first. In the app the student registers,
 * is refused 정원 초과 and takes the offered 대기 신청하기: 대기 2번. OTHER leaves (1번, also at 375 px);
 * HOLDER drops through the API, which enrolls the student in the same transaction: the app's polling
 * brings the notice (toast, unread count), the section appears in the timetable and leaves 대기 중인
 * 강의, and opening 알림 reads the notice in Korean and marks it read. Screenshots for the README:
 * docs/screenshots/waitlist-*.png.
 */
import type { MyWaitlists, NoticeList, SectionPage, Timetable } from '@goorm/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, alert, login, nameKo, rowOf, search, shot, startBackend, status, STUDENT_NO, type Backend, type LoggedIn } from './support.ts';

type Section = SectionPage['items'][number];

/** Holds the section's one seat, then drops it. */
const HOLDER = '20230001';
/** Waits on the section before the student, then leaves. */
const OTHER = '20250001';

let b: Backend;
let desktop: BrowserContext;
let page: Page;
let staff: LoggedIn<'staff'>;
let student: LoggedIn;
let holder: LoggedIn;
let other: LoggedIn;
let S: Section;

const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });
const mine = () => b.api<MyWaitlists>('/api/enrollments/waitlist/me', student.accessToken);

async function go(p: Page, link: RegExp | string) {
  await p.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: link }).click();
}

/** The 대기 중인 강의 region of the timetable page. */
const waitlistRegion = (p: Page) => p.getByRole('region', { name: '대기 중인 강의' });
/** The toast of a seat notice that just arrived (its polite live region). */
const toast = (p: Page) => p.locator('.notice-toast [role="status"]');

describe('waitlists and notices in Chromium against the real backend', () => {
  beforeAll(async () => {
    b = await startBackend('student-waitlist', { QUEUE_MODE: 'off' });
    [staff, student, holder, other] = await Promise.all([
      b.logIn('staff', 'admin'),
      b.logIn('student', STUDENT_NO),
      b.logIn('student', HOLDER),
      b.logIn('student', OTHER),
    ]);

    // A section every grade and major may take, nobody enrolled, no reserved seats: one seat, taken.
    const found = await b.api<SectionPage>('/api/lectures/sections?size=100', staff.accessToken);
    const fits = (s: Section) => s.grades.length === 4 && s.allowedMajorIds.length === 0 && s.reserved.length === 0 && s.enrolled === 0 && s.meetings.length > 0;
    S = found.items.find(fits)!;
    expect(S, 'a section open to every grade and major with nobody enrolled (demo data)').toBeDefined();
    const body = {
      termId: S.termId,
      lectureId: S.lectureId,
      sectionNo: S.sectionNo,
      professorId: S.professorId,
      capacity: 1,
      room: S.room,
      grades: S.grades,
      allowedMajorIds: S.allowedMajorIds,
      meetings: S.meetings.map((m) => ({ day: m.day, startPeriod: m.startPeriod, endPeriod: m.endPeriod })),
      reserved: [],
    };
    await b.api(`/api/lectures/sections/${S.id}`, staff.accessToken, { method: 'PUT', body: JSON.stringify(body) });
    await b.api('/api/enrollments', staff.accessToken, json({ sectionId: S.id, studentId: holder.user.id, reason: 'e2e: the one seat taken' }));
    await b.api('/api/enrollments/waitlist', other.accessToken, json({ sectionId: S.id }));

    desktop = await b.browser.newContext(DESKTOP);
    page = await desktop.newPage();
  }, 240_000);

  afterAll(async () => {
    await b?.stop();
  });

  it('a full section in search offers 대기 신청 next to 수강신청', async () => {
    await page.goto(b.url);
    await login(page);
    await search(page, { q: S.lecture.code });
    const row = rowOf(page, S);
    await row.waitFor();
    expect(await row.textContent()).toContain('마감');
    expect(await row.getByRole('button', { name: `${nameKo(S)} 대기 신청` }).isEnabled()).toBe(true);
  });

  it('수강신청 refused 정원 초과 offers the waitlist right there; taking it announces 대기 2번 and the row shows the place', async () => {
    await page.getByRole('button', { name: `${nameKo(S)} 수강신청` }).click();
    await expect.poll(() => alert(page).textContent(), { timeout: 15_000 }).toContain(`${nameKo(S)}: 정원 초과`);

    await page.getByRole('button', { name: `${nameKo(S)} 대기 신청하기` }).click();

    await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toContain(`${nameKo(S)}: 대기 신청 완료 (대기 2번, 2명 대기 중)`);
    const row = rowOf(page, S);
    await expect.poll(() => row.textContent()).toContain('대기 2번');
    expect(await row.getByRole('button', { name: `${nameKo(S)} 대기 취소` }).isVisible()).toBe(true);
    expect(await row.getByRole('button', { name: `${nameKo(S)} 대기 신청` }).count()).toBe(0);
    expect((await mine()).items.map((i) => [i.sectionId, i.position, i.waiting])).toEqual([[S.id, 2, 2]]);
    await shot(page, 'waitlist-search-desktop');
  });

  it('the timetable lists it under 대기 중인 강의 with its place; when the student ahead leaves it says 대기 1번', async () => {
    await go(page, '시간표');
    const item = waitlistRegion(page).getByRole('listitem').filter({ hasText: nameKo(S) });
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toMatch(/대기 2번\s*2명 대기 중/);
    expect(await item.getByRole('button', { name: `${nameKo(S)} 대기 취소` }).isVisible()).toBe(true);

    await b.api(`/api/enrollments/waitlist/${S.id}`, other.accessToken, { method: 'DELETE' });
    await go(page, '강의 검색');
    await go(page, '시간표');

    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toMatch(/대기 1번\s*1명 대기 중/);
    await shot(page, 'waitlist-timetable-desktop', true);
  });

  it('at 375 px the waitlist and the notices button fit the screen', async () => {
    const phone = await b.browser.newContext(PHONE);
    try {
      const p = await phone.newPage();
      await p.goto(b.url);
      await login(p);
      await go(p, '시간표');
      const item = waitlistRegion(p).getByRole('listitem').filter({ hasText: nameKo(S) });
      await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('대기 1번');
      const leave = item.getByRole('button', { name: `${nameKo(S)} 대기 취소` });
      const box = await leave.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
      const notices = p.getByRole('button', { name: /^알림/ });
      expect(await notices.isVisible()).toBe(true);
      await notices.click();
      const panel = p.getByRole('region', { name: '알림' });
      await panel.waitFor();
      const panelBox = await panel.boundingBox();
      expect(panelBox && panelBox.x >= 0 && panelBox.x + panelBox.width <= 375).toBe(true);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await shot(p, 'waitlist-notices-375');
    } finally {
      await phone.close();
    }
  });

  it('when the holder drops, the student is enrolled: the notice arrives by itself (toast, unread count) and the section is in the timetable', async () => {
    await b.api(`/api/enrollments/${S.id}`, holder.accessToken, { method: 'DELETE' });
    // Promoted in the drop's own transaction.
    const timetable = await b.api<Timetable>('/api/enrollments/me', student.accessToken);
    expect(timetable.items.map((i) => i.sectionId)).toContain(S.id);

    // The app polls its notices (every 20 s): no reload, no click (hence this test's own timeout).
    const message = `${nameKo(S)} 대기 순번이 되어 자동 신청되었습니다`;
    await expect.poll(() => toast(page).textContent(), { timeout: 45_000, interval: 500 }).toContain(message);
    expect(await page.getByRole('button', { name: '알림, 읽지 않은 알림 1개' }).isVisible()).toBe(true);

    const block = page.getByRole('article', { name: new RegExp(`^${nameKo(S)}, `) }).first();
    await expect.poll(() => block.getAttribute('data-kind'), { timeout: 10_000 }).toBe('enrolled');
    expect(await page.getByRole('button', { name: `${nameKo(S)} 수강 취소` }).isVisible()).toBe(true);
    await expect.poll(() => waitlistRegion(page).textContent()).toContain('대기 중인 강의가 없습니다.');
    expect((await mine()).items).toEqual([]);
  }, 60_000);

  it('opening 알림 reads the notice in Korean and marks it read', async () => {
    const button = page.getByRole('button', { name: '알림, 읽지 않은 알림 1개' });
    await button.click();
    const panel = page.getByRole('region', { name: '알림' });
    await panel.waitFor();
    expect(await panel.getByRole('listitem').first().textContent()).toContain(`${nameKo(S)} 대기 순번이 되어 자동 신청되었습니다`);
    await shot(page, 'waitlist-promoted-desktop');
    expect(await page.getByRole('button', { name: '알림', exact: true }).getAttribute('aria-expanded')).toBe('true');
    await expect.poll(async () => (await b.api<NoticeList>('/api/enrollments/notices/me', student.accessToken)).unread).toBe(0);
    // The toast went with the reading.
    expect((await toast(page).textContent())?.trim()).toBe('');

    await page.keyboard.press('Escape');
    expect(await page.getByRole('button', { name: '알림', exact: true }).getAttribute('aria-expanded')).toBe('false');
    expect(await panel.isVisible()).toBe(false);
  });
});
