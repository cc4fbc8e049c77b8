// @vitest-environment node
/**
 * Waitlists and cart auto-enrollment in the staff app, in Debian's Chromium against the real backend
 * (demo data: REGISTRATION open now for every grade). Arranged through the API: a section made full
 * (capacity 1, one student enrolled by staff), then three demo students join its waitlist as students,
 * in order. In the app, staff move the third to position 1 with a reason and find WAITLIST_MOVE with
 * that reason in the audit log (the waitlist's own link, filtered by the section), remove one with a
 * reason, see the waitlist on the dashboard, save the waitlist settings, and preview then run the
 * auto-enrollment of a REGISTRATION window that has not opened, reading its report. axe-core on every
 * screen, and the new screens on a tablet without a sideways scroll. Screenshots admin-waitlist (after the move) and admin-auto-enroll (the run's report).
 */
import type {
  AuditPage,
  AutoEnrollRun,
  EnrollmentWindow,
  MyWaitlists,
  SectionPage,
  SectionWaitlist,
  Staff,
  StaffPage,
  WaitlistEntry,
  WaitlistSettings,
  WindowList,
} from '@goorm/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, STAFF_LOGIN, TABLET, expectAccessible, shot, signIn, startBackend, type Backend, type LoggedIn } from './support.ts';

type Section = SectionPage['items'][number];

const HOLDER = '20230001';
/** Join the waitlist in this order: positions 1, 2, 3. */
const WAITING = ['20240001', '20250001', '20260001'] as const;
const MOVE_REASON = '장애 학생 우선 배정 (학생지원센터 요청)';
const REMOVE_REASON = '같은 과목 다른 분반을 수강 중';
const SETTINGS_REASON = '수강신청 첫날 대기 과목 수 조정';
const AUTO_REASON = '다음 수강신청 개시 전 자동신청';

