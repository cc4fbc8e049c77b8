/**
 * Who may call every route of the API, written down a second time, by hand, apart from the
 * contract (`@goorm/contracts`): authz.test.ts checks that this table and the contract list the
 * same routes with the same access, then sends every route the callers it must refuse and the
 * callers it must let through, against the whole system.
 *
 * A new route fails the suite until it has a row here; a row whose route is gone fails it too.
 * Changing a route's access means changing it in both places, on purpose.
 */
import type { Access } from '@goorm/contracts';

/**
 * How a route decides whose data it touches, beyond the role check of `authenticate`:
 * - `none`: no one's personal data (catalog, settings, staff tools that name no student);
 * - `caller`: the caller's own account only, taken from the token: the request names no account;
 * - `names-student`: names a student account (path `:studentId`, or `:id` of /students): staff only,
 *   so a student is refused whichever id, their own included;
 * - `override`: a student acts for themselves; the staff override fields (`studentId`, `reason`)
 *   sent by a student are 403 FORBIDDEN (checked in the handler, not by `authenticate`);
 * - `ticket-owner`: a waiting-room ticket answers only the student it was issued to (handler check).
 */
export type Ownership = 'none' | 'caller' | 'names-student' | 'override' | 'ticket-owner';

export interface AuthzRule {
  access: Access;
  ownership: Ownership;
}

const rule = (access: Access, ownership: Ownership = 'none'): AuthzRule => ({ access, ownership });
const STUDENT_OR_STAFF = ['student', 'staff'] as const;

/** `METHOD /prefix/path` (the route template as the services label it) → who may call it. */
export const AUTHZ_MATRIX: Readonly<Record<string, AuthzRule>> = {
  // ---- auth ------------------------------------------------------------------------------------
  'POST /api/auth/login': rule('public'),
  'GET /api/auth/me': rule('authenticated', 'caller'),
  'GET /api/auth/students': rule('staff'),
  'GET /api/auth/students/:id': rule('staff', 'names-student'),
  'POST /api/auth/students': rule('staff'),
  'PUT /api/auth/students/:id': rule('staff', 'names-student'),
  'DELETE /api/auth/students/:id': rule('staff', 'names-student'),
  'GET /api/auth/staff': rule('staff'),
  'GET /api/auth/staff/:id': rule('staff'),
  'POST /api/auth/staff': rule('staff'),
  'PUT /api/auth/staff/:id': rule('staff'),
  'DELETE /api/auth/staff/:id': rule('staff'),

  // ---- lectures (catalog: read by anyone signed in, written by staff) ---------------------------
  'GET /api/lectures/terms': rule('authenticated'),
  'GET /api/lectures/terms/:id': rule('authenticated'),
  'POST /api/lectures/terms': rule('staff'),
  'PUT /api/lectures/terms/:id': rule('staff'),
  'DELETE /api/lectures/terms/:id': rule('staff'),
  'GET /api/lectures/majors': rule('authenticated'),
  'GET /api/lectures/majors/:id': rule('authenticated'),
  'POST /api/lectures/majors': rule('staff'),
  'PUT /api/lectures/majors/:id': rule('staff'),
  'DELETE /api/lectures/majors/:id': rule('staff'),
  'GET /api/lectures/professors': rule('authenticated'),
  'GET /api/lectures/professors/:id': rule('authenticated'),
  'POST /api/lectures/professors': rule('staff'),
  'PUT /api/lectures/professors/:id': rule('staff'),
  'DELETE /api/lectures/professors/:id': rule('staff'),
  'GET /api/lectures/lectures': rule('authenticated'),
  'GET /api/lectures/lectures/:id': rule('authenticated'),
  'POST /api/lectures/lectures': rule('staff'),
  'PUT /api/lectures/lectures/:id': rule('staff'),
  'DELETE /api/lectures/lectures/:id': rule('staff'),
  'GET /api/lectures/sections': rule('authenticated'),
  'GET /api/lectures/sections/export.csv': rule('staff'),
  'POST /api/lectures/sections/import': rule('staff'),
  'GET /api/lectures/sections/:id': rule('authenticated'),
  'POST /api/lectures/sections': rule('staff'),
  'PUT /api/lectures/sections/:id': rule('staff'),
  'DELETE /api/lectures/sections/:id': rule('staff'),

  // ---- carts -----------------------------------------------------------------------------------
  'GET /api/carts/me': rule('student', 'caller'),
  'GET /api/carts/students/:studentId': rule('staff', 'names-student'),
  'POST /api/carts/me/items': rule('student', 'caller'),
  'DELETE /api/carts/me/items/:sectionId': rule('student', 'caller'),

  // ---- enrollments -----------------------------------------------------------------------------
  'GET /api/enrollments/me': rule('student', 'caller'),
  'GET /api/enrollments/students/:studentId': rule('staff', 'names-student'),
  'POST /api/enrollments': rule(STUDENT_OR_STAFF, 'override'),
  'POST /api/enrollments/swap': rule('student', 'caller'),
  'DELETE /api/enrollments/:sectionId': rule(STUDENT_OR_STAFF, 'override'),
  'GET /api/enrollments/windows': rule('authenticated'),
  'GET /api/enrollments/windows/:id': rule('authenticated'),
  'POST /api/enrollments/windows': rule('staff'),
  'PUT /api/enrollments/windows/:id': rule('staff'),
  'DELETE /api/enrollments/windows/:id': rule('staff'),
  'POST /api/enrollments/queue': rule('student', 'caller'),
  'GET /api/enrollments/queue/settings': rule('staff'),
  'PUT /api/enrollments/queue/settings': rule('staff'),
  'GET /api/enrollments/queue/:ticket': rule('student', 'ticket-owner'),
  'GET /api/enrollments/stats': rule('staff'),
  'GET /api/enrollments/stats/live': rule('staff'),
  'GET /api/enrollments/audit': rule('staff'),
  'GET /api/enrollments/sections/:id/roster': rule('staff'),
  'POST /api/enrollments/waitlist': rule('student', 'caller'),
  'DELETE /api/enrollments/waitlist/:sectionId': rule('student', 'caller'),
  'GET /api/enrollments/waitlist/me': rule('student', 'caller'),
  'GET /api/enrollments/waitlist/settings': rule('staff'),
  'PUT /api/enrollments/waitlist/settings': rule('staff'),
  'GET /api/enrollments/waitlists': rule('staff'),
  'GET /api/enrollments/sections/:id/waitlist': rule('staff'),
  'PUT /api/enrollments/sections/:id/waitlist/:studentId': rule('staff', 'names-student'),
  'DELETE /api/enrollments/sections/:id/waitlist/:studentId': rule('staff', 'names-student'),
  'GET /api/enrollments/notices/me': rule('student', 'caller'),
  'POST /api/enrollments/notices/me/read': rule('student', 'caller'),
  'POST /api/enrollments/auto-enroll': rule('staff'),
  'GET /api/enrollments/auto-enroll': rule('staff'),
  'GET /api/enrollments/auto-enroll/:id': rule('staff'),

  // ---- ai-helper -------------------------------------------------------------------------------
  'GET /api/ai/recommendations': rule('student', 'caller'),
  'GET /api/ai/forecast': rule('authenticated'),
  'GET /api/ai/model': rule('authenticated'),
};
