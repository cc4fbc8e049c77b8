import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { WaitlistOverview, WaitlistSettings } from '@goorm/contracts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import { problem, server } from '../../testing/server.ts';
import WaitlistsPage from './WaitlistsPage.vue';
import { waitlistOverview, waitlistSettings } from './waitlist.fixtures.ts';

function backend(initial = waitlistSettings()) {
  let current = initial;
  const puts: unknown[] = [];
  const overviews: URLSearchParams[] = [];
  server.use(
    http.get('*/api/enrollments/waitlists', ({ request }) => {
      overviews.push(new URL(request.url).searchParams);
      return HttpResponse.json(waitlistOverview() satisfies WaitlistOverview);
    }),
    http.get('*/api/enrollments/waitlist/settings', () => HttpResponse.json(current satisfies WaitlistSettings)),
    http.put('*/api/enrollments/waitlist/settings', async ({ request }) => {
      const body = (await request.json()) as WaitlistSettings & { reason: string };
      puts.push(body);
      if (body.maxEntriesPerStudent > 50) return problem(400, 'VALIDATION_FAILED', { errors: [{ field: 'body.maxEntriesPerStudent', message: 'Too big' }] });
      current = { enabled: body.enabled, maxEntriesPerStudent: body.maxEntriesPerStudent, countWaitlistedCredits: body.countWaitlistedCredits, updatedAt: '2026-03-02T01:00:00.000Z' };
      return HttpResponse.json(current satisfies WaitlistSettings);
    }),
  );
  return { puts, overviews };
}

describe('waitlists and their settings', () => {
  it('shows the totals and the longest waitlists, and starts the form from the settings in force', async () => {
    const { overviews } = backend();
    await renderWithApp(WaitlistsPage, { route: '/waitlists', session: staffSession() });

    expect(await screen.findByTestId('waitlist-entries')).toHaveTextContent('57');
    expect(screen.getByRole('link', { name: 'CSE2010 자료구조 1분반 대기 명단' })).toHaveAttribute('href', '/catalog/sections/42/waitlist');
    expect(overviews[0]?.get('top')).toBe('10');
    expect(await screen.findByRole('checkbox', { name: /학생이 대기할 수 있음/ })).toBeChecked();
    expect(screen.getByLabelText('학생 1명이 대기할 수 있는 분반 수')).toHaveValue(3);
    expect(screen.getByRole('checkbox', { name: /학점을 다른 대기 신청 때/ })).not.toBeChecked();
    expect(screen.getByTestId('waitlist-settings-now')).toHaveTextContent('대기 켜짐, 학생당 3개, 대기 학점 포함 꺼짐');
  });

  it('saves the settings with the reason, after asking for one', async () => {
    const { puts } = backend();
    await renderWithApp(WaitlistsPage, { route: '/waitlists', session: staffSession() });
    const max = await screen.findByLabelText('학생 1명이 대기할 수 있는 분반 수');

    await userEvent.click(screen.getByRole('checkbox', { name: /학점을 다른 대기 신청 때/ }));
    await userEvent.clear(max);
    await userEvent.type(max, '5');
    await userEvent.click(screen.getByRole('button', { name: '설정 저장' }));
    expect(screen.getByLabelText(/^사유/)).toHaveAccessibleDescription(/사유를 입력해 주세요/);
    expect(puts).toEqual([]);

    await userEvent.type(screen.getByLabelText(/^사유/), '수강신청 첫날 대기 과목 늘림');
    await userEvent.click(screen.getByRole('button', { name: '설정 저장' }));

    expect(await screen.findByTestId('waitlist-settings-saved')).toHaveTextContent('수강 대기 설정을 저장했습니다. 대기 켜짐, 학생당 5개, 대기 학점 포함 켜짐.');
    expect(puts).toEqual([{ enabled: true, maxEntriesPerStudent: 5, countWaitlistedCredits: true, reason: '수강신청 첫날 대기 과목 늘림' }]);
    expect(screen.getByTestId('waitlist-settings-now')).toHaveTextContent('바꿈');
    expect(screen.getByLabelText(/^사유/)).toHaveValue('');
  });

  it('refuses a limit outside 0 to 50 before sending', async () => {
    const { puts } = backend();
    await renderWithApp(WaitlistsPage, { route: '/waitlists', session: staffSession() });
    const max = await screen.findByLabelText('학생 1명이 대기할 수 있는 분반 수');
    await userEvent.clear(max);
    await userEvent.type(max, '51');
    await userEvent.type(screen.getByLabelText(/^사유/), '시험');
    await userEvent.click(screen.getByRole('button', { name: '설정 저장' }));

    expect(max).toHaveAttribute('aria-invalid', 'true');
    expect(max).toHaveAccessibleDescription(/0 ~ 50 사이의 숫자를 입력해 주세요/);
    expect(puts).toEqual([]);
    expect(within(screen.getByRole('form', { name: '수강 대기 설정' })).queryByRole('alert', { name: /입력한 값/ })).toBeNull();
  });
});