describe('staff app: waitlists and auto-enrollment (Chromium, real backend)', () => {
  let b: Backend;
  let ctx: BrowserContext;
  let page: Page;
  let staff: LoggedIn<'staff'>;
  let admin: Staff;
  let students: LoggedIn[];
  let section: Section;

  const waitlistOf = () => b.api<SectionWaitlist>(`/api/enrollments/sections/${section.id}/waitlist`, staff.accessToken);
  const studentNos = async () => (await page.getByTestId('waitlist-table').locator('tbody tr td:nth-child(2)').allTextContents()).map((s) => s.trim());

  beforeAll(async () => {
    b = await startBackend('waitlist');
    staff = await b.logIn('staff', STAFF_LOGIN);
    admin = (await b.api<StaffPage>(`/api/auth/staff?q=${STAFF_LOGIN}`, staff.accessToken)).items.find((s) => s.loginId === STAFF_LOGIN)!;
    const holder = await b.logIn('student', HOLDER);
    students = [];
    for (const no of WAITING) students.push(await b.logIn('student', no));

    // A section every grade and major may take, nobody enrolled, no reserved seats: made full with one seat.
    const found = await b.api<SectionPage>('/api/lectures/sections?size=100', staff.accessToken);
    const fits = (s: Section) => s.grades.length === 4 && s.allowedMajorIds.length === 0 && s.reserved.length === 0 && s.enrolled === 0 && s.meetings.length > 0;
    section = found.items.find(fits)!;
    expect(section, 'a section open to every grade and major with nobody enrolled (demo data)').toBeDefined();
    const body = {
      termId: section.termId,
      lectureId: section.lectureId,
      sectionNo: section.sectionNo,
      professorId: section.professorId,
      capacity: 1,
      room: section.room,
      grades: section.grades,
      allowedMajorIds: section.allowedMajorIds,
      meetings: section.meetings.map((m) => ({ day: m.day, startPeriod: m.startPeriod, endPeriod: m.endPeriod })),
      reserved: [],
    };
    await b.api(`/api/lectures/sections/${section.id}`, staff.accessToken, { method: 'PUT', body: JSON.stringify(body) });
    await b.api('/api/enrollments', staff.accessToken, {
      method: 'POST',
      body: JSON.stringify({ sectionId: section.id, studentId: holder.user.id, reason: 'e2e: the one seat taken' }),
    });
    // Three students join its waitlist, as students, one after the other.
    for (const s of students) {
      const entry = await b.api<WaitlistEntry>('/api/enrollments/waitlist', s.accessToken, { method: 'POST', body: JSON.stringify({ sectionId: section.id }) });
      expect(entry.sectionId).toBe(section.id);
    }
    expect((await waitlistOf()).items.map((i) => i.studentNo)).toEqual([...WAITING]);

    ctx = await b.browser.newContext(LAPTOP);
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await ctx?.close();
    await b?.stop();
  });

  it("reaches the section's waitlist from its roster and shows it in order (position, 학번, name, grade, joined at)", async () => {
    await signIn(page, b.url);
    await page.goto(`${b.url}/admin/catalog/sections/${section.id}/roster`);
    await page.getByRole('heading', { level: 1, name: new RegExp(section.lecture.code) }).waitFor();
    await page.getByRole('link', { name: '수강 대기 명단' }).click();
    await page.getByRole('heading', { level: 1, name: `${section.lecture.code} ${section.lecture.title} ${section.sectionNo}분반 수강 대기` }).waitFor();
    await page.getByTestId('waitlist-table').waitFor();
    expect(await studentNos()).toEqual([...WAITING]);
    expect(await page.getByText(/대기 3명 · 수강 인원 1 \/ 정원 1/).count()).toBe(1);
    const first = page.getByTestId('waitlist-table').locator('tbody tr').first();
    expect(await first.textContent()).toContain(students[0]!.user.name);
    expect(await first.locator('time').getAttribute('datetime')).toBeTruthy();
    await expectAccessible(page, 'waitlist');
  });

  it('moves the third student to position 1 with a reason (asked for first); the student sees position 1', async () => {
    const third = students[2]!;
    await page.getByRole('button', { name: `${third.user.name} 순번 바꾸기` }).click();
    const dialog = page.getByRole('dialog', { name: '대기 순번 바꾸기' });
    await dialog.waitFor();
    await dialog.getByLabel(/새 순번/).fill('1');
    await dialog.getByRole('button', { name: '순번 바꾸기' }).click();
    await expect.poll(() => dialog.getByLabel(/사유/).getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel(/사유/).fill(MOVE_REASON);
    await expectAccessible(page, 'waitlist move');
    await dialog.getByRole('button', { name: '순번 바꾸기' }).click();

    await expect.poll(() => page.getByTestId('waitlist-change').textContent()).toContain(`${third.user.name} 학생을 1번으로 옮겼습니다.`);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await studentNos()).toEqual([WAITING[2], WAITING[0], WAITING[1]]);
    expect((await waitlistOf()).items.map((i) => i.studentId)).toEqual([third.user.id, students[0]!.user.id, students[1]!.user.id]);
    const mine = await b.api<MyWaitlists>('/api/enrollments/waitlist/me', third.accessToken);
    expect(mine.items.find((i) => i.sectionId === section.id)?.position).toBe(1);
    await shot(page, 'admin-waitlist');
  });

  it("finds the move in the audit log through the waitlist's link (filtered by the section): WAITLIST_MOVE, who, the target and the reason", async () => {
    const third = students[2]!;
    await page.getByRole('link', { name: '이 분반의 감사 로그 보기' }).click();
    await page.getByRole('heading', { level: 1, name: '감사 로그' }).waitFor();
    expect(await page.getByLabel('분반 번호 (id)').inputValue()).toBe(String(section.id));
    const row = page.getByRole('row').filter({ hasText: MOVE_REASON });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('수강 대기 순번 바꿈');
    expect(text).toContain(`${admin.name} (admin)`);
    expect(text).toContain(`student:${third.user.id}/section:${section.id}`);
    await expectAccessible(page, 'audit (waitlist move)');

    await page.getByLabel('작업').selectOption('WAITLIST_MOVE');
    await page.getByRole('button', { name: '검색' }).click();
    await expect.poll(async () => (await page.locator('tbody tr').allTextContents()).every((r) => r.includes('수강 대기 순번 바꿈'))).toBe(true);
    expect(await page.getByRole('row').filter({ hasText: MOVE_REASON }).count()).toBe(1);
    const audit = await b.api<AuditPage>(`/api/enrollments/audit?action=WAITLIST_MOVE&sectionId=${section.id}`, staff.accessToken);
    expect(audit.items[0]).toMatchObject({ action: 'WAITLIST_MOVE', reason: MOVE_REASON, target: `student:${third.user.id}/section:${section.id}` });
  });

  it('removes a student from the waitlist with a reason after asking; the list closes up', async () => {
    const second = students[1]!;
    await page.goto(`${b.url}/admin/catalog/sections/${section.id}/waitlist`);
    await page.getByTestId('waitlist-table').waitFor();
    await page.getByRole('button', { name: `${second.user.name} 대기에서 빼기` }).click();
    const dialog = page.getByRole('dialog', { name: '대기에서 빼기' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '대기에서 빼기' }).click();
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toContain('사유를 입력해 주세요.');
    await dialog.getByLabel(/사유/).fill(REMOVE_REASON);
    await expectAccessible(page, 'waitlist remove');
    await dialog.getByRole('button', { name: '대기에서 빼기' }).click();

    await expect.poll(() => page.getByTestId('waitlist-change').textContent()).toContain(`${second.user.name} 학생을 대기에서 뺐습니다.`);
    await expect.poll(studentNos).toEqual([WAITING[2], WAITING[0]]);
    const audit = await b.api<AuditPage>(`/api/enrollments/audit?action=WAITLIST_REMOVE&sectionId=${section.id}`, staff.accessToken);
    expect(audit.items[0]).toMatchObject({ reason: REMOVE_REASON, target: `student:${second.user.id}/section:${section.id}` });
  });

  it('shows the waitlist totals and the section among the most waitlisted on the dashboard, linked to its waitlist', async () => {
    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '대시보드' }).click();
    const panel = page.getByTestId('dashboard-waitlists');
    await expect.poll(() => panel.getByTestId('waitlist-entries').textContent(), { timeout: 15_000 }).toMatch(/^\s*[1-9]/);
    const name = `${section.lecture.code} ${section.lecture.title} ${section.sectionNo}분반`;
    const link = panel.getByRole('link', { name: `${name} 대기 명단` });
    await link.waitFor();
    await expectAccessible(page, 'dashboard (waitlists)');
    await link.click();
    await page.getByRole('heading', { level: 1, name: `${name} 수강 대기` }).waitFor();
  });

  it('saves the waitlist settings with a reason (audited WAITLIST_SETTINGS)', async () => {
    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '수강 대기' }).click();
    await page.getByRole('heading', { level: 1, name: '수강 대기' }).waitFor();
    const max = page.getByLabel('학생 1명이 대기할 수 있는 분반 수');
    await max.waitFor();
    await max.fill('4');
    await page.getByLabel(/^사유/).fill(SETTINGS_REASON);
    await expectAccessible(page, 'waitlists');
    await page.getByRole('button', { name: '설정 저장' }).click();
    await expect.poll(() => page.getByTestId('waitlist-settings-saved').textContent()).toContain('학생당 4개');
    expect((await b.api<WaitlistSettings>('/api/enrollments/waitlist/settings', staff.accessToken)).maxEntriesPerStudent).toBe(4);
    const audit = await b.api<AuditPage>('/api/enrollments/audit?action=WAITLIST_SETTINGS', staff.accessToken);
    expect(audit.items[0]?.reason).toBe(SETTINGS_REASON);
  });

  it('previews, then runs, the auto-enrollment of a REGISTRATION window that has not opened, and shows the report and the runs', async () => {
    // A REGISTRATION window of the current term, opening after the demo's (which is open for 30 days).
    const { items } = await b.api<WindowList>('/api/enrollments/windows', staff.accessToken);
    const termId = items.find((w) => w.phase === 'REGISTRATION')!.termId;
    const day = 24 * 3600_000;
    const opensAt = new Date(Date.now() + 40 * day).toISOString();
    const closesAt = new Date(Date.now() + 41 * day).toISOString();
    const next = await b.api<EnrollmentWindow>('/api/enrollments/windows', staff.accessToken, {
      method: 'POST',
      body: JSON.stringify({ termId, phase: 'REGISTRATION', grades: [1, 2, 3, 4], opensAt, closesAt, reason: 'e2e: the next registration' }),
    });

    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '자동신청' }).click();
    await page.getByRole('heading', { level: 1, name: '자동신청' }).waitFor();
    const select = page.getByLabel(/수강신청기간 \(아직 열리지 않은 수강신청\)/);
    await select.waitFor();
    // Only windows still to open are offered: the new one, never the demo's (open already).
    const offered = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain(String(next.id));
    expect(offered).not.toContain(String(items.find((w) => w.phase === 'REGISTRATION')!.id));
    await select.selectOption(String(next.id));
    await page.getByLabel(/^사유/).fill(AUTO_REASON);
    await page.getByRole('button', { name: '미리 보기 (신청하지 않음)' }).click();

    await expect.poll(() => page.getByTestId('auto-enroll-result').textContent(), { timeout: 30_000 }).toContain('미리 보기 결과');
    const preview = (await b.api<{ items: AutoEnrollRun[] }>('/api/enrollments/auto-enroll', staff.accessToken)).items[0]!;
    expect(preview).toMatchObject({ dryRun: true, status: 'DONE', reason: AUTO_REASON });
    expect(await page.getByTestId('report-sectionsWithDemand').textContent()).toBe(preview.report!.sectionsWithDemand.toLocaleString('ko-KR'));
    expect(await page.getByTestId('report-enrolled').textContent()).toBe(preview.report!.enrolled.toLocaleString('ko-KR'));
    expect(await page.getByTestId('report-contestedSections').textContent()).toBe(preview.report!.contestedSections.toLocaleString('ko-KR'));
    await expectAccessible(page, 'auto-enroll preview');

    await page.getByRole('button', { name: '지금 실행' }).click();
    await expect.poll(() => page.getByTestId('auto-enroll-result').textContent(), { timeout: 30_000 }).toContain('자동신청을 실행했습니다.');
    const done = (await b.api<{ items: AutoEnrollRun[] }>('/api/enrollments/auto-enroll', staff.accessToken)).items[0]!;
    expect(done).toMatchObject({ dryRun: false, status: 'DONE', reason: AUTO_REASON });
    expect(await page.getByTestId('report-enrolled').first().textContent()).toBe(done.report!.enrolled.toLocaleString('ko-KR'));
    const firstRun = page.getByTestId('auto-enroll-runs').locator('tbody tr').first();
    await expect.poll(() => firstRun.textContent()).toContain(`#${done.id}`);
    expect(await firstRun.textContent()).toContain('완료');
    expect(await page.getByTestId('auto-enroll-runs').locator('tbody tr').filter({ hasText: '미리 보기' }).count()).toBeGreaterThanOrEqual(1);
    await expectAccessible(page, 'auto-enroll run');
    await shot(page, 'admin-auto-enroll', true);

    const audit = await b.api<AuditPage>('/api/enrollments/audit?action=AUTO_ENROLL', staff.accessToken);
    expect(audit.items.some((r) => r.reason === AUTO_REASON)).toBe(true);
  });
  it('each new screen reads on a tablet (820 px) without scrolling sideways', async () => {
    const tablet = await b.browser.newContext(TABLET);
    try {
      const p = await tablet.newPage();
      await signIn(p, b.url);
      for (const [path, heading] of [
        [`/admin/catalog/sections/${section.id}/waitlist`, /수강 대기$/],
        ['/admin/waitlists', '수강 대기'],
        ['/admin/auto-enroll', '자동신청'],
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
