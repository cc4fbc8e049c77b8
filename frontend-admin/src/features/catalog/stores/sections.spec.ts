import { http, HttpResponse } from 'msw';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SectionPage } from '@goorm/contracts';
import { problem, server } from '../../../testing/server.ts';
import { section } from '../catalog.fixtures.ts';
import { useSectionsStore } from './sections.ts';

describe('sections store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('asks the server for one page of the filtered sections, and keeps its total', async () => {
    const asked: string[] = [];
    server.use(
      http.get('*/api/lectures/sections', ({ request }) => {
        asked.push(new URL(request.url).search);
        return HttpResponse.json({ items: [section()], total: 41, page: 3, size: 20 } satisfies SectionPage);
      }),
    );
    const store = useSectionsStore();
    Object.assign(store.filters, { termId: 2, lectureId: 10, professorId: 20 });
    const loading = store.load(3);
    expect(store.status).toBe('loading');
    await loading;

    expect(asked).toEqual(['?termId=2&lectureId=10&professorId=20&page=3&size=20']);
    expect(store.status).toBe('done');
    expect(store).toMatchObject({ total: 41, page: 3 });
    expect(store.items.map((s) => s.id)).toEqual([100]);
  });

  it('exports the CSV as text, and keeps a refusal for the page to show', async () => {
    const csv = '\uFEFFid,termId\n100,1\n';
    server.use(
      http.get('*/api/lectures/sections/export.csv', ({ request }) =>
        new URL(request.url).searchParams.get('termId') === '9'
          ? problem(404, 'NOT_FOUND', { detail: 'term 9 does not exist' })
          : new HttpResponse(csv, { headers: { 'Content-Type': 'text/csv; charset=utf-8' } }),
      ),
    );
    const store = useSectionsStore();
    // The client reads text as UTF-8, which drops the file's byte-order mark.
    expect(await store.exportCsv()).toBe('id,termId\n100,1\n');
    expect(store.exportStatus).toBe('done');

    store.filters.termId = 9;
    expect(await store.exportCsv()).toBeUndefined();
    expect(store.exportStatus).toBe('error');
    expect(store.exportError).toMatchObject({ code: 'NOT_FOUND', detail: 'term 9 does not exist' });
  });
});
