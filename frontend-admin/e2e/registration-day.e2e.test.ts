// @vitest-environment node
/**
 * Registration day, end to end (Debian's Chromium against the real backend on the demo data): staff
 * sign in; on the windows timeline they narrow the demo's REGISTRATION window (every grade, open
 * now) to grades 1, 2 and 4 and open a REGISTRATION window for grade 3 from now; an overlapping
 * window for grade 3 is refused with the clashing window named at the form. Students (20240001,
 * grade 3, first) enroll through the API, through the waiting room when it asks for an admission
 * token, and the dashboard's numbers show it (decisions counted, seats filled). The waiting-room
 * control refuses a rate out of range with the API's message at the field, then changes the rate
 * with a reason, and the audit API has it. Beside the most contested sections the dashboard shows the AI
 * helper's forecast at the opening. axe-core on each screen; screenshots admin-windows-timeline,
 * admin-dashboard, admin-forecast and admin-queue under docs/screenshots/.
 */
import { COMPETITION_LABELS, type AuditPage, type Cart, type EnrollmentWindow, type Forecast, type LiveStats, type LoginResult, type QueuePlace, type Section, type SectionPage, type WindowList } from '@goorm/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, TABLET, expectAccessible, shot, signIn, startBackend, type Backend } from './support.ts';

const HOUR = 3_600_000;
/** Students who enroll in the small opening, after 20240001 (grade 3). */
const OTHERS = ['20230001', '20250001', '20260001', '20230002', '20250002', '20260002'];
const RATE_REASON = 'e2e: 수강신청 부하에 맞춰 입장 속도 조절';

let b: Backend;
let ctx: BrowserContext;
let page: Page;
let staff: LoginResult;

/** An instant as the datetime-local value the browser (Asia/Seoul, no daylight saving) shows. */
const seoulInput = (ms: number) => new Date(ms + 9 * HOUR).toISOString().slice(0, 16);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  body: { code?: string } & Record<string, unknown>;
}

