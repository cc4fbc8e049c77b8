import { request } from './http.ts';
import { arr, num, obj, str, toSection } from './normalize.ts';
import type { Enrollment, EnrollmentWindow, Phase, QueueStatus, Timetable } from './types.ts';

/** A timetable item carries `section` (meetings, room, professor) and `lecture` side by side. */
function toEnrollment(input: unknown): Enrollment {
  const raw = obj(input);
  const inner = obj(raw.section);
  const section = toSection({
    ...raw,
    ...inner,
    id: inner.id ?? raw.sectionId ?? raw.id,
    lectureId: raw.lectureId ?? inner.lectureId,
    lecture: { id: raw.lectureId, ...obj(raw.lecture), ...obj(inner.lecture) },
  });
  return {
    sectionId: num(raw.sectionId, section.id) ?? 0,
    lectureId: num(raw.lectureId, section.lectureId) ?? 0,
    createdAt: str(raw.createdAt),
    section,
  };
}

export async function myEnrollments(): Promise<Timetable> {
  const raw = obj(await request<unknown>('/api/enrollments/me'));
  const items = arr(raw.items ?? raw.enrollments).map(toEnrollment);
  return {
    items,
    totalCredits: num(raw.totalCredits) ?? items.reduce((s, e) => s + e.section.lecture.credits, 0),
    maxCredits: num(raw.maxCredits),
  };
}

export interface WindowList {
  items: EnrollmentWindow[];
  serverTime: string;
}

export async function listWindows(): Promise<WindowList> {
  const raw = obj(await request<unknown>('/api/enrollments/windows'));
  return {
    items: arr(raw.items).map((w) => {
      const r = obj(w);
      return {
        id: num(r.id) ?? 0,
        termId: num(r.termId) ?? 0,
        phase: (str(r.phase) ?? 'REGISTRATION') as Phase,
        grades: arr(r.grades).map(Number),
        opensAt: str(r.opensAt) ?? '',
        closesAt: str(r.closesAt) ?? '',
      };
    }),
    serverTime: str(raw.serverTime) ?? new Date().toISOString(),
  };
}

function admissionHeader(admissionToken: string | undefined): Record<string, string> {
  return admissionToken ? { 'X-Admission-Token': admissionToken } : {};
}

export async function enroll(sectionId: number, opts: { admissionToken?: string; idempotencyKey?: string } = {}): Promise<void> {
  await request('/api/enrollments', {
    method: 'POST',
    body: { sectionId },
    headers: { ...admissionHeader(opts.admissionToken), ...(opts.idempotencyKey ? { 'Idempotency-Key': opts.idempotencyKey } : {}) },
  });
}

export async function drop(sectionId: number): Promise<void> {
  await request(`/api/enrollments/${sectionId}`, { method: 'DELETE' });
}

export async function swap(fromSectionId: number, toSectionId: number, opts: { admissionToken?: string } = {}): Promise<void> {
  await request('/api/enrollments/swap', {
    method: 'POST',
    body: { fromSectionId, toSectionId },
    headers: admissionHeader(opts.admissionToken),
  });
}

function toQueue(input: unknown): QueueStatus {
  const raw = obj(input);
  return {
    ticket: str(raw.ticket) ?? String(raw.ticket ?? ''),
    position: num(raw.position) ?? 0,
    etaSeconds: num(raw.etaSeconds) ?? 0,
    admitted: raw.admitted === true,
    admissionToken: str(raw.admissionToken),
  };
}

export async function joinQueue(): Promise<QueueStatus> {
  return toQueue(await request<unknown>('/api/enrollments/queue', { method: 'POST' }));
}

export async function queueStatus(ticket: string): Promise<QueueStatus> {
  return toQueue(await request<unknown>(`/api/enrollments/queue/${encodeURIComponent(ticket)}`));
}
