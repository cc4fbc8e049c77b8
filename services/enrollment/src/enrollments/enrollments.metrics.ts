import { Counter, Histogram, type Metrics } from '@goorm/common';

export interface EnrollmentMetrics {
  /** Every decision by action (ENROLL, DROP, SWAP, OVERRIDE_*) and outcome (OK, a refusal code, REPLAY, BUSY). */
  decisions: Counter<'action' | 'outcome'>;
  /** Wall time of the decision transaction including its retries. */
  txSeconds: Histogram<'action'>;
  /** Deadlocks, lock timeouts and SQLITE_BUSY retried inside the service. */
  txRetries: Counter<'action'>;
  catalogReloads: Counter;
  /** Retried conflicts by kind (deadlock, lock_timeout, busy): deadlocks apart from lock waits. */
  txConflicts: Counter<'action' | 'kind'>;
  /** Lookups of the term catalog cache: hit (a fresh snapshot served) or miss (a load, or a wait for one). */
  catalogLookups: Counter<'result'>;
  /** Students enrolled from a waitlist, by where: in the transaction that freed the seat, or by the sweeper. */
  waitlistPromotions: Counter<'via'>;
  /** Waiting students a freed seat went past (the rules refused them). */
  waitlistSkips: Counter;
}

/** The kind of a retryable database conflict, for enrollment_transaction_conflicts_total. */
export function conflictKind(err: unknown): 'deadlock' | 'lock_timeout' | 'busy' | 'other' {
  const e = err as { errno?: number; code?: string } | undefined;
  if (e?.errno === 1213) return 'deadlock';
  if (e?.errno === 1205) return 'lock_timeout';
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) return 'busy';
  return 'other';
}

function getOr<T>(m: Metrics, name: string, make: () => T): T {
  return (m.registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The enrollment service's own metrics, on the app's registry (created once per registry). */
export function enrollmentMetrics(m: Metrics): EnrollmentMetrics {
  const registers = [m.registry];
  const created = !m.registry.getSingleMetric('enrollment_transaction_conflicts_total');
  const metrics: EnrollmentMetrics = {
    decisions: getOr(
      m,
      'enrollment_decisions_total',
      () => new Counter({ name: 'enrollment_decisions_total', help: 'Enrollment decisions by action and outcome', labelNames: ['action', 'outcome'] as const, registers }),
    ),
    txSeconds: getOr(
      m,
      'enrollment_transaction_duration_seconds',
      () =>
        new Histogram({
          name: 'enrollment_transaction_duration_seconds',
          help: 'Duration of the enroll/drop/swap transaction in seconds, retries included',
          labelNames: ['action'] as const,
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers,
        }),
    ),
    txRetries: getOr(
      m,
      'enrollment_transaction_retries_total',
      () => new Counter({ name: 'enrollment_transaction_retries_total', help: 'Transactions retried after a deadlock, lock timeout or busy database', labelNames: ['action'] as const, registers }),
    ),
    catalogReloads: getOr(
      m,
      'enrollment_catalog_reloads_total',
      () => new Counter({ name: 'enrollment_catalog_reloads_total', help: 'Loads of the term catalog cache', registers }),
    ),
    txConflicts: getOr(
      m,
      'enrollment_transaction_conflicts_total',
      () =>
        new Counter({
          name: 'enrollment_transaction_conflicts_total',
          help: 'Retried transaction conflicts by action and kind (deadlock, lock_timeout, busy)',
          labelNames: ['action', 'kind'] as const,
          registers,
        }),
    ),
    catalogLookups: getOr(
      m,
      'enrollment_catalog_cache_total',
      () =>
        new Counter({
          name: 'enrollment_catalog_cache_total',
          help: 'Term catalog cache lookups by result: hit (fresh snapshot) or miss (loaded or waited for a load)',
          labelNames: ['result'] as const,
          registers,
        }),
    ),
    waitlistPromotions: getOr(
      m,
      'enrollment_waitlist_promotions_total',
      () =>
        new Counter({
          name: 'enrollment_waitlist_promotions_total',
          help: 'Students enrolled from a waitlist, by via (transaction: the drop or swap that freed the seat; sweeper: capacity raised, reservation released, retry)',
          labelNames: ['via'] as const,
          registers,
        }),
    ),
    waitlistSkips: getOr(
      m,
      'enrollment_waitlist_skips_total',
      () => new Counter({ name: 'enrollment_waitlist_skips_total', help: 'Waiting students a freed seat went past because the rules refused them', registers }),
    ),
  };
  if (created) {
    for (const via of ['transaction', 'sweeper'] as const) metrics.waitlistPromotions.inc({ via }, 0);
    // Known series start at 0, so a rate reads 0 (not "no data") before the first conflict or miss.
    for (const kind of ['deadlock', 'lock_timeout', 'busy'] as const) metrics.txConflicts.inc({ action: 'ENROLL', kind }, 0);
    for (const result of ['hit', 'miss'] as const) metrics.catalogLookups.inc({ result }, 0);
  }
  return metrics;
}
