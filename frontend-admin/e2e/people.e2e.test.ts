// @vitest-environment node
/**
 * The people screens in Debian's Chromium against the real backend (demo data: REGISTRATION is open
 * now for every grade, the waiting room in auto mode): a student enrolls through the API (through the
 * waiting room when it is active), staff see them on the section's roster, download the roster CSV and
 * read it, override-drop the section on the student's page with a reason, and find who, when and why in
 * the audit log. axe-core on every people screen; screenshots admin-roster, admin-student-override, admin-audit.
 */
import { readFileSync } from 'node:fs';
import type { EnrollmentWindow, LoginResult, QueuePlace, SectionPage, Staff, StaffPage, Timetable, WindowList } from '@goorm/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, LAPTOP, STAFF_LOGIN, TABLET, expectAccessible, shot, signIn, startBackend, type Backend } from './support.ts';

const STUDENT_NO = '20240001';
const REASON = '학생이 휴학 신청을 해 수강을 취소함';
const RE_ENROLL_REASON = '휴학 철회: 원래 분반으로 복구';

type Section = SectionPage['items'][number];

/** Waits in the waiting room (when it is active) until admitted; the admission token, if one is needed. */
async function admission(b: Backend, token: string): Promise<string | undefined> {
  let place = await b.api<QueuePlace>('/api/enrollments/queue', token, { method: 'POST' });
  const until = Date.now() + 60_000;
  while (place.active && !place.admitted) {
    if (Date.now() > until) throw new Error(`still waiting in the queue at position ${place.position}`);
    await new Promise((r) => setTimeout(r, 500));
    place = await b.api<QueuePlace>(`/api/enrollments/queue/${place.ticket}`, token);
  }
  return place.active ? place.admissionToken : undefined;
}

/** The student enrolls (as a student would, through the API) in the first eligible section with a seat that takes them. */
async function enrollSomewhere(b: Backend, student: LoginResult): Promise<Section> {
  if (student.user.role !== 'student') throw new Error('not a student');
  const { grade, majorId } = student.user;
  const windows = await b.api<WindowList>('/api/enrollments/windows', student.accessToken);
  const now = Date.parse(windows.serverTime);
  const open = (w: EnrollmentWindow) => w.phase === 'REGISTRATION' && w.grades.includes(grade) && Date.parse(w.opensAt) <= now && now < Date.parse(w.closesAt);
  expect(windows.items.some(open), 'a REGISTRATION window open now for the student’s grade (demo data)').toBe(true);

  const found = await b.api<SectionPage>(`/api/lectures/sections?grade=${grade}&size=100`, student.accessToken);
  const candidates = found.items.filter(
    (s) => s.meetings.length > 0 && s.seatsLeft > 0 && s.reserved.length === 0 && (s.allowedMajorIds.length === 0 || s.allowedMajorIds.includes(majorId)),
  );
  const admissionToken = await admission(b, student.accessToken);
  for (const s of candidates.slice(0, 10)) {
    try {
      await b.api('/api/enrollments', student.accessToken, {
        method: 'POST',
        body: JSON.stringify({ sectionId: s.id }),
        headers: admissionToken ? { 'X-Admission-Token': admissionToken } : {},
      });
      return s;
    } catch (e) {
      if (!(e instanceof HttpError) || e.status !== 409) throw e; // a clash or a full section: try the next one
    }
  }
  throw new Error('no section of the demo data took the student');
}

