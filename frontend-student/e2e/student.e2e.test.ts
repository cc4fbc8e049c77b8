// @vitest-environment node
/**
 * End to end: Debian's Chromium (playwright-core) drives the built student app against the real
 * backend (every service + the gateway on SQLite with the demo data), started by this file.
 * Saves the README's screenshots under docs/screenshots/ (desktop 1280×800 and 375 px).
 */
import { readFileSync } from 'node:fs';
import { meetingsOverlap, type Day, type EnrollmentWindow, type Lecture, type Major, type Meeting, type Page as ApiPage, type WindowList } from '@goorm/contracts';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alert,
  clash,
  DESKTOP,
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

const DAY_KO: Record<Day, string> = { MON: '월', TUE: '화', WED: '수', THU: '목', FRI: '금', SAT: '토' };
const when = (m: Meeting) => `${DAY_KO[m.day]} ${m.startPeriod === m.endPeriod ? m.startPeriod : `${m.startPeriod}–${m.endPeriod}`}`;

let backend: Backend | undefined;
let desktop: BrowserContext;
let page: Page;

/**
 * A: a 자료구조 section; B: another lecture that does not clash with A; C: an eligible section of another
 * lecture that clashes with A; D: a section of a fourth lecture the student may not take (major or grade),
 * clashing with neither A nor B: in the cart it shows 자격 없음 with its reason.
 */
let A: ApiSection;
let B: ApiSection;
let C: ApiSection;
let D: ApiSection;

async function pickSections({ api, logIn }: Backend) {
  const { accessToken: token, user } = await logIn('student', STUDENT_NO);
  const eligible = (s: ApiSection) => eligibleFor(user)(s) && s.seatsLeft > 1;
  const ds = await api<ApiPage<ApiSection>>(`/api/lectures/sections?q=${encodeURIComponent('자료구조')}&size=50`, token);
  const candidatesA = ds.items.filter((s) => s.lecture.title === '자료구조' && s.meetings.length > 0 && eligible(s));
  for (const a of candidatesA) {
    const m = a.meetings[0]!;
    const sameSlot = await api<ApiPage<ApiSection>>(`/api/lectures/sections?day=${m.day}&period=${m.startPeriod}&grade=${user.grade}&size=100`, token);
    const c = sameSlot.items.find((s) => s.lectureId !== a.lectureId && eligible(s) && clash(a, s));
    if (!c) continue;
    const others = await api<ApiPage<ApiSection>>(`/api/lectures/sections?grade=${user.grade}&size=100`, token);
    const b = others.items.find(
      (s) => s.lectureId !== a.lectureId && s.lectureId !== c.lectureId && eligible(s) && s.meetings.length > 0 && !clash(a, s),
    );
    if (!b) continue;
    const all = await api<ApiPage<ApiSection>>(`/api/lectures/sections?size=100`, token);
    const d = all.items.find(
      (s) => ![a.lectureId, b.lectureId, c.lectureId].includes(s.lectureId) && !eligibleFor(user)(s) && s.meetings.length > 0 && !clash(a, s) && !clash(b, s),
    );
    if (!d) continue;
    [A, B, C, D] = [a, b, c, d];
    return;
  }
  throw new Error('the demo data has no 자료구조 section with an eligible clashing section of another lecture (and a section the student may not take)');
}

const seatsOf = async (p: Page, s: ApiSection) => (await rowOf(p, s).locator('.section-row__seat-count').textContent())?.trim();
/** Seat counts in search are at most SEARCH_COUNTS_TTL_MS (1 s) old (services/lectures/README.md): search again until they move. */
const seatsOnceCounted = (p: Page, s: ApiSection, q: string) =>
  expect.poll(async () => (await search(p, { q }), seatsOf(p, s)), { timeout: 5_000, interval: 300 });

async function go(p: Page, link: RegExp | string) {
  await p.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: link }).click();
}

