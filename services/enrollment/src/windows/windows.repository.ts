import { engineOf, toIso, type Knex } from '@goorm/common';
import { gradeBit, gradesToMask, maskToGrades, type EnrollmentWindow, type Phase } from '@goorm/contracts';

/**
 * An enrollment window is the contract's `EnrollmentWindow`: grades ascending (from grade_mask:
 * bit g-1 = grade g); ISO 8601 instants, open for opensAt <= now < closesAt.
 */
export type { EnrollmentWindow, Phase } from '@goorm/contracts';

/** What a staff member writes; instants as Date so both engines bind them natively. */
export interface WindowInput {
  termId: number;
  phase: Phase;
  grades: number[];
  opensAt: Date;
  closesAt: Date;
}

interface WindowRow {
  id: number;
  term_id: number;
  phase: string;
  grade_mask: number;
  opens_at: unknown;
  closes_at: unknown;
}

const COLUMNS = ['id', 'term_id', 'phase', 'grade_mask', 'opens_at', 'closes_at'] as const;

function toWindow(r: WindowRow): EnrollmentWindow {
  return {
    id: Number(r.id),
    termId: Number(r.term_id),
    phase: r.phase as Phase,
    grades: maskToGrades(Number(r.grade_mask)),
    opensAt: toIso(r.opens_at),
    closesAt: toIso(r.closes_at),
  };
}

/** All windows (of one term if given), by opening time. One query. */
export async function listWindows(db: Knex, termId?: number): Promise<EnrollmentWindow[]> {
  const rows = await db('enrollment_window')
    .select<WindowRow[]>(...COLUMNS)
    .modify((q) => {
      if (termId !== undefined) q.where('term_id', termId);
    })
    .orderBy([{ column: 'opens_at' }, { column: 'id' }]);
  return rows.map(toWindow);
}

export async function findWindow(db: Knex | Knex.Transaction, id: number): Promise<EnrollmentWindow | undefined> {
  const row = await db('enrollment_window').select<WindowRow[]>(...COLUMNS).where('id', id).first();
  return row ? toWindow(row) : undefined;
}

/**
 * The window open right now for this grade in one of these phases (opens_at <= now < closes_at),
 * or undefined. One indexed query; safe inside the enroll transaction.
 */
export async function findOpenWindow(
  db: Knex | Knex.Transaction,
  q: { termId: number; grade: number; phases: Phase[]; now: Date },
): Promise<EnrollmentWindow | undefined> {
  if (q.phases.length === 0 || !Number.isInteger(q.grade) || q.grade < 1 || q.grade > 4) return undefined;
  const row = await db('enrollment_window')
    .select<WindowRow[]>(...COLUMNS)
    .where('term_id', q.termId)
    .whereIn('phase', q.phases)
    .whereRaw('(grade_mask & ?) <> 0', [gradeBit(q.grade)])
    .where('opens_at', '<=', q.now)
    .where('closes_at', '>', q.now)
    .orderBy('closes_at', 'desc')
    .first();
  return row ? toWindow(row) : undefined;
}

/**
 * Windows of the same term and phase that share a grade and overlap [opensAt, closesAt)
 * (half-open: a window may open exactly when another closes).
 */
export async function findOverlapping(
  trx: Knex | Knex.Transaction,
  w: WindowInput,
  exceptId?: number,
): Promise<EnrollmentWindow[]> {
  const rows = await trx('enrollment_window')
    .select<WindowRow[]>(...COLUMNS)
    .where('term_id', w.termId)
    .where('phase', w.phase)
    .whereRaw('(grade_mask & ?) <> 0', [gradesToMask(w.grades)])
    .where('opens_at', '<', w.closesAt)
    .where('closes_at', '>', w.opensAt)
    .modify((q) => {
      if (exceptId !== undefined) q.whereNot('id', exceptId);
    })
    .orderBy('opens_at');
  return rows.map(toWindow);
}

/**
 * Reads the term (lectures' table, read only) and, on MySQL, takes a row lock on it so two staff
 * writes to the same term's windows serialise and cannot both pass the overlap check.
 * SQLite write transactions are already serial (BEGIN IMMEDIATE).
 */
export async function lockTerm(trx: Knex.Transaction, termId: number): Promise<boolean> {
  const q = trx('term').select('id').where('id', termId);
  if (engineOf(trx as unknown as Knex) === 'mysql') q.forUpdate();
  const row = await q.first();
  return row !== undefined;
}

export async function insertWindow(trx: Knex.Transaction, w: WindowInput): Promise<number> {
  const [id] = await trx('enrollment_window').insert({
    term_id: w.termId,
    phase: w.phase,
    grade_mask: gradesToMask(w.grades),
    opens_at: w.opensAt,
    closes_at: w.closesAt,
  });
  return Number(id);
}

export async function updateWindow(trx: Knex.Transaction, id: number, w: WindowInput): Promise<number> {
  return trx('enrollment_window')
    .where('id', id)
    .update({
      term_id: w.termId,
      phase: w.phase,
      grade_mask: gradesToMask(w.grades),
      opens_at: w.opensAt,
      closes_at: w.closesAt,
    });
}

export async function deleteWindow(trx: Knex.Transaction, id: number): Promise<number> {
  return trx('enrollment_window').where('id', id).delete();
}
