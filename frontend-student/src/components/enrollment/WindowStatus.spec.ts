import { screen } from '@testing-library/vue';
import { describe, expect, it } from 'vitest';
import type { EnrollmentWindow } from '../../api/types.ts';
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
});
