import type { Dropped, Enrolled, QueuePlace, Swapped, Timetable, WindowList } from '@goorm/contracts';
import { enrollment } from './client.ts';

export function myEnrollments(): Promise<Timetable> {
  return enrollment.timetable();
}

export function listWindows(): Promise<WindowList> {
  return enrollment.listWindows();
}

/** `admissionToken`: from the waiting room (sent as X-Admission-Token); `idempotencyKey`: the same for every retry of one request. */
export function enroll(sectionId: number, opts: { admissionToken?: string; idempotencyKey?: string } = {}): Promise<Enrolled> {
  return enrollment.enroll({
    body: { sectionId },
    headers: { 'X-Admission-Token': opts.admissionToken, 'Idempotency-Key': opts.idempotencyKey },
  });
}

export function drop(sectionId: number, opts: { idempotencyKey?: string } = {}): Promise<Dropped> {
  return enrollment.drop({ params: { sectionId }, headers: { 'Idempotency-Key': opts.idempotencyKey } });
}

export function swap(fromSectionId: number, toSectionId: number, opts: { admissionToken?: string; idempotencyKey?: string } = {}): Promise<Swapped> {
  return enrollment.swap({
    body: { fromSectionId, toSectionId },
    headers: { 'X-Admission-Token': opts.admissionToken, 'Idempotency-Key': opts.idempotencyKey },
  });
}

export function joinQueue(): Promise<QueuePlace> {
  return enrollment.joinQueue();
}

export function queueStatus(ticket: string): Promise<QueuePlace> {
  return enrollment.queueStatus({ params: { ticket } });
}
