/**
 * Enrollment (수강신청) under /api/enrollments: windows, enroll / drop / swap, the timetable, the
 * waiting room (대기열), live stats, the audit trail and rosters.
 */
import { z } from 'zod';
import { gradesSchema, phaseSchema } from './domain.ts';
import { endpoint, idField, idParam, idParams, pageOf, pageQuery, serviceContract, type HeaderSpec } from './endpoint.ts';
import { windowSchema } from './errors.ts';
import { timetableSectionSchema } from './sections.ts';
import {
  autoEnrollBody,
  autoEnrollRunListSchema,
  autoEnrollRunSchema,
  joinWaitlistBody,
  moveWaitlistEntryBody,
  myWaitlistsSchema,
  noticeListSchema,
  noticesQuery,
  readNoticesBody,
  removeWaitlistEntryQuery,
  sectionWaitlistSchema,
  waitlistEntryParams,
  waitlistEntrySchema,
  waitlistOverviewQuery,
  waitlistOverviewSchema,
  waitlistSectionParams,
  waitlistSettingsBody,
  waitlistSettingsSchema,
} from './waitlist.ts';

const int = z.number().int();

// ---- enroll, drop, swap, timetable ----

const overrideReason = z.string().trim().min(1).max(1000);

/** A student sends {sectionId}; staff add {studentId, reason, allowOverCapacity?} for an override. */
export const enrollBody = z.object({
  sectionId: idField,
  studentId: idField.optional(),
  reason: overrideReason.optional(),
  allowOverCapacity: z.boolean().optional(),
});
export type EnrollBody = z.output<typeof enrollBody>;

export const enrollmentSectionParams = z.object({ sectionId: idParam });

/** Staff drop a student's section with ?studentId=&reason=. */
export const dropQuery = z.object({
  studentId: idParam.optional(),
  reason: overrideReason.optional(),
});
export type DropQuery = z.output<typeof dropQuery>;

export const swapBody = z
  .object({ fromSectionId: idField, toSectionId: idField })
  .refine((b) => b.fromSectionId !== b.toSectionId, { message: 'fromSectionId and toSectionId must differ', path: ['toSectionId'] });
export type SwapBody = z.output<typeof swapBody>;

export const timetableStudentParams = z.object({ studentId: idParam });

const credits = {
  /** Credits held in the current term after this change. */
  totalCredits: int,
  /** The student's maximum (학점 상한). */
  maxCredits: int,
};

export const enrolledSchema = z.object({
  sectionId: int,
  lectureId: int,
  studentId: int,
  createdAt: z.string(),
  ...credits,
});
export type Enrolled = z.infer<typeof enrolledSchema>;

export const droppedSchema = z.object({
  sectionId: int,
  lectureId: int,
  studentId: int,
  droppedAt: z.string(),
  ...credits,
});
export type Dropped = z.infer<typeof droppedSchema>;

export const swappedSchema = z.object({
  dropped: z.object({ sectionId: int, lectureId: int }),
  enrolled: z.object({ sectionId: int, lectureId: int, studentId: int, createdAt: z.string() }),
  ...credits,
});
export type Swapped = z.infer<typeof swappedSchema>;

/** One enrollment of the timetable: the section in its timetable variant. */
export const timetableItemSchema = z.object({
  sectionId: int,
  lectureId: int,
  studentId: int,
  createdAt: z.string(),
  section: timetableSectionSchema,
});
export type TimetableItem = z.infer<typeof timetableItemSchema>;

export const timetableSchema = z.object({
  items: z.array(timetableItemSchema),
  ...credits,
});
export type Timetable = z.infer<typeof timetableSchema>;

const idempotencyHeaders: Record<string, HeaderSpec> = {
  'Idempotency-Key': { description: 'Makes a retry return the first answer and change nothing (per caller; 1-128 of A-Z a-z 0-9 . _ : -)' },
};
const admissionHeaders: Record<string, HeaderSpec> = {
  ...idempotencyHeaders,
  'X-Admission-Token': { description: 'Waiting-room admission token, required while the waiting room is active' },
};

// ---- windows ----

const instant = (name: string) =>
  z.iso
    .datetime({ offset: true, message: `${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-02-10T10:00:00+09:00` })
    .transform((s) => new Date(s));

const staffReason = z.string().trim().min(1).max(500);

export const listWindowsQuery = z.object({ termId: idParam.optional() });

