import { z } from 'zod';
import { ROLES } from '@goorm/common';

export const loginBody = z.object({
  role: z.enum(ROLES),
  /** Student number for students, login id for staff. */
  loginId: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
});
export type LoginInput = z.output<typeof loginBody>;

export const studentUserSchema = z.object({
  id: z.number().int(),
  role: z.literal('student'),
  studentNo: z.string(),
  name: z.string(),
  majorId: z.number().int(),
  grade: z.number().int(),
  maxCredits: z.number().int(),
});
export const staffUserSchema = z.object({
  id: z.number().int(),
  role: z.literal('staff'),
  loginId: z.string(),
  name: z.string(),
});
export const userSchema = z.discriminatedUnion('role', [studentUserSchema, staffUserSchema]);
export type User = z.output<typeof userSchema>;

export const loginResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: z.string(),
  user: userSchema,
});
export type LoginResult = z.output<typeof loginResponse>;
