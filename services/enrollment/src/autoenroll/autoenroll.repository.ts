import { toIso, type Knex } from '@goorm/common';
import type { AutoEnrollReport, AutoEnrollRun } from '@goorm/contracts';

/** The statements of cart auto-enrollment (README "Cart auto-enrollment"). Knex only here. */

type Db = Knex | Knex.Transaction;

export interface CartDemandRow {
  studentId: number;
  sectionId: number;
}

/**
 * Cart items of the term's sections from students of these grades who do not hold the item's
 * lecture yet, by student then cart order: the demand the opening would see. One query.
 */
export async function cartDemand(db: Db, termId: number, grades: readonly number[]): Promise<CartDemandRow[]> {
  const rows = await db('cart_item as ci')
    .join('student as st', 'st.id', 'ci.student_id')
    .join('section as s', 's.id', 'ci.section_id')
    .where('s.term_id', termId)
    .whereIn('st.grade', grades)
    .whereNotExists((q) => {
      q.select(db.raw('1')).from('enrollment as e').whereRaw('e.student_id = ci.student_id and e.lecture_id = s.lecture_id');
    })
    .orderBy([{ column: 'ci.student_id' }, { column: 'ci.created_at' }, { column: 'ci.section_id' }])
    .select<{ student_id: number; section_id: number }[]>('ci.student_id', 'ci.section_id');
  return rows.map((r) => ({ studentId: Number(r.student_id), sectionId: Number(r.section_id) }));
}

/** Seats taken per section of the term and each reservation's used seats. Two queries. */
export async function termSeats(db: Db, termId: number): Promise<{ enrolled: Map<number, number>; reservationUsed: Map<number, number> }> {
  const [seats, used] = await Promise.all([
    db('section_seat as ss').join('section as s', 's.id', 'ss.section_id').where('s.term_id', termId).select<{ section_id: number; enrolled: number }[]>('ss.section_id', 'ss.enrolled'),
    db('reservation_seat as rs').join('section as s', 's.id', 'rs.section_id').where('s.term_id', termId).select<{ reservation_id: number; used: number }[]>('rs.reservation_id', 'rs.used'),
  ]);
  return {
    enrolled: new Map(seats.map((r) => [Number(r.section_id), Number(r.enrolled)])),
    reservationUsed: new Map(used.map((r) => [Number(r.reservation_id), Number(r.used)])),
  };
}

/** (student, section) pairs already told they were skipped, so a second run tells nobody twice. */
export async function skipNoticesOf(db: Db, studentIds: readonly number[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < studentIds.length; i += 500) {
    const rows = await db('notice')
      .whereIn('student_id', studentIds.slice(i, i + 500))
      .where('kind', 'AUTO_ENROLL_SKIPPED')
      .select<{ student_id: number; section_id: number }[]>('student_id', 'section_id');
    for (const r of rows) out.add(`${Number(r.student_id)}:${Number(r.section_id)}`);
  }
  return out;
}

// ---- runs ----

interface RunSql {
  id: number;
  term_id: number;
  window_id: number;
  status: AutoEnrollRun['status'];
  dry_run: unknown;
  run_at: unknown;
  started_at: unknown;
  finished_at: unknown;
  staff_id: number;
  reason: string;
  report: string | null;
  error: string | null;
}

const toRun = (r: RunSql): AutoEnrollRun => ({
  id: Number(r.id),
  termId: Number(r.term_id),
  windowId: Number(r.window_id),
  status: r.status,
  dryRun: Boolean(Number(r.dry_run)),
  runAt: toIso(r.run_at),
  startedAt: r.started_at ? toIso(r.started_at) : null,
  finishedAt: r.finished_at ? toIso(r.finished_at) : null,
  staffId: Number(r.staff_id),
  reason: r.reason,
  report: r.report ? (JSON.parse(r.report) as AutoEnrollReport) : null,
  error: r.error,
});

export async function insertRun(
  db: Db,
  r: { termId: number; windowId: number; status: 'SCHEDULED' | 'RUNNING'; dryRun: boolean; runAt: Date; startedAt: Date | null; staffId: number; reason: string },
): Promise<number> {
  const [id] = await db('auto_enroll_run').insert({
    term_id: r.termId,
    window_id: r.windowId,
    status: r.status,
    dry_run: r.dryRun,
    run_at: r.runAt,
    started_at: r.startedAt,
    staff_id: r.staffId,
    reason: r.reason,
  });
  return Number(id);
}

export async function findRun(db: Db, id: number): Promise<AutoEnrollRun | undefined> {
  const row = await db('auto_enroll_run').where('id', id).first<RunSql | undefined>();
  return row ? toRun(row) : undefined;
}

export async function listRuns(db: Db, limit = 50): Promise<AutoEnrollRun[]> {
  const rows = await db('auto_enroll_run').orderBy('id', 'desc').limit(limit).select<RunSql[]>();
  return rows.map(toRun);
}

/** Scheduled runs whose time has come (oldest first). */
export async function dueRuns(db: Db, now: Date): Promise<number[]> {
  const rows = await db('auto_enroll_run').where('status', 'SCHEDULED').where('run_at', '<=', now).orderBy('run_at').select<{ id: number }[]>('id');
  return rows.map((r) => Number(r.id));
}

/** Claims a scheduled run for this process: false when another replica claimed it first. */
export async function claimRun(db: Db, id: number, now: Date): Promise<boolean> {
  return (await db('auto_enroll_run').where({ id, status: 'SCHEDULED' }).update({ status: 'RUNNING', started_at: now })) === 1;
}

export async function finishRun(db: Db, id: number, o: { status: 'DONE' | 'FAILED'; report?: AutoEnrollReport; error?: string; at: Date }): Promise<void> {
  await db('auto_enroll_run')
    .where('id', id)
    .update({ status: o.status, report: o.report ? JSON.stringify(o.report) : null, error: o.error ?? null, finished_at: o.at });
}