export const windowBody = z
  .object({
    termId: idField,
    phase: phaseSchema,
    grades: gradesSchema,
    opensAt: instant('opensAt'),
    closesAt: instant('closesAt'),
    /** Why (kept in the audit log); defaults to "window change". */
    reason: staffReason.optional(),
  })
  .refine((b) => !(b.opensAt instanceof Date && b.closesAt instanceof Date) || b.closesAt.getTime() > b.opensAt.getTime(), {
    path: ['closesAt'],
    message: 'closesAt must be after opensAt',
  });
export type WindowBody = z.output<typeof windowBody>;

export const deleteWindowQuery = z.object({ reason: staffReason.optional() });

export const windowListSchema = z.object({
  items: z.array(windowSchema),
  /** The server's clock, so clients can correct theirs before a window opens. */
  serverTime: z.string(),
});
export type WindowList = z.infer<typeof windowListSchema>;

// ---- waiting room ----

export const QUEUE_MODES = ['auto', 'on', 'off'] as const;
export const queueModeSchema = z.enum(QUEUE_MODES);
export type QueueMode = z.infer<typeof queueModeSchema>;

export const queueTicketParams = z.object({
  ticket: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'not a queue ticket'),
});

export const queuePlaceSchema = z.object({
  ticket: z.string().describe('Signed; the same in every tab. Poll GET /queue/{ticket} with the latest one received'),
  position: int.min(0).describe('Waiting ahead of you plus you (1 = next); 0 once admitted'),
  etaSeconds: int.min(0),
  admitted: z.boolean(),
  admissionToken: z.string().optional().describe('Send as X-Admission-Token with POST /api/enrollments'),
  admissionExpiresAt: z.string().optional(),
  active: z.boolean().describe('Whether the waiting room is active (inactive: no token needed)'),
  retryAfterMs: int
    .min(0)
    .optional()
    .describe(
      'When to poll next, in ms: about the time until this place is admitted at the current rate, between 250 ms and 10 s, spread per student; 0 once admitted or while the room is inactive. Always sent by this server',
    ),
});
export type QueuePlace = z.infer<typeof queuePlaceSchema>;

export const queueSettingsBody = z.object({
  mode: queueModeSchema.describe('auto: active after a REGISTRATION or ADD_DROP window opens; on / off: staff override'),
  ratePerSecond: z.number().min(0.1).max(100_000).describe('Students admitted per second'),
  adaptive: z.boolean().describe('Let the controller move the rate with enroll latency and errors'),
  reason: staffReason.optional(),
});
export type QueueSettingsBody = z.output<typeof queueSettingsBody>;

export const queueSettingsSchema = z.object({
  mode: queueModeSchema,
  ratePerSecond: z.number(),
  adaptive: z.boolean(),
  updatedAt: z.string().optional(),
});
export type QueueSettings = z.infer<typeof queueSettingsSchema>;

export const queueOverviewSchema = queueSettingsSchema.extend({
  active: z.boolean(),
  /** Students in the queue not yet admitted. */
  waiting: int,
  /** Students admitted since the queue was (re)built. */
  admitted: int,
});
export type QueueOverview = z.infer<typeof queueOverviewSchema>;

// ---- stats ----

export const STATS_SORTS = ['fill', 'cart', 'enrolled'] as const;
export type StatsSort = (typeof STATS_SORTS)[number];

export const statsQuery = z.object({
  /** Default: the current term. */
  termId: idParam.optional(),
  /** Only this section in `sections` and `attempts` (totals stay term-wide). */
  sectionId: idParam.optional(),
  /** fill: enrolled/capacity; cart: cart count/capacity (competition); enrolled: head count. */
  sort: z.enum(STATS_SORTS).default('fill'),
  /** How many minutes of attempts to report, ending now. */
  minutes: z.coerce.number().int().min(1).max(1440).default(15),
  ...pageQuery,
});
export type StatsQuery = z.output<typeof statsQuery>;

const outcomeCounts = z.record(z.string(), int);

export const sectionStatSchema = z.object({
  sectionId: int,
  lectureCode: z.string(),
  title: z.string(),
  sectionNo: int,
  capacity: int,
  enrolled: int,
  cartCount: int,
  /** enrolled / capacity (0 when capacity is 0). */
  fillRatio: z.number(),
  /** cartCount / capacity: how contested the section will be. */
  cartPressure: z.number(),
});
export type SectionStat = z.infer<typeof sectionStatSchema>;

