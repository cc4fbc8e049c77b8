import type { Request, Response } from 'express';
import type { ApiRouter, AuthUser } from '@goorm/common';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER, type Answer } from '../idempotency/idempotency.service.ts';
import {
  admissionHeaders,
  decisionHeaders,
  dropQuery,
  droppedSchema,
  enrollBody,
  enrolledSchema,
  sectionParams,
  studentParams,
  swapBody,
  swappedSchema,
  timetableSchema,
} from './enrollments.schemas.ts';
import type { Caller, EnrollmentService } from './enrollments.service.ts';

const tags = ['enrollments'];
const ADMISSION_HEADER = 'x-admission-token';

function callerOf(user: AuthUser | undefined, req: Request): Caller {
  return { user: user!, idempotencyKey: req.get(IDEMPOTENCY_HEADER), admissionToken: req.get(ADMISSION_HEADER) };
}

function send(res: Response, a: Answer) {
  if (a.replayed) res.setHeader(REPLAYED_HEADER, 'true');
  res.status(a.status).json(a.body);
}

/** Enroll, drop, swap and the timetable. Thin: parse, call one service function, answer. */
export function registerEnrollmentRoutes(api: ApiRouter, deps: { service: EnrollmentService }): void {
  const { service } = deps;

  api.get(
    '/me',
    {
      summary: "The caller's timetable for the current term: sections with meetings, total credits",
      tags,
      access: 'student',
      responses: { 200: { description: 'Timetable', schema: timetableSchema } },
    },
    async ({ user }, res) => {
      res.json(await service.timetable(user!.id));
    },
  );

  api.get(
    '/students/:studentId',
    {
      summary: "A student's timetable for the current term (staff)",
      tags,
      access: 'staff',
      params: studentParams,
      responses: { 200: { description: 'Timetable', schema: timetableSchema } },
    },
    async ({ params }, res) => {
      res.json(await service.timetable(params.studentId));
    },
  );

  api.post(
    '/',
    {
      summary:
        'Register for a section (student), or register a student by override (staff: studentId, reason, allowOverCapacity). ' +
        'Refusals: WINDOW_CLOSED, NOT_ELIGIBLE, NOT_FOUND, ALREADY_ENROLLED, TIME_CONFLICT, CREDIT_LIMIT, SECTION_FULL, QUEUE_REQUIRED',
      tags,
      access: ['student', 'staff'],
      body: enrollBody,
      headers: admissionHeaders,
      responses: { 201: { description: 'Enrolled', schema: enrolledSchema } },
    },
    async ({ body, user, req }, res) => {
      send(res, await service.enroll(callerOf(user, req), body));
    },
  );

  api.post(
    '/swap',
    {
      summary: 'Move from one section to another atomically (drop-if-add): both happen or neither',
      tags,
      access: 'student',
      body: swapBody,
      headers: admissionHeaders,
      responses: { 200: { description: 'Swapped', schema: swappedSchema } },
    },
    async ({ body, user, req }, res) => {
      send(res, await service.swap(callerOf(user, req), body));
    },
  );

  api.delete(
    '/:sectionId',
    {
      summary: 'Drop a section (student, in REGISTRATION or ADD_DROP), or drop a student by override (staff: ?studentId=&reason=)',
      tags,
      access: ['student', 'staff'],
      params: sectionParams,
      query: dropQuery,
      headers: decisionHeaders,
      responses: { 200: { description: 'Dropped; the seat is free again', schema: droppedSchema } },
    },
    async ({ params, query, user, req }, res) => {
      send(res, await service.drop(callerOf(user, req), { sectionId: params.sectionId, ...query }));
    },
  );
}
