import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  ERRORS,
  eligibilityOf,
  firstClash,
  gradesSchema,
  gradesToMask,
  maskToGrades,
  meetingInput,
  meetingsOverlap,
  problemSchema,
  percentParts,
  registrationWindowOf,
  spanParts,
  problemSchemaOf,
} from '../src/index.ts';

describe('meetings', () => {
  it.each([
    [{ day: 'MON', startPeriod: 1, endPeriod: 2 }, { day: 'MON', startPeriod: 2, endPeriod: 3 }, true],
    [{ day: 'MON', startPeriod: 1, endPeriod: 2 }, { day: 'MON', startPeriod: 3, endPeriod: 4 }, false],
    [{ day: 'MON', startPeriod: 1, endPeriod: 5 }, { day: 'MON', startPeriod: 2, endPeriod: 3 }, true],
    [{ day: 'MON', startPeriod: 1, endPeriod: 2 }, { day: 'TUE', startPeriod: 1, endPeriod: 2 }, false],
  ] as const)('%o and %o overlap: %s', (a, b, expected) => {
    expect(meetingsOverlap(a, b)).toBe(expected);
    expect(meetingsOverlap(b, a)).toBe(expected);
  });

  it('finds the first meeting of one list that clashes with another list', () => {
    const mine = [
      { day: 'TUE', startPeriod: 1, endPeriod: 2 },
      { day: 'THU', startPeriod: 5, endPeriod: 6 },
    ] as const;
    expect(firstClash(mine, [{ day: 'THU', startPeriod: 6, endPeriod: 7 }])).toEqual(mine[1]);
    expect(firstClash(mine, [{ day: 'WED', startPeriod: 1, endPeriod: 9 }])).toBeUndefined();
  });

  it('refuses a written meeting that ends before it starts or leaves the 15 periods', () => {
    expect(meetingInput.safeParse({ day: 'MON', startPeriod: 3, endPeriod: 2 }).success).toBe(false);
    expect(meetingInput.safeParse({ day: 'MON', startPeriod: 1, endPeriod: 16 }).success).toBe(false);
    expect(meetingInput.safeParse({ day: 'SUN', startPeriod: 1, endPeriod: 1 }).success).toBe(false);
    expect(meetingInput.safeParse({ day: 'SAT', startPeriod: 1, endPeriod: 15 }).success).toBe(true);
  });
});

describe('grades', () => {
  it('round-trips grades through the stored bit mask', () => {
    expect(gradesToMask([1, 2, 3, 4])).toBe(15);
    expect(gradesToMask([3, 4])).toBe(0b1100);
    expect(maskToGrades(0b0101)).toEqual([1, 3]);
  });
  it('refuses repeated or out-of-range grades', () => {
    expect(gradesSchema.safeParse([1, 1]).success).toBe(false);
    expect(gradesSchema.safeParse([0]).success).toBe(false);
    expect(gradesSchema.safeParse([]).success).toBe(false);
  });
});

describe('eligibility', () => {
  const student = { majorId: 7, grade: 2 };
  it('is unknown without a student, refused for another major first, then for another grade', () => {
    expect(eligibilityOf({ grades: [1], allowedMajorIds: [3] }, undefined)).toEqual({ eligible: null });
    expect(eligibilityOf({ grades: [1], allowedMajorIds: [3] }, student)).toEqual({ eligible: false, reason: 'MAJOR_RESTRICTED' });
    expect(eligibilityOf({ grades: [1], allowedMajorIds: [] }, student)).toEqual({ eligible: false, reason: 'GRADE_RESTRICTED' });
    expect(eligibilityOf({ grades: [2, 3], allowedMajorIds: [7, 3] }, student)).toEqual({ eligible: true });
  });
});

describe('the error table', () => {
  it("has the statuses of ARCHITECTURE.md's contract", () => {
    expect(Object.fromEntries(ERROR_CODES.map((c) => [c, ERRORS[c].status]))).toMatchObject({
      VALIDATION_FAILED: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      WINDOW_CLOSED: 403,
      NOT_ELIGIBLE: 403,
      NOT_FOUND: 404,
      SECTION_FULL: 409,
      ALREADY_ENROLLED: 409,
      TIME_CONFLICT: 409,
      CREDIT_LIMIT: 409,
      QUEUE_REQUIRED: 428,
      RATE_LIMITED: 429,
    });
  });

  it("checks a problem document against its code's members and tells codes apart", () => {
    const base = { type: 't', title: 'x', status: 409 };
    const conflict = { sectionId: 1, lectureCode: 'CSE1', lectureTitle: 'a', sectionNo: 1, day: 'MON', startPeriod: 1, endPeriod: 2 };
    expect(problemSchemaOf('TIME_CONFLICT').safeParse({ ...base, code: 'TIME_CONFLICT', conflict }).success).toBe(true);
    expect(problemSchemaOf('TIME_CONFLICT').safeParse({ ...base, code: 'TIME_CONFLICT' }).success).toBe(false);
    expect(problemSchema.safeParse({ ...base, code: 'SECTION_FULL' }).success).toBe(true);
    expect(problemSchema.safeParse({ ...base, code: 'NO_SUCH_CODE' }).success).toBe(false);
  });
});

describe('registrationWindowOf (the forecast clock)', () => {
  it('places a registration minute in the grade window it falls in (480 minutes each, seniors first)', () => {
    expect(registrationWindowOf(0)).toEqual({ index: 0, grade: 4, within: 0 });
    expect(registrationWindowOf(479)).toEqual({ index: 0, grade: 4, within: 479 });
    expect(registrationWindowOf(480)).toEqual({ index: 1, grade: 3, within: 0 });
    expect(registrationWindowOf(962)).toEqual({ index: 2, grade: 2, within: 2 });
    expect(registrationWindowOf(1500)).toEqual({ index: 3, grade: 1, within: 60 });
  });

  it('keeps any minute past the horizon in the last window', () => {
    expect(registrationWindowOf(2000)).toEqual({ index: 3, grade: 1, within: 560 });
  });
});

describe('the forecast in parts (both apps word them)', () => {
  it('splits a span of registration minutes, rounded to the minute', () => {
    expect(spanParts(0.3)).toEqual({ kind: 'underMinute' });
    expect(spanParts(2.4)).toEqual({ kind: 'minutes', m: 2 });
    expect(spanParts(120)).toEqual({ kind: 'hours', h: 2 });
    expect(spanParts(84.2)).toEqual({ kind: 'hoursMinutes', h: 1, m: 24 });
  });

  it('never rounds a probability that is not certain to 0 % or 100 %', () => {
    expect(percentParts(0)).toEqual({ kind: 'value', n: 0 });
    expect(percentParts(0.004)).toEqual({ kind: 'under', n: 1 });
    expect(percentParts(0.41)).toEqual({ kind: 'value', n: 41 });
    expect(percentParts(0.996)).toEqual({ kind: 'over', n: 99 });
    expect(percentParts(1)).toEqual({ kind: 'value', n: 100 });
  });
});
