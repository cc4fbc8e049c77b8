import { conflict, notFound, validationFailed, withTransaction, type Knex } from '@goorm/common';
import type { EnrollmentWindow } from '@goorm/contracts';
import { writeAudit } from '../audit/audit.repository.ts';
import {
  deleteWindow,
  findOverlapping,
  findWindow,
  insertWindow,
  lockTerm,
  updateWindow,
  type WindowInput,
} from './windows.repository.ts';

const DEFAULT_REASON = 'window change';

export interface StaffAction {
  staffId: number;
  reason?: string | undefined;
  now: Date;
}

function asWindow(id: number, w: WindowInput): EnrollmentWindow {
  return {
    id,
    termId: w.termId,
    phase: w.phase,
    grades: [...w.grades].sort((a, b) => a - b),
    opensAt: w.opensAt.toISOString(),
    closesAt: w.closesAt.toISOString(),
  };
}

async function lockTermOrRefuse(trx: Knex.Transaction, termId: number) {
  if (!(await lockTerm(trx, termId))) {
    throw validationFailed([{ field: 'body.termId', message: `term ${termId} does not exist` }]);
  }
}

async function refuseOverlap(trx: Knex.Transaction, w: WindowInput, exceptId?: number) {
  const clashes = await findOverlapping(trx, w, exceptId);
  const first = clashes[0];
  if (first) {
    throw conflict(
      'CONFLICT',
      `overlaps window ${first.id} (${first.phase}, grades ${first.grades.join(',')}, ${first.opensAt} – ${first.closesAt})`,
      { conflict: first, conflicts: clashes },
    );
  }
}

/** Creates a window unless one of the same term and phase overlaps it for a shared grade. */
export async function createWindow(db: Knex, w: WindowInput, by: StaffAction): Promise<EnrollmentWindow> {
  return withTransaction(db, async (trx) => {
    await lockTermOrRefuse(trx, w.termId);
    await refuseOverlap(trx, w);
    const created = asWindow(await insertWindow(trx, w), w);
    await writeAudit(
      trx,
      { staffId: by.staffId, action: 'WINDOW_CREATE', target: `window:${created.id}`, reason: by.reason ?? DEFAULT_REASON, details: { after: created } },
      by.now,
    );
    return created;
  });
}

export async function replaceWindow(db: Knex, id: number, w: WindowInput, by: StaffAction): Promise<EnrollmentWindow> {
  return withTransaction(db, async (trx) => {
    await lockTermOrRefuse(trx, w.termId);
    const before = await findWindow(trx, id);
    if (!before) throw notFound('Enrollment window', id);
    await refuseOverlap(trx, w, id);
    await updateWindow(trx, id, w);
    const after = asWindow(id, w);
    await writeAudit(
      trx,
      { staffId: by.staffId, action: 'WINDOW_UPDATE', target: `window:${id}`, reason: by.reason ?? DEFAULT_REASON, details: { before, after } },
      by.now,
    );
    return after;
  });
}

export async function removeWindow(db: Knex, id: number, by: StaffAction): Promise<void> {
  await withTransaction(db, async (trx) => {
    const before = await findWindow(trx, id);
    if (!before || (await deleteWindow(trx, id)) === 0) throw notFound('Enrollment window', id);
    await writeAudit(
      trx,
      { staffId: by.staffId, action: 'WINDOW_DELETE', target: `window:${id}`, reason: by.reason ?? DEFAULT_REASON, details: { before } },
      by.now,
    );
  });
}
