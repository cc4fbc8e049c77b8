import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Section, SectionInput } from '@goorm/contracts';
import { problem, server } from '../../testing/server.ts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import SectionFormPage from './SectionFormPage.vue';
import { referenceHandlers, section } from './catalog.fixtures.ts';

async function chooseLectureAndProfessor() {
  await userEvent.selectOptions(await screen.findByRole('combobox', { name: '강의' }), await screen.findByRole('option', { name: 'CSE2010 자료구조' }));
  await userEvent.selectOptions(screen.getByRole('combobox', { name: '교수' }), await screen.findByRole('option', { name: '김교수 (Kim)' }));
}

describe('section form', () => {
  it('creates a section with two meetings and opens it for editing', async () => {
    const sent: SectionInput[] = [];
    server.use(
      ...referenceHandlers(),
      http.post('*/api/lectures/sections', async ({ request }) => {
        sent.push((await request.json()) as SectionInput);
        return HttpResponse.json(section({ id: 321 }) satisfies Section, { status: 201 });
      }),
      http.get('*/api/lectures/sections/321', () => HttpResponse.json(section({ id: 321 }) satisfies Section)),
    );
    const { router } = await renderWithApp(SectionFormPage, { route: '/catalog/sections/new', session: staffSession() });
    await expect.poll(() => (screen.getByRole('combobox', { name: '학기' }) as HTMLSelectElement).value).not.toBe('');

    await chooseLectureAndProfessor();
    await userEvent.type(screen.getByLabelText('강의실'), '공학관 101');
    await userEvent.clear(screen.getByLabelText('정원'));
    await userEvent.type(screen.getByLabelText('정원'), '30');
    await userEvent.click(screen.getByRole('checkbox', { name: '1학년' }));
    await userEvent.click(screen.getByRole('button', { name: '수업 시간 추가' }));
    const second = screen.getByRole('group', { name: '수업 시간 2' });
    await userEvent.selectOptions(within(second).getByLabelText('요일'), '수');
    await userEvent.selectOptions(within(second).getByLabelText('시작 교시'), '3교시');
    await userEvent.selectOptions(within(second).getByLabelText('끝 교시'), '4교시');
    await userEvent.click(screen.getByRole('button', { name: '저장' }));

    await expect.poll(() => router.currentRoute.value.fullPath).toBe('/catalog/sections/321');
    expect(sent).toEqual([
      {
        termId: 1,
        lectureId: 10,
        sectionNo: 1,
        professorId: 20,
        capacity: 30,
        room: '공학관 101',
        grades: [2, 3, 4],
        allowedMajorIds: [],
        meetings: [
          { day: 'MON', startPeriod: 1, endPeriod: 2 },
          { day: 'WED', startPeriod: 3, endPeriod: 4 },
        ],
        reserved: [],
      },
    ]);
    expect(await screen.findByText('분반을 만들었습니다.')).toBeInTheDocument();
  });

  it('names the clashing section of a room double-booking, with a link to it', async () => {
    server.use(
      ...referenceHandlers(),
      http.post('*/api/lectures/sections', () =>
        problem(409, 'SCHEDULE_CONFLICT', {
          detail: 'room 공학관 101 is already in MTH1010-2 on MON 1-2',
          conflict: { sectionId: 77, lectureCode: 'MTH1010', sectionNo: 2, day: 'MON', startPeriod: 1, endPeriod: 2, reason: 'ROOM' },
          errors: [{ field: 'body.meetings', message: 'clashes with another section' }],
        }),
      ),
    );
    await renderWithApp(SectionFormPage, { route: '/catalog/sections/new', session: staffSession() });
    await chooseLectureAndProfessor();
    await userEvent.type(screen.getByLabelText('강의실'), '공학관 101');
    await userEvent.click(screen.getByRole('button', { name: '저장' }));

    const alert = await screen.findByText('교수 또는 강의실 시간이 겹칩니다.');
    const box = alert.closest('[role="alert"]') as HTMLElement;
    expect(box).toHaveTextContent('강의실이 같은 시간에 MTH1010-2에서 쓰이고 있습니다 (월 1~2교시).');
    expect(within(box).getByRole('link', { name: 'MTH1010-2 열기' })).toHaveAttribute('href', '/catalog/sections/77');
    expect(screen.getByText('clashes with another section')).toHaveAttribute('role', 'alert');
  });

  it("shows a meeting's field error at that meeting's row", async () => {
    server.use(
      ...referenceHandlers(),
      http.post('*/api/lectures/sections', () =>
        problem(400, 'VALIDATION_FAILED', { errors: [{ field: 'body.meetings.1.endPeriod', message: 'must not be before startPeriod' }] }),
      ),
    );
    await renderWithApp(SectionFormPage, { route: '/catalog/sections/new', session: staffSession() });
    await userEvent.click(screen.getByRole('button', { name: '수업 시간 추가' }));
    await userEvent.click(screen.getByRole('button', { name: '저장' }));

    const second = screen.getByRole('group', { name: '수업 시간 2' });
    expect(await within(second).findByRole('alert')).toHaveTextContent('must not be before startPeriod');
    expect(within(second).getByLabelText('끝 교시')).toHaveAttribute('aria-invalid', 'true');
    expect(within(second).getByLabelText('끝 교시')).toHaveAccessibleDescription('must not be before startPeriod');
    expect(within(screen.getByRole('group', { name: '수업 시간 1' })).queryByRole('alert')).toBeNull();
  });

  it('refuses lowering the capacity below the enrolled, at the capacity field', async () => {
    const sent: SectionInput[] = [];
    server.use(
      ...referenceHandlers(),
      http.get('*/api/lectures/sections/100', () => HttpResponse.json(section() satisfies Section)),
      http.put('*/api/lectures/sections/100', async ({ request }) => {
        sent.push((await request.json()) as SectionInput);
        return problem(409, 'CAPACITY_BELOW_ENROLLED', { enrolled: 12, errors: [{ field: 'body.capacity', message: 'must be at least 12' }] });
      }),
    );
    await renderWithApp(SectionFormPage, { route: '/catalog/sections/100', session: staffSession() });
    expect(await screen.findByText('CSE2010 자료구조 1분반')).toBeInTheDocument();
    // The form is filled from the loaded section.
    await expect.poll(() => (screen.getByLabelText('강의실') as HTMLInputElement).value).toBe('공학관 101');
    const capacity = screen.getByLabelText('정원');
    expect(capacity).toHaveValue(40);
    expect(screen.getByRole('heading', { name: '분반 수정' })).toBeInTheDocument();
    await userEvent.clear(capacity);
    await userEvent.type(capacity, '5');
    await userEvent.click(screen.getByRole('button', { name: '저장' }));

    expect(await screen.findByText('must be at least 12')).toHaveAttribute('id', 'sf-capacity-error');
    expect(capacity).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('이미 12명이 신청해서 정원을 그보다 줄일 수 없습니다.')).toBeInTheDocument();
    expect(sent[0]).toMatchObject({ capacity: 5, lectureId: 10, professorId: 20, meetings: section().meetings });
  });

  it('refuses deleting a section with enrollments and says how many', async () => {
    server.use(
      ...referenceHandlers(),
      http.get('*/api/lectures/sections/100', () => HttpResponse.json(section() satisfies Section)),
      http.delete('*/api/lectures/sections/100', () => problem(409, 'IN_USE', { detail: 'section 100 is still referenced by 12 enrollment rows', usedBy: { enrollment: 12 } })),
    );
    const { router } = await renderWithApp(SectionFormPage, { route: '/catalog/sections/100', session: staffSession() });
    await userEvent.click(await screen.findByRole('button', { name: '분반 삭제' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '삭제' }));

    const alert = await screen.findByText('사용 중이라 바꿀 수 없습니다.');
    expect(alert.closest('[role="alert"]')).toHaveTextContent('수강신청 12건');
    expect(router.currentRoute.value.name).toBe('section-edit');
  });
});