describe('staff app: students, rosters, overrides and the audit log (Chromium, real backend)', () => {
  let b: Backend;
  let ctx: BrowserContext;
  let page: Page;
  let student: LoginResult;
  let section: Section;
  let admin: Staff;

  beforeAll(async () => {
    b = await startBackend('people');
    student = await b.logIn('student', STUDENT_NO);
    section = await enrollSomewhere(b, student);
    const staff = await b.logIn('staff', STAFF_LOGIN);
    admin = (await b.api<StaffPage>(`/api/auth/staff?q=${STAFF_LOGIN}`, staff.accessToken)).items.find((s) => s.loginId === STAFF_LOGIN)!;
    ctx = await b.browser.newContext(LAPTOP);
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await ctx?.close();
    await b?.stop();
  });

  it('finds the student on the students screen (search on the server) and the staff accounts', async () => {
    await signIn(page, b.url);
    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '학생' }).click();
    await page.getByRole('heading', { level: 1, name: '학생' }).waitFor();
    await page.getByLabel('이름 또는 학번').fill(STUDENT_NO);
    await page.getByRole('button', { name: '검색' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').first().textContent()).toContain(STUDENT_NO);
    await expectAccessible(page, 'students');

    // The create form, open: its fields are labelled (axe on the dialog too).
    await page.getByRole('button', { name: '학생 추가' }).click();
    await page.getByRole('dialog', { name: '학생 추가' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '저장' }).click();
    await expect.poll(() => page.getByRole('dialog').getByLabel(/^학번/).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'student form');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '교직원' }).click();
    await page.getByRole('rowheader', { name: admin.name }).waitFor();
    await expectAccessible(page, 'staff accounts');
  });

  it("shows the student on the section's roster and downloads the roster CSV", async () => {
    await page.goto(`${b.url}/admin/catalog/sections/${section.id}/roster`);
    await page.getByRole('heading', { level: 1, name: new RegExp(section.lecture.code) }).waitFor();
    const row = page.getByRole('row').filter({ hasText: STUDENT_NO });
    await row.waitFor();
    expect(await row.textContent()).toContain(student.user.name);
    expect(await page.getByText(/수강 인원 \d+ \/ 정원 \d+/).textContent()).toContain(`정원 ${section.capacity}`);
    await expectAccessible(page, 'roster');
    await shot(page, 'admin-roster');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV 내려받기' }).click()]);
    expect(download.suggestedFilename()).toBe(`roster-${section.lecture.code}-${String(section.sectionNo).padStart(2, '0')}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe('studentId,studentNo,name,majorId,grade,enrolledAt');
    expect(csv).toContain(STUDENT_NO);
  });

  it("override-drops the section on the student's page, with a reason required first", async () => {
    await page.getByRole('link', { name: student.user.name }).click();
    await page.getByRole('heading', { level: 1, name: `${student.user.name} (${STUDENT_NO})` }).waitFor();
    const timetable = page.getByRole('table', { name: '이번 학기 수강 과목' });
    await timetable.getByText(section.lecture.code).waitFor();
    await expectAccessible(page, 'student');

    await page.getByRole('button', { name: `${section.lecture.title} 강제 취소` }).click();
    const dialog = page.getByRole('dialog', { name: '강제 수강 취소' });
    await dialog.waitFor();
    // An empty reason is refused in the form, before anything is sent.
    await dialog.getByRole('button', { name: '수강 취소' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('사유를 입력해 주세요.');
    await dialog.getByLabel(/사유/).fill(REASON);
    await expectAccessible(page, 'override drop');
    await shot(page, 'admin-student-override');

    await dialog.getByRole('button', { name: '수강 취소' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '수강을 취소했습니다' }).count()).toBe(1);
    await expect.poll(() => page.getByText('신청한 과목이 없습니다.').isVisible()).toBe(true);
    const after = await b.api<Timetable>('/api/enrollments/me', student.accessToken);
    expect(after.items.map((i) => i.sectionId)).not.toContain(section.id);
  });

  it('enrolls the student back by override: the section found in the catalog, a reason given', async () => {
    await page.getByLabel('분반 찾기 (과목명, 코드, 교수)').fill(section.lecture.code);
    await page.getByRole('button', { name: '찾기', exact: true }).click();
    await page.getByRole('button', { name: `${section.lecture.code}-${section.sectionNo} ${section.lecture.title} 선택` }).click();
    expect(await page.getByLabel(/선택한 분반/).textContent()).toContain(`${section.lecture.code}-${section.sectionNo}`);
    await page.getByLabel(/^사유/).fill(RE_ENROLL_REASON);
    await page.getByRole('button', { name: '강제 신청', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '신청했습니다' }).count()).toBe(1);
    await page.getByRole('table', { name: '이번 학기 수강 과목' }).getByText(section.lecture.code).waitFor();
    await expectAccessible(page, 'override enroll');
    const after = await b.api<Timetable>('/api/enrollments/me', student.accessToken);
    expect(after.items.map((i) => i.sectionId)).toContain(section.id);
  });

  it('shows who (admin), when and why in the audit log, and filters it by student', async () => {
    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '감사 로그' }).click();
    await page.getByRole('heading', { level: 1, name: '감사 로그' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: REASON });
    await row.waitFor();
    // The row shows at once with "교직원 #<id>"; the staff names arrive with their own request.
    await expect.poll(async () => (await row.textContent()) ?? '').toContain(`${admin.name} (admin)`);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('강제 취소');
    expect(text).toContain(`${admin.name} (admin)`);
    expect(text).toContain(`student:${student.user.id}/section:${section.id}`);
    const when = await row.locator('time').getAttribute('datetime');
    expect(Math.abs(Date.parse(when!) - Date.now())).toBeLessThan(5 * 60_000);
    expect(await row.locator('time').textContent()).toMatch(/\d{4}\. \d{1,2}\. \d{1,2}\./);
    await expectAccessible(page, 'audit');
    await shot(page, 'admin-audit');

    await page.getByLabel('학생 번호 (id)').fill(String(student.user.id));
    await page.getByLabel('작업').selectOption('OVERRIDE_DROP');
    await page.getByRole('button', { name: '검색' }).click();
    await expect.poll(async () => (await page.locator('tbody tr').allTextContents()).every((r) => r.includes('강제 취소'))).toBe(true);
    expect(await page.getByRole('row').filter({ hasText: REASON }).count()).toBe(1);

    await page.getByLabel('작업').selectOption('OVERRIDE_ENROLL');
    await page.getByRole('button', { name: '검색' }).click();
    await page.getByRole('row').filter({ hasText: RE_ENROLL_REASON }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: REASON }).count()).toBe(0);
  });

  it('is readable on a tablet (820 px): the student page without a horizontal scroll of the page', async () => {
    const tablet = await b.browser.newContext(TABLET);
    try {
      const p = await tablet.newPage();
      await signIn(p, b.url);
      await p.goto(`${b.url}/admin/students/${student.user.id}`);
      await p.getByRole('heading', { level: 1, name: `${student.user.name} (${STUDENT_NO})` }).waitFor();
      expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await expectAccessible(p, 'student (tablet)');
    } finally {
      await tablet.close();
    }
  });
});
