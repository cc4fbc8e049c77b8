import userEvent from '@testing-library/user-event';
import { screen, waitFor, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Cart, Forecast, Recommendations } from '@goorm/contracts';
import { cartItemOf, cartOf, makeForecast, makeSection, recommendationOf, recommendationsOf } from '../../testing/fixtures.ts';
import { demoSession, renderWithApp } from '../../testing/render.ts';
import { emptyCart, problem, sectionIdsOf, server } from '../../testing/server.ts';
import RecommendationsPanel from './RecommendationsPanel.vue';

const ds = makeSection({ id: 11, sectionNo: 2, capacity: 40, enrolled: 31, lecture: { id: 10, code: 'CSE2010', title: '자료구조', titleEn: 'Data Structures' } });
const os = makeSection({
  id: 12,
  sectionNo: 1,
  meetings: [{ day: 'TUE', startPeriod: 5, endPeriod: 6 }],
  lecture: { id: 11, code: 'CSE3020', title: '운영체제', titleEn: 'Operating Systems', credits: 3 },
});
const recs = recommendationsOf([
  recommendationOf(ds, [
    { code: 'MAJOR_GRADE_POPULAR', text: '컴퓨터공학과 3학년 학생들이 많이 담은 강의' },
    { code: 'FREE_TIME', text: '비어 있는 월요일 오전 시간' },
  ]),
  recommendationOf(os, [{ code: 'REQUIRED_FOR_YOU', text: '컴퓨터공학과 전공 필수' }]),
]);

function forecastFor(levels: Record<number, number>) {
  const asked: number[][] = [];
  server.use(
    http.get('/api/ai/forecast', ({ request }) => {
      const ids = sectionIdsOf(request);
      asked.push(ids);
      return HttpResponse.json({
        items: ids.filter((id) => id in levels).map((id) => makeForecast(id, { pFill: levels[id]! })),
        unknownSectionIds: ids.filter((id) => !(id in levels)),
        horizonMinutes: 1920,
        modelVersion: 'test',
      } satisfies Forecast);
    }),
  );
  return asked;
}

