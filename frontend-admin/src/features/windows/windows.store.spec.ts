import { http, HttpResponse } from 'msw';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EnrollmentWindow, TermList, WindowList } from '@goorm/contracts';
import { problem, server } from '../../testing/server.ts';
import { staffSession } from '../../testing/render.ts';
import { useSessionStore } from '../../stores/session.ts';
import { useWindowsStore } from './windows.store.ts';

const existing: EnrollmentWindow = { id: 4, termId: 1, phase: 'REGISTRATION', grades: [3], opensAt: '2026-02-10T01:00:00.000Z', closesAt: '2026-02-13T09:00:00.000Z' };
const terms: TermList = {
  items: [
    { id: 2, code: '2026-2', name: '2학기', startsOn: '2026-09-01', endsOn: '2026-12-20', isCurrent: false },
    { id: 1, code: '2026-1', name: '1학기', startsOn: '2026-03-02', endsOn: '2026-06-20', isCurrent: true },
  ],
};

beforeEach(() => {
  localStorage.setItem('goorm.admin.session', JSON.stringify(staffSession()));
  setActivePinia(createPinia());
  useSessionStore();
  server.use(
    http.get('*/api/lectures/terms', () => HttpResponse.json(terms)),
    http.get('*/api/enrollments/windows', () =>
      HttpResponse.json({ items: [existing], serverTime: new Date(Date.now() + 60_000).toISOString() } satisfies WindowList),
    ),
  );
});

describe('the windows store', () => {
  it("starts on the current term and learns the server's clock", async () => {
    const store = useWindowsStore();
    await store.loadTerms();
    expect(store.termId).toBe(1);
    expect(store.items).toEqual([existing]);
    expect(store.serverNow() - Date.now()).toBeGreaterThan(55_000);
  });

  it('keeps every clashing window of a refused write (409 CONFLICT), and clears them on the next try', async () => {
    server.use(http.post('*/api/enrollments/windows', () => problem(409, 'CONFLICT', { detail: 'overlaps window 4', conflict: existing, conflicts: [existing] })));
    const store = useWindowsStore();
    await store.loadTerms();
    const body = { termId: 1, phase: 'REGISTRATION' as const, grades: [3], opensAt: '2026-02-11T01:00:00.000Z', closesAt: '2026-02-12T01:00:00.000Z', reason: 'x' };
    expect(await store.save(body)).toBeUndefined();
    expect(store.saveStatus).toBe('error');
    expect(store.conflicts).toEqual([existing]);

    server.use(http.post('*/api/enrollments/windows', () => HttpResponse.json({ ...existing, id: 5, grades: [2] } satisfies EnrollmentWindow, { status: 201 })));
    expect(await store.save({ ...body, grades: [2] })).toMatchObject({ id: 5 });
    expect(store.conflicts).toEqual([]);
    expect(store.lastChange).toMatchObject({ kind: 'created', window: { id: 5 } });
  });

  it("closes a window at the server's now, keeping its phase, grades and opening", async () => {
    const sent: unknown[] = [];
    server.use(
      http.put('*/api/enrollments/windows/:id', async ({ request }) => {
        const body = (await request.json()) as EnrollmentWindow;
        sent.push(body);
        return HttpResponse.json({ ...existing, closesAt: body.closesAt } satisfies EnrollmentWindow);
      }),
    );
    const store = useWindowsStore();
    await store.loadTerms();
    expect(await store.closeEarly(existing, '조기 마감')).toBe(true);
    const body = sent[0] as EnrollmentWindow & { reason: string };
    expect(body).toMatchObject({ termId: 1, phase: 'REGISTRATION', grades: [3], opensAt: existing.opensAt, reason: '조기 마감' });
    expect(Math.abs(Date.parse(body.closesAt) - (Date.now() + 60_000))).toBeLessThan(5_000);
    expect(store.lastChange?.kind).toBe('closed');
  });
});
