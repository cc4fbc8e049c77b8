import userEvent from '@testing-library/user-event';
import { screen, waitFor, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Forecast, Page, Section } from '@goorm/contracts';
import { makeForecast, makeLecture, makeSection, waitlistItemOf, waitlistsOf } from '../testing/fixtures.ts';
import { useWaitlistStore } from '../stores/waitlist.ts';
import { demoSession, renderWithApp } from '../testing/render.ts';
import { sectionIdsOf, server } from '../testing/server.ts';
import SectionDetailPage from './SectionDetailPage.vue';

const section = makeSection({
  id: 77,
  sectionNo: 2,
  grades: [1, 2],
  allowedMajorIds: [1, 2],
  meetings: [{ day: 'TUE', startPeriod: 3, endPeriod: 4 }],
  reserved: [
    { id: 1, majorId: 1, grades: [1], seats: 10, releaseAt: '2026-02-12T01:00:00.000Z' },
    { id: 2, majorId: null, grades: [1, 2, 3, 4], seats: 5, releaseAt: '2026-02-13T09:00:00.000Z' },
  ],
});

beforeEach(() => {
  server.use(
    http.get('/api/lectures/sections/:id', () => HttpResponse.json(section)),
    http.get('/api/lectures/sections', () => HttpResponse.json({ items: [section], total: 1, page: 1, size: 100 } satisfies Page<Section>)),
    http.get('/api/lectures/lectures/:id', () => HttpResponse.json(makeLecture({ description: '스택, 큐, 트리와 그래프를 배운다.\n\n과제 4회, 기말고사.' }))),
  );
});

describe('SectionDetailPage', () => {
  it('shows the syllabus, the restrictions with major names and the reserved seats, and why 신청 is disabled', async () => {
    await renderWithApp(SectionDetailPage, { session: demoSession({ grade: 3, majorId: 1 }), route: '/sections/77' });

    expect(await screen.findByRole('heading', { level: 1, name: '자료구조 2분반' })).toBeInTheDocument();
    expect(await screen.findByText('스택, 큐, 트리와 그래프를 배운다.')).toBeInTheDocument();
    expect(screen.getByText('과제 4회, 기말고사.')).toBeInTheDocument();
    expect(screen.getByText('화 3–4교시 (11:00–12:50)')).toBeInTheDocument();

    const restrictions = screen.getByRole('heading', { name: '수강 제한' }).nextElementSibling as HTMLElement;
    expect(within(restrictions).getByText('1·2학년')).toBeInTheDocument();
    expect(await within(restrictions).findByText('컴퓨터공학과, 전자공학과')).toBeInTheDocument();
    const reserved = within(restrictions).getAllByRole('listitem').map((li) => li.textContent);
    expect(reserved).toEqual([
      expect.stringMatching(/^컴퓨터공학과 1학년: 10석 · 2026\. 2\. 12\. 10:00 이후 남은 좌석은 모든 학생에게 개방$/),
      expect.stringMatching(/^모든 전공 전 학년: 5석 · 2026\. 2\. 13\. 18:00 이후/),
    ]);

    const register = screen.getByRole('button', { name: '자료구조 2분반 수강신청' });
    expect(register).toBeDisabled();
    expect(register).toHaveAccessibleDescription('신청 불가: 1·2학년만 수강 가능');
  });

  it('in English, uses the English title and major names', async () => {
    await renderWithApp(SectionDetailPage, { session: demoSession({ grade: 1, majorId: 1 }), route: '/sections/77', locale: 'en' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Data Structures sec. 2' })).toBeInTheDocument();
    expect(await screen.findByText('Computer Science, Electrical Engineering')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Register for Data Structures sec. 2' })).toBeEnabled();
  });

  it('shows the competition badge beside the cart count, asking this section’s forecast and its siblings’ in one call', async () => {
    const sibling = makeSection({ id: 78, sectionNo: 3 });
    const asked: number[][] = [];
    server.use(
      http.get('/api/lectures/sections', () => HttpResponse.json({ items: [section, sibling], total: 2, page: 1, size: 100 } satisfies Page<Section>)),
      http.get('/api/ai/forecast', ({ request }) => {
        const ids = sectionIdsOf(request);
        asked.push(ids);
        return HttpResponse.json({
          items: ids.map((id) => makeForecast(id, { pFill: id === 77 ? 0.45 : 0.05, expectedFillMinutes: id === 77 ? 545 : null })),
          unknownSectionIds: [],
          horizonMinutes: 1920,
          modelVersion: 'test',
        } satisfies Forecast);
      }),
    );
    await renderWithApp(SectionDetailPage, { session: demoSession({ grade: 3, majorId: 1 }), route: '/sections/77' });

    const badge = await screen.findByRole('button', { name: '경쟁 예측: 치열' });
    expect(badge.closest('dd')).toHaveTextContent('장바구니 0 / 정원 40');
    expect(badge).toHaveAccessibleDescription(/예상 마감 3학년 신청 개시 후 약 1시간 5분$/);
    const others = screen.getByRole('table', { name: '같은 강의의 다른 분반' });
    await waitFor(() => expect(within(others).getByRole('button', { name: '경쟁 예측: 여유' })).toBeInTheDocument());
    expect(asked).toEqual([[77, 78]]);
  });

  it('on a full section the student waits on, shows 대기 N번 and 대기 취소; leaving brings 대기 신청 back', async () => {
    const full = makeSection({ id: 79, sectionNo: 4, capacity: 40, enrolled: 40 });
    let left = false;
    server.use(
      http.get('/api/lectures/sections/:id', () => HttpResponse.json(full)),
      http.get('/api/lectures/sections', () => HttpResponse.json({ items: [full], total: 1, page: 1, size: 100 } satisfies Page<Section>)),
      http.get('/api/enrollments/waitlist/me', () => HttpResponse.json(waitlistsOf(left ? [] : [waitlistItemOf(full, { position: 3, waiting: 7 })]))),
      http.delete('/api/enrollments/waitlist/79', () => {
        left = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = userEvent.setup();
    await renderWithApp(SectionDetailPage, { session: demoSession({ grade: 3, majorId: 1 }), route: '/sections/79' });
    await useWaitlistStore().load();

    expect(await screen.findByText('대기 3번')).toBeInTheDocument();
    expect(screen.getByText('7명 대기 중')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '자료구조 4분반 대기 취소' }));

    expect(await screen.findByRole('button', { name: '자료구조 4분반 대기 신청' })).toBeEnabled();
    expect(screen.queryByText('대기 3번')).toBeNull();
  });
});
