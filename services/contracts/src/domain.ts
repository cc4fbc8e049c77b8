/**
 * Domain vocabulary both sides need (ARCHITECTURE.md "Vocabulary"): days, periods (교시), meetings
 * and their overlap, grades (학년) and their bit mask, phases, categories, roles, eligibility.
 */
import { z } from 'zod';

export const ROLES = ['student', 'staff'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export const daySchema = z.enum(DAYS);
export type Day = z.infer<typeof daySchema>;

/** 교시: a day has periods 1..15. */
export const MAX_PERIOD = 15;
export const periodSchema = z.number().int().min(1).max(MAX_PERIOD);

/** One weekly meeting: a day and a run of periods (inclusive). */
export const meetingSchema = z.object({ day: daySchema, startPeriod: z.number().int(), endPeriod: z.number().int() });
export type Meeting = z.infer<typeof meetingSchema>;

/** A meeting as staff write it: periods in range, start not after end. */
export const meetingInput = z
  .object({ day: daySchema, startPeriod: periodSchema, endPeriod: periodSchema })
  .refine((m) => m.startPeriod <= m.endPeriod, { path: ['endPeriod'], message: 'must not be before startPeriod' });

/** Two meetings overlap when they share a day and at least one period. */
export function meetingsOverlap(a: Meeting, b: Meeting): boolean {
  return a.day === b.day && a.startPeriod <= b.endPeriod && b.startPeriod <= a.endPeriod;
}

/** The first pair of overlapping meetings of two meeting lists, if any. */
export function firstClash<M extends Meeting>(a: readonly M[], b: readonly Meeting[]): M | undefined {
  return a.find((m) => b.some((n) => meetingsOverlap(m, n)));
}

export const PHASES = ['CART', 'REGISTRATION', 'ADD_DROP'] as const;
export const phaseSchema = z.enum(PHASES);
export type Phase = z.infer<typeof phaseSchema>;
/** Phases in which students add, drop and swap sections. */
export const ENROLL_PHASES: readonly Phase[] = ['REGISTRATION', 'ADD_DROP'];

/** 전공필수, 전공선택, 교양 */
export const CATEGORIES = ['MAJOR_REQUIRED', 'MAJOR_ELECTIVE', 'GENERAL'] as const;
export const categorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof categorySchema>;

/** Grades (학년) 1..4; stored as a bit mask: bit (g-1) set = grade g, 15 = every grade. */
export const ALL_GRADES = [1, 2, 3, 4] as const;
export const ALL_GRADES_MASK = 15;
export const gradeSchema = z.number().int().min(1).max(4);
export const gradesSchema = z
  .array(gradeSchema)
  .min(1, 'at least one grade')
  .max(4)
  .refine((g) => new Set(g).size === g.length, 'grades must not repeat');

export const gradeBit = (grade: number): number => 1 << (grade - 1);
export const gradesToMask = (grades: readonly number[]): number => grades.reduce((mask, g) => mask | gradeBit(g), 0);
export const maskToGrades = (mask: number): number[] => ALL_GRADES.filter((g) => (Number(mask) & gradeBit(g)) !== 0);

/** Why a student may not take a section. */
export const INELIGIBILITY_REASONS = ['MAJOR_RESTRICTED', 'GRADE_RESTRICTED'] as const;
export const ineligibilityReasonSchema = z.enum(INELIGIBILITY_REASONS);
export type IneligibilityReason = z.infer<typeof ineligibilityReasonSchema>;

/** The caller's eligibility for a section: `eligible` null when the caller is not a student with a known major and grade. */
export const eligibilitySchema = z.object({
  eligible: z.boolean().nullable(),
  reason: ineligibilityReasonSchema.optional(),
});
export type Eligibility = z.infer<typeof eligibilitySchema>;

export interface Restrictions {
  /** Grades allowed. */
  grades: readonly number[];
  /** Majors allowed; empty: every major. */
  allowedMajorIds: readonly number[];
}

/** The enrollment rule "eligible" (major restriction first, then grade), for one student. */
export function eligibilityOf(section: Restrictions, student: { majorId: number; grade: number } | undefined): Eligibility {
  if (!student) return { eligible: null };
  if (section.allowedMajorIds.length > 0 && !section.allowedMajorIds.includes(student.majorId)) {
    return { eligible: false, reason: 'MAJOR_RESTRICTED' };
  }
  if (!section.grades.includes(student.grade)) return { eligible: false, reason: 'GRADE_RESTRICTED' };
  return { eligible: true };
}
