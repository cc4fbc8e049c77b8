import userEvent from '@testing-library/user-event';
import { screen, waitFor, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useResultsStore } from '../../stores/results.ts';
import { makeSection, waitlistItemOf, waitlistsOf } from '../../testing/fixtures.ts';
import { demoSession, renderWithApp } from '../../testing/render.ts';
import { server } from '../../testing/server.ts';
import { useWaitlistStore } from '../../stores/waitlist.ts';
import WaitlistPanel from './WaitlistPanel.vue';

const ds = makeSection({ id: 41, sectionNo: 1, room: '공학관 301', meetings: [{ day: 'MON', startPeriod: 1, endPeriod: 2 }] });
const os = makeSection({ id: 42, sectionNo: 3, lecture: { id: 12, code: 'CSE3020', title: '운영체제', titleEn: 'Operating Systems' } });

async function renderPanel(locale: 'ko' | 'en' = 'ko') {
  const rendered = await renderWithApp(WaitlistPanel, { session: demoSession(), route: '/timetable', locale });
  await useWaitlistStore().load();
  return rendered;
}

describe('WaitlistPanel (대기 중인 강의)', () => {
  it('lists each waitlist with its place, how many wait, the last skip in words and the limit', async () => {
    server.use(
      http.get('/api/enrollments/waitlist/me', () =>
        HttpResponse.json(
          waitlistsOf(
            [
              waitlistItemOf(ds, { position: 2, waiting: 6 }),
              waitlistItemOf(os, { position: 1, waiting: 1, lastSkip: { code: 'TIME_CONFLICT', at: '2026-02-10T03:05:00.000Z' } }),
            ],
            { maxEntriesPerStudent: 3 },
          ),
        ),
      ),
    );
    await renderPanel();

    const region = screen.getByRole('region', { name: '대기 중인 강의' });
    expect(within(region).getByText(/최대 3개 강의까지/)).toBeInTheDocument();
    const [first, second] = within(region).getAllByRole('listitem');
    expect(first).toHaveTextContent('자료구조 1분반');
    expect(first).toHaveTextContent('월 1–2교시');
    expect(first).toHaveTextContent('대기 2번');
    expect(first).toHaveTextContent('6명 대기 중');
    expect(first).not.toHaveTextContent('최근 건너뜀');
    expect(second).toHaveTextContent('운영체제 3분반');
    expect(second).toHaveTextContent('대기 1번');
    expect(second).toHaveTextContent(/최근 건너뜀: 다른 신청 과목과 시간 중복 \(2026\. 2\. 10\. 12:05\)/);
  });

  it('says so when the student waits on nothing, and when new entries are closed', async () => {
    server.use(http.get('/api/enrollments/waitlist/me', () => HttpResponse.json(waitlistsOf([], { enabled: false }))));
    await renderPanel();

    expect(screen.getByText('대기 중인 강의가 없습니다.')).toBeInTheDocument();
    expect(screen.getByText(/지금은 새 대기 신청을 받지 않습니다/)).toBeInTheDocument();
  });

  it('대기 취소 leaves the waitlist, announces it and drops the item', async () => {
    let left = false;
    server.use(
      http.get('/api/enrollments/waitlist/me', () => HttpResponse.json(waitlistsOf(left ? [] : [waitlistItemOf(ds, { position: 2, waiting: 2 })]))),
      http.delete('/api/enrollments/waitlist/41', () => {
        left = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = userEvent.setup();
    await renderPanel();

    await user.click(screen.getByRole('button', { name: '자료구조 1분반 대기 취소' }));

    await waitFor(() => expect(screen.getByText('대기 중인 강의가 없습니다.')).toBeInTheDocument());
    expect(useResultsStore().items).toMatchObject([{ kind: 'waitlistLeave', ok: true, section: { id: 41 } }]);
  });

  it('speaks English', async () => {
    server.use(
      http.get('/api/enrollments/waitlist/me', () =>
        HttpResponse.json(waitlistsOf([waitlistItemOf(ds, { position: 4, waiting: 9, lastSkip: { code: 'CREDIT_LIMIT', at: '2026-02-10T03:05:00.000Z' } })])),
      ),
    );
    await renderPanel('en');

    const item = within(screen.getByRole('region', { name: 'Waitlists' })).getByRole('listitem');
    expect(item).toHaveTextContent('Waitlist no. 4');
    expect(item).toHaveTextContent('9 waiting');
    expect(item).toHaveTextContent('Last passed over: over the credit limit');
  });
});
