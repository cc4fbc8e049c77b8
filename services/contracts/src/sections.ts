/**
 * One section shape (ARCHITECTURE.md "Resource shapes") and its explicit variants: every answer that
 * shows a section shows `sectionCoreSchema` or a named pick/extension of it, never a shape of its own.
 */
import { z } from 'zod';
import { categorySchema, eligibilitySchema, meetingSchema } from './domain.ts';

export const lectureSummarySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  /** English title; '' when none was entered (show `title` then). */
  titleEn: z.string(),
  credits: z.number().int(),
  category: categorySchema,
  /** The owning major (department). */
  majorId: z.number().int(),
});
export type LectureSummary = z.infer<typeof lectureSummarySchema>;

export const professorSummarySchema = z.object({ id: z.number().int(), name: z.string(), nameEn: z.string() });

export const reservationSchema = z.object({
  id: z.number().int(),
  /** Seats held for students of this major; null: of any major. */
  majorId: z.number().int().nullable(),
  grades: z.array(z.number().int()),
  seats: z.number().int(),
  /** After this instant the unused reserved seats are open to everyone. */
  releaseAt: z.string(),
});
export type Reservation = z.infer<typeof reservationSchema>;

/** Every field a section has, whichever answer carries it. */
export const sectionCoreSchema = z.object({
  id: z.number().int(),
  termId: z.number().int(),
  lectureId: z.number().int(),
  sectionNo: z.number().int(),
  professorId: z.number().int(),
  capacity: z.number().int(),
  /** Seats taken (section_seat.enrolled, owned by enrollment). */
  enrolled: z.number().int(),
  /** Students holding this section in their cart (owned by carts). */
  cartCount: z.number().int(),
  room: z.string(),
  /** Grades allowed to enroll. */
  grades: z.array(z.number().int()),
  /** Majors allowed to enroll; empty: every major. */
  allowedMajorIds: z.array(z.number().int()),
  meetings: z.array(meetingSchema),
  lecture: lectureSummarySchema,
  professor: professorSummarySchema,
});

export type SectionCore = z.infer<typeof sectionCoreSchema>;

/** Variant: a search result or the section page (catalog): seats left and the reserved seats. */
export const sectionSchema = sectionCoreSchema.extend({
  seatsLeft: z.number().int(),
  reserved: z.array(reservationSchema),
});
export type Section = z.infer<typeof sectionSchema>;

/** Variant: a section in a cart: the core and the caller's eligibility for it. */
export const cartSectionSchema = sectionCoreSchema.extend({ eligibility: eligibilitySchema });
export type CartSection = z.infer<typeof cartSectionSchema>;

/** Variant: a section in a timetable: what the weekly grid and the credit sum need. */
export const timetableSectionSchema = sectionCoreSchema.pick({
  id: true,
  termId: true,
  lectureId: true,
  sectionNo: true,
  professorId: true,
  room: true,
  meetings: true,
  lecture: true,
  professor: true,
});
export type TimetableSection = z.infer<typeof timetableSectionSchema>;

/** What every section variant has in common, for code that shows any of them. */
export type AnySection = TimetableSection;
