import { AppError, withTransaction, type AuthUser, type Knex, type Logger } from '@goorm/common';
import { Counter, type Registry } from 'prom-client';
import { writeAudit } from '../audit/audit.repository.ts';
import type { AdmissionVerdict } from './queue.tokens.ts';
import type { QueueSettings, QueueSettingsInput, WaitingRoom } from './queue.room.ts';

const REASONS: Record<Exclude<AdmissionVerdict, 'ok'>, string> = {
  missing: 'The waiting room is active: join it (POST /api/enrollments/queue) and send the admission token as X-Admission-Token',
  invalid: 'The admission token is not valid; poll your place in the waiting room for a new one',
  expired: 'The admission token has expired; poll your place in the waiting room for a new one',
  'other-student': 'The admission token belongs to another student',
};

export const queueRequired = (reason: Exclude<AdmissionVerdict, 'ok'>) =>
  new AppError('QUEUE_REQUIRED', { detail: REASONS[reason], extra: { reason, queue: '/api/enrollments/queue' } });

export interface AdmissionCheck {
  /** Throws 428 QUEUE_REQUIRED unless the room is inactive, the caller is staff, or the token admits this student. */
  check(user: AuthUser, token: string | undefined): Promise<void>;
}

/**
 * The gate the enrollment service calls before its transaction (deps.admission of createApp).
 * No Redis on this path: activity comes from cached settings and windows, the token is an HMAC.
 */
export function createAdmissionCheck(room: WaitingRoom, opts: { registry?: Registry } = {}): AdmissionCheck {
  const refusals = opts.registry
    ? ((opts.registry.getSingleMetric('waiting_room_admission_refusals_total') as Counter<'reason'> | undefined) ??
      new Counter({
        name: 'waiting_room_admission_refusals_total',
        help: 'POST /api/enrollments refused with QUEUE_REQUIRED, by reason',
        labelNames: ['reason'] as const,
        registers: [opts.registry],
      }))
    : undefined;
  return {
    async check(user, token) {
      if (user.role !== 'student') return; // staff overrides bypass the room
      if (!(await room.isActive())) return;
      const verdict = room.verifyAdmission(token, user.id);
      if (verdict === 'ok') return;
      refusals?.inc({ reason: verdict });
      throw queueRequired(verdict);
    },
  };
}

/**
 * Staff changes the room's settings (mode, rate, adaptive). With the service's database the change
 * is audited (who, why, before and after) in one transaction around it: the audit row is written
 * first and the room changed before the commit, so a change that cannot be audited is not made,
 * and a change the room refuses leaves no audit row.
 */
export async function changeSettings(
  deps: { room: WaitingRoom; db?: Knex | undefined; clock: () => Date; logger?: Logger | undefined },
  input: QueueSettingsInput & { reason?: string | undefined },
  staffId: number,
): Promise<QueueSettings> {
  const next: QueueSettingsInput = { mode: input.mode, ratePerSecond: input.ratePerSecond, adaptive: input.adaptive };
  const before = await deps.room.settings();
  const after = deps.db
    ? await withTransaction(deps.db, async (trx) => {
        await writeAudit(
          trx,
          { staffId, action: 'QUEUE_SETTINGS', target: 'queue', reason: input.reason ?? 'waiting room settings', details: { before, after: next } },
          deps.clock(),
        );
        return deps.room.updateSettings(next);
      })
    : await deps.room.updateSettings(next);
  deps.logger?.info({ staffId, before, after }, 'waiting room settings changed');
  return after;
}
