import userEvent from '@testing-library/user-event';
import { screen } from '@testing-library/vue';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../testing/render.ts';
import LoginForm from './LoginForm.vue';

describe('LoginForm', () => {
  it('labels both fields and submits the trimmed student number with the password', async () => {
    const user = userEvent.setup();
    const { emitted } = await renderWithApp(LoginForm);

    await user.type(screen.getByLabelText('학번'), ' 20240001 ');
    await user.type(screen.getByLabelText('비밀번호'), 'password123');
    await user.click(screen.getByRole('button', { name: '로그인' }));

    expect(emitted().submit).toEqual([['20240001', 'password123']]);
  });

  it('when a field is empty, says so in an alert, marks the field invalid and does not submit', async () => {
    const user = userEvent.setup();
    const { emitted } = await renderWithApp(LoginForm);

    await user.type(screen.getByLabelText('학번'), '20240001');
    await user.click(screen.getByRole('button', { name: '로그인' }));

    expect(screen.getByRole('alert')).toHaveTextContent('학번과 비밀번호를 모두 입력해 주세요.');
    expect(screen.getByLabelText('비밀번호')).toHaveAttribute('aria-invalid', 'true');
    expect(emitted().submit).toBeUndefined();
  });

  it('can be filled and sent with the keyboard alone', async () => {
    const user = userEvent.setup();
    const { emitted } = await renderWithApp(LoginForm);

    await user.tab();
    expect(screen.getByLabelText('학번')).toHaveFocus();
    await user.keyboard('20240001');
    await user.tab();
    expect(screen.getByLabelText('비밀번호')).toHaveFocus();
    await user.keyboard('password123{Enter}');

    expect(emitted().submit).toEqual([['20240001', 'password123']]);
  });

  it('shows the server refusal and the busy state it is given', async () => {
    await renderWithApp(LoginForm, { props: { error: '학번 또는 비밀번호가 올바르지 않습니다.', busy: true } });

    expect(screen.getByRole('alert')).toHaveTextContent('학번 또는 비밀번호가 올바르지 않습니다.');
    expect(screen.getByRole('button', { name: '로그인 중…' })).toBeDisabled();
  });
});
