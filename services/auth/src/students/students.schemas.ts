import { z } from 'zod';
import { pageQuery } from '@goorm/common';

export const studentNoSchema = z.string().regex(/^\d{8}$/, 'must be exactly 8 digits');
export const personNameSchema = z.string().trim().min(1).max(64);
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(128);

const studentFields = {
  studentNo: studentNoSchema,
  name: personNameSchema,
  majorId: z.number().int().positive(),
  grade: z.number().int().min(1).max(4),
};
const maxCreditsSchema = z.number().int().min(1).max(30);

export const createStudentBody = z.object({
  ...studentFields,
  maxCredits: maxCreditsSchema.default(18),
  password: passwordSchema,
});
export type CreateStudentInput = z.output<typeof createStudentBody>;

/** Same fields as create; `password` resets it when given, `maxCredits` keeps the stored value when left out. */
export const updateStudentBody = z.object({
  ...studentFields,
  maxCredits: maxCreditsSchema.optional(),
  password: passwordSchema.optional(),
});
export type UpdateStudentInput = z.output<typeof updateStudentBody>;

export const listStudentsQuery = z.object({
  /** Part of the name or of the student number. */
  q: z.string().trim().max(64).optional(),
  majorId: z.coerce.number().int().positive().optional(),
  grade: z.coerce.number().int().min(1).max(4).optional(),
  ...pageQuery,
});
export type ListStudentsQuery = z.output<typeof listStudentsQuery>;

export const studentSchema = z.object({
  id: z.number().int(),
  studentNo: z.string(),
  name: z.string(),
  majorId: z.number().int(),
  grade: z.number().int(),
  maxCredits: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Student = z.output<typeof studentSchema>;

export const studentPageSchema = z.object({
  items: z.array(studentSchema),
  total: z.number().int(),
  page: z.number().int(),
  size: z.number().int(),
});
