import userEvent from '@testing-library/user-event';
import { screen, waitFor, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Enrolled, WaitlistEntry } from '@goorm/contracts';
import { useQueueStore } from '../stores/queue.ts';
import { useResultsStore } from '../stores/results.ts';
import { cartItemOf, cartOf, makeSection, place, waitlistItemOf, waitlistsOf } from '../testing/fixtures.ts';
import { demoSession, renderWithApp } from '../testing/render.ts';
import { problem, server } from '../testing/server.ts';
import CartPage from './CartPage.vue';

const sections = [
  makeSection({ id: 1, sectionNo: 1, lecture: { id: 10, title: '자료구조', titleEn: 'Data Structures' } }),
  makeSection({ id: 2, sectionNo: 1, lecture: { id: 11, code: 'CSE3010', title: '알고리즘', titleEn: 'Algorithms' } }),
  makeSection({ id: 3, sectionNo: 2, lecture: { id: 12, code: 'CSE3020', title: '운영체제', titleEn: 'Operating Systems' } }),
  makeSection({ id: 4, sectionNo: 1, lecture: { id: 13, code: 'GEN1001', title: '글쓰기', titleEn: 'Writing' } }),
];

const enrolled = (sectionId: number): Enrolled => ({ sectionId, lectureId: 10, studentId: 7, createdAt: '2026-02-10T01:00:00.000Z', totalCredits: 3, maxCredits: 18 });

