import { z } from 'zod';

export const majorSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  college: z.string(),
  isGeneralEducation: z.boolean(),
});
export type Major = z.infer<typeof majorSchema>;

export const majorBody = z.object({
  /** The prefix of its lecture codes: CSE for CSE2010. */
  code: z.string().trim().regex(/^[A-Z]{2,4}$/, 'expected 2 to 4 capital letters, like CSE'),
  name: z.string().trim().min(1).max(64),
  nameEn: z.string().trim().min(1).max(96),
  college: z.string().trim().min(1).max(64),
  isGeneralEducation: z.boolean().default(false),
});
export type MajorInput = z.infer<typeof majorBody>;

export const majorQuery = z.object({
  college: z.string().trim().min(1).max(64).optional(),
  generalEducation: z.stringbool().optional(),
});
export type MajorQuery = z.infer<typeof majorQuery>;

export const majorList = z.object({ items: z.array(majorSchema) });
