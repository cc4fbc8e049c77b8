import { z } from 'zod';
import { QUEUE_MODES } from './queue.room.ts';

export const ticketParams = z.object({
  ticket: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'not a queue ticket'),
});

export const queuePlaceSchema = z.object({
  ticket: z.string().describe('Signed; the same in every tab. Poll GET /queue/{ticket} with the latest one received'),
  position: z.number().int().min(0).describe('Waiting ahead of you plus you (1 = next); 0 once admitted'),
  etaSeconds: z.number().int().min(0),
  admitted: z.boolean(),
  admissionToken: z.string().optional().describe('Send as X-Admission-Token with POST /api/enrollments'),
  admissionExpiresAt: z.string().optional(),
  active: z.boolean().describe('Whether the waiting room is active (inactive: no token needed)'),
});

export const settingsBody = z.object({
  mode: z.enum(QUEUE_MODES).describe('auto: active after a REGISTRATION or ADD_DROP window opens; on / off: staff override'),
  ratePerSecond: z.coerce.number().min(0.1).max(100_000).describe('Students admitted per second'),
  adaptive: z.boolean().describe('Let the controller move the rate with enroll latency and errors'),
  reason: z.string().trim().min(1).max(500).optional(),
});
export type SettingsBody = z.output<typeof settingsBody>;

export const settingsSchema = z.object({
  mode: z.enum(QUEUE_MODES),
  ratePerSecond: z.number(),
  adaptive: z.boolean(),
  updatedAt: z.string().optional(),
});

export const overviewSchema = settingsSchema.extend({
  active: z.boolean(),
  waiting: z.number().int(),
  admitted: z.number().int(),
});
