import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { SectionImportPreview, SectionImportResult, SectionImportSummary } from '@goorm/contracts';
import { server } from '../../testing/server.ts';
import { renderWithApp, staffSession } from '../../testing/render.ts';
import SectionImportPage from './SectionImportPage.vue';

const HEADER = 'id,termId,lectureId,sectionNo,professorId,capacity,room,grades,allowedMajorIds,meetings,reserved';
const GOOD = ',1,10,7,20,30,공학관 301,1;2;3;4,,MON 1-2,';
const BAD = ',1,10,8,20,30,공학관 302,1;2;3;4,,TUE 3-2,';
const FIXED = ',1,10,8,20,30,공학관 302,1;2;3;4,,TUE 2-3,';

const summary = (sectionNo: number, room: string): SectionImportSummary => ({
  termId: 1,
  lectureId: 10,
  sectionNo,
  professorId: 20,
  capacity: 30,
  room,
  grades: [1, 2, 3, 4],
  allowedMajorIds: [],
  meetings: [{ day: 'MON', startPeriod: 1, endPeriod: 2 }],
  reserved: [],
});

/** The dry run as the API answers it: the third line's meeting ends before it starts. */
function previewOf(csv: string): SectionImportPreview {
  const bad = csv.includes('TUE 3-2');
  return {
    dryRun: true,
    valid: !bad,
    created: 2,
    updated: 0,
    rows: [
      { row: 2, action: 'create', id: null, section: summary(7, '공학관 301'), errors: [] },
      {
        row: 3,
        action: 'create',
        id: null,
        section: bad ? null : summary(8, '공학관 302'),
        errors: bad ? [{ field: 'row 3.meetings.0.endPeriod', message: 'must not be before startPeriod' }] : [],
      },
    ],
    errors: [],
  };
}

describe('CSV import of sections', () => {
  it('previews every row with its errors, blocks the commit until the bad row is fixed, then imports all', async () => {
    const calls: { dryRun: string | null; body: string; type: string | null }[] = [];
    server.use(
      http.post('*/api/lectures/sections/import', async ({ request }) => {
        const body = await request.text();
        const dryRun = new URL(request.url).searchParams.get('dryRun');
        calls.push({ dryRun, body, type: request.headers.get('Content-Type') });
        if (dryRun === 'true') return HttpResponse.json(previewOf(body) satisfies SectionImportPreview);
        return HttpResponse.json({ created: 2, updated: 0 } satisfies SectionImportResult);
      }),
    );
    await renderWithApp(SectionImportPage, { route: '/catalog/sections/import', session: staffSession() });

    const file = new File([[HEADER, GOOD, BAD].join('\n')], 'sections.csv', { type: 'text/csv' });
    await userEvent.upload(screen.getByLabelText('CSV 파일'), file);

    const row3 = (await screen.findByText('1개 문제')).closest('tr') as HTMLElement;
    expect(within(row3).getByRole('rowheader')).toHaveTextContent('3');
    expect(row3).toHaveTextContent('meetings.0.endPeriod: must not be before startPeriod');
    expect(screen.getByRole('rowheader', { name: '2' }).closest('tr')).toHaveTextContent('문제 없음');
    expect(screen.getByRole('status')).toHaveTextContent('잘못된 행이 1개 있습니다.');
    expect(screen.getByRole('button', { name: '모두 가져오기' })).toBeDisabled();
    expect(calls).toEqual([{ dryRun: 'true', body: [HEADER, GOOD, BAD].join('\n'), type: 'text/csv' }]);

    // Fix the row in the text: the old preview no longer counts until previewed again.
    const text = screen.getByLabelText('CSV 내용');
    await userEvent.clear(text);
    await userEvent.type(text, [HEADER, GOOD, FIXED].join('\n').replaceAll('{', '{{').replaceAll('[', '[['));
    expect(screen.getByRole('status')).toHaveTextContent('내용이 바뀌었습니다.');
    expect(screen.getByRole('button', { name: '모두 가져오기' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: '미리보기' }));

    expect(await screen.findByText('2개 분반을 새로 만들고 0개 분반을 바꿉니다.')).toBeInTheDocument();
    expect(screen.queryByText('1개 문제')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: '모두 가져오기' }));

    expect(await screen.findByText('2개 분반을 만들고 0개 분반을 바꿨습니다.')).toBeInTheDocument();
    expect(calls.slice(1)).toEqual([
      { dryRun: 'true', body: [HEADER, GOOD, FIXED].join('\n'), type: 'text/csv' },
      { dryRun: null, body: [HEADER, GOOD, FIXED].join('\n'), type: 'text/csv' },
    ]);
  });
});
