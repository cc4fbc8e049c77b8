import { z } from 'zod';

export const addItemBody = z.object({
  sectionId: z.number().int().positive(),
});

export const sectionIdParams = z.object({
  sectionId: z.coerce.number().int().positive(),
});

const meeting = z.object({ day: z.string(), startPeriod: z.number().int(), endPeriod: z.number().int() });

export const cartItemSchema = z.object({
  sectionId: z.number().int(),
  addedAt: z.string(),
  section: z.object({
    id: z.number().int(),
    sectionNo: z.number().int(),
    room: z.string(),
    capacity: z.number().int(),
    enrolled: z.number().int(),
    cartCount: z.number().int(),
    meetings: z.array(meeting),
    professor: z.object({ id: z.number().int(), name: z.string() }),
    lecture: z.object({ id: z.number().int(), code: z.string(), title: z.string(), credits: z.number().int(), category: z.string() }),
  }),
});

export const cartSchema = z.object({
  items: z.array(cartItemSchema),
  totalCredits: z.number().int(),
  creditLimit: z.number().int(),
});

export const addedSchema = z.object({
  sectionId: z.number().int(),
  addedAt: z.string(),
  totalCredits: z.number().int(),
  creditLimit: z.number().int(),
});
