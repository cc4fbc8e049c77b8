import { screen, waitFor } from '@testing-library/vue';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import CartPage from '../pages/CartPage.vue';
import { demoSession, renderWithApp } from '../testing/render.ts';
import { problem, server } from '../testing/server.ts';
import { useSessionStore } from './session.ts';

describe('the session and the 401 hook', () => {
  it('sends the session token, and on a 401 forgets the session and goes to login saying it expired', async () => {
    const authorization: Array<string | null> = [];
    server.use(
      http.get('/api/carts/me', ({ request }) => {
        authorization.push(request.headers.get('Authorization'));
        return problem('UNAUTHENTICATED', {}, { detail: 'Token expired' });
      }),
    );
    const { router } = await renderWithApp(CartPage, { session: demoSession(), route: '/cart' });

    await waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/login?reason=expired'));
    expect(authorization).toEqual(['Bearer test-token']);
    expect(useSessionStore()).toMatchObject({ isAuthenticated: false, notice: 'expired' });
    expect(localStorage.getItem('goorm.student.session')).toBeNull();
    expect(screen.getByRole('alert')).toHaveTextContent('Token expired');
  });
});
