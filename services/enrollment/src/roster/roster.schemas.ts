import { z } from 'zod';

export const rosterParams = z.object({ id: z.coerce.number().int().positive() });

export const rosterQuery = z.object({
  /** csv, or json (default); `Accept: text/csv` also selects CSV. */
  format: z.enum(['json', 'csv']).optional(),
});

export const rosterSchema = z.object({
  section: z.object({
    id: z.number().int(),
    termId: z.number().int(),
    lectureCode: z.string(),
    title: z.string(),
    sectionNo: z.number().int(),
    capacity: z.number().int(),
    enrolled: z.number().int(),
  }),
  items: z.array(
    z.object({
      studentId: z.number().int(),
      studentNo: z.string().nullable(),
      name: z.string().nullable(),
      majorId: z.number().int().nullable(),
      grade: z.number().int().nullable(),
      enrolledAt: z.string(),
    }),
  ),
});
