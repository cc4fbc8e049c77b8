import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Staff, StaffPage } from '@goorm/contracts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import { problem, server } from '../../testing/server.ts';
import StaffPageView from './StaffPage.vue';
import { staff, staffPage } from './fixtures.ts';

const colleague = staff({ id: 2, loginId: 'kim.staff', name: '김직원' });

function serveList() {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get('*/api/auth/staff', ({ request }) => {
      queries.push(new URL(request.url).searchParams);
      return HttpResponse.json(staffPage([staff(), colleague]) satisfies StaffPage);
    }),
  );
  return queries;
}

const render = () => renderWithApp(StaffPageView, { route: '/staff', session: staffSession() });

describe('staff accounts screen', () => {
  it('lists and searches staff accounts on the server, marking the signed-in one', async () => {
    const queries = serveList();
    await render();
    const me = (await screen.findByRole('rowheader', { name: '관리자' })).closest('tr')!;
    expect(me).toHaveTextContent('admin 나');
    await userEvent.type(screen.getByLabelText('이름 또는 아이디'), 'kim');
    await userEvent.click(screen.getByRole('button', { name: '검색' }));
    await expect.poll(() => queries.at(-1)?.get('q')).toBe('kim');
    expect(queries.at(-1)?.get('page')).toBe('1');
  });

  it('refuses deleting your own account and says so', async () => {
    serveList();
    server.use(http.delete('*/api/auth/staff/1', () => problem(409, 'CONFLICT', { detail: 'You cannot delete your own staff account' })));
    await render();
    await userEvent.click(await screen.findByRole('button', { name: '관리자 삭제' }));
    const dialog = screen.getByRole('dialog', { name: '교직원 계정 삭제' });
    await userEvent.click(within(dialog).getByRole('button', { name: '삭제' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('자기 자신의 계정은 삭제할 수 없습니다.');
    expect(alert).toHaveTextContent('You cannot delete your own staff account');
  });

  it('creates an account, with the API message at a taken login id', async () => {
    serveList();
    const sent: unknown[] = [];
    server.use(
      http.post('*/api/auth/staff', async ({ request }) => {
        const body = (await request.json()) as { loginId: string };
        sent.push(body);
        if (body.loginId === 'admin') return problem(409, 'DUPLICATE', { field: 'loginId', errors: [{ field: 'body.loginId', message: 'is already taken' }] });
        return HttpResponse.json(staff({ id: 3, loginId: body.loginId, name: '새직원' }) satisfies Staff, { status: 201 });
      }),
    );
    await render();
    await userEvent.click(await screen.findByRole('button', { name: '교직원 추가' }));
    const dialog = screen.getByRole('dialog', { name: '교직원 계정 추가' });
    await userEvent.type(within(dialog).getByLabelText(/아이디/), 'admin');
    await userEvent.type(within(dialog).getByLabelText(/이름/), '새직원');
    await userEvent.type(within(dialog).getByLabelText(/비밀번호/), 'password123');
    await userEvent.click(within(dialog).getByRole('button', { name: '저장' }));
    await expect.poll(() => within(dialog).getByLabelText(/아이디/).getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).getByLabelText(/아이디/)).toHaveAccessibleDescription('is already taken');

    const id = within(dialog).getByLabelText(/아이디/);
    await userEvent.clear(id);
    await userEvent.type(id, 'new.staff');
    await userEvent.click(within(dialog).getByRole('button', { name: '저장' }));
    expect(await screen.findByRole('status')).toHaveTextContent('새직원 계정을 추가했습니다.');
    expect(sent.at(-1)).toEqual({ loginId: 'new.staff', name: '새직원', password: 'password123' });
  });
});
