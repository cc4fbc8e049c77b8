import { z } from 'zod';

const id = z.coerce.number().int().positive();
const reason = z.string().trim().min(1).max(1000);

/** A student sends {sectionId}; staff add {studentId, reason, allowOverCapacity?} for an override. */
export const enrollBody = z.object({
  sectionId: id,
  studentId: id.optional(),
  reason: reason.optional(),
  allowOverCapacity: z.boolean().optional(),
});

export const sectionParams = z.object({ sectionId: id });

/** Staff drop a student's section with ?studentId=&reason=. */
export const dropQuery = z.object({
  studentId: id.optional(),
  reason: reason.optional(),
});

export const swapBody = z
  .object({ fromSectionId: id, toSectionId: id })
  .refine((b) => b.fromSectionId !== b.toSectionId, { message: 'fromSectionId and toSectionId must differ', path: ['toSectionId'] });

export const studentParams = z.object({ studentId: id });

const credits = { totalCredits: z.number().int(), maxCredits: z.number().int() };

export const enrolledSchema = z.object({
  sectionId: z.number().int(),
  lectureId: z.number().int(),
  studentId: z.number().int(),
  createdAt: z.string(),
  ...credits,
});

export const droppedSchema = z.object({
  sectionId: z.number().int(),
  lectureId: z.number().int(),
  studentId: z.number().int(),
  droppedAt: z.string(),
  ...credits,
});

export const swappedSchema = z.object({
  dropped: z.object({ sectionId: z.number().int(), lectureId: z.number().int() }),
  enrolled: z.object({ sectionId: z.number().int(), lectureId: z.number().int(), studentId: z.number().int(), createdAt: z.string() }),
  ...credits,
});

const meeting = z.object({ day: z.string(), startPeriod: z.number().int(), endPeriod: z.number().int() });

export const timetableSchema = z.object({
  items: z.array(
    z.object({
      sectionId: z.number().int(),
      lectureId: z.number().int(),
      studentId: z.number().int(),
      createdAt: z.string(),
      section: z.object({ sectionNo: z.number().int(), room: z.string(), professorName: z.string(), meetings: z.array(meeting) }),
      lecture: z.object({ code: z.string(), title: z.string(), credits: z.number().int(), category: z.string() }),
    }),
  ),
  ...credits,
});

export const decisionHeaders = {
  'Idempotency-Key': { description: 'Makes a retry return the first answer and change nothing (per caller; 1-128 of A-Z a-z 0-9 . _ : -)' },
};
export const admissionHeaders = {
  ...decisionHeaders,
  'X-Admission-Token': { description: 'Waiting-room admission token, required while the waiting room is active' },
};
