import { pageQuery } from '@goorm/common';
import { z } from 'zod';
import { categorySchema } from '../lectures/lectures.schemas.ts';

export const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export const daySchema = z.enum(DAYS);
export type Day = z.infer<typeof daySchema>;
/** 교시: a day has periods 1..15. */
export const MAX_PERIOD = 15;

const id = z.number().int().positive();
const period = z.number().int().min(1).max(MAX_PERIOD);
const unique = (xs: readonly unknown[]) => new Set(xs).size === xs.length;

export const gradesSchema = z
  .array(z.number().int().min(1).max(4))
  .min(1)
  .max(4)
  .refine(unique, 'grades must not repeat');

export const meetingSchema = z
  .object({ day: daySchema, startPeriod: period, endPeriod: period })
  .refine((m) => m.startPeriod <= m.endPeriod, { path: ['endPeriod'], message: 'must not be before startPeriod' });
export type Meeting = z.infer<typeof meetingSchema>;

export const reservedBody = z.object({
  /**
   * On update, the reservation to change (its id is what enrollment counts seats against). Without
   * an id, an existing reservation of the same major and grades is kept and changed; else a new one.
   * Ignored when creating a section.
   */
  id: id.optional(),
  /** Seats held for students of this major; null: of any major. */
  majorId: id.nullable().default(null),
  /** ... and of these grades. */
  grades: gradesSchema.default([1, 2, 3, 4]),
  seats: z.number().int().min(1).max(500),
  /** After this instant the unused reserved seats are open to everyone. */
  releaseAt: z.iso.datetime({ offset: true }),
});

export function meetingsOverlap(a: Meeting, b: Meeting): boolean {
  return a.day === b.day && a.startPeriod <= b.endPeriod && b.startPeriod <= a.endPeriod;
}

export const sectionBody = z
  .object({
    termId: id,
    lectureId: id,
    sectionNo: z.number().int().min(1).max(999),
    professorId: id,
    capacity: z.number().int().min(1).max(500),
    room: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .transform((r) => r.replace(/\s+/g, ' ')),
    /** Grades allowed to enroll; default every grade. */
    grades: gradesSchema.default([1, 2, 3, 4]),
    /** Majors allowed to enroll; empty: open to every major. */
    allowedMajorIds: z.array(id).max(50).refine(unique, 'majors must not repeat').default([]),
    meetings: z.array(meetingSchema).min(1).max(5),
    reserved: z.array(reservedBody).max(10).default([]),
  })
  .superRefine((s, ctx) => {
    s.meetings.forEach((m, j) => {
      const i = s.meetings.findIndex((other, k) => k < j && meetingsOverlap(other, m));
      if (i >= 0) {
        ctx.addIssue({ code: 'custom', path: ['meetings', j], message: `overlaps meetings.${i} of the same section` });
      }
    });
    const reservedSeats = s.reserved.reduce((n, r) => n + r.seats, 0);
    if (reservedSeats > s.capacity) {
      ctx.addIssue({ code: 'custom', path: ['reserved'], message: `reserves ${reservedSeats} seats, more than the capacity ${s.capacity}` });
    }
  });
export type SectionInput = z.infer<typeof sectionBody>;

export const SORT_KEYS = ['code', 'title', 'credits', 'capacity', 'seatsLeft'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const optionalId = z.coerce.number().int().positive().optional();

/** Empty query parameters (`?q=&majorId=`) are dropped before this runs (see app.ts). */
export const sectionQuery = z.object({
  /** Korean or English keyword(s); every word must match the title, English title, code or professor. */
  q: z.string().trim().max(100).optional(),
  /** Default: the current term. */
  termId: optionalId,
  /** The lecture's owning major. */
  majorId: optionalId,
  lectureId: optionalId,
  professorId: optionalId,
  /** true: lectures of general-education departments (교양) only; false: none of them. */
  generalEducation: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  category: categorySchema.optional(),
  credits: z.coerce.number().int().min(1).max(4).optional(),
  /** Sections with a meeting on this day (with `period`: that period on that day). */
  day: z
    .enum([...DAYS, ...DAYS.map((d) => d.toLowerCase())])
    .transform((d) => d.toUpperCase() as Day)
    .optional(),
  /** Sections with a meeting covering this period. */
  period: z.coerce.number().int().min(1).max(MAX_PERIOD).optional(),
  /** Sections open to this grade. */
  grade: z.coerce.number().int().min(1).max(4).optional(),
  /** Substring of the professor's Korean or English name. */
  professor: z.string().trim().max(64).optional(),
  sort: z.enum(SORT_KEYS).default('code'),
  /** Default asc for code, title, credits; desc for capacity and seatsLeft. Ties: code, then section number. */
  order: z.enum(['asc', 'desc']).optional(),
  ...pageQuery,
});
export type SectionQuery = z.infer<typeof sectionQuery>;

export const exportQuery = z.object({ termId: optionalId });

export const sectionSchema = z.object({
  id: z.number().int(),
  termId: z.number().int(),
  lectureId: z.number().int(),
  sectionNo: z.number().int(),
  professorId: z.number().int(),
  capacity: z.number().int(),
  /** Seats taken (section_seat.enrolled, owned by enrollment). */
  enrolled: z.number().int(),
  seatsLeft: z.number().int(),
  /** Students holding this section in their cart (owned by carts). */
  cartCount: z.number().int(),
  room: z.string(),
  grades: z.array(z.number().int()),
  allowedMajorIds: z.array(z.number().int()),
  meetings: z.array(z.object({ day: daySchema, startPeriod: z.number().int(), endPeriod: z.number().int() })),
  reserved: z.array(
    z.object({
      id: z.number().int(),
      majorId: z.number().int().nullable(),
      grades: z.array(z.number().int()),
      seats: z.number().int(),
      releaseAt: z.string(),
    }),
  ),
  lecture: z.object({
    id: z.number().int(),
    code: z.string(),
    title: z.string(),
    titleEn: z.string(),
    credits: z.number().int(),
    category: categorySchema,
    majorId: z.number().int(),
  }),
  professor: z.object({ id: z.number().int(), name: z.string(), nameEn: z.string() }),
});
export type Section = z.infer<typeof sectionSchema>;

export const sectionPage = z.object({
  items: z.array(sectionSchema),
  total: z.number().int(),
  page: z.number().int(),
  size: z.number().int(),
});

export const importResult = z.object({ created: z.number().int(), updated: z.number().int() });

export const scheduleConflictSchema = z.object({
  sectionId: z.number().int(),
  lectureCode: z.string(),
  sectionNo: z.number().int(),
  day: daySchema,
  startPeriod: z.number().int(),
  endPeriod: z.number().int(),
  reason: z.enum(['PROFESSOR', 'ROOM']),
});
export type ScheduleConflict = z.infer<typeof scheduleConflictSchema>;
