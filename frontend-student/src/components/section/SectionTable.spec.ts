import { screen, waitFor, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Forecast } from '@goorm/contracts';
import { makeForecast, makeSection } from '../../testing/fixtures.ts';
import { renderWithApp } from '../../testing/render.ts';
import { server, sectionIdsOf } from '../../testing/server.ts';
import SectionTable from './SectionTable.vue';

describe('SectionTable competition badges', () => {
  it('asks the forecast of every row in one call and shows each row’s badge beside its cart count', async () => {
    const sections = [1, 2, 3].map((id) => makeSection({ id, sectionNo: id }));
    const asked: number[][] = [];
    server.use(
      http.get('/api/ai/forecast', ({ request }) => {
        const ids = sectionIdsOf(request);
        asked.push(ids);
        const levels = { 1: 0.9, 2: 0.5 } as Record<number, number>;
        return HttpResponse.json({
          items: ids.filter((id) => levels[id] !== undefined).map((id) => makeForecast(id, { pFill: levels[id]! })),
          unknownSectionIds: ids.filter((id) => levels[id] === undefined),
          horizonMinutes: 1920,
          modelVersion: 'test',
        } satisfies Forecast);
      }),
    );
    await renderWithApp(SectionTable, { props: { sections, caption: '검색 결과' } });

    const row = (id: number) => screen.getAllByRole('row').find((r) => r.dataset.sectionId === String(id))!;
    await waitFor(() => expect(within(row(1)).getByRole('button', { name: '경쟁 예측: 매우 치열' })).toBeInTheDocument());
    expect(within(row(2)).getByRole('button', { name: '경쟁 예측: 치열' })).toBeInTheDocument();
    // A section the model does not know has no badge, and its cart count stays.
    expect(within(row(3)).queryByRole('button', { name: /경쟁 예측/ })).toBeNull();
    expect(within(row(3)).getByText('장바구니 0 / 정원 40')).toBeInTheDocument();
    expect(asked).toEqual([[1, 2, 3]]);
  });

  it('when the forecast is not available, the rows stay as they were, with no badge', async () => {
    let calls = 0;
    server.use(
      http.get('/api/ai/forecast', () => {
        calls++;
        return HttpResponse.json({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'SERVICE_UNAVAILABLE' }, { status: 503 });
      }),
    );
    await renderWithApp(SectionTable, { props: { sections: [makeSection({ id: 5 })], caption: '검색 결과' } });

    await waitFor(() => expect(calls).toBe(1));
    expect(screen.queryByRole('button', { name: /경쟁 예측/ })).toBeNull();
    expect(screen.getByRole('button', { name: '자료구조 1분반 수강신청' })).toBeInTheDocument();
  });
});
