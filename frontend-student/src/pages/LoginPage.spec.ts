import userEvent from '@testing-library/user-event';
import { screen, waitFor } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { LoginResult } from '@goorm/contracts';
import { studentLogin } from '../testing/fixtures.ts';
import { renderWithApp } from '../testing/render.ts';
import { problem, server } from '../testing/server.ts';
import LoginPage from './LoginPage.vue';

/** Answers POST /api/auth/login and keeps what was sent (body and whether a token came along). */
function answerLogin(answer: () => Response) {
  const sent: Array<{ body: unknown; authorization: string | null }> = [];
  server.use(
    http.post('/api/auth/login', async ({ request }) => {
      sent.push({ body: await request.json(), authorization: request.headers.get('Authorization') });
      return answer();
    }),
  );
  return sent;
}

async function signIn(password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('학번'), '20240001');
  await user.type(screen.getByLabelText('비밀번호'), password);
  await user.click(screen.getByRole('button', { name: '로그인' }));
}

describe('LoginPage', () => {
  it('when the password is wrong, answers with a Korean alert and keeps no session', async () => {
    const sent = answerLogin(() => problem('UNAUTHENTICATED', {}, { detail: 'Wrong student number or password' }));
    await renderWithApp(LoginPage);

    await signIn('wrong-password');

    expect(await screen.findByRole('alert')).toHaveTextContent('학번 또는 비밀번호가 올바르지 않습니다.');
    expect(sent).toEqual([{ body: { role: 'student', loginId: '20240001', password: 'wrong-password' }, authorization: null }]);
    expect(localStorage.getItem('goorm.student.session')).toBeNull();
  });

  it('when the login succeeds, keeps the session across reloads and goes to the page asked for', async () => {
    answerLogin(() => HttpResponse.json(studentLogin()));
    const { router } = await renderWithApp(LoginPage, { route: '/login?redirect=%2Ftimetable' });

    await signIn('password123');

    await waitFor(() => expect(router.currentRoute.value.name).toBe('timetable'), { timeout: 5000 });
    expect(JSON.parse(localStorage.getItem('goorm.student.session') ?? '{}')).toMatchObject({
      accessToken: 'jwt',
      user: { role: 'student', studentNo: '20240001', grade: 3, majorId: 1 },
    });
  });

  it('refuses a staff account with a clear message and keeps no session', async () => {
    const staff = {
      accessToken: 'staff-jwt',
      tokenType: 'Bearer',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      user: { id: 1, role: 'staff', loginId: 'admin', name: '관리자' },
    } satisfies LoginResult;
    answerLogin(() => HttpResponse.json(staff));
    const { router } = await renderWithApp(LoginPage);

    await signIn('password123');

    expect(await screen.findByRole('alert')).toHaveTextContent('학생 계정만 로그인할 수 있습니다.');
    expect(router.currentRoute.value.name).toBe('login');
    expect(localStorage.getItem('goorm.student.session')).toBeNull();
  });

  it('when sign-in is throttled, says to wait', async () => {
    answerLogin(() => problem('RATE_LIMITED', {}, { headers: { 'Retry-After': '30' } }));
    await renderWithApp(LoginPage);

    await signIn('password123');

    expect(await screen.findByRole('alert')).toHaveTextContent('로그인 시도가 너무 많습니다.');
  });

  it('when sent back after a session expired, says so', async () => {
    await renderWithApp(LoginPage, { route: '/login?reason=expired' });

    expect(screen.getByRole('status')).toHaveTextContent('세션이 만료되었습니다. 다시 로그인해 주세요.');
  });

  it('when the stored session has expired, drops it and says so', async () => {
    const old = { ...studentLogin(), accessToken: 'old', expiresAt: new Date(Date.now() - 1000).toISOString() };
    localStorage.setItem('goorm.student.session', JSON.stringify(old));
    await renderWithApp(LoginPage);

    expect(screen.getByRole('status')).toHaveTextContent('세션이 만료되었습니다.');
    expect(localStorage.getItem('goorm.student.session')).toBeNull();
  });
});