/** Clicks a register button and waits for the per-section result, through the waiting room if the queue is active. */
async function register(p: Page, s: ApiSection) {
  await p.getByRole('button', { name: `${nameKo(s)} 수강신청` }).first().click();
  await expect
    .poll(async () => `${await status(p).textContent()}|${await alert(p).textContent()}`, { timeout: 60_000 })
    .toMatch(new RegExp(`${nameKo(s)}: (성공|시간 중복|정원 초과|학점 초과|신청 기간 아님|수강 자격 없음|이미 신청한 과목)`));
}

describe('student app in Chromium against the real backend', () => {
  beforeAll(async () => {
    backend = await startBackend('student');
    await pickSections(backend);
    desktop = await backend.browser.newContext(DESKTOP);
    page = await desktop.newPage();
  }, 240_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('logs in with the student number, Korean by default', async () => {
    await page.goto(backend!.url);
    await expect.poll(() => page.url()).toContain('/login');
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    // The favicon is linked and served from the build's root (no more 404 on /favicon.ico).
    expect(await page.getAttribute('link[rel="icon"]', 'href')).toBe('/favicon.svg');
    const icon = await fetch(`${backend!.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    await shot(page, 'login-desktop');

    await login(page);
    await expect.poll(() => page.getByText('20240001').isVisible()).toBe(true);
  });

  it('searches by keyword and by day, each row with meetings, seats and cart competition', async () => {
    await search(page, { q: '자료구조' });
    const row = rowOf(page, A);
    await row.waitFor();
    expect(await row.textContent()).toContain(when(A.meetings[0]!));
    expect(await seatsOf(page, A)).toBe(`${A.capacity - A.enrolled} / ${A.capacity}`);
    expect(await row.textContent()).toMatch(new RegExp(`장바구니 \\d+ / 정원 ${A.capacity}`));
    await shot(page, 'search-desktop');

    const day = B.meetings[0]!.day;
    await search(page, { q: B.lecture.code, day });
    await rowOf(page, B).waitFor();
    const days = await page.locator('tbody .section-row__meetings').allTextContents();
    expect(days.length).toBeGreaterThan(0);
    for (const d of days) expect(d).toContain(DAY_KO[day]);
  });

  it('adds sections to the cart (one the student may not take, too) and sees the total against the limit and each one’s eligibility', async () => {
    await page.getByRole('button', { name: `${nameKo(B)} 장바구니에 담기` }).click();
    await expect.poll(() => status(page).textContent()).toContain(`${nameKo(B)}: 장바구니에 담음`);
    await search(page, { q: '자료구조' });
    await page.getByRole('button', { name: `${nameKo(A)} 장바구니에 담기` }).click();
    await expect.poll(() => status(page).textContent()).toContain(`${nameKo(A)}: 장바구니에 담음`);
    // The cart is a wish list: a section the student may not take can be added, and says why 신청 is off.
    await search(page, { q: D.lecture.code });
    await rowOf(page, D).waitFor();
    expect(await rowOf(page, D).textContent()).toContain('자격 없음');
    await page.getByRole('button', { name: `${nameKo(D)} 장바구니에 담기` }).click();
    await expect.poll(() => status(page).textContent()).toContain(`${nameKo(D)}: 장바구니에 담음`);

    await go(page, /장바구니/);
    await page.getByRole('heading', { name: '장바구니' }).waitFor();
    for (const s of [A, B, D]) await rowOf(page, s).waitFor();
    expect(await page.locator('.credit-summary').textContent()).toContain(`담은 학점 ${A.lecture.credits + B.lecture.credits + D.lecture.credits} / 최대`);
    // Real eligibility from the carts service, not "확인 필요": A may be taken; D may not, with the reason in words.
    expect(await rowOf(page, A).textContent()).toContain('신청 가능');
    expect(await rowOf(page, D).textContent()).toContain('자격 없음');
    await expect.poll(() => rowOf(page, D).locator('.section-row__reason').textContent()).toMatch(/신청 불가: .*(학년만|학생만) 수강 가능/);
    expect(await page.getByRole('button', { name: `${nameKo(D)} 수강신청` }).isDisabled()).toBe(true);
    expect(await page.getByText('확인 필요').count()).toBe(0);
    await shot(page, 'cart-desktop');
  });

  it('shows the cart sections as ghosts in the timetable', async () => {
    await go(page, '시간표');
    await page.getByRole('heading', { name: '주간 시간표' }).waitFor();
    for (const s of [A, B]) {
      const ghost = page.getByRole('article', { name: new RegExp(`^${nameKo(s)}, .*장바구니, 아직 신청 전`) }).first();
      await ghost.waitFor();
      expect(await ghost.getAttribute('data-kind')).toBe('ghost');
    }
  });

  it('registers one cart section: success announced, a seat taken, the block turns solid', async () => {
    await go(page, /장바구니/);
    await rowOf(page, A).waitFor();
    await register(page, A);
    expect(await status(page).textContent()).toContain(`${nameKo(A)}: 성공`);

    await go(page, '강의 검색');
    await seatsOnceCounted(page, A, '자료구조').toBe(`${A.capacity - A.enrolled - 1} / ${A.capacity}`);
    expect(await rowOf(page, A).textContent()).toContain('신청됨');

    await go(page, '시간표');
    const block = page.getByRole('article', { name: new RegExp(`^${nameKo(A)}, `) }).first();
    await expect.poll(() => block.getAttribute('data-kind')).toBe('enrolled');
    expect(await page.locator('.credit-summary').textContent()).toContain(`신청 학점 ${A.lecture.credits} / 최대`);
    await expect.poll(() => page.getByRole('button', { name: `${nameKo(A)} 수강 취소` }).isVisible()).toBe(true);
    await shot(page, 'timetable-desktop');
  });

  it('exports the timetable as a weekly iCalendar file and prints it as a picture of the week', async () => {
    await go(page, '시간표');
    const button = page.getByRole('button', { name: '캘린더 파일(.ics) 내려받기' });
    await expect.poll(() => button.isEnabled()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^goorm-timetable-.+\.ics$/);
    const ics = readFileSync((await download.path())!, 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const lines = ics.split('\r\n');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(A.meetings.length);
    expect(lines).toContain(`SUMMARY:${nameKo(A)}`);
    // Period n starts at 08:00 + n hours in the default period table.
    const m = A.meetings[0]!;
    expect(lines.some((l) => new RegExp(`^DTSTART;TZID=Asia/Seoul:\\d{8}T${String(8 + m.startPeriod).padStart(2, '0')}0000$`).test(l))).toBe(true);
    expect(lines.some((l) => /^RRULE:FREQ=WEEKLY;UNTIL=\d{8}T\d{6}Z$/.test(l))).toBe(true);

    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('.app-header').isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: '시간표 인쇄' }).isVisible()).toBe(false);
      expect(await page.locator('.print-only').textContent()).toContain(`(${STUDENT_NO}) 주간 시간표`);
      expect(await page.locator('.print-only').isVisible()).toBe(true);
      expect(await page.getByRole('article', { name: new RegExp(`^${nameKo(A)}, `) }).first().isVisible()).toBe(true);
      await shot(page, 'timetable-print');
    } finally {
      await page.emulateMedia({ media: null });
    }
    expect(await page.getByRole('button', { name: '시간표 인쇄' }).isVisible()).toBe(true);
  });

  it('refuses a clashing section and names the clash', async () => {
    await go(page, '강의 검색');
    const m = C.meetings.find((x) => A.meetings.some((y) => meetingsOverlap(x, y)))!;
    await search(page, { q: C.lecture.code, day: m.day, period: m.startPeriod });
    await rowOf(page, C).waitFor();
    await register(page, C);
    const text = await alert(page).textContent();
    expect(text).toContain(`${nameKo(C)}: 시간 중복: ${nameKo(A)}`);
    await shot(page, 'refusal-desktop');
  });

  it('works at 375 px wide (login, search, cart, timetable, a refusal)', async () => {
    const phone = await backend!.browser.newContext(PHONE);
    const p = await phone.newPage();
    try {
      await p.goto(`${backend!.url}/login`);
      await shot(p, 'login-375');
      await login(p);
      await search(p, { q: '자료구조' });
      await rowOf(p, A).waitFor();
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await p.getByRole('button', { name: /^상세 조건/ }).click(); // fold the filters away again
      await p.getByRole('table').scrollIntoViewIfNeeded();
      await shot(p, 'search-375');
      await go(p, /장바구니/);
      await rowOf(p, B).waitFor();
      await shot(p, 'cart-375');
      await go(p, '시간표');
      await p.getByRole('article', { name: new RegExp(`^${nameKo(A)}, `) }).first().waitFor();
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375); // the grid scrolls inside its own box
      await shot(p, 'timetable-375');
      await go(p, '강의 검색');
      await search(p, { q: C.lecture.code });
      await register(p, C);
      expect(await alert(p).textContent()).toContain('시간 중복');
      // The result bar can be dismissed; pressed again at the very bottom of the screen, the button is
      // scrolled clear of the bar that its answer brings; and nothing at the page's end stays under the bar.
      const bar = p.locator('.action-results__panel');
      const bottom = async (l: typeof bar) => ((b) => b.y + b.height)((await l.boundingBox())!);
      const top = async (l: typeof bar) => (await l.boundingBox())!.y;
      await p.getByRole('button', { name: '결과 닫기' }).click();
      expect(await p.locator('.action-results .result').count()).toBe(0);
      const pressed = p.getByRole('button', { name: `${nameKo(C)} 수강신청` }).first();
      await pressed.evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await pressed.click();
      await expect.poll(() => alert(p).textContent()).toContain(`${nameKo(C)}: 시간 중복`);
      await expect.poll(async () => (await bottom(pressed)) <= (await top(bar))).toBe(true);
      await shot(p, 'refusal-375');
      await p.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      expect(await bottom(p.locator('main button').last())).toBeLessThanOrEqual(await top(bar));
    } finally {
      await phone.close();
    }
  });

  it('drops with a confirmation and the seat comes back', async () => {
    await go(page, '시간표');
    await page.getByRole('button', { name: `${nameKo(A)} 수강 취소` }).click();
    const dialog = page.getByRole('dialog', { name: '수강 취소' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(nameKo(A));
    await dialog.getByRole('button', { name: '수강 취소' }).click();
    await expect.poll(() => status(page).textContent()).toContain(`${nameKo(A)}: 수강 취소 완료`);

    await go(page, '강의 검색');
    await seatsOnceCounted(page, A, '자료구조').toBe(`${A.capacity - A.enrolled} / ${A.capacity}`);
  });

  it('shows a section’s syllabus, its restrictions with major names and its reserved seats, and why 신청 is off', async () => {
    const { api, logIn } = backend!;
    const { accessToken: token, user } = await logIn('student', STUDENT_NO);
    let picked: ApiSection | undefined;
    for (let pageNo = 1; !picked && pageNo <= 10; pageNo++) {
      const { items } = await api<ApiPage<ApiSection>>(`/api/lectures/sections?size=100&page=${pageNo}`, token);
      if (items.length === 0) break;
      picked =
        items.find((s) => s.reserved.length > 0 && s.allowedMajorIds.length > 0 && !s.allowedMajorIds.includes(user.majorId)) ??
        items.find((s) => s.reserved.length > 0 && s.allowedMajorIds.length > 0);
    }
    expect(picked, 'the demo data has a restricted section with reserved seats').toBeDefined();
    const s = picked!;
    const lecture = await api<Lecture>(`/api/lectures/lectures/${s.lectureId}`, token);
    const majors = (await api<{ items: Major[] }>('/api/lectures/majors', token)).items;

    await page.goto(`${backend!.url}/sections/${s.id}`);
    await page.getByRole('heading', { level: 1, name: nameKo(s) }).waitFor();
    await page.getByRole('heading', { name: '강의계획서' }).waitFor();
    if (lecture.description) await page.getByText(lecture.description.split('\n')[0]!).first().waitFor();
    const restrictions = page.locator('h2:has-text("수강 제한") + dl');
    for (const id of s.allowedMajorIds) await expect.poll(() => restrictions.textContent()).toContain(majors.find((m) => m.id === id)!.name);
    expect(await restrictions.textContent()).toContain(`${s.reserved[0]!.seats}석`);
    expect(await restrictions.textContent()).toContain('이후 남은 좌석은 모든 학생에게 개방');
    if (!s.allowedMajorIds.includes(user.majorId)) {
      const register = page.getByRole('button', { name: `${nameKo(s)} 수강신청` });
      expect(await register.isDisabled()).toBe(true);
      expect(await page.getByText(/^신청 불가: .*학생만 수강 가능/).first().isVisible()).toBe(true);
    }
    await page.getByRole('heading', { name: '강의계획서' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'section-detail-desktop');
    await go(page, '강의 검색');
  });

  it('while only the CART window is open, counts down to the student’s own REGISTRATION and lists the windows to come', async () => {
    const { api, url, logIn } = backend!;
    const staff = await logIn('staff', 'admin');
    type Win = EnrollmentWindow;
    const list = await api<WindowList>('/api/enrollments/windows', staff.accessToken);
    const termId = list.items[0]!.termId;
    // Staff move registration to later: only the cart stays open (the demo opens both now).
    for (const w of list.items.filter((x) => x.phase !== 'CART')) {
      const res = await fetch(`${url}/api/enrollments/windows/${w.id}?reason=e2e`, { method: 'DELETE', headers: { Authorization: `Bearer ${staff.accessToken}` } });
      expect(res.status).toBe(204);
    }
    const now = Date.parse(list.serverTime);
    const hour = 3_600_000;
    const create = (grades: number[], opensInHours: number) =>
      api<Win>('/api/enrollments/windows', staff.accessToken, {
        method: 'POST',
        body: JSON.stringify({
          termId,
          phase: 'REGISTRATION',
          grades,
          opensAt: new Date(now + opensInHours * hour).toISOString(),
          closesAt: new Date(now + 48 * hour).toISOString(),
          reason: 'e2e: registration one grade at a time',
        }),
      });
    await create([4], 1);
    const mine = await create([3], 2); // the demo student is in grade 3
    await create([1, 2], 3);

    await page.reload();
    await page.getByRole('heading', { name: '강의 검색' }).waitFor();
    const banner = page.locator('.window-status');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toMatch(/수강신청 기간 시작까지 (1시간 5\d분 \d+초|2시간 0분 0초)/);
    expect(await banner.getAttribute('data-phase')).toBe('REGISTRATION');
    expect(await banner.textContent()).toMatch(/장바구니 기간 진행 중 · 마감까지 \d+일/);

    await page.getByText('신청 일정').click();
    const table = page.getByRole('table', { name: '남은 신청 기간' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(4);
    const own = table.locator(`tr[data-window-id="${mine.id}"]`);
    expect(await own.textContent()).toContain('수강신청 기간');
    expect(await own.textContent()).toContain('3학년');
    expect(await own.textContent()).toContain('내 학년');
    expect(await table.locator('tbody tr').first().textContent()).toContain('진행 중');
    await shot(page, 'window-countdown-desktop');
  });

  it('switches to English and stays English after a reload', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Course search' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Course search' }).waitFor();
    await shot(page, 'search-english-desktop');

    // The cart's answer carries each lecture's English title (lecture.titleEn); the app shows it in English (demo data has them).
    const { accessToken } = await backend!.logIn('student', STUDENT_NO);
    const lecture = await backend!.api<Lecture>(`/api/lectures/lectures/${B.lectureId}`, accessToken);
    expect(lecture.titleEn).not.toBe('');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('heading', { name: 'Cart' }).waitFor();
    await expect.poll(() => rowOf(page, B).locator('.section-row__title').textContent()).toBe(lecture.titleEn);
    await shot(page, 'cart-english-desktop');
  });

  it('runs under the production Content-Security-Policy: not one violation on any screen above', async () => {
    // The gateway's header is the production one (nginx.conf sends the same): no inline script or style, no eval.
    const csp = (await fetch(`${backend!.url}/login`)).headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"]) expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe');
    // Every page above (desktop and 375 px: login, search, cart, timetable and its print view, a refusal, a drop,
    // the section page, the window countdown, English) was watched from its first script (scripts/e2e.ts).
    expect(backend!.cspViolations).toEqual([]);
  });
});