export const statsSchema = z.object({
  term: z.object({ id: int, code: z.string(), name: z.string() }),
  generatedAt: z.string(),
  totals: z.object({
    sections: int,
    capacity: int,
    enrolled: int,
    cartItems: int,
    /** Students holding at least one seat in the term. */
    students: int,
    fillRatio: z.number(),
  }),
  sections: pageOf(sectionStatSchema).extend({ sort: z.enum(STATS_SORTS) }),
  attempts: z.object({
    minutes: int,
    since: z.string(),
    until: z.string(),
    byOutcome: outcomeCounts,
    perMinute: z.array(z.object({ minute: z.string(), total: int, outcomes: outcomeCounts })),
  }),
});
export type Stats = z.infer<typeof statsSchema>;

// ---- live stats (the registration-day dashboard) ----

export const LIVE_BUCKET_SECONDS = [5, 10, 15, 30, 60] as const;
export const LIVE_CONTESTED_SORTS = ['cart', 'fill'] as const;

export const liveStatsQuery = z
  .object({
    /** Default: the current term. */
    termId: idParam.optional(),
    /** How many minutes of decisions, seats and admissions to chart, ending now. */
    minutes: z.coerce.number().int().min(1).max(60).default(10),
    /** Width of one bucket of the charts, in seconds. */
    bucketSeconds: z.coerce
      .number()
      .int()
      .refine((v) => (LIVE_BUCKET_SECONDS as readonly number[]).includes(v), `must be one of ${LIVE_BUCKET_SECONDS.join(', ')}`)
      .default(10),
    /** How many contested and nearly full sections to list. */
    top: z.coerce.number().int().min(1).max(50).default(10),
    /** cart: cart count / capacity (demand), fill: enrolled / capacity. */
    contestedBy: z.enum(LIVE_CONTESTED_SORTS).default('cart'),
    /** A section is nearly full from this fill ratio (enrolled / capacity). */
    nearlyFull: z.coerce.number().min(0.5).max(1).default(0.9),
  })
  .refine((q) => (q.minutes * 60) / q.bucketSeconds <= 720, { path: ['bucketSeconds'], message: 'at most 720 buckets: use wider buckets for this many minutes' });
export type LiveStatsQuery = z.output<typeof liveStatsQuery>;

export const liveSectionSchema = sectionStatSchema.extend({
  /** The first successful enroll event of the section (null: none recorded). */
  firstEnrollAt: z.string().nullable(),
  /** The event that took the last seat (null: not full by its events). */
  filledAt: z.string().nullable(),
  /** filledAt - firstEnrollAt. */
  secondsToFill: z.number().nullable(),
});
export type LiveSection = z.infer<typeof liveSectionSchema>;

export const liveStatsSchema = z.object({
  term: z.object({ id: int, code: z.string(), name: z.string() }),
  /** When these numbers were computed (answers are shared for a couple of seconds). */
  generatedAt: z.string(),
  since: z.string(),
  until: z.string(),
  minutes: int,
  bucketSeconds: int,
  totals: z.object({ sections: int, capacity: int, enrolled: int, cartItems: int, fillRatio: z.number() }),
  decisions: z.object({
    /**
     * Per outcome over the whole period: ENROLLED (a seat taken: enroll, swap or staff override),
     * DROPPED, or the refusal code (SECTION_FULL, TIME_CONFLICT, CREDIT_LIMIT, WINDOW_CLOSED, NOT_ELIGIBLE, ALREADY_ENROLLED, …).
     */
    byOutcome: z.record(z.string(), int),
    /** Every bucket of the period, oldest first; decisions per second = total / bucketSeconds. */
    buckets: z.array(z.object({ at: z.string(), total: int, perSecond: z.number(), outcomes: z.record(z.string(), int) })),
  }),
  /** Seats held at the end of each bucket (cumulative; anchored on the seats held now), and the net change in it. */
  seats: z.array(z.object({ at: z.string(), filled: int, change: int })),
  contested: z.object({ by: z.enum(LIVE_CONTESTED_SORTS), items: z.array(liveSectionSchema) }),
  nearlyFull: z.object({ threshold: z.number(), total: int, items: z.array(liveSectionSchema) }),
  /** null when this server runs no waiting room. */
  waitingRoom: z
    .object({
      mode: queueModeSchema,
      active: z.boolean(),
      adaptive: z.boolean(),
      /** The admission rate in force now (staff's, or the adaptive controller's latest choice). */
      ratePerSecond: z.number(),
      waiting: int,
      admitted: int,
      /** Median wait from joining to admission of the students admitted in the period (null: nobody was). */
      medianWaitSeconds: z.number().nullable(),
      /** Students admitted in the period (the median's sample). */
      admittedInPeriod: int,
      /** Admissions per bucket, as decisions.buckets. */
      admissions: z.array(z.object({ at: z.string(), admitted: int })),
    })
    .nullable(),
});
export type LiveStats = z.infer<typeof liveStatsSchema>;

