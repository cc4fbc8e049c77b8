import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { EnrollmentWindow, TermList, WindowList } from '@goorm/contracts';
import { problem, server } from '../../testing/server.ts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import WindowsPage from './WindowsPage.vue';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const terms: TermList = {
  items: [
    { id: 2, code: '2026-2', name: '2026학년도 2학기', startsOn: '2026-09-01', endsOn: '2026-12-20', isCurrent: false },
    { id: 1, code: '2026-1', name: '2026학년도 1학기', startsOn: '2026-03-02', endsOn: '2026-06-20', isCurrent: true },
  ],
};

function backend() {
  const now = Date.now();
  let windows: EnrollmentWindow[] = [
    { id: 1, termId: 1, phase: 'CART', grades: [1, 2, 3, 4], opensAt: iso(now - HOUR), closesAt: iso(now + 48 * HOUR) },
    { id: 2, termId: 1, phase: 'REGISTRATION', grades: [3], opensAt: iso(now - HOUR), closesAt: iso(now + 24 * HOUR) },
  ];
  const sent: Array<{ method: string; url: URL; body?: unknown }> = [];
  const listed: Array<string | null> = [];
  server.use(
    http.get('*/api/lectures/terms', () => HttpResponse.json(terms)),
    http.get('*/api/enrollments/windows', ({ request }) => {
      const termId = new URL(request.url).searchParams.get('termId');
      listed.push(termId);
      return HttpResponse.json({ items: windows.filter((w) => String(w.termId) === termId), serverTime: new Date().toISOString() } satisfies WindowList);
    }),
    http.post('*/api/enrollments/windows', async ({ request }) => {
      const body = (await request.json()) as Omit<EnrollmentWindow, 'id'> & { reason: string };
      sent.push({ method: 'POST', url: new URL(request.url), body });
      const clash = windows.find(
        (w) => w.phase === body.phase && w.grades.some((g) => body.grades.includes(g)) && Date.parse(w.opensAt) < Date.parse(body.closesAt) && Date.parse(body.opensAt) < Date.parse(w.closesAt),
      );
      if (clash) return problem(409, 'CONFLICT', { detail: `overlaps window ${clash.id}`, conflict: clash, conflicts: [clash] });
      const created: EnrollmentWindow = { id: 9, termId: body.termId, phase: body.phase, grades: body.grades, opensAt: body.opensAt, closesAt: body.closesAt };
      windows = [...windows, created];
      return HttpResponse.json(created satisfies EnrollmentWindow, { status: 201 });
    }),
    http.put('*/api/enrollments/windows/:id', async ({ request, params }) => {
      const body = (await request.json()) as Omit<EnrollmentWindow, 'id'> & { reason: string };
      sent.push({ method: 'PUT', url: new URL(request.url), body });
      if (Date.parse(body.closesAt) <= Date.parse(body.opensAt)) {
        return problem(400, 'VALIDATION_FAILED', { errors: [{ field: 'body.closesAt', message: 'closesAt must be after opensAt' }] });
      }
      const updated: EnrollmentWindow = { id: Number(params.id), termId: body.termId, phase: body.phase, grades: body.grades, opensAt: body.opensAt, closesAt: body.closesAt };
      windows = windows.map((w) => (w.id === updated.id ? updated : w));
      return HttpResponse.json(updated satisfies EnrollmentWindow);
    }),
    http.delete('*/api/enrollments/windows/:id', ({ request, params }) => {
      sent.push({ method: 'DELETE', url: new URL(request.url) });
      windows = windows.filter((w) => w.id !== Number(params.id));
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { sent, listed, now };
}

async function openPage() {
  const env = backend();
  const r = await renderWithApp(WindowsPage, { route: '/windows', session: staffSession() });
  await screen.findByText('장바구니 · 전 학년', { exact: false });
  return { ...env, ...r };
}

const rows = () => within(screen.getByTestId('windows-table')).getAllByRole('row').slice(1);

describe('enrollment windows', () => {
  it("shows the current term's windows on the timeline (rows per phase) and in the table", async () => {
    const { listed } = await openPage();
    expect(listed).toEqual(['1']);
    expect(screen.getByLabelText('학기')).toHaveDisplayValue('2026학년도 1학기 (2026-1) · 현재 학기');
    const registrationRow = screen.getByRole('list', { name: '수강신청' });
    expect(within(registrationRow).getAllByRole('listitem')[0]).toHaveTextContent(/수강신청 · 3학년 · .* – .*\(열림\)/);
    expect(rows().map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['전 학년', '3학년']);
    expect(rows()[1]).toHaveTextContent('열림');
  });

  it('opens a new window from now with a reason; it appears on the timeline and the table', async () => {
    const { sent } = await openPage();
    await userEvent.click(screen.getByRole('button', { name: '새 기간' }));
    expect(screen.getByRole('heading', { name: '새 기간 열기' })).toHaveFocus();

    await userEvent.selectOptions(screen.getByLabelText('단계'), '수강정정');
    await userEvent.click(screen.getByRole('checkbox', { name: '2학년' }));
    await userEvent.click(screen.getByRole('button', { name: '시작 시각을 지금으로' }));
    await userEvent.type(screen.getByLabelText('종료 시각'), '2030-03-09T18:00');
    await userEvent.type(screen.getByLabelText(/사유/), '2학년 수강정정');
    await userEvent.click(screen.getByRole('button', { name: '저장' }));

    expect(await screen.findByTestId('windows-status')).toHaveTextContent(/기간을 열었습니다: 수강정정 · 2학년/);
    const body = sent[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ termId: 1, phase: 'ADD_DROP', grades: [2], closesAt: '2030-03-09T18:00:00.000Z', reason: '2학년 수강정정' });
    expect(Math.abs(Date.parse(body.opensAt as string) - Date.now())).toBeLessThan(120_000);
    expect(within(screen.getByRole('list', { name: '수강정정' })).getAllByRole('listitem')[0]).toHaveTextContent('수강정정 · 2학년');
    expect(rows()).toHaveLength(3);
  });

  it('names the clashing window at the form when an overlapping window of the same grade and phase is refused', async () => {
    const { now } = await openPage();
    await userEvent.click(screen.getByRole('button', { name: '새 기간' }));
    await userEvent.click(screen.getByRole('checkbox', { name: '3학년' }));
    await userEvent.type(screen.getByLabelText('시작 시각'), new Date(now + 2 * HOUR).toISOString().slice(0, 16));
    await userEvent.type(screen.getByLabelText('종료 시각'), new Date(now + 3 * HOUR).toISOString().slice(0, 16));
    await userEvent.type(screen.getByLabelText(/사유/), '겹침 시험');
    await userEvent.click(screen.getByRole('button', { name: '저장' }));

    const alert = await screen.findByTestId('window-conflict');
    expect(alert).toHaveTextContent(/겹치는 기간: 수강신청 · 3학년 · .* – .*/);
    expect(screen.getAllByRole('alert')[0]).toHaveTextContent('다른 항목과 충돌합니다.');
    expect(screen.getByRole('heading', { name: '새 기간 열기' })).toBeInTheDocument();
  });

  it("shows the API's field message at the closing time", async () => {
    await openPage();
    const edit = screen.getByRole('button', { name: /수강신청 · 3학년 .* 수정/ });
    await userEvent.click(edit);
    const closes = screen.getByLabelText('종료 시각');
    await userEvent.clear(closes);
    await userEvent.type(closes, '2000-01-01T00:00');
    await userEvent.type(screen.getByLabelText(/사유/), '시험');
    await userEvent.click(screen.getByRole('button', { name: '저장' }));

    await expect.poll(() => closes.getAttribute('aria-invalid')).toBe('true');
    expect(closes).toHaveAccessibleDescription('closesAt must be after opensAt');
  });

  it('asks for the grades, times and a reason before sending', async () => {
    const { sent } = await openPage();
    await userEvent.click(screen.getByRole('button', { name: '새 기간' }));
    await userEvent.click(screen.getByRole('button', { name: '저장' }));
    expect(screen.getByText('학년을 하나 이상 고르세요.')).toBeInTheDocument();
    expect(screen.getByLabelText('시작 시각')).toHaveAccessibleDescription('날짜와 시각을 입력해 주세요.');
    expect(screen.getByLabelText(/사유/)).toHaveAttribute('aria-invalid', 'true');
    expect(sent).toEqual([]);
  });

  it('closes an open window early (closesAt now) with a reason, keeping its other fields', async () => {
    const { sent } = await openPage();
    await userEvent.click(screen.getByRole('button', { name: /수강신청 · 3학년 .* 일찍 닫기/ }));
    const dialog = screen.getByRole('dialog', { name: '기간 일찍 닫기' });
    await userEvent.click(within(dialog).getByRole('button', { name: '지금 닫기' }));
    expect(within(dialog).getByLabelText(/사유/)).toHaveAttribute('aria-invalid', 'true');
    await userEvent.type(within(dialog).getByLabelText(/사유/), '일정 변경');
    await userEvent.click(within(dialog).getByRole('button', { name: '지금 닫기' }));

    expect(await screen.findByTestId('windows-status')).toHaveTextContent('기간을 닫았습니다: 수강신청 · 3학년');
    expect(sent[0]).toMatchObject({ method: 'PUT', body: { phase: 'REGISTRATION', grades: [3], reason: '일정 변경' } });
    expect(sent[0]!.url.pathname).toBe('/api/enrollments/windows/2');
    expect(Math.abs(Date.parse((sent[0]!.body as { closesAt: string }).closesAt) - Date.now())).toBeLessThan(5_000);
    await expect.poll(() => rows()[1]?.textContent).toContain('닫힘');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('deletes a window with a reason', async () => {
    const { sent } = await openPage();
    await userEvent.click(screen.getByRole('button', { name: /장바구니 · 전 학년 .* 삭제/ }));
    const dialog = screen.getByRole('dialog', { name: '기간 삭제' });
    await userEvent.type(within(dialog).getByLabelText(/사유/), '중복');
    await userEvent.click(within(dialog).getByRole('button', { name: '삭제' }));

    expect(await screen.findByTestId('windows-status')).toHaveTextContent('기간을 삭제했습니다: 장바구니 · 전 학년');
    expect(sent[0]!.method).toBe('DELETE');
    expect(sent[0]!.url.pathname).toBe('/api/enrollments/windows/1');
    expect(sent[0]!.url.searchParams.get('reason')).toBe('중복');
    expect(rows()).toHaveLength(1);
  });

  it('reads another term when picked', async () => {
    const { listed } = await openPage();
    await userEvent.selectOptions(screen.getByLabelText('학기'), '2026학년도 2학기 (2026-2)');
    await expect.poll(() => listed).toEqual(['1', '2']);
    expect(await screen.findAllByText('이 학기에는 기간이 없습니다.')).not.toHaveLength(0);
  });
});
