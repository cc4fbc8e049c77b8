import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { competitionLevelOf, type Forecast, type LiveStats, type SectionForecast } from '@goorm/contracts';
import { problem, server } from '../../testing/server.ts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import DashboardPage from './DashboardPage.vue';
import { liveStats } from './liveStats.fixture.ts';
import type { WaitlistOverview } from '@goorm/contracts';
import { waitlistOverview } from '../waitlist/waitlist.fixtures.ts';

/** The waitlist totals beside the live numbers, recording each read. */
function waitlistsWith(answer: WaitlistOverview | Response = waitlistOverview()) {
  const asked: URLSearchParams[] = [];
  server.use(
    http.get('*/api/enrollments/waitlists', ({ request }) => {
      asked.push(new URL(request.url).searchParams);
      return answer instanceof Response ? answer.clone() : HttpResponse.json(answer satisfies WaitlistOverview);
    }),
  );
  return asked;
}

const forecast = (sectionId: number, pFill: number, over: Partial<SectionForecast> = {}): SectionForecast => ({
  sectionId,
  pFillWithin: { '1': 0.3, '5': 0.55, '10': 0.64, '60': 0.8 },
  pFill,
  expectedFillMinutes: 3.2,
  level: competitionLevelOf(pFill),
  capacity: 40,
  cartCount: 120,
  openingGrade: 4,
  ...over,
});

/** The AI helper's forecast (none known unless given), recording each call's section ids. */
function forecastsWith(items: SectionForecast[] | Response = []) {
  const asked: string[] = [];
  server.use(
    http.get('*/api/ai/forecast', ({ request }) => {
      const ids = new URL(request.url).searchParams.get('sectionIds') ?? '';
      asked.push(ids);
      if (items instanceof Response) return items.clone();
      const known = items.filter((f) => ids.split(',').includes(String(f.sectionId)));
      return HttpResponse.json({ items: known, unknownSectionIds: [], horizonMinutes: 1920, modelVersion: '2026.12.03-s42' } satisfies Forecast);
    }),
  );
  return asked;
}

function answerWith(...answers: Array<LiveStats | Response>) {
  const queries: URLSearchParams[] = [];
  forecastsWith();
  waitlistsWith();
  server.use(
    http.get('*/api/enrollments/stats/live', ({ request }) => {
      queries.push(new URL(request.url).searchParams);
      const a = answers.length > 1 ? answers.shift()! : answers[0]!;
      return a instanceof Response ? a.clone() : HttpResponse.json(a satisfies LiveStats);
    }),
  );
  return queries;
}

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

afterEach(() => {
  setVisibility('visible');
});