// ---- audit ----

export const auditQuery = z.object({
  /** Actions of this staff member. */
  staffId: idParam.optional(),
  /** Concerning this student (overrides: target student:<id>/…). */
  studentId: idParam.optional(),
  /** Concerning this section (overrides: target …/section:<id>). */
  sectionId: idParam.optional(),
  /** e.g. OVERRIDE_ENROLL, OVERRIDE_DROP, WINDOW_CREATE, WINDOW_UPDATE, WINDOW_DELETE, QUEUE_SETTINGS */
  action: z.string().trim().min(1).max(64).optional(),
  /** The exact target, e.g. "window:3", "queue". */
  target: z.string().trim().min(1).max(128).optional(),
  ...pageQuery,
});
export type AuditQuery = z.output<typeof auditQuery>;

export const auditRecordSchema = z.object({
  id: int,
  staffId: int,
  /** The student the action concerns (from the target), if any. */
  studentId: int.nullable(),
  /** The section the action concerns (from the target), if any. */
  sectionId: int.nullable(),
  /** e.g. WINDOW_CREATE, OVERRIDE_ENROLL */
  action: z.string(),
  /** e.g. "window:3", "student:17/section:42" */
  target: z.string(),
  reason: z.string(),
  details: z.unknown(),
  createdAt: z.string(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const auditPageSchema = pageOf(auditRecordSchema);
export type AuditPage = z.infer<typeof auditPageSchema>;

// ---- roster ----

export const rosterQuery = z.object({
  /** csv, or json (default); `Accept: text/csv` also selects CSV. */
  format: z.enum(['json', 'csv']).optional(),
});

export const rosterSectionSchema = z.object({
  id: int,
  termId: int,
  lectureCode: z.string(),
  title: z.string(),
  sectionNo: int,
  capacity: int,
  enrolled: int,
});
export type RosterSection = z.infer<typeof rosterSectionSchema>;

export const rosterEntrySchema = z.object({
  studentId: int,
  /** null only if the student row has vanished from auth (it never should). */
  studentNo: z.string().nullable(),
  name: z.string().nullable(),
  majorId: int.nullable(),
  grade: int.nullable(),
  enrolledAt: z.string(),
});
export type RosterEntry = z.infer<typeof rosterEntrySchema>;

export const rosterSchema = z.object({ section: rosterSectionSchema, items: z.array(rosterEntrySchema) });
export type Roster = z.infer<typeof rosterSchema>;

// ---- the endpoints ----

const enrollments = ['enrollments'];
const windows = ['windows'];
const waitingRoom = ['waiting room'];
const waitlist = ['waitlist'];
const autoEnroll = ['auto-enrollment'];

/** What an enroll or a swap can be refused with. */
const ADD_REFUSALS = [
  'WINDOW_CLOSED',
  'NOT_ELIGIBLE',
  'NOT_FOUND',
  'ALREADY_ENROLLED',
  'TIME_CONFLICT',
  'CREDIT_LIMIT',
  'SECTION_FULL',
  'QUEUE_REQUIRED',
  'IDEMPOTENCY_CONFLICT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
] as const;

export const enrollmentApi = serviceContract('/api/enrollments', {
  timetable: endpoint({
    method: 'get',
    path: '/me',
    summary: "The caller's timetable for the current term: sections with lecture, professor and meetings; total and maximum credits",
    tags: enrollments,
    access: 'student',
    responses: { 200: { description: 'Timetable', schema: timetableSchema } },
    errors: ['NOT_FOUND'],
  }),
  studentTimetable: endpoint({
    method: 'get',
    path: '/students/:studentId',
    summary: "A student's timetable for the current term (staff)",
    tags: enrollments,
    access: 'staff',
    params: timetableStudentParams,
    responses: { 200: { description: 'Timetable', schema: timetableSchema } },
    errors: ['NOT_FOUND'],
  }),
  enroll: endpoint({
    method: 'post',
    path: '/',
    summary:
      'Register for a section (student), or register a student by override (staff: studentId, reason, allowOverCapacity). ' +
      'A student sending override fields is 403 FORBIDDEN',
    tags: enrollments,
    access: ['student', 'staff'],
    body: enrollBody,
    headers: admissionHeaders,
    responses: { 201: { description: 'Enrolled', schema: enrolledSchema } },
    errors: [...ADD_REFUSALS, 'FORBIDDEN'],
  }),
  swap: endpoint({
    method: 'post',
    path: '/swap',
    summary: 'Move from one section to another atomically (drop-if-add): both happen or neither',
    tags: enrollments,
    access: 'student',
    body: swapBody,
    headers: admissionHeaders,
    responses: { 200: { description: 'Swapped', schema: swappedSchema } },
    errors: ADD_REFUSALS,
  }),
  drop: endpoint({
    method: 'delete',
    path: '/:sectionId',
    summary: 'Drop a section (student, in REGISTRATION or ADD_DROP), or drop a student by override (staff: ?studentId=&reason=)',
    tags: enrollments,
    access: ['student', 'staff'],
    params: enrollmentSectionParams,
    query: dropQuery,
    headers: idempotencyHeaders,
    responses: { 200: { description: 'Dropped; the seat is free again', schema: droppedSchema } },
    errors: ['WINDOW_CLOSED', 'FORBIDDEN', 'NOT_FOUND', 'IDEMPOTENCY_CONFLICT', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE'],
  }),

  listWindows: endpoint({
    method: 'get',
    path: '/windows',
    summary: 'Enrollment windows (of one term if termId is given) and the server time',
    tags: windows,
    access: 'authenticated',
    query: listWindowsQuery,
    responses: { 200: { description: 'Windows by opening time', schema: windowListSchema } },
  }),
  getWindow: endpoint({
    method: 'get',
    path: '/windows/:id',
    summary: 'One enrollment window',
    tags: windows,
    access: 'authenticated',
    params: idParams,
    responses: { 200: { description: 'The window', schema: windowSchema } },
    errors: ['NOT_FOUND'],
  }),
  createWindow: endpoint({
    method: 'post',
    path: '/windows',
    summary: 'Open a window for a phase and grades (overlaps for a shared grade refused: 409 CONFLICT naming them)',
    tags: windows,
    access: 'staff',
    body: windowBody,
    responses: { 201: { description: 'Created', schema: windowSchema, headers: { Location: 'The new window' } } },
    errors: ['CONFLICT'],
  }),
  replaceWindow: endpoint({
    method: 'put',
    path: '/windows/:id',
    summary: 'Replace a window',
    tags: windows,
    access: 'staff',
    params: idParams,
    body: windowBody,
    responses: { 200: { description: 'Replaced', schema: windowSchema } },
    errors: ['NOT_FOUND', 'CONFLICT'],
  }),
  deleteWindow: endpoint({
    method: 'delete',
    path: '/windows/:id',
    summary: 'Delete a window',
    tags: windows,
    access: 'staff',
    params: idParams,
    query: deleteWindowQuery,
    responses: { 204: { description: 'Deleted' } },
    errors: ['NOT_FOUND'],
  }),

  joinQueue: endpoint({
    method: 'post',
    path: '/queue',
    summary: 'Join the waiting room (or get the place already held: one per student, whatever the tabs)',
    tags: waitingRoom,
    access: 'student',
    responses: { 200: { description: 'Your place; an admission token once it is your turn', schema: queuePlaceSchema } },
    errors: ['NOT_FOUND', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE'],
  }),
  queueSettings: endpoint({
    method: 'get',
    path: '/queue/settings',
    summary: 'Waiting-room settings and live numbers (staff)',
    tags: waitingRoom,
    access: 'staff',
    responses: { 200: { description: 'Settings, whether the room is active, waiting and admitted counts', schema: queueOverviewSchema } },
    errors: ['NOT_FOUND', 'SERVICE_UNAVAILABLE'],
  }),
  updateQueueSettings: endpoint({
    method: 'put',
    path: '/queue/settings',
    summary: 'Switch the waiting room (auto / on / off) and set its admission rate (staff, audited)',
    tags: waitingRoom,
    access: 'staff',
    body: queueSettingsBody,
    responses: { 200: { description: 'The new settings', schema: queueSettingsSchema } },
    errors: ['NOT_FOUND', 'SERVICE_UNAVAILABLE'],
  }),
  queueStatus: endpoint({
    method: 'get',
    path: '/queue/:ticket',
    summary: 'Poll a place in the waiting room (only its own student: 403 otherwise); 404 when forged or expired',
    tags: waitingRoom,
    access: 'student',
    params: queueTicketParams,
    responses: { 200: { description: 'Your place; an admission token once it is your turn', schema: queuePlaceSchema } },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'SERVICE_UNAVAILABLE'],
  }),

  stats: endpoint({
    method: 'get',
    path: '/stats',
    summary: 'Live numbers: term totals, sections ranked by fill or cart pressure, attempts per minute by outcome',
    tags: ['stats'],
    access: 'staff',
    query: statsQuery,
    responses: { 200: { description: 'Stats', schema: statsSchema } },
    errors: ['NOT_FOUND'],
  }),
  liveStats: endpoint({
    method: 'get',
    path: '/stats/live',
    summary:
      'The registration-day dashboard: decisions per bucket by outcome, seats filled over time, the most contested and the nearly full sections (time to fill), the waiting room (length, rate, median wait). ' +
      'Six queries at most whatever the number of sections and events; one computation per query string every LIVE_STATS_TTL_MS (2 s) shared by every caller',
    tags: ['stats'],
    access: 'staff',
    query: liveStatsQuery,
    responses: { 200: { description: 'Live numbers', schema: liveStatsSchema } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  }),
  audit: endpoint({
    method: 'get',
    path: '/audit',
    summary: 'Audit log of staff actions (who, what, when, why), newest first; filter by staff, student, section, action or target',
    tags: ['audit'],
    access: 'staff',
    query: auditQuery,
    responses: { 200: { description: 'One page', schema: auditPageSchema } },
    errors: ['VALIDATION_FAILED'],
  }),
  roster: endpoint({
    method: 'get',
    path: '/sections/:id/roster',
    summary: 'Roster of a section in enrollment order (JSON; CSV with ?format=csv or Accept: text/csv)',
    tags: ['roster'],
    access: 'staff',
    params: idParams,
    query: rosterQuery,
    responses: {
      // One content type per status in a ResponseSpec: the CSV rendering (text/csv, a header row of
      // studentId, studentNo, name, majorId, grade, enrolledAt) is described here, the JSON one declared.
      200: {
        description: 'The roster',
        schema: rosterSchema,
        alternatives: { 'text/csv': 'With ?format=csv or Accept: text/csv: one row per student, with a header row' },
      },
    },
    errors: ['NOT_FOUND'],
  }),

  joinWaitlist: endpoint({
    method: 'post',
    path: '/waitlist',
    summary:
      'Join a full section\'s waitlist (student, in an open REGISTRATION or ADD_DROP window): 201 with the position, 200 with the entry already held. ' +
      'Refused while a seat is free (SEATS_AVAILABLE), past the per-student limit (WAITLIST_LIMIT), and by the enroll rules (eligibility, lecture held, time clash, credits)',
    tags: waitlist,
    access: 'student',
    body: joinWaitlistBody,
    responses: {
      201: { description: 'Joined', schema: waitlistEntrySchema },
      200: { description: 'Already on this waitlist', schema: waitlistEntrySchema },
    },
    errors: ['WINDOW_CLOSED', 'WAITLIST_DISABLED', 'NOT_ELIGIBLE', 'NOT_FOUND', 'ALREADY_ENROLLED', 'TIME_CONFLICT', 'CREDIT_LIMIT', 'SEATS_AVAILABLE', 'WAITLIST_LIMIT', 'RATE_LIMITED'],
  }),
  leaveWaitlist: endpoint({
    method: 'delete',
    path: '/waitlist/:sectionId',
    summary: 'Leave a waitlist (student)',
    tags: waitlist,
    access: 'student',
    params: waitlistSectionParams,
    responses: { 204: { description: 'Left; everyone behind moves up' } },
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  }),
  myWaitlists: endpoint({
    method: 'get',
    path: '/waitlist/me',
    summary: "The caller's waitlists of the current term with their positions, and the limits in force",
    tags: waitlist,
    access: 'student',
    responses: { 200: { description: 'Waitlists', schema: myWaitlistsSchema } },
  }),
  waitlistSettings: endpoint({
    method: 'get',
    path: '/waitlist/settings',
    summary: 'Waitlist settings (staff)',
    tags: waitlist,
    access: 'staff',
    responses: { 200: { description: 'Settings', schema: waitlistSettingsSchema } },
  }),
  updateWaitlistSettings: endpoint({
    method: 'put',
    path: '/waitlist/settings',
    summary: 'Change the waitlist settings (staff, audited)',
    tags: waitlist,
    access: 'staff',
    body: waitlistSettingsBody,
    responses: { 200: { description: 'The new settings', schema: waitlistSettingsSchema } },
    errors: ['RATE_LIMITED'],
  }),
  waitlistOverview: endpoint({
    method: 'get',
    path: '/waitlists',
    summary: 'Waitlist totals of a term and the most-waitlisted sections (staff dashboard)',
    tags: waitlist,
    access: 'staff',
    query: waitlistOverviewQuery,
    responses: { 200: { description: 'Overview', schema: waitlistOverviewSchema } },
    errors: ['NOT_FOUND'],
  }),
  sectionWaitlist: endpoint({
    method: 'get',
    path: '/sections/:id/waitlist',
    summary: "A section's waitlist in order (staff)",
    tags: waitlist,
    access: 'staff',
    params: idParams,
    responses: { 200: { description: 'The waitlist', schema: sectionWaitlistSchema } },
    errors: ['NOT_FOUND'],
  }),
  moveWaitlistEntry: endpoint({
    method: 'put',
    path: '/sections/:id/waitlist/:studentId',
    summary: "Move a student to another position of a section's waitlist (staff, with a reason, audited)",
    tags: waitlist,
    access: 'staff',
    params: waitlistEntryParams,
    body: moveWaitlistEntryBody,
    responses: { 200: { description: 'The waitlist after the move', schema: sectionWaitlistSchema } },
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  }),
  removeWaitlistEntry: endpoint({
    method: 'delete',
    path: '/sections/:id/waitlist/:studentId',
    summary: "Remove a student from a section's waitlist (staff, ?reason=, audited; the student is told)",
    tags: waitlist,
    access: 'staff',
    params: waitlistEntryParams,
    query: removeWaitlistEntryQuery,
    responses: { 204: { description: 'Removed' } },
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  }),
  notices: endpoint({
    method: 'get',
    path: '/notices/me',
    summary: "The caller's notices (promoted or skipped on a waitlist, auto-enrolled), newest first, and how many are unread",
    tags: waitlist,
    access: 'student',
    query: noticesQuery,
    responses: { 200: { description: 'Notices', schema: noticeListSchema } },
  }),
  readNotices: endpoint({
    method: 'post',
    path: '/notices/me/read',
    summary: "Mark the caller's notices up to an id as read",
    tags: waitlist,
    access: 'student',
    body: readNoticesBody,
    responses: { 204: { description: 'Marked' } },
  }),

  autoEnroll: endpoint({
    method: 'post',
    path: '/auto-enroll',
    summary:
      'Cart auto-enrollment (자동신청) before a REGISTRATION window opens (staff, audited): every section whose cart demand from the opening grades is at most its free seats ' +
      'enrolls its carting students the rules allow, in bounded transactions. Now (201 with the report), or at runAt (201, SCHEDULED); dryRun reports without enrolling. ' +
      'Running it again changes nothing',
    tags: autoEnroll,
    access: 'staff',
    body: autoEnrollBody,
    responses: { 201: { description: 'The run', schema: autoEnrollRunSchema } },
    errors: ['NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'],
  }),
  autoEnrollRuns: endpoint({
    method: 'get',
    path: '/auto-enroll',
    summary: 'Auto-enrollment runs, newest first (staff)',
    tags: autoEnroll,
    access: 'staff',
    responses: { 200: { description: 'Runs', schema: autoEnrollRunListSchema } },
  }),
  autoEnrollRun: endpoint({
    method: 'get',
    path: '/auto-enroll/:id',
    summary: 'One auto-enrollment run and its report (staff)',
    tags: autoEnroll,
    access: 'staff',
    params: idParams,
    responses: { 200: { description: 'The run', schema: autoEnrollRunSchema } },
    errors: ['NOT_FOUND'],
  }),
});
