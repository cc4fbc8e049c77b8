import userEvent from '@testing-library/user-event';
import { screen, waitFor } from '@testing-library/vue';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/http.ts';
import { renderWithApp } from '../testing/render.ts';
import LoginPage from './LoginPage.vue';

vi.mock('../api/auth.ts', () => ({ login: vi.fn(), me: vi.fn() }));
const auth = await import('../api/auth.ts');
const login = vi.mocked(auth.login);

const student = { id: 7, studentNo: '20240001', name: '김구름', majorId: 1, grade: 3, maxCredits: 18 };

describe('LoginPage', () => {
  beforeEach(() => {
    login.mockReset();
  });

  it('when the password is wrong, answers with a Korean alert and keeps no session', async () => {
    login.mockRejectedValue(new ApiError({ status: 401, code: 'UNAUTHENTICATED', detail: 'Wrong student number or password' }));
    const user = userEvent.setup();
    await renderWithApp(LoginPage);

    await user.type(screen.getByLabelText('학번'), '20240001');
    await user.type(screen.getByLabelText('비밀번호'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: '로그인' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('학번 또는 비밀번호가 올바르지 않습니다.');
    expect(login).toHaveBeenCalledWith('20240001', 'wrong-password');
    expect(localStorage.getItem('goorm.student.session')).toBeNull();
  });

  it('when the login succeeds, keeps the session across reloads and goes to the page asked for', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    login.mockResolvedValue({ accessToken: 'jwt', expiresAt, user: student });
    const user = userEvent.setup();
    const { router } = await renderWithApp(LoginPage, { route: '/login?redirect=%2Ftimetable' });

    await user.type(screen.getByLabelText('학번'), '20240001');
    await user.type(screen.getByLabelText('비밀번호'), 'password123');
    await user.click(screen.getByRole('button', { name: '로그인' }));

    await waitFor(() => expect(router.currentRoute.value.name).toBe('timetable'));
    expect(JSON.parse(localStorage.getItem('goorm.student.session') ?? '{}')).toMatchObject({ accessToken: 'jwt', user: { studentNo: '20240001' } });
  });

  it('when sent back after a session expired, says so', async () => {
    await renderWithApp(LoginPage, { route: '/login?reason=expired' });

    expect(screen.getByRole('status')).toHaveTextContent('세션이 만료되었습니다. 다시 로그인해 주세요.');
  });

  it('when the stored session has expired, drops it and says so', async () => {
    localStorage.setItem(
      'goorm.student.session',
      JSON.stringify({ accessToken: 'old', expiresAt: new Date(Date.now() - 1000).toISOString(), user: student }),
    );
    await renderWithApp(LoginPage);

    expect(screen.getByRole('status')).toHaveTextContent('세션이 만료되었습니다.');
    expect(localStorage.getItem('goorm.student.session')).toBeNull();
  });
});