describe('the registration dashboard', () => {
  it('shows the summary cards, each chart in words and its numbers in a table', async () => {
    const queries = answerWith(liveStats());
    await renderWithApp(DashboardPage, { route: '/', session: staffSession() });

    expect(await screen.findByTestId('card-seats')).toHaveTextContent('530 / 12,000');
    expect(screen.getByTestId('card-last-minute')).toHaveTextContent('42');
    expect(screen.getByTestId('card-waiting')).toHaveTextContent('42');
    expect(screen.getByText('1분 15초')).toBeInTheDocument();
    expect(screen.getByText('2026학년도 1학기 (2026-1)')).toBeInTheDocument();
    expect(queries[0]?.get('minutes')).toBe('10');
    expect(queries[0]?.get('bucketSeconds')).toBe('10');

    const decisions = screen.getByRole('figure', { name: '결과별 초당 처리 건수' });
    expect(decisions).toHaveTextContent('최근 1분 동안 42건 처리: 신청 성공 30, 정원 초과 10, 시간 충돌 2.');
    const table = within(decisions).getByRole('table', { name: '결과별 처리 건수 (10초 단위, 처리가 있었던 구간만)' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['시각', '신청 성공', '정원 초과', '시간 충돌', '초당 건수', '합계']);
    expect(within(table).getAllByRole('row').at(-1)).toHaveTextContent(/^01:00:50\s*5\s*5\s*2\s*1\.2\s*12$/);

    expect(screen.getByRole('figure', { name: '시간에 따른 신청 좌석' })).toHaveTextContent('500석에서 530석으로 +30석 변화');
    const contested = screen.getByTestId('contested-table');
    expect(within(contested).getAllByRole('row')[2]).toHaveTextContent('CSE3010 운영체제 2분반');
    expect(within(contested).getAllByRole('row')[2]).toHaveTextContent('45초');
    expect(within(contested).getAllByRole('row')[1]).toHaveTextContent('마감 전');
    expect(screen.getByText('거의 찬 분반이 없습니다.')).toBeInTheDocument();
  });

  it('refreshes on its own while visible, stops while the tab is hidden, and refreshes at once when shown again', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const queries = answerWith(liveStats());
      await renderWithApp(DashboardPage, { route: '/', session: staffSession() });
      await screen.findByTestId('card-seats');
      expect(queries).toHaveLength(1);

      await vi.advanceTimersByTimeAsync(3_000);
      await vi.waitFor(() => expect(queries).toHaveLength(2));

      setVisibility('hidden');
      expect(await screen.findByText(/탭이 보이지 않아 자동 갱신을 멈췄습니다/)).toBeInTheDocument();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(queries).toHaveLength(2);

      setVisibility('visible');
      await vi.waitFor(() => expect(queries).toHaveLength(3));
    } finally {
      vi.useRealTimers();
    }
  });

  it('pauses and resumes with the button, showing when it last updated', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const queries = answerWith(liveStats());
      await renderWithApp(DashboardPage, { route: '/', session: staffSession() });
      const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
      await screen.findByTestId('card-seats');
      expect(screen.getByTestId('last-updated')).toHaveTextContent(/마지막 갱신: \d{2}:\d{2}:\d{2}/);

      await user.click(screen.getByRole('button', { name: '자동 갱신 멈춤' }));
      expect(screen.getByText(/자동 갱신을 멈췄습니다/)).toBeInTheDocument();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(queries).toHaveLength(1);

      await user.click(screen.getByRole('button', { name: '자동 갱신 다시 시작' }));
      await vi.waitFor(() => expect(queries).toHaveLength(2));
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the last numbers on screen when a refresh fails, and says so', async () => {
    answerWith(liveStats(), problem(503, 'SERVICE_UNAVAILABLE'));
    await renderWithApp(DashboardPage, { route: '/', session: staffSession() });
    await screen.findByTestId('card-seats');

    await userEvent.click(screen.getByRole('button', { name: '지금 갱신' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('서비스가 잠시 응답하지 않습니다');
    expect(alert).toHaveTextContent('마지막으로 받은 숫자를 보여 줍니다');
    expect(screen.getByTestId('card-seats')).toHaveTextContent('530 / 12,000');
  });

  it('asks for another period with wider buckets', async () => {
    const queries = answerWith(liveStats());
    await renderWithApp(DashboardPage, { route: '/', session: staffSession() });
    await screen.findByTestId('card-seats');

    await userEvent.selectOptions(screen.getByLabelText('기간'), '최근 60분');

    await vi.waitFor(() => expect(queries.at(-1)?.get('minutes')).toBe('60'));
    expect(queries.at(-1)?.get('bucketSeconds')).toBe('60');
  });

  it('says when the server runs no waiting room', async () => {
    answerWith(liveStats({ waitingRoom: null }));
    await renderWithApp(DashboardPage, { route: '/', session: staffSession() });
    await screen.findByTestId('card-seats');
    expect(screen.getAllByText('이 서버에는 대기열이 없습니다.').length).toBeGreaterThan(0);
    expect(screen.getByText('대기열 없음')).toBeInTheDocument();
  });

  it('shows the forecast at the opening beside the most contested sections (one call for the list), with a link to adjust seats', async () => {
    answerWith(liveStats());
    const asked = forecastsWith([forecast(11, 0.93, { expectedFillMinutes: 962 }), forecast(12, 0.12, { expectedFillMinutes: null, pFillWithin: { '10': 0.004 } })]);
    await renderWithApp(DashboardPage, { route: '/', session: staffSession() });

    const contested = await screen.findByTestId('contested-table');
    expect(within(contested).getAllByRole('columnheader').map((h) => h.textContent?.trim())).toEqual([
      '분반', '신청', '정원', '충원율', '장바구니', '장바구니 / 정원', '마감까지 걸린 시간', '예측', '마감 확률', '10분 내 마감', '예상 마감', '정원 조정',
    ]);
    const [, first, second] = within(contested).getAllByRole('row');
    await vi.waitFor(() => expect(first).toHaveTextContent('매우 치열'));
    expect(first).toHaveTextContent(/93%\s*64%\s*2학년 개시 후 약 2분/);
    expect(second).toHaveTextContent(/여유\s*12%\s*<1%\s*마감 가능성 낮음/);
    expect(within(first!).getByRole('link', { name: 'CSE2010 자료구조 1분반 정원 조정' })).toHaveAttribute('href', '/catalog/sections/11');
    expect(screen.getByText('예측 모델 2026.12.03-s42')).toBeInTheDocument();
    expect(asked).toEqual(['11,12']);
  });

  it('when the forecast cannot be read, keeps the contested sections and says so', async () => {
    answerWith(liveStats());
    forecastsWith(problem(503, 'SERVICE_UNAVAILABLE'));
    await renderWithApp(DashboardPage, { route: '/', session: staffSession() });

    expect(await screen.findByRole('alert')).toHaveTextContent('경쟁 예측을 불러오지 못했습니다');
    const contested = screen.getByTestId('contested-table');
    expect(within(contested).getAllByRole('row')[1]).toHaveTextContent('예측 없음');
    expect(within(contested).getAllByRole('row')[1]).toHaveTextContent('CSE2010 자료구조 1분반');
  });
  it('shows the waitlist totals and the most-waitlisted sections, each linked to its waitlist', async () => {
    answerWith(liveStats());
    await renderWithApp(DashboardPage, { route: '/', session: staffSession() });

    const panel = await screen.findByTestId('dashboard-waitlists');
    await vi.waitFor(() => expect(within(panel).getByTestId('waitlist-entries')).toHaveTextContent('57'));
    expect(within(panel).getByTestId('waitlist-students')).toHaveTextContent('41');
    expect(within(panel).getByTestId('waitlist-sections')).toHaveTextContent('9');
    expect(panel).toHaveTextContent('최근 1시간: 자동 신청 6명, 건너뜀 2명');
    const rows = within(within(panel).getByRole('table', { name: '대기가 많은 분반 (긴 순)' })).getAllByRole('row');
    expect(rows[1]).toHaveTextContent(/CSE2010 자료구조 1분반\s*18\s*40 \/ 40/);
    expect(within(panel).getByRole('link', { name: 'CSE2010 자료구조 1분반 대기 명단' })).toHaveAttribute('href', '/catalog/sections/42/waitlist');
    expect(within(panel).getByRole('link', { name: 'CSE3010 운영체제 2분반 대기 명단' })).toHaveAttribute('href', '/catalog/sections/43/waitlist');
  });

  it('refreshes the waitlist totals with the live numbers', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const queries = answerWith(liveStats());
      const asked = waitlistsWith(waitlistOverview());
      await renderWithApp(DashboardPage, { route: '/', session: staffSession() });
      await screen.findByTestId('waitlist-entries');
      expect(asked).toHaveLength(1);
      waitlistsWith(waitlistOverview({ entries: 60 }));

      await vi.advanceTimersByTimeAsync(3_000);
      await vi.waitFor(() => expect(queries).toHaveLength(2));
      await vi.waitFor(() => expect(screen.getByTestId('waitlist-entries')).toHaveTextContent('60'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('says so when the waitlist totals cannot be read, and keeps the rest', async () => {
    answerWith(liveStats());
    waitlistsWith(problem(503, 'SERVICE_UNAVAILABLE'));
    await renderWithApp(DashboardPage, { route: '/', session: staffSession() });

    expect(await within(await screen.findByTestId('dashboard-waitlists')).findByRole('alert')).toHaveTextContent('수강 대기 현황을 불러오지 못했습니다.');
    expect(screen.getByTestId('card-seats')).toHaveTextContent('530 / 12,000');
  });
});
