import { screen, waitFor } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import userEvent from '@testing-library/user-event';
import type { Enrolled } from '@goorm/contracts';
import { useQueueStore } from '../stores/queue.ts';
import { useResultsStore } from '../stores/results.ts';
import { makeSection, place } from '../testing/fixtures.ts';
import { demoSession, renderWithApp } from '../testing/render.ts';
import { problem, server } from '../testing/server.ts';
import WaitingRoomPage from './WaitingRoomPage.vue';

const enrolled = (sectionId: number): Enrolled => ({ sectionId, lectureId: 10, studentId: 7, createdAt: '2026-02-10T01:00:00.000Z', totalCredits: 3, maxCredits: 18 });

/** Every POST /api/enrollments as [sectionId, {admissionToken, idempotencyKey}], answered in turn by `answers` (201 when none is left). */
let enrolls: Array<[number, { admissionToken: string | null; idempotencyKey: string | null }]> = [];
function answerEnrolls(answers: Array<() => Response> = []) {
  enrolls = [];
  server.use(
    http.post('/api/enrollments', async ({ request }) => {
      const { sectionId } = (await request.json()) as { sectionId: number };
      enrolls.push([sectionId, { admissionToken: request.headers.get('X-Admission-Token'), idempotencyKey: request.headers.get('Idempotency-Key') }]);
      const answer = answers[enrolls.length - 1];
      return answer ? answer() : HttpResponse.json(enrolled(sectionId), { status: 201 });
    }),
  );
}

beforeEach(() => {
  server.use(
    http.post('/api/enrollments/queue', () => HttpResponse.json(place({ ticket: 't-1', position: 1, etaSeconds: 2 }))),
    http.get('/api/enrollments/queue/:ticket', () => HttpResponse.json(place({ ticket: 't-1', position: 0, etaSeconds: 0, admitted: true, admissionToken: 'adm-1' }))),
  );
  answerEnrolls();
});

