import { screen } from '@testing-library/vue';
import { nextTick } from 'vue';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type Enrolled, type WaitlistEntry } from '@goorm/contracts';
import type { ClientErrorCode } from '@goorm/contracts/client';
import { createAppI18n } from '../../i18n/index.ts';
import type { Outcome } from '../../domain/outcomes.ts';
import { useResultsStore } from '../../stores/results.ts';
import { makeSection, waitlistItemOf, waitlistsOf } from '../../testing/fixtures.ts';
import { demoSession, renderWithApp } from '../../testing/render.ts';
import { server } from '../../testing/server.ts';
import { useWaitlistStore } from '../../stores/waitlist.ts';
import ActionResults from './ActionResults.vue';

const section = makeSection({ sectionNo: 1 });
let id = 0;
const refused = (code: ClientErrorCode, extra: Partial<Outcome> = {}): Outcome => ({ id: ++id, kind: 'enroll', ok: false, section, code, ...extra });

async function show(outcomes: Outcome[], locale: 'ko' | 'en' = 'ko') {
  await renderWithApp(ActionResults, { locale });
  useResultsStore().show(outcomes);
  await nextTick();
}

describe('ActionResults', () => {
  it.each([
    ['SECTION_FULL', '자료구조 1분반: 정원 초과'],
    ['CREDIT_LIMIT', '자료구조 1분반: 학점 초과'],
    ['WINDOW_CLOSED', '자료구조 1분반: 신청 기간 아님'],
    ['NOT_ELIGIBLE', '자료구조 1분반: 수강 자격 없음'],
    ['ALREADY_ENROLLED', '자료구조 1분반: 이미 신청한 과목'],
    ['RATE_LIMITED', '자료구조 1분반: 요청이 너무 많음'],
    ['NOT_FOUND', '자료구조 1분반: 없는 분반'],
    ['CART_LIMIT', '자료구조 1분반: 장바구니 학점 한도 초과'],
    ['NETWORK', '자료구조 1분반: 서버에 연결할 수 없음'],
    ['TIME_CONFLICT', '자료구조 1분반: 시간 중복'],
    ['IN_USE', '자료구조 1분반: 사용 중이라 처리할 수 없음'],
  ] satisfies Array<[ClientErrorCode, string]>)('announces %s as an alert saying "%s"', async (code, text) => {
    await show([refused(code)]);

    expect(screen.getByRole('alert')).toHaveTextContent(text);
    expect(screen.getByRole('status')).toHaveTextContent('');
  });

  it('announces QUEUE_REQUIRED as information (the next step), not as a refusal: politely, not in red', async () => {
    await show([refused('QUEUE_REQUIRED')]);

    expect(screen.getByRole('status')).toHaveTextContent('자료구조 1분반: 대기열 필요 — 대기실로 이동합니다');
    expect(screen.getByRole('alert')).toHaveTextContent('');
    expect(screen.getByText(/대기열 필요/).closest('p')).toHaveClass('result--info');
    expect(document.querySelector('.result--error')).toBeNull();
  });

  it('has words for every error code of the contract, in both languages (no refusal is announced as a bare code)', () => {
    for (const locale of ['ko', 'en'] as const) {
      const { t, te } = createAppI18n(locale).global;
      for (const code of [...ERROR_CODES, 'NETWORK' as const]) {
        expect(te(`results.codes.${code}`), `${locale} ${code}`).toBe(true);
        expect(t(`results.codes.${code}`, { conflict: 'x' })).not.toContain(code);
      }
    }
  });

  it('names the clashing section and its time from the problem document of a TIME_CONFLICT', async () => {
    await show([
      refused('TIME_CONFLICT', {
        conflict: { sectionId: 55, lectureCode: 'CSE2020', lectureTitle: '운영체제', sectionNo: 3, day: 'MON', startPeriod: 1, endPeriod: 2 },
      }),
    ]);

    expect(screen.getByRole('alert')).toHaveTextContent('자료구조 1분반: 시간 중복: 운영체제 3분반 (월 1–2교시)');
  });

  it('announces a success politely, in the status region, with 성공', async () => {
    await show([{ id: ++id, kind: 'enroll', ok: true, section }]);

    expect(screen.getByRole('status')).toHaveTextContent('자료구조 1분반: 성공');
    expect(screen.getByRole('status')).toHaveAttribute('aria-live', 'polite');
    expect(screen.getByRole('alert')).toHaveTextContent('');
  });

  it('lists a result per section for "register all", successes and refusals apart', async () => {
    const other = makeSection({ sectionNo: 2, lecture: { id: 11, code: 'CSE3010', title: '알고리즘' } });
    await show([
      { id: ++id, kind: 'enroll', ok: true, section },
      { id: ++id, kind: 'enroll', ok: false, section: other, code: 'SECTION_FULL' },
    ]);

    expect(screen.getByRole('status')).toHaveTextContent('자료구조 1분반: 성공');
    expect(screen.getByRole('alert')).toHaveTextContent('알고리즘 2분반: 정원 초과');
  });

  it('speaks English when the student switched', async () => {
    await show([refused('SECTION_FULL')], 'en');

    expect(screen.getByRole('alert')).toHaveTextContent('Data Structures sec. 1: Section full');
  });

  it('can be dismissed with a labelled button (so it never hides the page for good), focus going back to the button pressed', async () => {
    await renderWithApp(ActionResults);
    const pressed = document.createElement('button');
    pressed.textContent = '신청';
    document.body.append(pressed);
    await userEvent.click(pressed);
    useResultsStore().show([refused('SECTION_FULL')]);
    await nextTick();

    await userEvent.click(screen.getByRole('button', { name: '결과 닫기' }));

    expect(useResultsStore().items).toEqual([]);
    expect(pressed).toHaveFocus();
    pressed.remove();
    expect(screen.getByRole('alert')).toHaveTextContent('');
    expect(screen.queryByRole('button', { name: '결과 닫기' })).toBeNull();
  });

  it('a registration refused SECTION_FULL offers the waitlist right there; taking it joins and announces the place', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post('/api/enrollments/waitlist', async ({ request }) => {
        bodies.push(await request.json());
        const entry: WaitlistEntry = { sectionId: section.id, lectureId: section.lectureId, studentId: 7, position: 4, waiting: 4, joinedAt: '2026-02-10T01:00:00.000Z', lastSkip: null };
        return HttpResponse.json(entry, { status: 201 });
      }),
      http.get('/api/enrollments/waitlist/me', () => HttpResponse.json(waitlistsOf(bodies.length > 0 ? [waitlistItemOf(section, { position: 4, waiting: 4 })] : []))),
    );
    await renderWithApp(ActionResults, { session: demoSession(), route: '/' });
    useResultsStore().show([refused('SECTION_FULL')]);
    await nextTick();

    await userEvent.click(screen.getByRole('button', { name: '자료구조 1분반 대기 신청하기' }));

    expect(bodies).toEqual([{ sectionId: section.id }]);
    expect(screen.getByRole('status')).toHaveTextContent('자료구조 1분반: 대기 신청 완료 (대기 4번, 4명 대기 중)');
    expect(screen.getByRole('alert')).toHaveTextContent('');
    expect(screen.queryByRole('button', { name: /대기 신청하기/ })).toBeNull();
    expect(screen.getByRole('button', { name: '결과 닫기' })).toHaveFocus();
  });

  it('offers no waitlist for a full section the student already waits on, nor for other refusals', async () => {
    server.use(http.get('/api/enrollments/waitlist/me', () => HttpResponse.json(waitlistsOf([waitlistItemOf(section)]))));
    await renderWithApp(ActionResults, { session: demoSession(), route: '/' });
    await useWaitlistStore().load();
    useResultsStore().show([refused('SECTION_FULL'), refused('CREDIT_LIMIT', { section: makeSection({ sectionNo: 2 }) })]);
    await nextTick();

    expect(screen.getByRole('alert')).toHaveTextContent('정원 초과');
    expect(screen.queryByRole('button', { name: /대기 신청하기/ })).toBeNull();
  });

  it('a waitlist refused SEATS_AVAILABLE says a seat is free and offers registering instead', async () => {
    const enrolls: unknown[] = [];
    server.use(
      http.post('/api/enrollments', async ({ request }) => {
        enrolls.push(await request.json());
        const ok: Enrolled = { sectionId: section.id, lectureId: section.lectureId, studentId: 7, createdAt: '2026-02-10T01:00:00.000Z', totalCredits: 3, maxCredits: 18 };
        return HttpResponse.json(ok, { status: 201 });
      }),
      http.get('/api/lectures/sections', () => HttpResponse.json({ items: [], total: 0, page: 1, size: 20 })),
    );
    await renderWithApp(ActionResults, { session: demoSession(), route: '/' });
    useResultsStore().show([refused('SEATS_AVAILABLE', { kind: 'waitlistJoin' })]);
    await nextTick();
    expect(screen.getByRole('alert')).toHaveTextContent('자료구조 1분반: 빈 자리가 있어 대기할 수 없음 — 바로 신청하세요');

    await userEvent.click(screen.getByRole('button', { name: '자료구조 1분반 바로 신청하기' }));

    expect(enrolls).toEqual([{ sectionId: section.id }]);
    expect(screen.getByRole('status')).toHaveTextContent('자료구조 1분반: 성공');
  });
});