describe('RecommendationsPanel', () => {
  it('lists the recommended sections under a heading, each with its reasons, seats left and competition badge, and announces how many', async () => {
    server.use(http.get('/api/ai/recommendations', () => HttpResponse.json(recs satisfies Recommendations)));
    const asked = forecastFor({ 11: 0.9, 12: 0.1 });
    await renderWithApp(RecommendationsPanel, { session: demoSession(), route: '/' });

    const panel = screen.getByRole('region', { name: '추천 강의' });
    const list = await within(panel).findByRole('list', { name: '추천 강의 목록' });
    const items = within(list).getAllByRole('listitem').filter((li) => li.parentElement === list);
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByRole('heading', { level: 3, name: /자료구조 2분반/ })).toBeInTheDocument();
    expect(within(items[0]!).getByRole('link', { name: /자료구조 2분반/ })).toHaveAttribute('href', '/sections/11');
    expect(within(items[0]!).getByText('컴퓨터공학과 3학년 학생들이 많이 담은 강의')).toBeInTheDocument();
    expect(within(items[0]!).getByText('비어 있는 월요일 오전 시간')).toBeInTheDocument();
    expect(within(items[0]!).getByText('잔여 9석 / 정원 40명')).toBeInTheDocument();
    expect(within(items[1]!).getByText('컴퓨터공학과 전공 필수')).toBeInTheDocument();
    expect(within(panel).getByRole('status')).toHaveTextContent('추천 강의 2개');
    await waitFor(() => expect(within(items[0]!).getByRole('button', { name: '경쟁 예측: 매우 치열' })).toBeInTheDocument());
    expect(within(items[1]!).getByRole('button', { name: '경쟁 예측: 여유' })).toBeInTheDocument();
    expect(asked).toEqual([[11, 12]]);
    expect(within(panel).getByText('추천 모델 2026.12.03-s42 · 후보 120개')).toBeInTheDocument();
  });

  it('담기 adds the section through the cart and reads the recommendations again (the carted one leaves)', async () => {
    let cart: Cart = emptyCart;
    let calls = 0;
    const added: unknown[] = [];
    server.use(
      http.get('/api/ai/recommendations', () => {
        calls++;
        return HttpResponse.json(cart.items.length === 0 ? recs : recommendationsOf(recs.items.slice(1)));
      }),
      http.get('/api/carts/me', () => HttpResponse.json(cart)),
      http.post('/api/carts/me/items', async ({ request }) => {
        added.push(await request.json());
        cart = cartOf([cartItemOf(ds)]);
        return HttpResponse.json({ sectionId: 11, addedAt: '2026-02-09T01:00:00.000Z', totalCredits: 3, creditLimit: 18 }, { status: 201 });
      }),
    );
    forecastFor({});
    const user = userEvent.setup();
    await renderWithApp(RecommendationsPanel, { session: demoSession(), route: '/' });

    await user.click(await screen.findByRole('button', { name: '추천: 자료구조 2분반 담기' }));

    expect(added).toEqual([{ sectionId: 11 }]);
    await waitFor(() => expect(screen.queryByRole('button', { name: '추천: 자료구조 2분반 담기' })).toBeNull());
    expect(screen.getByRole('button', { name: '추천: 운영체제 1분반 담기' })).toBeEnabled();
    expect(screen.getByRole('status')).toHaveTextContent('추천 강의 1개');
    expect(calls).toBe(2);
  });

  it('when nothing fits, says so in words', async () => {
    await renderWithApp(RecommendationsPanel, { session: demoSession(), route: '/' });

    expect(await screen.findByText(/지금 담을 수 있는 추천 강의가 없습니다/)).toBeVisible();
    expect(screen.getByRole('status')).toHaveTextContent('추천 강의 0개');
    expect(screen.queryByRole('list', { name: '추천 강의 목록' })).toBeNull();
  });

  it('when the AI helper is down, says so in an alert and offers to try again', async () => {
    let down = true;
    server.use(
      http.get('/api/ai/recommendations', () => (down ? problem('SERVICE_UNAVAILABLE', {}) : HttpResponse.json(recs))),
    );
    const user = userEvent.setup();
    await renderWithApp(RecommendationsPanel, { session: demoSession(), route: '/' });

    expect(await screen.findByRole('alert')).toHaveTextContent('추천 기능을 지금은 사용할 수 없습니다.');
    down = false;
    await user.click(screen.getByRole('button', { name: '추천 다시 불러오기' }));
    expect(await screen.findByRole('button', { name: '추천: 자료구조 2분반 담기' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('in English, shows the reasons in English from their codes', async () => {
    server.use(http.get('/api/ai/recommendations', () => HttpResponse.json(recs)));
    await renderWithApp(RecommendationsPanel, { session: demoSession(), route: '/', locale: 'en' });

    expect(await screen.findByText('Popular with students of your major and grade')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Recommended: add Data Structures sec. 2 to the cart' })).toBeInTheDocument();
  });

  it('folds away with its button (aria-expanded) and stays folded in this browser', async () => {
    server.use(http.get('/api/ai/recommendations', () => HttpResponse.json(recs)));
    const user = userEvent.setup();
    const { unmount } = await renderWithApp(RecommendationsPanel, { session: demoSession(), route: '/' });
    await screen.findByRole('list', { name: '추천 강의 목록' });

    const fold = screen.getByRole('button', { name: '추천 접기' });
    expect(fold).toHaveAttribute('aria-expanded', 'true');
    await user.click(fold);
    expect(screen.queryByRole('list', { name: '추천 강의 목록' })).toBeNull();
    expect(screen.getByRole('button', { name: '추천 펼치기' })).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByRole('heading', { level: 2, name: '추천 강의' })).toBeVisible();
    unmount();

    await renderWithApp(RecommendationsPanel, { session: demoSession(), route: '/' });
    await user.click(await screen.findByRole('button', { name: '추천 펼치기' }));
    expect(await screen.findByRole('list', { name: '추천 강의 목록' })).toBeVisible();
  });
});
