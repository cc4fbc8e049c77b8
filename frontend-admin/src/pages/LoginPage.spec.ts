import userEvent from '@testing-library/user-event';
import { screen } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { LoginResult } from '@goorm/contracts';
import App from '../App.vue';
import { problem, server } from '../testing/server.ts';
import { renderWithApp, staffSession } from '../testing/render.ts';

describe('staff sign-in', () => {
  it('signs a staff member in with role staff and opens the dashboard', async () => {
    const sent: unknown[] = [];
    server.use(
      http.post('*/api/auth/login', async ({ request }) => {
        sent.push(await request.json());
        return HttpResponse.json(staffSession() satisfies LoginResult);
      }),
      // The dashboard it opens asks for its numbers; their content is the dashboard's specs' business.
      http.get('*/api/enrollments/*', () => problem(503, 'SERVICE_UNAVAILABLE')),
    );
    const { router } = await renderWithApp(App, { route: '/login' });

    await userEvent.type(screen.getByLabelText('아이디'), 'admin');
    await userEvent.type(screen.getByLabelText('비밀번호'), 'password123');
    await userEvent.click(screen.getByRole('button', { name: '로그인' }));

    await expect.poll(() => router.currentRoute.value.name, { timeout: 10_000 }).toBe('dashboard');
    expect(sent).toEqual([{ role: 'staff', loginId: 'admin', password: 'password123' }]);
    expect(JSON.parse(localStorage.getItem('goorm.admin.session')!)).toMatchObject({ user: { role: 'staff', loginId: 'admin' } });
  });

  it('says so plainly when the login id or password is wrong, and stays on sign-in', async () => {
    server.use(http.post('*/api/auth/login', () => problem(401, 'UNAUTHENTICATED', { detail: 'wrong' })));
    const { router } = await renderWithApp(App, { route: '/login' });

    await userEvent.type(screen.getByLabelText('아이디'), 'admin');
    await userEvent.type(screen.getByLabelText('비밀번호'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: '로그인' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('아이디 또는 비밀번호가 맞지 않습니다.');
    expect(router.currentRoute.value.name).toBe('login');
  });

  it('sends a visitor who is not signed in to sign-in, and back after', async () => {
    const { router } = await renderWithApp(App, { route: '/audit' });
    expect(router.currentRoute.value).toMatchObject({ name: 'login', query: { redirect: '/audit' } });
    expect(screen.getByRole('heading', { name: '교직원 로그인' })).toBeInTheDocument();
  });

  it('on a FORBIDDEN answer (a token that is not staff), forgets the session and shows sign-in with the reason', async () => {
    server.use(http.get('*/api/auth/students', () => problem(403, 'FORBIDDEN')));
    const { router } = await renderWithApp(App, { route: '/', session: staffSession() });
    const { auth } = await import('../api/client.ts');
    const { useSessionStore } = await import('../stores/session.ts');

    await expect(auth.listStudents()).rejects.toMatchObject({ code: 'FORBIDDEN' });

    expect(useSessionStore().isAuthenticated).toBe(false);
    expect(useSessionStore().notice).toBe('forbidden');
    expect(localStorage.getItem('goorm.admin.session')).toBeNull();
    await expect.poll(() => router.currentRoute.value.name).toBe('login');
    expect(await screen.findByText('교직원 권한이 없는 계정입니다. 교직원 계정으로 로그인해 주세요.')).toBeInTheDocument();
  });

  it('refuses a student account at sign-in', async () => {
    server.use(
      http.post('*/api/auth/login', () =>
        HttpResponse.json({
          accessToken: 't',
          tokenType: 'Bearer',
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
          user: { id: 7, role: 'student', studentNo: '20240001', name: '김구름', majorId: 1, grade: 3, maxCredits: 18 },
        } satisfies LoginResult),
      ),
    );
    const { router } = await renderWithApp(App, { route: '/login' });
    await userEvent.type(screen.getByLabelText('아이디'), '20240001');
    await userEvent.type(screen.getByLabelText('비밀번호'), 'password123');
    await userEvent.click(screen.getByRole('button', { name: '로그인' }));

    expect(await screen.findByText('학생 계정으로는 교직원 화면을 쓸 수 없습니다.')).toBeInTheDocument();
    expect(router.currentRoute.value.name).toBe('login');
    expect(localStorage.getItem('goorm.admin.session')).toBeNull();
  });
});
