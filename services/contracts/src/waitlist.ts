/**
 * Waitlists (대기순번제) and cart auto-enrollment (자동신청), served by the enrollment service under
 * /api/enrollments (the endpoints are declared in enrollment.ts with the rest of its API).
 *
 * A waitlist is strict FIFO by join time unless staff move an entry (audited). When a seat frees
 * (a drop, a swap, a capacity increase, a released reservation) the first waiting student for whom
 * the enrollment passes every rule is enrolled: in the same transaction as the drop or swap, within
 * a second for the others. A student the rules refuse is skipped (the skip is recorded and they are
 * told) and keeps their place, except when they hold the lecture already (their entry is removed).
 */
import { z } from 'zod';
import { timetableSectionSchema } from './sections.ts';
import { idField, idParam } from './endpoint.ts';

const int = z.number().int();
const staffReason = z.string().trim().min(1).max(500);

// ---- settings ----

export const waitlistSettingsSchema = z.object({
  /** Students may join waitlists (the promotion of existing entries goes on either way). */
  enabled: z.boolean(),
  /** Waitlists one student may be on in a term at once. */
  maxEntriesPerStudent: int.min(0).max(50),
  /**
   * Whether a waitlisted section's credits count toward the student's maximum when they join
   * another waitlist (never toward enrolling: a waitlisted seat is not a seat). Off by default.
   */
  countWaitlistedCredits: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type WaitlistSettings = z.infer<typeof waitlistSettingsSchema>;

export const waitlistSettingsBody = z.object({
  enabled: z.boolean(),
  maxEntriesPerStudent: int.min(0).max(50),
  countWaitlistedCredits: z.boolean(),
  reason: staffReason.optional(),
});
export type WaitlistSettingsBody = z.output<typeof waitlistSettingsBody>;

// ---- a student's own waitlists ----

export const joinWaitlistBody = z.object({ sectionId: idField });
export type JoinWaitlistBody = z.output<typeof joinWaitlistBody>;

export const waitlistSectionParams = z.object({ sectionId: idParam });

/** The last time the student was passed over for a freed seat, and why (a refusal code). */
export const waitlistSkipSchema = z.object({
  /** TIME_CONFLICT, CREDIT_LIMIT or NOT_ELIGIBLE: why the freed seat went to the next student. */
  code: z.string(),
  at: z.string(),
});

export const waitlistEntrySchema = z.object({
  sectionId: int,
  lectureId: int,
  studentId: int,
  /** 1 = the next freed seat is yours (if the rules still pass). */
  position: int.min(1),
  /** Students waiting on this section in all. */
  waiting: int.min(1),
  joinedAt: z.string(),
  lastSkip: waitlistSkipSchema.nullable(),
});
export type WaitlistEntry = z.infer<typeof waitlistEntrySchema>;

/** An entry with its section (timetable variant), for the student's waitlists beside the timetable. */
export const myWaitlistItemSchema = waitlistEntrySchema.extend({ section: timetableSectionSchema });
export type MyWaitlistItem = z.infer<typeof myWaitlistItemSchema>;

export const myWaitlistsSchema = z.object({
  items: z.array(myWaitlistItemSchema),
  settings: waitlistSettingsSchema.pick({ enabled: true, maxEntriesPerStudent: true, countWaitlistedCredits: true }),
});
export type MyWaitlists = z.infer<typeof myWaitlistsSchema>;

// ---- notices (in-app) ----

export const NOTICE_KINDS = ['WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'WAITLIST_REMOVED', 'AUTO_ENROLLED', 'AUTO_ENROLL_SKIPPED'] as const;
export const noticeKindSchema = z.enum(NOTICE_KINDS);
export type NoticeKind = z.infer<typeof noticeKindSchema>;

export const noticeSchema = z.object({
  id: int,
  kind: noticeKindSchema,
  sectionId: int,
  lectureCode: z.string(),
  lectureTitle: z.string(),
  sectionNo: int,
  /** The refusal code of a skip (TIME_CONFLICT, CREDIT_LIMIT, NOT_ELIGIBLE, ALREADY_ENROLLED, SECTION_FULL), else null. */
  code: z.string().nullable(),
  /** Staff's reason when staff removed the entry, else null. */
  reason: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notice = z.infer<typeof noticeSchema>;

export const noticesQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type NoticesQuery = z.output<typeof noticesQuery>;

export const noticeListSchema = z.object({ items: z.array(noticeSchema), unread: int });
export type NoticeList = z.infer<typeof noticeListSchema>;

export const readNoticesBody = z.object({
  /** Marks every notice of the caller up to and including this id as read. */
  upToId: idField,
});

// ---- staff: one section's waitlist ----

export const staffWaitlistEntrySchema = z.object({
  position: int.min(1),
  studentId: int,
  studentNo: z.string().nullable(),
  name: z.string().nullable(),
  grade: int.nullable(),
  majorId: int.nullable(),
  joinedAt: z.string(),
  lastSkip: waitlistSkipSchema.nullable(),
});
export type StaffWaitlistEntry = z.infer<typeof staffWaitlistEntrySchema>;

export const sectionWaitlistSchema = z.object({
  section: z.object({ id: int, termId: int, lectureCode: z.string(), title: z.string(), sectionNo: int, capacity: int, enrolled: int }),
  items: z.array(staffWaitlistEntrySchema),
});
export type SectionWaitlist = z.infer<typeof sectionWaitlistSchema>;

export const waitlistEntryParams = z.object({ id: idParam, studentId: idParam });

export const moveWaitlistEntryBody = z.object({
  /** The new position (1 = first); past the end means last. */
  position: idField,
  reason: staffReason,
});
export type MoveWaitlistEntryBody = z.output<typeof moveWaitlistEntryBody>;

export const removeWaitlistEntryQuery = z.object({ reason: staffReason });

export const waitlistOverviewQuery = z.object({
  /** Default: the current term. */
  termId: idParam.optional(),
  top: z.coerce.number().int().min(1).max(50).default(10),
});

export const waitlistOverviewSchema = z.object({
  termId: int,
  /** Entries on every waitlist of the term. */
  entries: int,
  /** Students on at least one waitlist. */
  students: int,
  /** Sections with at least one student waiting. */
  sections: int,
  /** The most-waitlisted sections, longest first. */
  top: z.array(
    z.object({ sectionId: int, lectureCode: z.string(), title: z.string(), sectionNo: int, capacity: int, enrolled: int, waiting: int }),
  ),
  /** Students promoted from a waitlist in the last hour, and skipped. */
  lastHour: z.object({ promoted: int, skipped: int }),
});
export type WaitlistOverview = z.infer<typeof waitlistOverviewSchema>;

// ---- cart auto-enrollment (자동신청) ----

export const AUTO_ENROLL_STATUSES = ['SCHEDULED', 'RUNNING', 'DONE', 'FAILED'] as const;
export const autoEnrollStatusSchema = z.enum(AUTO_ENROLL_STATUSES);

export const autoEnrollBody = z.object({
  /** The REGISTRATION window about to open: its term and grades decide whose carts count. */
  windowId: idField,
  /** Work out the report without enrolling anyone. */
  dryRun: z.boolean().default(false),
  /** Run at this instant instead of now (before the window opens). */
  runAt: z.iso
    .datetime({ offset: true, message: 'runAt must be an ISO 8601 date-time with a time zone' })
    .transform((s) => new Date(s))
    .optional(),
  reason: staffReason,
});
export type AutoEnrollBody = z.output<typeof autoEnrollBody>;

export const autoEnrollReportSchema = z.object({
  /** Sections some opening-grade student carts. */
  sectionsWithDemand: int,
  /** Of those, cart demand ≤ free seats (after reservations): enrolled now. */
  uncontestedSections: int,
  /** Left for the opening (the waiting room handles the race). */
  contestedSections: int,
  /** Cart items of uncontested sections (students × sections) considered. */
  considered: int,
  /** Enrollments made. */
  enrolled: int,
  /** Students who got at least one section. */
  students: int,
  /** Cart items refused by the rules, by refusal code. */
  skipped: z.record(z.string(), int),
  /** Transactions used (each at most `batchSize` students). */
  transactions: int,
  durationMs: int,
});
export type AutoEnrollReport = z.infer<typeof autoEnrollReportSchema>;

export const autoEnrollRunSchema = z.object({
  id: int,
  termId: int,
  windowId: int,
  status: autoEnrollStatusSchema,
  dryRun: z.boolean(),
  runAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  staffId: int,
  reason: z.string(),
  report: autoEnrollReportSchema.nullable(),
  error: z.string().nullable(),
});
export type AutoEnrollRun = z.infer<typeof autoEnrollRunSchema>;

export const autoEnrollRunListSchema = z.object({ items: z.array(autoEnrollRunSchema) });
