/**
 * The invariant check as a batch job (a Kubernetes CronJob in production): runs the checker over
 * the database and pushes the result to a Prometheus Pushgateway, where the alert
 * `EnrollmentOversoldSeats` reads `enrollment_invariant_oversold_seats` (it must read 0).
 *
 *   DATABASE_URL=mysql://… PUSHGATEWAY_URL=http://pushgateway:9091 npx tsx services/enrollment/src/jobs/check-invariants.ts
 *
 * Without PUSHGATEWAY_URL it prints the metrics in the Prometheus text format instead.
 * Exit status as the CLI's: 0 no breach, 1 at least one breach (the result was pushed), 2 the check
 * (or the push) could not run. A Pushgateway rather than a gauge in the service: the check is one
 * full scan of the term, too heavy to run on every scrape of every replica, and a CronJob's pod is
 * gone before Prometheus could scrape it.
 */
import { pathToFileURL } from 'node:url';
import { Pushgateway } from 'prom-client';
import { z } from 'zod';
import { Gauge, Registry, baseConfigShape, createDb, createLogger, loadConfig } from '@goorm/common';
import { checkInvariants, type BreachKind, type InvariantReport } from '../invariants/invariants.ts';

const configShape = {
  DATABASE_URL: baseConfigShape.DATABASE_URL,
  LOG_LEVEL: baseConfigShape.LOG_LEVEL,
  TERM_ID: z.coerce.number().int().positive().optional(),
  /** e.g. http://prometheus-pushgateway.monitoring:9091; unset = print the metrics to stdout. */
  PUSHGATEWAY_URL: z.url().optional(),
  PUSHGATEWAY_JOB: z.string().min(1).default('enrollment-invariants'),
};

export const BREACH_KINDS: readonly BreachKind[] = [
  'SEAT_OVER_CAPACITY',
  'COUNTER_MISMATCH',
  'RESERVATION_COUNTER_MISMATCH',
  'TWO_SECTIONS_OF_LECTURE',
  'LECTURE_MISMATCH',
  'TIME_OVERLAP',
  'CREDITS_OVER_MAX',
  'MISSING_OK_EVENT',
  'WAITLIST_SEAT_IDLE',
  'WAITLIST_RANK_TIE',
  'WAITLISTED_HOLDS_LECTURE',
];

/**
 * WAITLIST_SEAT_IDLE holds at quiescence only: a seat freed by a capacity raise or a released
 * reservation waits up to a sweep (1 s) for its student. Seen once, it is checked again this much later.
 */
const IDLE_RECHECK_MS = 5_000;

/** The report as gauges on a registry of its own (a job pushes exactly these series). */
export function invariantRegistry(report: InvariantReport | undefined, ranAtMs: number, seconds: number): Registry {
  const registry = new Registry();
  const registers = [registry];
  const success = new Gauge({ name: 'enrollment_invariant_check_success', help: '1 when the last invariant check ran to the end, 0 when it could not run', registers });
  new Gauge({ name: 'enrollment_invariant_last_run_timestamp_seconds', help: 'When the last invariant check ran (Unix seconds)', registers }).set(Math.floor(ranAtMs / 1000));
  new Gauge({ name: 'enrollment_invariant_check_duration_seconds', help: 'How long the last invariant check took', registers }).set(seconds);
  success.set(report ? 1 : 0);
  if (!report) return registry;
  const breaches = new Gauge({ name: 'enrollment_invariant_breaches', help: 'Breaches found by the last invariant check, by kind', labelNames: ['kind'] as const, registers });
  for (const kind of BREACH_KINDS) breaches.set({ kind }, report.counts[kind] ?? 0);
  const oversold = report.breaches.filter((b) => b.kind === 'SEAT_OVER_CAPACITY').reduce((sum, b) => sum + Math.max(0, Number(b.oversold ?? 1)), 0);
  new Gauge({ name: 'enrollment_invariant_oversold_seats', help: 'Seats taken past capacity (staff-granted seats excepted) found by the last invariant check; must be 0', registers }).set(oversold);
  new Gauge({ name: 'enrollment_invariant_checked_enrollments', help: 'Enrollment rows the last invariant check looked at', registers }).set(report.checked.enrollments);
  return registry;
}

export async function runJob(env: Record<string, string | undefined>, write: (text: string) => void): Promise<number> {
  const config = loadConfig(configShape, env);
  const logger = createLogger('invariants-job', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL, { poolMax: 2 });
  const started = Date.now();
  let report: InvariantReport | undefined;
  try {
    report = await checkInvariants(db, { termId: config.TERM_ID, limit: 100_000 });
    if (report.counts.WAITLIST_SEAT_IDLE) {
      logger.info({ sections: report.counts.WAITLIST_SEAT_IDLE }, 'open seats while students wait: checking again once the sweeper has had its turn');
      await new Promise((r) => setTimeout(r, IDLE_RECHECK_MS));
      report = await checkInvariants(db, { termId: config.TERM_ID, limit: 100_000 });
    }
    logger.info({ ms: Date.now() - started, counts: report.counts }, 'invariants checked');
  } catch (err) {
    logger.error({ err }, 'invariant check failed to run');
  } finally {
    await db.destroy();
  }
  const registry = invariantRegistry(report, started, (Date.now() - started) / 1000);
  try {
    if (config.PUSHGATEWAY_URL) {
      await new Pushgateway(config.PUSHGATEWAY_URL, { timeout: 10_000 }, registry).push({ jobName: config.PUSHGATEWAY_JOB });
      logger.info({ url: config.PUSHGATEWAY_URL, job: config.PUSHGATEWAY_JOB }, 'invariant metrics pushed');
    } else {
      write(await registry.metrics());
    }
  } catch (err) {
    logger.error({ err }, 'could not push the invariant metrics');
    return 2;
  }
  if (!report) return 2;
  return report.breaches.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runJob(process.env, (text) => process.stdout.write(text));
}
