import userEvent from '@testing-library/user-event';
import { screen } from '@testing-library/vue';
import { describe, expect, it } from 'vitest';
import { makeForecast } from '../../testing/fixtures.ts';
import { renderWithApp } from '../../testing/render.ts';
import CompetitionBadge from './CompetitionBadge.vue';

describe('CompetitionBadge', () => {
  it('says the level in words (매우 치열 / 치열 / 여유), not only in colour', async () => {
    for (const [pFill, label] of [
      [0.82, '매우 치열'],
      [0.45, '치열'],
      [0.1, '여유'],
    ] as const) {
      const { unmount } = await renderWithApp(CompetitionBadge, { props: { forecast: makeForecast(1, { pFill }) } });
      const badge = screen.getByRole('button', { name: `경쟁 예측: ${label}` });
      expect(badge).toHaveTextContent(label);
      unmount();
    }
  });

  it('describes the badge with P(full), P(full within 10 minutes) and the expected fill time, in the tooltip it points at', async () => {
    await renderWithApp(CompetitionBadge, { props: { forecast: makeForecast(1, { pFill: 0.82, expectedFillMinutes: 962 }) } });

    const badge = screen.getByRole('button', { name: '경쟁 예측: 매우 치열' });
    expect(badge).toHaveAccessibleDescription('신청 기간 안에 마감될 확률 82% · 개시 10분 안에 마감될 확률 41% · 예상 마감 2학년 신청 개시 후 약 2분');
    const tip = screen.getByRole('tooltip', { hidden: true });
    expect(badge.getAttribute('aria-describedby')).toBe(tip.id);
    expect(tip).toHaveTextContent('신청 기간 안에 마감될 확률 82%');
  });

  it('a tap keeps the tooltip open (touch screens have no hover); Escape or leaving closes it', async () => {
    const user = userEvent.setup();
    const { container } = await renderWithApp(CompetitionBadge, { props: { forecast: makeForecast(1) } });
    const wrapper = container.querySelector('.competition')!;

    await user.click(screen.getByRole('button', { name: /경쟁 예측/ }));
    expect(wrapper).toHaveClass('competition--open');
    await user.keyboard('{Escape}');
    expect(wrapper).not.toHaveClass('competition--open');
    await user.click(screen.getByRole('button', { name: /경쟁 예측/ }));
    await user.tab();
    expect(wrapper).not.toHaveClass('competition--open');
  });

  it('in English, says the level and the numbers in English', async () => {
    await renderWithApp(CompetitionBadge, { props: { forecast: makeForecast(1, { pFill: 0.1, expectedFillMinutes: null }) }, locale: 'en' });

    expect(screen.getByRole('button', { name: 'Competition forecast: Low' })).toHaveAccessibleDescription(
      'Chance it fills before registration ends: 10% · Chance it fills within 10 minutes of the opening: 41% · Expected fill time: unlikely to fill',
    );
  });
});
