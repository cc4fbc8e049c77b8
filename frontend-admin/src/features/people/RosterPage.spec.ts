import userEvent from '@testing-library/user-event';
import { screen } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MajorList, Roster } from '@goorm/contracts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import { server } from '../../testing/server.ts';
import RosterPage from './RosterPage.vue';
import { majorList, roster } from './fixtures.ts';

const CSV = '\uFEFFstudentId,studentNo,name,majorId,grade,enrolledAt\n7,20240001,김구름,1,3,2026-03-02T01:00:00.000Z\n';

function serveRoster() {
  const asked: string[] = [];
  server.use(
    http.get('*/api/lectures/majors', () => HttpResponse.json(majorList() satisfies MajorList)),
    http.get('*/api/enrollments/sections/42/roster', ({ request }) => {
      const format = new URL(request.url).searchParams.get('format');
      asked.push(format ?? 'json');
      if (format === 'csv') return new HttpResponse(CSV, { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
      return HttpResponse.json(roster() satisfies Roster);
    }),
  );
  return asked;
}

const { createObjectURL, revokeObjectURL } = URL;
afterEach(() => {
  vi.restoreAllMocks();
  Object.assign(URL, { createObjectURL, revokeObjectURL });
});

describe('roster of a section', () => {
  it('shows the section, enrolled / capacity and each student linked to their page, in enrollment order', async () => {
    serveRoster();
    await renderWithApp(RosterPage, { route: '/catalog/sections/42/roster', session: staffSession() });
    expect(await screen.findByRole('heading', { level: 1, name: 'CSE2010 자료구조 1분반' })).toBeInTheDocument();
    expect(screen.getByText('수강 인원 2 / 정원 40')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('20240001');
    expect(rows[1]).toHaveTextContent('20250001');
    expect(await screen.findByText('수학과')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '김구름' })).toHaveAttribute('href', '/students/7');
  });

  it('downloads the CSV fetched through the client core as a named file', async () => {
    const asked = serveRoster();
    const blobs: Blob[] = [];
    const create = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:roster';
    });
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: vi.fn() });
    const clicks: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
    await renderWithApp(RosterPage, { route: '/catalog/sections/42/roster', session: staffSession() });
    await userEvent.click(await screen.findByRole('button', { name: 'CSV 내려받기' }));

    expect(await screen.findByText('roster-CSE2010-01.csv 파일을 내려받았습니다.')).toBeInTheDocument();
    expect(asked).toEqual(['json', 'csv']);
    expect(clicks).toEqual([{ href: 'blob:roster', download: 'roster-CSE2010-01.csv' }]);
    expect(blobs[0]!.type).toBe('text/csv;charset=utf-8');
    expect(await blobs[0]!.text()).toContain('7,20240001,김구름');
  });
});
