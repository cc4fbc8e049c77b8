/**
 * Every stable error code of the API, with its HTTP status, its title and the schema of the members
 * its RFC 9457 problem document carries beside the standard ones (`conflict`, `credits`, `errors`, …).
 * The services raise them typed (`new AppError(code, {extra})` in @goorm/common), the client reads them
 * typed (`ApiError.is(code)`), and OpenAPI documents them from this table.
 */
import { z } from 'zod';
import { daySchema, ineligibilityReasonSchema, phaseSchema } from './domain.ts';

export const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;
const fieldErrors = z.array(fieldErrorSchema);

/** The section a refusal names: the one already held (ALREADY_ENROLLED) or already in the cart (DUPLICATE). */
export const heldSectionSchema = z.object({
  sectionId: z.number().int(),
  lectureId: z.number().int().optional(),
  lectureCode: z.string().optional(),
  lectureTitle: z.string().optional(),
  sectionNo: z.number().int().optional(),
});

/** The enrolled section whose meeting a new section overlaps. */
export const timeConflictSchema = z.object({
  sectionId: z.number().int(),
  lectureCode: z.string(),
  lectureTitle: z.string(),
  sectionNo: z.number().int(),
  day: daySchema,
  startPeriod: z.number().int(),
  endPeriod: z.number().int(),
});

/** The section whose professor or room is already busy at a meeting of the section being written. */
export const scheduleConflictSchema = z.object({
  sectionId: z.number().int(),
  lectureCode: z.string(),
  sectionNo: z.number().int(),
  day: daySchema,
  startPeriod: z.number().int(),
  endPeriod: z.number().int(),
  reason: z.enum(['PROFESSOR', 'ROOM']),
});
export type ScheduleConflict = z.infer<typeof scheduleConflictSchema>;

/** An enrollment window (the resource; a clash of two windows names the existing one). */
export const windowSchema = z.object({
  id: z.number().int(),
  termId: z.number().int(),
  phase: phaseSchema,
  grades: z.array(z.number().int()),
  opensAt: z.string(),
  closesAt: z.string(),
});
export type EnrollmentWindow = z.infer<typeof windowSchema>;

export const QUEUE_REFUSAL_REASONS = ['missing', 'invalid', 'expired', 'other-student'] as const;

const def = <const S extends number, const X extends z.ZodRawShape = Record<never, never>>(status: S, title: string, extension?: X) => ({
  status,
  title,
  extension: z.object((extension ?? {}) as X),
});

export const ERRORS = {
  VALIDATION_FAILED: def(400, 'The request is not valid', { errors: fieldErrors }),
  UNAUTHENTICATED: def(401, 'Sign-in required'),
  FORBIDDEN: def(403, 'Not allowed'),
  WINDOW_CLOSED: def(403, 'The enrollment window is not open'),
  NOT_ELIGIBLE: def(403, 'Not eligible for this section', { reason: ineligibilityReasonSchema.optional() }),
  NOT_FOUND: def(404, 'Not found'),
  METHOD_NOT_ALLOWED: def(405, 'Method not allowed'),
  CONFLICT: def(409, 'Conflict', {
    errors: fieldErrors.optional(),
    /** A window of the same term and phase overlapping for a shared grade: the first, and all of them. */
    conflict: windowSchema.optional(),
    conflicts: z.array(windowSchema).optional(),
  }),
  DUPLICATE: def(409, 'Already exists', { field: z.string().optional(), errors: fieldErrors.optional(), conflict: heldSectionSchema.optional() }),
  SECTION_FULL: def(409, 'The section is full'),
  ALREADY_ENROLLED: def(409, 'Already enrolled in this lecture', { conflict: heldSectionSchema }),
  TIME_CONFLICT: def(409, 'Meeting times overlap', { conflict: timeConflictSchema }),
  CREDIT_LIMIT: def(409, 'Credit limit exceeded', {
    credits: z.object({ current: z.number().int(), adding: z.number().int(), max: z.number().int() }),
  }),
  SCHEDULE_CONFLICT: def(409, 'Schedule conflict', { conflict: scheduleConflictSchema, errors: fieldErrors }),
  CAPACITY_BELOW_ENROLLED: def(409, 'Capacity below current enrollment', { enrolled: z.number().int().optional(), errors: fieldErrors }),
  IN_USE: def(409, 'Still in use', { usedBy: z.record(z.string(), z.number().int()).optional(), errors: fieldErrors.optional() }),
  CART_LIMIT: def(409, 'Cart limit exceeded', { creditLimit: z.number().int(), totalCredits: z.number().int(), credits: z.number().int() }),
  IDEMPOTENCY_CONFLICT: def(409, 'Idempotency key reused with a different request'),
  SEATS_AVAILABLE: def(409, 'The section has free seats: register instead of joining its waitlist'),
  WAITLIST_LIMIT: def(409, 'Waitlist limit reached', { limit: z.number().int() }),
  WAITLIST_DISABLED: def(403, 'Waitlists are turned off'),
  PAYLOAD_TOO_LARGE: def(413, 'Request body too large'),
  UNSUPPORTED_MEDIA_TYPE: def(415, 'Unsupported media type'),
  QUEUE_REQUIRED: def(428, 'Admission through the waiting room is required', { reason: z.enum(QUEUE_REFUSAL_REASONS), queue: z.string() }),
  RATE_LIMITED: def(429, 'Too many requests', { limit: z.string().optional(), retryAfterSeconds: z.number().optional() }),
  INTERNAL: def(500, 'Internal server error'),
  SERVICE_UNAVAILABLE: def(503, 'Service unavailable'),
} as const;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];
export const ERROR_STATUS = Object.fromEntries(ERROR_CODES.map((c) => [c, ERRORS[c].status])) as { [C in ErrorCode]: (typeof ERRORS)[C]['status'] };

/** The members a problem of this code carries beyond the standard ones. */
// zod infers an empty object as `Record<string, never>`, which no problem document could satisfy: no members is `{}`.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type NoIndex<T> = string extends keyof T ? {} : T;
export type ProblemExtension<C extends ErrorCode> = NoIndex<z.infer<(typeof ERRORS)[C]['extension']>>;

const problemBase = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
});

const problemSchemas = Object.fromEntries(
  ERROR_CODES.map((code) => [code, problemBase.extend({ code: z.literal(code) }).extend(ERRORS[code].extension.shape)]),
) as unknown as { [C in ErrorCode]: z.ZodObject };

/** The whole problem document of one code. */
export const problemSchemaOf = (code: ErrorCode): z.ZodObject => problemSchemas[code];

/** Any problem document of the API, told apart by `code`. */
export const problemSchema = z.discriminatedUnion(
  'code',
  ERROR_CODES.map((c) => problemSchemas[c]) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export type Problem<C extends ErrorCode = ErrorCode> = C extends ErrorCode
  ? z.infer<typeof problemBase> & { code: C } & ProblemExtension<C>
  : never;

export const isErrorCode = (v: unknown): v is ErrorCode => typeof v === 'string' && Object.hasOwn(ERRORS, v);

/** The problem `type` URI of a code. */
export const problemType = (code: ErrorCode) => `https://registration.goorm.ac.kr/problems/${code.toLowerCase().replaceAll('_', '-')}`;
