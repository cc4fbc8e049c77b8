/**
 * The HTTP side of the component specs: an msw server (`msw/node`) answering the app's real client
 * core (`@goorm/contracts/client`) with objects typed by the contract, so a spec breaks to compile
 * when the contract changes. Started for the jsdom specs by `src/test-setup.ts`; each spec adds what
 * it is about with `server.use(...)` (reset after every test). Nothing answers what no handler names.
 */
import {
  ERRORS,
  type Cart,
  type ErrorCode,
  type Forecast,
  type Major,
  type MyWaitlists,
  type NoticeList,
  type ProblemExtension,
  type Recommendations,
  type Term,
  type Timetable,
  type WindowList,
} from '@goorm/contracts';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

/** An RFC 9457 problem document of the contract, with the members its code declares. */
/** A problem document of `code`; `status` only where something else answers with that code (the gateway's 502/504 are SERVICE_UNAVAILABLE). */
export function problem<C extends ErrorCode>(code: C, extension: ProblemExtension<C>, init: { detail?: string; headers?: Record<string, string>; status?: number } = {}) {
  const status = init.status ?? ERRORS[code].status;
  return HttpResponse.json(
    { type: 'about:blank', title: ERRORS[code].title, status, code, ...(init.detail ? { detail: init.detail } : {}), ...extension },
    { status, headers: { 'Content-Type': 'application/problem+json', ...init.headers } },
  );
}

export const emptyCart = { items: [], totalCredits: 0, creditLimit: 18 } satisfies Cart;
export const emptyTimetable = { items: [], totalCredits: 0, maxCredits: 18 } satisfies Timetable;
export const noWaitlists = { items: [], settings: { enabled: true, maxEntriesPerStudent: 5, countWaitlistedCredits: false } } satisfies MyWaitlists;
export const noNotices = { items: [], unread: 0 } satisfies NoticeList;
export const currentTerm = { id: 1, code: '2026-1', name: '2026학년도 1학기', startsOn: '2026-03-02', endsOn: '2026-06-19', isCurrent: true } satisfies Term;
export const MAJORS = [
  { id: 1, code: 'CSE', name: '컴퓨터공학과', nameEn: 'Computer Science', college: '공과대학', isGeneralEducation: false },
  { id: 2, code: 'EE', name: '전자공학과', nameEn: 'Electrical Engineering', college: '공과대학', isGeneralEducation: false },
] satisfies Major[];

/** No forecast known for any section (the badges stay out), from a model of this version. */
export const noForecast = (sectionIds: number[]) => ({ items: [], unknownSectionIds: sectionIds, horizonMinutes: 1920, modelVersion: 'test' }) satisfies Forecast;
export const sectionIdsOf = (request: Request) => (new URL(request.url).searchParams.get('sectionIds') ?? '').split(',').filter(Boolean).map(Number);

/**
 * What the pages read on their own when nothing more is said: an empty cart and timetable, no windows, the
 * majors, the term, no recommendation and no forecast, no waitlist and no notice.
 */
export const defaultHandlers = [
  http.get('/api/carts/me', () => HttpResponse.json(emptyCart)),
  http.get('/api/enrollments/me', () => HttpResponse.json(emptyTimetable)),
  http.get('/api/enrollments/windows', () => HttpResponse.json({ items: [], serverTime: new Date().toISOString() } satisfies WindowList)),
  http.get('/api/enrollments/waitlist/me', () => HttpResponse.json(noWaitlists)),
  http.get('/api/enrollments/notices/me', () => HttpResponse.json(noNotices)),
  http.get('/api/lectures/majors', () => HttpResponse.json({ items: MAJORS })),
  http.get('/api/lectures/terms', () => HttpResponse.json({ items: [currentTerm] })),
  http.get('/api/ai/recommendations', () => HttpResponse.json({ items: [], candidates: 0, modelVersion: 'test' } satisfies Recommendations)),
  http.get('/api/ai/forecast', ({ request }) => HttpResponse.json(noForecast(sectionIdsOf(request)))),
];

export const server = setupServer(...defaultHandlers);
