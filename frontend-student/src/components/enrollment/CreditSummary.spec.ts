import { screen } from '@testing-library/vue';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../testing/render.ts';
import CreditSummary from './CreditSummary.vue';

describe('CreditSummary', () => {
  it('says the credits registered, the credits left under the maximum, and the cart', async () => {
    await renderWithApp(CreditSummary, { props: { enrolled: 9, max: 18, cart: 12 } });

    const group = screen.getByRole('group', { name: '학점 현황' });
    expect(group).toHaveTextContent('신청 9학점 · 남은 학점 9 (최대 18학점) · 장바구니 12학점');
  });

  it('never says a negative number left, and copes without a known maximum', async () => {
    const { unmount } = await renderWithApp(CreditSummary, { props: { enrolled: 21, max: 18 } });
    expect(screen.getByRole('group')).toHaveTextContent('신청 21학점 · 남은 학점 0 (최대 18학점)');
    unmount();

    await renderWithApp(CreditSummary, { props: { enrolled: 3, max: undefined }, locale: 'en' });
    expect(screen.getByRole('group', { name: 'Credits' })).toHaveTextContent('Registered 3 credits');
  });
});
