import type { Request, Response } from 'express';
import type { ApiRouter, AuthUser } from '@goorm/common';
import { enrollmentApi } from '@goorm/contracts';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER, type Answer } from '../idempotency/idempotency.service.ts';
import type { Caller, EnrollmentService } from './enrollments.service.ts';

const { timetable, studentTimetable, enroll, swap, drop } = enrollmentApi.endpoints;
const ADMISSION_HEADER = 'x-admission-token';

/** The registration writes (enroll, swap, drop): load shedding and latency feedback count these. */
export const REGISTRATION_WRITES = [enroll, swap, drop] as const;

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

  api.route(timetable, async ({ user }, res) => {
    res.json(await service.timetable(user!.id));
  });

  api.route(studentTimetable, async ({ params }, res) => {
    res.json(await service.timetable(params.studentId));
  });

  api.route(enroll, async ({ body, user, req }, res) => {
    send(res, await service.enroll(callerOf(user, req), body));
  });

  api.route(swap, async ({ body, user, req }, res) => {
    send(res, await service.swap(callerOf(user, req), body));
  });

  api.route(drop, async ({ params, query, user, req }, res) => {
    send(res, await service.drop(callerOf(user, req), { sectionId: params.sectionId, ...query }));
  });
}
