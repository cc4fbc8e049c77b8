import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Term, TermInput, TermList } from '@goorm/contracts';
import { problem, server } from '../../testing/server.ts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import TermsPage from './TermsPage.vue';
import { term } from './catalog.fixtures.ts';

describe('terms', () => {
  it('makes another term current', async () => {
    let items = [term(), term({ id: 2, code: '2026-2', name: '2026학년도 2학기', startsOn: '2026-09-01', endsOn: '2026-12-18', isCurrent: false })];
    const sent: TermInput[] = [];
    server.use(
      http.get('*/api/lectures/terms', () => HttpResponse.json({ items } satisfies TermList)),
      http.put('*/api/lectures/terms/2', async ({ request }) => {
        const body = (await request.json()) as TermInput;
        sent.push(body);
        items = items.map((x) => ({ ...x, isCurrent: x.id === 2 }));
        return HttpResponse.json(items[1]! satisfies Term);
      }),
    );
    await renderWithApp(TermsPage, { route: '/catalog/terms', session: staffSession() });
    await userEvent.click(await screen.findByRole('button', { name: '현재 학기로: 2026-2' }));

    expect(await screen.findByText('2026-2을(를) 현재 학기로 정했습니다.')).toBeInTheDocument();
    expect(sent).toEqual([{ code: '2026-2', name: '2026학년도 2학기', startsOn: '2026-09-01', endsOn: '2026-12-18', isCurrent: true }]);
    expect(within(screen.getByRole('row', { name: /2026-2/ })).getByText('현재 학기')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '현재 학기로: 2026-1' })).toBeInTheDocument();
  });

  it('refuses deleting a term still used by sections, saying by what', async () => {
    server.use(
      http.get('*/api/lectures/terms', () => HttpResponse.json({ items: [term()] } satisfies TermList)),
      http.delete('*/api/lectures/terms/1', () =>
        problem(409, 'IN_USE', { detail: 'term 1 is still referenced by 250 section rows, 3 enrollment_window rows', usedBy: { section: 250, enrollment_window: 3 } }),
      ),
    );
    await renderWithApp(TermsPage, { route: '/catalog/terms', session: staffSession() });
    await userEvent.click(await screen.findByRole('button', { name: '삭제: 2026-1' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '삭제' }));

    const alert = (await screen.findByText('사용 중이라 바꿀 수 없습니다.')).closest('[role="alert"]') as HTMLElement;
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['분반 250건', '수강신청기간 3건']);
  });

  it("refuses deleting the current term with the API's reason", async () => {
    server.use(
      http.get('*/api/lectures/terms', () => HttpResponse.json({ items: [term(), term({ id: 2, code: '2025-2', isCurrent: false })] } satisfies TermList)),
      http.delete('*/api/lectures/terms/1', () => problem(409, 'CONFLICT', { detail: 'the current term cannot be deleted: make another term current first' })),
    );
    await renderWithApp(TermsPage, { route: '/catalog/terms', session: staffSession() });
    await userEvent.click(await screen.findByRole('button', { name: '삭제: 2026-1' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '삭제' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('다른 항목과 충돌합니다.');
    expect(alert).toHaveTextContent('the current term cannot be deleted: make another term current first');
  });

  it("shows the API's validation messages at the fields of the form", async () => {
    server.use(
      http.get('*/api/lectures/terms', () => HttpResponse.json({ items: [] } satisfies TermList)),
      http.post('*/api/lectures/terms', () =>
        problem(400, 'VALIDATION_FAILED', {
          errors: [
            { field: 'body.code', message: 'expected a year and 1, 2, S or W, like 2026-1' },
            { field: 'body.endsOn', message: 'must not be before startsOn' },
          ],
        }),
      ),
    );
    await renderWithApp(TermsPage, { route: '/catalog/terms', session: staffSession() });
    await userEvent.click(screen.getByRole('button', { name: '새 학기' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('학기 코드'), '2026-3');
    await userEvent.click(within(dialog).getByRole('button', { name: '저장' }));

    expect(await within(dialog).findByText('expected a year and 1, 2, S or W, like 2026-1')).toHaveAttribute('role', 'alert');
    expect(within(dialog).getByLabelText('학기 코드')).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByLabelText('종료일')).toHaveAccessibleDescription('must not be before startsOn');

    // Cancelling gives focus back to the button that opened the form.
    await userEvent.click(within(dialog).getByRole('button', { name: '취소' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await expect.poll(() => document.activeElement).toBe(screen.getByRole('button', { name: '새 학기' }));
  });
});
