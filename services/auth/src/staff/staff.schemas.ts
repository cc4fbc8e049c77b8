import { z } from 'zod';
import { pageQuery } from '@goorm/common';
import { passwordSchema, personNameSchema } from '../students/students.schemas.ts';

/** Lower-cased so that login ids compare the same on MySQL (case-insensitive collation) and SQLite. */
export const staffLoginIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, '3–64 characters: letters, digits, ".", "_" or "-"');

export const createStaffBody = z.object({
  loginId: staffLoginIdSchema,
  name: personNameSchema,
  password: passwordSchema,
});
export type CreateStaffInput = z.output<typeof createStaffBody>;

/** Same fields as create; `password` resets it when given. */
export const updateStaffBody = z.object({
  loginId: staffLoginIdSchema,
  name: personNameSchema,
  password: passwordSchema.optional(),
});
export type UpdateStaffInput = z.output<typeof updateStaffBody>;

export const listStaffQuery = z.object({
  /** Part of the name or of the login id. */
  q: z.string().trim().max(64).optional(),
  ...pageQuery,
});
export type ListStaffQuery = z.output<typeof listStaffQuery>;

export const staffSchema = z.object({
  id: z.number().int(),
  loginId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Staff = z.output<typeof staffSchema>;

export const staffPageSchema = z.object({
  items: z.array(staffSchema),
  total: z.number().int(),
  page: z.number().int(),
  size: z.number().int(),
});
