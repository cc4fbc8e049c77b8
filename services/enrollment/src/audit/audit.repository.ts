import { toIso, type Knex } from '@goorm/common';
import type { AuditRecord } from '@goorm/contracts';
import { auditSubjects } from './audit.subjects.ts';

/** One staff action: who did what to whom, and why. */
export interface AuditEntry {
  staffId: number;
  /** e.g. WINDOW_CREATE, OVERRIDE_ENROLL */
  action: string;
  /** e.g. "window:3", "student:17/section:42" */
  target: string;
  reason: string;
  /** Anything that helps a reader later; stored as JSON text. */
  details?: unknown;
}

/** Appends one row to audit_log. Pass the transaction that makes the change, so both commit or neither. */
export async function writeAudit(db: Knex | Knex.Transaction, e: AuditEntry, now: Date): Promise<void> {
  const subjects = auditSubjects(e.target);
  await db('audit_log').insert({
    staff_id: e.staffId,
    student_id: subjects.studentId,
    section_id: subjects.sectionId,
    action: e.action.slice(0, 64),
    target: e.target.slice(0, 128),
    reason: e.reason,
    details: e.details === undefined ? null : JSON.stringify(e.details),
    created_at: now,
  });
}

export interface AuditFilter {
  staffId?: number | undefined;
  action?: string | undefined;
  target?: string | undefined;
  studentId?: number | undefined;
  sectionId?: number | undefined;
  page: number;
  size: number;
}

interface AuditRow {
  id: number | string;
  staff_id: number;
  student_id: number | null;
  section_id: number | null;
  action: string;
  target: string;
  reason: string;
  details: string | null;
  created_at: unknown;
}

function parseDetails(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Newest first; two queries (page + total) whatever the page size and filters (each filter an indexed equality). */
export async function listAudit(db: Knex, f: AuditFilter): Promise<{ items: AuditRecord[]; total: number }> {
  const base = db('audit_log').modify((q) => {
    if (f.staffId !== undefined) q.where('staff_id', f.staffId);
    if (f.action !== undefined) q.where('action', f.action);
    if (f.target !== undefined) q.where('target', f.target);
    if (f.studentId !== undefined) q.where('student_id', f.studentId);
    if (f.sectionId !== undefined) q.where('section_id', f.sectionId);
  });
  const [rows, [countRow]] = await Promise.all([
    base
      .clone()
      .select<AuditRow[]>('id', 'staff_id', 'student_id', 'section_id', 'action', 'target', 'reason', 'details', 'created_at')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(f.size)
      .offset((f.page - 1) * f.size),
    base.clone().count<{ n: number | string }[]>({ n: '*' }),
  ]);
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      staffId: Number(r.staff_id),
      studentId: r.student_id === null ? null : Number(r.student_id),
      sectionId: r.section_id === null ? null : Number(r.section_id),
      action: r.action,
      target: r.target,
      reason: r.reason,
      details: parseDetails(r.details),
      createdAt: toIso(r.created_at),
    })),
    total: Number(countRow?.n ?? 0),
  };
}