describe('WaitingRoomPage', () => {
  it('when admitted, resumes the registration with the admission token and returns to where the student was', async () => {
    const section = makeSection({ id: 42 });
    const { router } = await renderWithApp(WaitingRoomPage, { session: demoSession(), route: '/waiting-room' });
    useQueueStore().wait({ kind: 'enroll', section }, 'search');

    await waitFor(() => expect(enrolls).toEqual([[42, { admissionToken: 'adm-1', idempotencyKey: expect.any(String) }]]), { timeout: 20_000 });
    await waitFor(() => expect(router.currentRoute.value.name).toBe('search'));
    // The result is shown once the resumed request has answered, a moment after it was sent.
    await waitFor(() => expect(useResultsStore().items).toMatchObject([{ kind: 'enroll', ok: true, section: { id: 42 } }]));
    expect(screen.getByRole('heading', { name: '대기실' })).toBeInTheDocument();
  });

  it('after admission, goes on with every remaining item of 전체 신청 under its own key and shows each outcome', async () => {
    const done = makeSection({ id: 50, sectionNo: 1, lecture: { id: 20, code: 'CSE1010', title: '프로그래밍' } });
    const items = [
      { section: makeSection({ id: 51, sectionNo: 1, lecture: { id: 21, code: 'CSE2010', title: '자료구조' } }), key: 'k-51' },
      { section: makeSection({ id: 52, sectionNo: 2, lecture: { id: 22, code: 'CSE3010', title: '알고리즘' } }), key: 'k-52' },
      { section: makeSection({ id: 53, sectionNo: 1, lecture: { id: 23, code: 'CSE3020', title: '운영체제' } }), key: 'k-53' },
      { section: makeSection({ id: 54, sectionNo: 3, lecture: { id: 24, code: 'BUS1020', title: '경영통계' } }), key: 'k-54' },
    ];
    answerEnrolls([
      () => HttpResponse.json(enrolled(51), { status: 201 }),
      () => problem('SECTION_FULL', {}),
      () =>
        problem('TIME_CONFLICT', {
          conflict: { sectionId: 51, lectureCode: 'CSE2010', lectureTitle: '자료구조', sectionNo: 1, day: 'MON', startPeriod: 1, endPeriod: 2 },
        }),
      () => problem('NOT_ELIGIBLE', { reason: 'MAJOR_RESTRICTED' }),
    ]);
    const { router } = await renderWithApp(WaitingRoomPage, { session: demoSession(), route: '/waiting-room' });
    useQueueStore().wait({ kind: 'enrollAll', items, done: [{ id: 9001, kind: 'enroll', ok: true, section: done }] }, 'cart');

    await waitFor(() => expect(enrolls).toHaveLength(4), { timeout: 20_000 });
    expect(enrolls).toEqual(items.map((i) => [i.section.id, { admissionToken: 'adm-1', idempotencyKey: i.key }]));
    expect(router.currentRoute.value.name).toBe('cart');
    await waitFor(() =>
      expect(useResultsStore().items).toMatchObject([
        { ok: true, section: { id: 50 } },
        { ok: true, section: { id: 51 } },
        { ok: false, code: 'SECTION_FULL', section: { id: 52 } },
        { ok: false, code: 'TIME_CONFLICT', section: { id: 53 } },
        { ok: false, code: 'NOT_ELIGIBLE', section: { id: 54 } },
      ]),
    );
    expect(sessionStorage.getItem('goorm.student.queue.pending')).toBeNull();
  });

  it('returns to the section detail page it came from, with its id', async () => {
    const section = makeSection({ id: 43 });
    const { router } = await renderWithApp(WaitingRoomPage, { session: demoSession(), route: '/waiting-room' });
    useQueueStore().wait({ kind: 'enroll', section }, { name: 'section', params: { id: '43' } });

    await waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/sections/43'), { timeout: 20_000 });
  });

  /** What the waiting room's live region says (and its progress) when the navigation away from it is confirmed. */
  const statusText = () => document.querySelector('.waiting-room [role="status"]')?.textContent?.replace(/\s+/g, ' ').trim();
  const progress = () => document.querySelector('.waiting-room [role="progressbar"]')?.getAttribute('aria-valuenow');

  it('still says "admitted" (not "joining the queue…") when it leaves; the place is cleared after that', async () => {
    const section = makeSection({ id: 44 });
    const { router } = await renderWithApp(WaitingRoomPage, { session: demoSession(), route: '/waiting-room' });
    const saidOnLeaving: Array<string | undefined> = [];
    const progressOnLeaving: Array<string | null | undefined> = [];
    router.afterEach(() => {
      saidOnLeaving.push(statusText());
      progressOnLeaving.push(progress());
    });
    useQueueStore().wait({ kind: 'enroll', section }, 'cart');

    await waitFor(() => expect(router.currentRoute.value.name).toBe('cart'), { timeout: 20_000 });
    expect(saidOnLeaving).toEqual(['입장했습니다. 신청을 이어서 진행합니다.']);
    expect(progressOnLeaving).toEqual(['100']);
    await waitFor(() => expect(useQueueStore().current).toBeUndefined());
    expect(sessionStorage.getItem('goorm.student.queue')).toBeNull();
  });

  it('leaving on request keeps the place on screen until it is gone, then forgets it', async () => {
    const { router } = await renderWithApp(WaitingRoomPage, { session: demoSession(), route: '/waiting-room' });
    const saidOnLeaving: Array<string | undefined> = [];
    router.afterEach(() => void saidOnLeaving.push(statusText()));
    useQueueStore().wait({ kind: 'enroll', section: makeSection({ id: 45 }) }, 'cart');
    await screen.findByText('내 순서 1번');

    await userEvent.click(screen.getByRole('button', { name: '대기 그만두기' }));
    await waitFor(() => expect(router.currentRoute.value.name).toBe('cart'));
    expect(saidOnLeaving).toEqual(['내 순서 1번예상 대기 시간 2초']);
    expect(useQueueStore().current).toBeUndefined();
    expect(sessionStorage.getItem('goorm.student.queue')).toBeNull();
  });
});
