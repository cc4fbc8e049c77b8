import { z } from 'zod';
import { PHASES } from './windows.repository.ts';

const instant = (name: string) =>
  z.iso
    .datetime({ offset: true, message: `${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-02-10T10:00:00+09:00` })
    .transform((s) => new Date(s));

export const windowIdParams = z.object({ id: z.coerce.number().int().positive() });

export const listWindowsQuery = z.object({
  termId: z.coerce.number().int().positive().optional(),
});

export const windowBody = z
  .object({
    termId: z.number().int().positive(),
    phase: z.enum(PHASES),
    grades: z
      .array(z.number().int().min(1).max(4))
      .min(1, 'at least one grade')
      .refine((g) => new Set(g).size === g.length, 'grades must be unique'),
    opensAt: instant('opensAt'),
    closesAt: instant('closesAt'),
    /** Why (kept in the audit log); defaults to "window change". */
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((b) => !(b.opensAt instanceof Date && b.closesAt instanceof Date) || b.closesAt.getTime() > b.opensAt.getTime(), { path: ['closesAt'], message: 'closesAt must be after opensAt' });
export type WindowBody = z.output<typeof windowBody>;

export const deleteWindowQuery = z.object({
  reason: z.string().trim().min(1).max(500).optional(),
});

export const windowSchema = z.object({
  id: z.number().int(),
  termId: z.number().int(),
  phase: z.enum(PHASES),
  grades: z.array(z.number().int()),
  opensAt: z.string(),
  closesAt: z.string(),
});

export const windowListSchema = z.object({
  items: z.array(windowSchema),
  /** The server's clock, so clients can correct theirs before a window opens. */
  serverTime: z.string(),
});