describe('CartPage', () => {
  it('shows the server’s eligibility for each item: 신청 가능, or 자격 없음 with the reason in words', async () => {
    const restricted = makeSection({ id: 5, sectionNo: 3, allowedMajorIds: [2], lecture: { id: 14, code: 'EE2010', title: '회로이론' } });
    server.use(
      http.get('/api/carts/me', () =>
        HttpResponse.json(cartOf([cartItemOf(sections[0]!, { eligible: true }), cartItemOf(restricted, { eligible: false, reason: 'MAJOR_RESTRICTED' })])),
      ),
    );
    await renderWithApp(CartPage, { session: demoSession({ majorId: 1 }), route: '/cart' });

    const ok = (await screen.findByRole('button', { name: '자료구조 1분반 수강신청' })).closest('tr')!;
    expect(within(ok).getByText('신청 가능')).toBeInTheDocument();
    expect(within(ok).getByRole('button', { name: '자료구조 1분반 수강신청' })).toBeEnabled();
    const no = screen.getByRole('button', { name: '회로이론 3분반 수강신청' }).closest('tr')!;
    expect(within(no).getByText('자격 없음')).toBeInTheDocument();
    expect(within(no).getByRole('button', { name: '회로이론 3분반 수강신청' })).toBeDisabled();
    await waitFor(() => expect(within(no).getByRole('button', { name: '회로이론 3분반 수강신청' })).toHaveAccessibleDescription('신청 불가: 전자공학과 학생만 수강 가능'));
    expect(screen.queryByText('확인 필요')).toBeNull();
    expect(screen.getByText(/담은 학점 6 \/ 최대 18학점/)).toBeInTheDocument();
  });

  it('전체 신청: when the waiting room interrupts it, waits there with every item not done yet, each with its own Idempotency-Key', async () => {
    server.use(http.get('/api/carts/me', () => HttpResponse.json(cartOf(sections.map((s) => cartItemOf(s))))));
    const keys: Array<string | null> = [];
    server.use(
      http.post('/api/enrollments', async ({ request }) => {
        keys.push(request.headers.get('Idempotency-Key'));
        const { sectionId } = (await request.json()) as { sectionId: number };
        return keys.length === 1 ? HttpResponse.json(enrolled(sectionId), { status: 201 }) : problem('QUEUE_REQUIRED', { reason: 'missing', queue: '/api/enrollments/queue' });
      }),
      http.post('/api/enrollments/queue', () => HttpResponse.json(place({ position: 3, etaSeconds: 9 }))),
    );
    const user = userEvent.setup();
    const { router } = await renderWithApp(CartPage, { session: demoSession(), route: '/cart' });
    await screen.findByRole('button', { name: '자료구조 1분반 수강신청' });

    await user.click(screen.getByRole('button', { name: '전체 신청' }));

    await waitFor(() => expect(router.currentRoute.value.name).toBe('waiting-room'), { timeout: 5000 });
    const pending = useQueueStore().pending;
    expect(pending?.kind).toBe('enrollAll');
    if (pending?.kind !== 'enrollAll') return;
    // The first went through; the second (refused 428) and the two after it wait, nothing is skipped.
    expect(pending.done).toMatchObject([{ ok: true, section: { id: 1 } }]);
    expect(pending.items.map((i) => i.section.id)).toEqual([2, 3, 4]);
    expect(pending.items[0]!.key).toBe(keys[1]);
    expect(new Set([...keys, ...pending.items.map((i) => i.key)]).size).toBe(4);
    // Each item's state is on screen: the success, and the waiting-room refusal of the second.
    expect(useResultsStore().items).toMatchObject([
      { ok: true, section: { id: 1 } },
      { ok: false, code: 'QUEUE_REQUIRED', section: { id: 2 } },
    ]);
    // A reload in the waiting room still knows what to resume (and with which keys).
    expect(JSON.parse(sessionStorage.getItem('goorm.student.queue.pending') ?? '{}')).toMatchObject({
      pending: { kind: 'enrollAll', items: [{ key: pending.items[0]!.key }, {}, {}] },
      returnTo: { name: 'cart' },
    });
  });

  it('keeps 전체 신청 disabled while a run goes on, also one resumed from the waiting room', async () => {
    server.use(http.get('/api/carts/me', () => HttpResponse.json(cartOf(sections.map((s) => cartItemOf(s))))));
    await renderWithApp(CartPage, { session: demoSession(), route: '/cart' });
    await screen.findByRole('button', { name: '전체 신청' });

    useResultsStore().running = true;

    expect(await screen.findByRole('button', { name: '신청 중…' })).toBeDisabled();
  });

  it('a full cart section offers 대기 신청; once joined its row says 대기 N번 and offers 대기 취소', async () => {
    const full = makeSection({ id: 6, sectionNo: 2, capacity: 30, enrolled: 30 });
    const open = makeSection({ id: 7, sectionNo: 1, capacity: 30, enrolled: 3, lecture: { id: 15, code: 'CSE3030', title: '컴파일러' } });
    let joined = false;
    server.use(
      http.get('/api/carts/me', () => HttpResponse.json(cartOf([cartItemOf(full), cartItemOf(open)]))),
      http.post('/api/enrollments/waitlist', () => {
        joined = true;
        const entry: WaitlistEntry = { sectionId: 6, lectureId: full.lectureId, studentId: 7, position: 2, waiting: 2, joinedAt: '2026-02-10T01:00:00.000Z', lastSkip: null };
        return HttpResponse.json(entry, { status: 201 });
      }),
      http.get('/api/enrollments/waitlist/me', () => HttpResponse.json(waitlistsOf(joined ? [waitlistItemOf(full, { position: 2, waiting: 2 })] : []))),
    );
    const user = userEvent.setup();
    await renderWithApp(CartPage, { session: demoSession(), route: '/cart' });
    const row = (await screen.findByRole('button', { name: '자료구조 2분반 대기 신청' })).closest('tr')!;
    // A section with seats left offers no waitlist.
    expect(screen.queryByRole('button', { name: '컴파일러 1분반 대기 신청' })).toBeNull();

    await user.click(within(row).getByRole('button', { name: '자료구조 2분반 대기 신청' }));

    expect(await within(row).findByText('대기 2번')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: '자료구조 2분반 대기 취소' })).toBeEnabled();
    expect(within(row).queryByRole('button', { name: '자료구조 2분반 대기 신청' })).toBeNull();
    expect(useResultsStore().items).toMatchObject([{ kind: 'waitlistJoin', ok: true, waitlist: { position: 2, waiting: 2 } }]);
  });
});
