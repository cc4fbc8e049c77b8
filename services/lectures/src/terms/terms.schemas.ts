import { z } from 'zod';

export const termSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  isCurrent: z.boolean(),
});
export type Term = z.infer<typeof termSchema>;

export const termBody = z
  .object({
    /** 2026-1, 2026-2, 2026-S (여름계절), 2026-W (겨울계절) */
    code: z.string().trim().regex(/^\d{4}-(1|2|S|W)$/, 'expected a year and 1, 2, S or W, like 2026-1'),
    name: z.string().trim().min(1).max(64),
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
    /** Making a term current makes every other term not current (exactly one current term). */
    isCurrent: z.boolean().optional(),
  })
  .refine((t) => t.endsOn >= t.startsOn, { path: ['endsOn'], message: 'must not be before startsOn' });
export type TermInput = z.infer<typeof termBody>;

export const termList = z.object({ items: z.array(termSchema) });
