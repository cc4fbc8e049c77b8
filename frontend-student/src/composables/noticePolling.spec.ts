import userEvent from '@testing-library/user-event';
import { screen, waitFor } from '@testing-library/vue';
import { http, HttpResponse } from 'msw';
import { defineComponent, h } from 'vue';
import { describe, expect, it } from 'vitest';
import type { Notice, NoticeList } from '@goorm/contracts';
import NoticeToast from '../components/notices/NoticeToast.vue';
import { useEnrollmentStore } from '../stores/enrollment.ts';
import { useSessionStore } from '../stores/session.ts';
import { makeNotice, makeSection, timetableItemOf, timetableOf } from '../testing/fixtures.ts';
import { demoSession, renderWithApp } from '../testing/render.ts';
import { emptyTimetable, noWaitlists, server } from '../testing/server.ts';
import { useNoticePolling } from './noticePolling.ts';

/** The polling as App uses it (here every `ms`), with the toast it feeds. */
const harness = (ms: number) =>
  defineComponent({
    setup() {
      useNoticePolling(ms);
      return () => h(NoticeToast);
    },
  });

/** Counts the reads of notices, timetable and waitlists; the notices are whatever `list` holds then. */
function serve(list: Notice[], timetable: () => ReturnType<typeof timetableOf> = () => emptyTimetable) {
  const reads = { notices: 0, timetable: 0, waitlists: 0 };
  server.use(
    http.get('/api/enrollments/notices/me', () => {
      reads.notices++;
      return HttpResponse.json({ items: [...list].reverse(), unread: list.filter((n) => n.readAt === null).length } satisfies NoticeList);
    }),
    http.get('/api/enrollments/me', () => {
      reads.timetable++;
      return HttpResponse.json(timetable());
    }),
    http.get('/api/enrollments/waitlist/me', () => {
      reads.waitlists++;
      return HttpResponse.json(noWaitlists);
    }),
  );
  return reads;
}

describe('useNoticePolling', () => {
  it('reads notices on sign-in and then periodically; a promotion re-reads timetable and waitlists and is said in the polite toast', async () => {
    const promoted = makeSection({ id: 51, sectionNo: 1 });
    const list: Notice[] = [];
    const reads = serve(list, () => (list.length > 0 ? timetableOf([timetableItemOf(promoted)]) : emptyTimetable));
    await renderWithApp(harness(50), { session: demoSession(), route: '/' });
    await waitFor(() => expect(reads.notices).toBeGreaterThanOrEqual(2));
    expect(reads.timetable).toBe(0);
    expect(screen.getByRole('status')).toHaveTextContent('');

    list.push(makeNotice({ id: 5, kind: 'WAITLIST_PROMOTED', sectionId: 51 }));

    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(/새 알림.*자료구조 1분반 대기 순번이 되어 자동 신청되었습니다/));
    await waitFor(() => expect(useEnrollmentStore().sectionIds.has(51)).toBe(true));
    expect(reads.waitlists).toBeGreaterThanOrEqual(1);
  });

  it('reads them again when the window regains focus, and stops when the student signs out', async () => {
    const reads = serve([]);
    await renderWithApp(harness(3_600_000), { session: demoSession(), route: '/' });
    await waitFor(() => expect(reads.notices).toBe(1));

    window.dispatchEvent(new Event('focus'));
    await waitFor(() => expect(reads.notices).toBe(2));

    useSessionStore().logout();
    window.dispatchEvent(new Event('focus'));
    await new Promise((r) => setTimeout(r, 100));
    expect(reads.notices).toBe(2);
  });

  it('the toast can be dismissed with a labelled button', async () => {
    serve([makeNotice({ id: 8, kind: 'AUTO_ENROLLED', lectureTitle: '운영체제', sectionNo: 2 })]);
    const user = userEvent.setup();
    await renderWithApp(harness(3_600_000), { session: demoSession(), route: '/' });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('운영체제 2분반 장바구니 자동신청으로 신청되었습니다'));

    await user.click(screen.getByRole('button', { name: '새 알림 닫기' }));

    expect(screen.getByRole('status')).toHaveTextContent('');
  });
});
