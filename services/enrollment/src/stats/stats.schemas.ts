import { pageQuery } from '@goorm/common';
import { z } from 'zod';

export const statsQuery = z.object({
  /** Default: the current term. */
  termId: z.coerce.number().int().positive().optional(),
  /** Only this section in `sections` and `attempts` (totals stay term-wide). */
  sectionId: z.coerce.number().int().positive().optional(),
  /** fill: enrolled/capacity; cart: cart count/capacity (competition); enrolled: head count. */
  sort: z.enum(['fill', 'cart', 'enrolled']).default('fill'),
  /** How many minutes of attempts to report, ending now. */
  minutes: z.coerce.number().int().min(1).max(1440).default(15),
  ...pageQuery,
});
export type StatsQuery = z.output<typeof statsQuery>;

const counts = z.record(z.string(), z.number().int());

export const statsSchema = z.object({
  term: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  generatedAt: z.string(),
  totals: z.object({
    sections: z.number().int(),
    capacity: z.number().int(),
    enrolled: z.number().int(),
    cartItems: z.number().int(),
    students: z.number().int(),
    fillRatio: z.number(),
  }),
  sections: z.object({
    items: z.array(
      z.object({
        sectionId: z.number().int(),
        lectureCode: z.string(),
        title: z.string(),
        sectionNo: z.number().int(),
        capacity: z.number().int(),
        enrolled: z.number().int(),
        cartCount: z.number().int(),
        fillRatio: z.number(),
        cartPressure: z.number(),
      }),
    ),
    total: z.number().int(),
    page: z.number().int(),
    size: z.number().int(),
    sort: z.string(),
  }),
  attempts: z.object({
    minutes: z.number().int(),
    since: z.string(),
    until: z.string(),
    byOutcome: counts,
    perMinute: z.array(z.object({ minute: z.string(), total: z.number().int(), outcomes: counts })),
  }),
});
