import { pageQuery } from '@goorm/common';
import { z } from 'zod';

export const professorSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  nameEn: z.string(),
  majorId: z.number().int(),
  email: z.string().nullable(),
});
export type Professor = z.infer<typeof professorSchema>;

export const professorBody = z.object({
  name: z.string().trim().min(1).max(64),
  nameEn: z.string().trim().max(96).default(''),
  majorId: z.number().int().positive(),
  email: z.email().max(128).nullable().default(null),
});
export type ProfessorInput = z.infer<typeof professorBody>;

export const professorQuery = z.object({
  /** Substring of the Korean or English name. */
  q: z.string().trim().max(64).optional(),
  majorId: z.coerce.number().int().positive().optional(),
  ...pageQuery,
});
export type ProfessorQuery = z.infer<typeof professorQuery>;

export const professorPage = z.object({
  items: z.array(professorSchema),
  total: z.number().int(),
  page: z.number().int(),
  size: z.number().int(),
});
