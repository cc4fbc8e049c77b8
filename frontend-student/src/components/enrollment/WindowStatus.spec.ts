import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { describe, expect, it } from 'vitest';
import type { EnrollmentWindow } from '@goorm/contracts';
import { renderWithApp } from '../../testing/render.ts';
import WindowStatus from './WindowStatus.vue';

const at = (iso: string) => Date.parse(iso);
const window = (over: Partial<EnrollmentWindow>): EnrollmentWindow => ({
  id: 1,
  termId: 1,
  phase: 'REGISTRATION',
  grades: [1, 2, 3, 4],
  opensAt: '2026-02-10T01:00:00.000Z',
  closesAt: '2026-02-10T09:00:00.000Z',
  ...over,
});

describe('WindowStatus', () => {
  it('counts down to the opening of the student’s window on the server clock', async () => {
    await renderWithApp(WindowStatus, {
      props: { windows: [window({})], grade: 3, now: at('2026-02-10T00:58:55.000Z') },
    });

    expect(screen.getByText('수강신청 기간 시작까지 1분 5초')).toBeInTheDocument();
  });

  it('while open, counts down to the close, preferring registration over the cart phase', async () => {
    await renderWithApp(WindowStatus, {
      props: {
        windows: [
          window({ id: 1, phase: 'CART', opensAt: '2026-02-01T00:00:00.000Z', closesAt: '2026-02-11T00:00:00.000Z' }),
          window({ id: 2 }),
        ],
        grade: 3,
        now: at('2026-02-10T07:00:00.000Z'),
      },
    });

    expect(screen.getByText('수강신청 기간 진행 중 · 마감까지 2시간 0분 0초')).toBeInTheDocument();
  });

  it('ignores windows of other grades and says when none is open', async () => {
    await renderWithApp(WindowStatus, {
      props: { windows: [window({ grades: [4] })], grade: 1, now: at('2026-02-10T07:00:00.000Z') },
    });

    expect(screen.getByText('지금 1학년에 열린 신청 기간이 없습니다.')).toBeInTheDocument();
  });

  it('tells when the countdown passes zero so the page can re-read the windows', async () => {
    const { emitted, rerender } = await renderWithApp(WindowStatus, {
      props: { windows: [window({})], grade: 3, now: at('2026-02-10T00:59:59.000Z') },
    });
    await rerender({ windows: [window({})], grade: 3, now: at('2026-02-10T01:00:00.000Z') });

    expect(emitted().changed).toHaveLength(1);
  });

  describe('while only the CART window is open', () => {
    const cart = window({ id: 1, phase: 'CART', grades: [1, 2, 3, 4], opensAt: '2026-02-02T01:00:00.000Z', closesAt: '2026-02-06T09:00:00.000Z' });
    const reg4 = window({ id: 2, phase: 'REGISTRATION', grades: [4], opensAt: '2026-02-09T01:00:00.000Z', closesAt: '2026-02-13T09:00:00.000Z' });
    const reg3 = window({ id: 3, phase: 'REGISTRATION', grades: [3], opensAt: '2026-02-10T01:00:00.000Z', closesAt: '2026-02-13T09:00:00.000Z' });
    const now = at('2026-02-05T01:00:00.000Z');

    it('counts down to the opening of the student’s own REGISTRATION (the window of their grade), the cart deadline beside it', async () => {
      await renderWithApp(WindowStatus, { props: { windows: [cart, reg4, reg3], grade: 3, now } });

      expect(screen.getByText('수강신청 기간 시작까지 5일 0시간 0분')).toBeInTheDocument();
      expect(screen.getByText('장바구니 기간 진행 중 · 마감까지 1일 8시간 0분')).toBeInTheDocument();
    });

    it('lists the windows still to come, with phase, grades, opening and closing, the student’s own marked in words', async () => {
      const user = userEvent.setup();
      await renderWithApp(WindowStatus, { props: { windows: [reg3, cart, reg4], grade: 3, now } });

      await user.click(screen.getByText('신청 일정'));
      const table = screen.getByRole('table', { name: '남은 신청 기간' });
      const rows = within(table).getAllByRole('row').slice(1);
      const cells = (r: HTMLElement) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.replace(/\s+/g, ' ').trim());
      expect(rows.map(cells)).toEqual([
        ['장바구니 기간 진행 중', '전 학년 내 학년', '2월 2일 (월) 10:00', '2월 6일 (금) 18:00'],
        ['수강신청 기간', '4학년', '2월 9일 (월) 10:00', '2월 13일 (금) 18:00'],
        ['수강신청 기간', '3학년 내 학년', '2월 10일 (화) 10:00', '2월 13일 (금) 18:00'],
      ]);
      expect(within(rows[2]!).getByText('2월 10일 (화) 10:00').closest('time')).toHaveAttribute('datetime', reg3.opensAt);
    });

    it('in English too', async () => {
      await renderWithApp(WindowStatus, { props: { windows: [cart, reg3], grade: 3, now }, locale: 'en' });

      expect(screen.getByText('Registration opens in 5d 0h 0m')).toBeInTheDocument();
      expect(screen.getByText('Cart period is open · closes in 1d 8h 0m')).toBeInTheDocument();
    });
  });
});
