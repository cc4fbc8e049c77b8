// @vitest-environment node
import { readFileSync } from 'node:fs';
import type { Lecture, LecturePage, MajorList, Professor, Section, SectionPage, TermList } from '@goorm/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, TABLET, expectAccessible, shot, signIn, startBackend, type Backend } from './support.ts';

/** Two cores shared with other work: a screen, its axe-core run and the backend take their time. */
const STEP = 120_000;
const HEADER = 'id,termId,lectureId,sectionNo,professorId,capacity,room,grades,allowedMajorIds,meetings,reserved';

describe('staff app: the catalog (Chromium, real backend)', () => {
  let b: Backend;
  let ctx: BrowserContext;
  let page: Page;
  let token: string;
  let termId: number;
  let majorName: string;
  let professor: Professor;
  let lecture: Lecture;
  const code = 'CSE4987';

  const sectionsOf = (lectureId: number) => b.api<SectionPage>(`/api/lectures/sections?lectureId=${lectureId}&size=50`, token);

  beforeAll(async () => {
    b = await startBackend('catalog');
    token = (await b.logIn('staff', 'admin')).accessToken;
    const terms = await b.api<TermList>('/api/lectures/terms', token);
    termId = terms.items.find((t) => t.isCurrent)!.id;
    const majors = await b.api<MajorList>('/api/lectures/majors', token);
    const cse = majors.items.find((m) => m.code === 'CSE') ?? majors.items[0]!;
    majorName = cse.name;
    // A professor of our own, free all week: the only clash the story meets is the room's.
    professor = await b.api<Professor>('/api/lectures/professors', token, {
      method: 'POST',
      body: JSON.stringify({ name: '구름시험', nameEn: 'Test Goorm', majorId: cse.id, email: null }),
    });
    expect((await b.api<LecturePage>(`/api/lectures/lectures?q=${code}`, token)).total).toBe(0);
    ctx = await b.browser.newContext(LAPTOP);
    page = await ctx.newPage();
    // An action that cannot happen fails with its own message before the test's time runs out.
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await ctx?.close();
    await b?.stop();
  });

  it('shows terms, majors and professors, each accessible', async () => {
    await signIn(page, b.url);
    await page.goto(`${b.url}/admin/catalog/terms`);
    await expect.poll(() => page.getByText('현재 학기', { exact: true }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'terms');

    await page.goto(`${b.url}/admin/catalog/majors`);
    await expect.poll(() => page.getByRole('rowheader', { name: 'CSE', exact: true }).isVisible()).toBe(true);
    await expectAccessible(page, 'majors');

    await page.goto(`${b.url}/admin/catalog/professors`);
    await page.getByLabel('이름 검색').fill('구름시험');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: '구름시험' }).isVisible()).toBe(true);
    await expectAccessible(page, 'professors');
  }, STEP);

  it('creates a lecture', async () => {
    await page.goto(`${b.url}/admin/catalog/lectures`);
    await page.getByRole('button', { name: '새 강의' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('강의 코드').fill(code);
    await dialog.getByLabel('강의명', { exact: true }).fill('클라우드 시험 설계');
    await dialog.getByLabel('영문 강의명').fill('Cloud Test Design');
    await dialog.getByLabel('개설 전공').selectOption({ label: majorName });
    await expectAccessible(page, 'lecture form');
    await dialog.getByRole('button', { name: '저장' }).click();
    await expect.poll(() => page.getByText('저장했습니다.').isVisible()).toBe(true);
    await expectAccessible(page, 'lectures');

    const found = await b.api<LecturePage>(`/api/lectures/lectures?q=${code}`, token);
    expect(found.items).toHaveLength(1);
    lecture = found.items[0]!;
    expect(lecture).toMatchObject({ code, title: '클라우드 시험 설계', titleEn: 'Cloud Test Design', credits: 3 });
  }, STEP);

  /** Fills the section form's lecture, professor, number, room and first meeting. */
  async function fillSection(sectionNo: number, room: string, first: { day: string; start: number; end: number }) {
    await page.getByLabel('강의 검색').fill(code);
    await page.getByLabel('강의', { exact: true }).selectOption({ label: `${code} 클라우드 시험 설계` });
    await page.getByLabel('교수 검색').fill('구름시험');
    await page.getByLabel('교수', { exact: true }).selectOption({ label: '구름시험 (Test Goorm)' });
    await page.getByLabel('분반 번호').fill(String(sectionNo));
    await page.getByLabel('강의실').fill(room);
    await page.getByLabel('정원', { exact: true }).fill('30');
    const row = page.getByRole('group', { name: '수업 시간 1' });
    await row.getByLabel('요일').selectOption(first.day);
    await row.getByLabel('시작 교시').selectOption(String(first.start));
    await row.getByLabel('끝 교시').selectOption(String(first.end));
  }

  it('creates a section with two meetings', async () => {
    await page.goto(`${b.url}/admin/catalog/sections/new`);
    await fillSection(1, 'E2E관 101', { day: 'SAT', start: 10, end: 11 });
    await page.getByRole('button', { name: '수업 시간 추가' }).click();
    const second = page.getByRole('group', { name: '수업 시간 2' });
    await second.getByLabel('요일').selectOption('FRI');
    await second.getByLabel('시작 교시').selectOption('13');
    await second.getByLabel('끝 교시').selectOption('14');
    await expectAccessible(page, 'section form');
    await page.getByRole('button', { name: '저장' }).click();

    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/admin\/catalog\/sections\/\d+$/);
    await expect.poll(() => page.getByText('분반을 만들었습니다.').isVisible()).toBe(true);
    const [created] = (await sectionsOf(lecture.id)).items;
    expect(created).toMatchObject({
      termId,
      sectionNo: 1,
      professorId: professor.id,
      room: 'E2E관 101',
      capacity: 30,
    });
    expect(created!.meetings).toHaveLength(2);
    expect(created!.meetings).toEqual(
      expect.arrayContaining([
        { day: 'SAT', startPeriod: 10, endPeriod: 11 },
        { day: 'FRI', startPeriod: 13, endPeriod: 14 },
      ]),
    );
    expect(page.url()).toBe(`${b.url}/admin/catalog/sections/${created!.id}`);
  }, STEP);

  it('refuses a room double-booking and names the clashing section, with a link to it', async () => {
    const taken = (await b.api<SectionPage>(`/api/lectures/sections?size=5&sort=code`, token)).items.find((s) => s.meetings.length > 0)!;
    const m = taken.meetings[0]!;
    const other = `${taken.lecture.code}-${taken.sectionNo}`;

    await page.goto(`${b.url}/admin/catalog/sections/new`);
    await fillSection(2, taken.room, { day: m.day, start: m.startPeriod, end: m.endPeriod });
    await page.getByRole('button', { name: '저장' }).click();

    const alert = page.getByRole('alert').filter({ hasText: '교수 또는 강의실 시간이 겹칩니다.' });
    await expect.poll(() => alert.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await alert.textContent()).toContain(`강의실이 같은 시간에 ${other}에서 쓰이고 있습니다`);
    const link = alert.getByRole('link', { name: `${other} 열기` });
    expect(await link.getAttribute('href')).toBe(`/admin/catalog/sections/${taken.id}`);
    expect(await page.getByText('clashes with another section').isVisible()).toBe(true);
    expect((await sectionsOf(lecture.id)).total).toBe(1);
    await expectAccessible(page, 'section form with a clash');
    await shot(page, 'admin-section-clash', true);

    await link.click();
    await expect.poll(() => page.url()).toBe(`${b.url}/admin/catalog/sections/${taken.id}`);
    await expect.poll(() => page.getByText(`${taken.lecture.code} ${taken.lecture.title} ${taken.sectionNo}분반`).isVisible()).toBe(true);
    expect(await page.getByLabel('강의실').inputValue()).toBe(taken.room);
  }, STEP);

  it('lists the sections with seats and links to edit, roster and waitlist, and exports the catalog as CSV', async () => {
    await page.goto(`${b.url}/admin/catalog/sections`);
    await page.getByLabel('강의 검색').fill(code);
    await page.getByLabel('강의', { exact: true }).selectOption({ label: `${code} 클라우드 시험 설계` });
    const row = page.getByRole('row').filter({ hasText: 'E2E관 101' });
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await row.textContent()).toContain('0/30');
    const [created] = (await sectionsOf(lecture.id)).items;
    const links = row.getByRole('link');
    expect(await links.evaluateAll((as) => as.map((a) => [a.textContent?.replace(/\s+/g, ' ').trim(), a.getAttribute('href')]))).toEqual([
      [`수정: ${code}-1`, `/admin/catalog/sections/${created!.id}`],
      [`수강생: ${code}-1`, `/admin/catalog/sections/${created!.id}/roster`],
      [`대기: ${code}-1`, `/admin/catalog/sections/${created!.id}/waitlist`],
    ]);
    await expectAccessible(page, 'sections');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV 내보내기' }).click()]);
    expect(download.suggestedFilename()).toBe('sections-2026-1.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    // The byte-order mark spreadsheet programs need to read Korean as UTF-8 survives the trip through the client.
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\n')[0]).toContain(HEADER);
    expect(csv).toContain(`${code},클라우드 시험 설계,구름시험`);
  }, STEP);

  it('imports a CSV: the bad row is shown in the preview and blocks the commit until fixed, then all rows are written', async () => {
    const good = `,${termId},${lecture.id},3,${professor.id},25,E2E관 102,1;2;3;4,,MON 13-14,`;
    const bad = `,${termId},${lecture.id},4,${professor.id},25,E2E관 103,2;3,,TUE 14-13,`;
    const fixed = bad.replace('TUE 14-13', 'TUE 13-14');

    await page.goto(`${b.url}/admin/catalog/sections/import`);
    await page.getByLabel('CSV 파일').setInputFiles({ name: 'sections.csv', mimeType: 'text/csv', buffer: Buffer.from([HEADER, good, bad].join('\n')) });

    const row3 = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '3', exact: true }) });
    await expect.poll(() => row3.textContent(), { timeout: 10_000 }).toContain('meetings.0.endPeriod');
    expect(await row3.textContent()).toContain('1개 문제');
    expect(await page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '2', exact: true }) }).textContent()).toContain('문제 없음');
    expect(await page.getByRole('status').filter({ hasText: '잘못된 행이 1개 있습니다' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: '모두 가져오기' }).isDisabled()).toBe(true);
    expect((await sectionsOf(lecture.id)).total).toBe(1);
    await expectAccessible(page, 'import preview');
    await shot(page, 'admin-csv-preview', true);

    // Fix the row in the text and preview again: now the commit is offered.
    await page.getByLabel('CSV 내용').fill([HEADER, good, fixed].join('\n'));
    expect(await page.getByText('내용이 바뀌었습니다. 다시 미리보기를 하세요.').isVisible()).toBe(true);
    await page.getByRole('button', { name: '미리보기' }).click();
    await expect.poll(() => page.getByText('2개 분반을 새로 만들고 0개 분반을 바꿉니다.').isVisible()).toBe(true);
    await page.getByRole('button', { name: '모두 가져오기' }).click();
    await expect.poll(() => page.getByText('2개 분반을 만들고 0개 분반을 바꿨습니다.').isVisible()).toBe(true);
    await expectAccessible(page, 'import done');

    const after = await sectionsOf(lecture.id);
    expect(after.total).toBe(3);
    const byNo = new Map<number, Section>(after.items.map((s) => [s.sectionNo, s]));
    expect(byNo.get(3)).toMatchObject({ room: 'E2E관 102', capacity: 25, meetings: [{ day: 'MON', startPeriod: 13, endPeriod: 14 }] });
    expect(byNo.get(4)).toMatchObject({ room: 'E2E관 103', grades: [2, 3], meetings: [{ day: 'TUE', startPeriod: 13, endPeriod: 14 }] });
  }, STEP);

  it('is readable on a tablet: the sections list, the section form and the import do not scroll sideways', async () => {
    const tablet = await b.browser.newContext(TABLET);
    try {
      const p = await tablet.newPage();
      p.setDefaultTimeout(20_000);
      await signIn(p, b.url);
      const [first] = (await sectionsOf(lecture.id)).items;
      for (const [path, ready] of [
        ['/admin/catalog/sections', () => p.getByRole('table').isVisible()],
        [`/admin/catalog/sections/${first!.id}`, async () => (await p.getByLabel('강의실').inputValue()) !== ''],
        ['/admin/catalog/sections/import', () => p.getByLabel('CSV 내용').isVisible()],
      ] as const) {
        await p.goto(`${b.url}${path}`);
        await expect.poll(ready).toBe(true);
        // Wide tables scroll inside their own box; the page itself never does.
        expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
      }
    } finally {
      await tablet.close();
    }
  }, STEP);
});