/** POST /api/enrollments as a student; when the waiting room asks for a token (428), queues, waits for admission and sends it. */
async function enroll(token: string, sectionId: number): Promise<Answer> {
  const post = async (admission?: string): Promise<Answer> => {
    const res = await fetch(`${b.url}/api/enrollments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...(admission ? { 'X-Admission-Token': admission } : {}) },
      body: JSON.stringify({ sectionId }),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };
  const first = await post();
  if (first.status !== 428) return first;
  let place = await b.api<QueuePlace>('/api/enrollments/queue', token, { method: 'POST' });
  const deadline = Date.now() + 30_000;
  while (!place.admitted) {
    if (Date.now() > deadline) throw new Error(`not admitted within 30 s (place ${place.position})`);
    await sleep(250);
    place = await b.api<QueuePlace>(`/api/enrollments/queue/${place.ticket}`, token);
  }
  return post(place.admissionToken);
}

/** A section every grade and major may take, with seats to spare and no reserved seats: the most wanted such one. */
async function openSection(token: string): Promise<{ section: Section; clashing: Section | undefined }> {
  const page1 = await b.api<SectionPage>('/api/lectures/sections?size=100', token);
  const fits = (s: Section) => s.grades.length === 4 && s.allowedMajorIds.length === 0 && s.reserved.length === 0 && s.seatsLeft >= 12 && s.meetings.length > 0;
  const section = page1.items.filter(fits).sort((x, y) => y.cartCount - x.cartCount)[0];
  if (!section) throw new Error('the demo data has no section open to every grade and major with seats left');
  // Another lecture meeting at the same time (a TIME_CONFLICT for whoever holds the first), if the page has one.
  const clashing = page1.items.find(
    (s) =>
      fits(s) &&
      s.lectureId !== section.lectureId &&
      s.meetings.some((m) => section.meetings.some((n) => m.day === n.day && m.startPeriod <= n.endPeriod && n.startPeriod <= m.endPeriod)),
  );
  return { section, clashing };
}

const live = () => b.api<LiveStats>('/api/enrollments/stats/live?minutes=10&bucketSeconds=10', staff.accessToken);
const windowsOfTerm = async () => (await b.api<WindowList>('/api/enrollments/windows', staff.accessToken)).items;

describe('registration day in the staff app (Chromium, real backend)', () => {
  beforeAll(async () => {
    b = await startBackend('registration-day');
    ctx = await b.browser.newContext(LAPTOP);
    page = await ctx.newPage();
    staff = await b.logIn('staff', 'admin');
  });
  afterAll(async () => {
    await ctx?.close();
    await b?.stop();
  });

  it('staff open a REGISTRATION window for grade 3 from now on the timeline; an overlapping one is refused with the clashing window named', async () => {
    await signIn(page, b.url);
    await page.getByRole('link', { name: '수강신청기간', exact: true }).click();
    await page.getByRole('heading', { name: '수강신청기간', level: 1 }).waitFor();
    const table = page.getByTestId('windows-table');
    await table.getByRole('button', { name: /^수강신청 · 전 학년 · .* 수정$/ }).waitFor();

    // The demo's REGISTRATION window is open for every grade: it keeps grades 1, 2 and 4.
    await table.getByRole('button', { name: /^수강신청 · 전 학년 · .* 수정$/ }).click();
    await page.getByRole('heading', { name: '기간 수정' }).waitFor();
    await page.getByRole('checkbox', { name: '3학년' }).uncheck();
    await page.getByLabel(/^사유/).fill('3학년은 따로 연다');
    await page.getByRole('button', { name: '저장', exact: true }).click();
    await expect.poll(() => page.getByTestId('windows-status').textContent()).toContain('기간을 고쳤습니다: 수강신청 · 1, 2, 4학년');

    // Grade 3's own REGISTRATION window, from now for three hours.
    const closesAt = Date.now() + 3 * HOUR;
    await page.getByRole('button', { name: '새 기간' }).click();
    await page.getByRole('heading', { name: '새 기간 열기' }).waitFor();
    await page.getByLabel('단계').selectOption('REGISTRATION');
    await page.getByRole('checkbox', { name: '3학년' }).check();
    await page.getByRole('button', { name: '시작 시각을 지금으로' }).click();
    await page.getByLabel('종료 시각').fill(seoulInput(closesAt));
    await page.getByLabel(/^사유/).fill('3학년 수강신청 시작');
    await page.getByRole('button', { name: '저장', exact: true }).click();
    await expect.poll(() => page.getByTestId('windows-status').textContent()).toContain('기간을 열었습니다: 수강신청 · 3학년');

    const windows = await windowsOfTerm();
    const grade3 = windows.find((w) => w.phase === 'REGISTRATION' && w.grades.join() === '3') as EnrollmentWindow;
    expect(grade3).toBeDefined();
    expect(Date.parse(grade3.opensAt)).toBeLessThanOrEqual(Date.now());
    expect(Math.abs(Date.parse(grade3.closesAt) - closesAt)).toBeLessThan(60_000);
    expect(windows.find((w) => w.phase === 'REGISTRATION' && w.id !== grade3.id)?.grades).toEqual([1, 2, 4]);

    // On the timeline, the REGISTRATION row holds both bars, the new one said in words as open.
    const row = page.getByRole('list', { name: '수강신청', exact: true });
    await expect.poll(() => row.getByRole('listitem').filter({ hasText: /수강신청 · 3학년 · .*\(열림\)/ }).count()).toBe(1);
    expect(await row.getByRole('listitem').filter({ hasText: '수강신청 · 1, 2, 4학년' }).count()).toBe(1);
    await expectAccessible(page, 'windows');
    // A day from now: the three-hour window is as wide as it is long.
    await page.getByLabel('보기').selectOption('day');
    await expect.poll(() => row.getByRole('listitem').filter({ hasText: '수강신청 · 3학년' }).evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(80);
    await shot(page, 'admin-windows-timeline');

    // A second grade-3 REGISTRATION window inside the first is refused, naming it.
    await page.getByRole('button', { name: '새 기간' }).click();
    await page.getByRole('checkbox', { name: '3학년' }).check();
    await page.getByLabel('시작 시각', { exact: true }).fill(seoulInput(Date.now() + HOUR));
    await page.getByLabel('종료 시각').fill(seoulInput(Date.now() + 2 * HOUR));
    await page.getByLabel(/^사유/).fill('겹치는 기간 시험');
    await page.getByRole('button', { name: '저장', exact: true }).click();
    const conflict = page.getByTestId('window-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(/겹치는 기간: 수강신청 · 3학년 · .+ – .+/);
    expect(await page.getByRole('alert').first().textContent()).toContain('다른 항목과 충돌합니다.');
    await expectAccessible(page, 'windows (conflict)');
    await page.getByRole('button', { name: '취소' }).click();
    expect((await windowsOfTerm()).filter((w) => w.phase === 'REGISTRATION' && w.grades.includes(3))).toHaveLength(1);

    // Carts close early (a modal dialog asks for the reason); the window ends now.
    await table.getByRole('button', { name: /^장바구니 · 전 학년 · .* 일찍 닫기$/ }).click();
    const dialog = page.getByRole('dialog', { name: '기간 일찍 닫기' });
    await dialog.getByLabel(/^사유/).fill('장바구니 기간 조기 마감');
    await expectAccessible(page, 'windows (close early)');
    await dialog.getByRole('button', { name: '지금 닫기' }).click();
    await expect.poll(() => page.getByTestId('windows-status').textContent()).toContain('기간을 닫았습니다: 장바구니 · 전 학년');
    const cart = (await windowsOfTerm()).find((w) => w.phase === 'CART')!;
    expect(Math.abs(Date.parse(cart.closesAt) - Date.now())).toBeLessThan(30_000);
    await expect.poll(() => table.getByRole('row').filter({ hasText: '장바구니' }).textContent()).toContain('닫힘');
  }, 90_000);

  it("a grade-3 student enrolls through the API (and others in a small opening): the dashboard counts the decisions and the seats", async () => {
    const before = await live();
    const student = await b.logIn('student', '20240001');
    const cart = await b.api<Cart>('/api/carts/me', student.accessToken);
    const { section, clashing } = await openSection(student.accessToken);
    const first = cart.items.find((i) => i.section.eligibility.eligible && i.section.capacity > i.section.enrolled)?.sectionId ?? section.id;

    const mine = await enroll(student.accessToken, first);
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    let enrolled = 1;
    let decisions = 1;

    // A small opening: more students take the same section; some attempts are refused.
    for (const no of OTHERS) {
      const s = await b.logIn('student', no);
      const a = await enroll(s.accessToken, section.id);
      expect([201, 409], JSON.stringify(a.body)).toContain(a.status);
      if (a.status === 201) enrolled += 1;
      decisions += 1;
      if (no === OTHERS[0]) {
        const again = await enroll(s.accessToken, section.id);
        expect(again.body.code).toBe('ALREADY_ENROLLED');
        decisions += 1;
        if (clashing) {
          const clash = await enroll(s.accessToken, clashing.id);
          expect(clash.body.code).toBe('TIME_CONFLICT');
          decisions += 1;
        }
      }
    }
    expect(enrolled).toBeGreaterThanOrEqual(5);

    // The live numbers are shared for a couple of seconds (LIVE_STATS_TTL_MS): the next computation has them.
    await expect.poll(async () => (await live()).totals.enrolled, { timeout: 10_000 }).toBe(before.totals.enrolled + enrolled);
    const after = await live();
    expect((after.decisions.byOutcome.ENROLLED ?? 0) - (before.decisions.byOutcome.ENROLLED ?? 0)).toBe(enrolled);

    await page.getByRole('link', { name: '대시보드', exact: true }).click();
    await page.getByRole('heading', { name: '수강신청 현황', level: 1 }).waitFor();
    const seats = `${(before.totals.enrolled + enrolled).toLocaleString('ko-KR')} / ${before.totals.capacity.toLocaleString('ko-KR')}`;
    await expect.poll(() => page.getByTestId('card-seats').textContent(), { timeout: 15_000 }).toContain(seats);
    await expect.poll(async () => Number((await page.getByTestId('card-last-minute').textContent())?.replace(/\D/g, '')), { timeout: 15_000 }).toBeGreaterThanOrEqual(decisions);
    expect(await page.getByTestId('last-updated').textContent()).toMatch(/마지막 갱신: \d{2}:\d{2}:\d{2}/);

    // Each chart is named and summarised; its numbers are in its table.
    const chart = page.getByRole('figure', { name: '결과별 초당 처리 건수' });
    expect(await chart.textContent()).toContain('신청 성공');
    expect(await chart.getByRole('img').getAttribute('aria-label')).toMatch(/결과별 초당 처리 건수: 최근 10분 동안 \d+건 처리: 신청 성공 \d+/);
    await chart.getByText('숫자로 보기').click();
    expect(await chart.getByRole('columnheader', { name: '신청 성공' }).isVisible()).toBe(true);
    expect(await page.getByTestId('contested-table').textContent()).toContain(String(section.sectionNo));
    // The charts draw on a canvas in Chromium.
    await expect.poll(() => page.locator('.dashboard-chart canvas').count()).toBeGreaterThanOrEqual(4);

    await expectAccessible(page, 'dashboard');
    await chart.getByText('숫자로 보기').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await sleep(800); // the charts' first frame
    await shot(page, 'admin-dashboard', true);
  }, 120_000);

  it('beside the most contested sections, the dashboard shows the AI helper’s forecast at the opening, as the API answers it', async () => {
    const table = page.getByTestId('contested-table');
    await expect.poll(() => table.locator('td.forecast-level').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const ids = (await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.sectionId)))).filter((id) => id > 0);
    expect(ids.length).toBeGreaterThan(0);
    const forecast = await b.api<Forecast>(`/api/ai/forecast?sectionIds=${ids.join(',')}`, staff.accessToken);
    expect(forecast.items.map((f) => f.sectionId)).toEqual(ids);
    const percent = (p: number) => (p > 0 && p < 0.005 ? '<1%' : p < 1 && p > 0.995 ? '>99%' : `${Math.round(p * 100)}%`);
    for (const f of forecast.items) {
      const row = table.locator(`tr[data-section-id="${f.sectionId}"]`);
      expect(await row.locator('td.forecast-level').textContent()).toContain(COMPETITION_LABELS[f.level]);
      const cells = await row.locator('td').allTextContents();
      expect(cells).toContain(percent(f.pFill));
      expect(cells).toContain(percent(f.pFillWithin['10']!));
      expect(await row.getByRole('link', { name: /정원 조정$/ }).getAttribute('href')).toBe(`/admin/catalog/sections/${f.sectionId}`);
    }
    expect(await page.getByText(`예측 모델 ${forecast.modelVersion}`).isVisible()).toBe(true);
    await expectAccessible(page, 'dashboard with the forecast');
    await page.getByRole('heading', { name: /^경쟁이 많은 분반 \(/ }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'admin-forecast');
  }, 60_000);

  it('the waiting-room control refuses a rate out of range at the field, then changes the rate with a reason, and the audit has it', async () => {
    await page.getByRole('link', { name: '대기열', exact: true }).click();
    await page.getByRole('heading', { name: '대기열 관리', level: 1 }).waitFor();
    await page.getByTestId('queue-waiting').waitFor();

    const rate = page.getByLabel('입장 속도 (초당 명)');
    await rate.fill('0');
    await page.getByLabel(/^사유/).fill(RATE_REASON);
    await page.getByRole('button', { name: '설정 저장' }).click();
    await expect.poll(() => rate.getAttribute('aria-invalid')).toBe('true');
    const rateError = page.locator(`#${(await rate.getAttribute('aria-describedby'))!.split(' ')[1]}`);
    expect(await rateError.textContent()).toMatch(/0\.1/);

    await rate.fill('150');
    await page.getByRole('button', { name: '설정 저장' }).click();
    await expect.poll(() => page.getByTestId('queue-saved').textContent()).toContain('초당 150명');
    expect(await page.getByTestId('queue-saved').textContent()).toMatch(/\d{1,2}:\d{2}:\d{2}에 바꿈/);
    await expect.poll(() => page.getByTestId('queue-history').textContent()).toContain(RATE_REASON);

    const audit = await b.api<AuditPage>('/api/enrollments/audit?action=QUEUE_SETTINGS&size=5', staff.accessToken);
    const last = audit.items[0];
    expect(last).toMatchObject({ action: 'QUEUE_SETTINGS', target: 'queue', reason: RATE_REASON, staffId: staff.user.id });
    expect((last?.details as { after?: { ratePerSecond?: number } }).after?.ratePerSecond).toBe(150);
    expect(Math.abs(Date.parse(last!.createdAt) - Date.now())).toBeLessThan(60_000);
    // The refused change (rate 0) left no audit row.
    expect(audit.items.filter((r) => r.reason === RATE_REASON)).toHaveLength(1);

    await expectAccessible(page, 'queue');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'admin-queue', true);
  }, 60_000);

  it('each screen reads on a tablet (820 px) without scrolling sideways', async () => {
    const tablet = await b.browser.newContext(TABLET);
    try {
      const p = await tablet.newPage();
      await signIn(p, b.url);
      for (const [path, heading] of [
        ['/admin/', '수강신청 현황'],
        ['/admin/windows', '수강신청기간'],
        ['/admin/queue', '대기열 관리'],
      ] as const) {
        await p.goto(`${b.url}${path}`);
        await p.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await p.getByRole('table').first().waitFor();
        expect(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), path).toBeLessThanOrEqual(0);
      }
    } finally {
      await tablet.close();
    }
  }, 60_000);
});
