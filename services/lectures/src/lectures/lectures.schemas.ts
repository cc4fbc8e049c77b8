import { pageQuery } from '@goorm/common';
import { z } from 'zod';

/** 전공필수, 전공선택, 교양 */
export const CATEGORIES = ['MAJOR_REQUIRED', 'MAJOR_ELECTIVE', 'GENERAL'] as const;
export const categorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof categorySchema>;

export const lectureCode = z.string().trim().regex(/^[A-Z]{2,4}\d{4}$/, 'expected 2 to 4 capital letters and 4 digits, like CSE2010');

export const lectureSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  titleEn: z.string(),
  credits: z.number().int(),
  category: categorySchema,
  majorId: z.number().int(),
  description: z.string().nullable(),
});
export type Lecture = z.infer<typeof lectureSchema>;

export const lectureBody = z.object({
  code: lectureCode,
  title: z.string().trim().min(1).max(128),
  titleEn: z.string().trim().max(160).default(''),
  credits: z.number().int().min(1).max(4),
  category: categorySchema,
  majorId: z.number().int().positive(),
  description: z.string().trim().max(4000).nullable().default(null),
});
export type LectureInput = z.infer<typeof lectureBody>;

export const lectureQuery = z.object({
  /** Substring of the code, the Korean or the English title. */
  q: z.string().trim().max(64).optional(),
  majorId: z.coerce.number().int().positive().optional(),
  category: categorySchema.optional(),
  credits: z.coerce.number().int().min(1).max(4).optional(),
  ...pageQuery,
});
export type LectureQuery = z.infer<typeof lectureQuery>;

export const lecturePage = z.object({
  items: z.array(lectureSchema),
  total: z.number().int(),
  page: z.number().int(),
  size: z.number().int(),
});
