import { pageQuery } from '@goorm/common';
import { z } from 'zod';

export const auditQuery = z.object({
  staffId: z.coerce.number().int().positive().optional(),
  action: z.string().trim().min(1).max(64).optional(),
  target: z.string().trim().min(1).max(128).optional(),
  ...pageQuery,
});

export const auditPageSchema = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      staffId: z.number().int(),
      action: z.string(),
      target: z.string(),
      reason: z.string(),
      details: z.unknown(),
      createdAt: z.string(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  size: z.number().int(),
});
