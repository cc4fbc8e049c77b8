import { Counter, Histogram, type Metrics } from '@goorm/common';

export interface EnrollmentMetrics {
  /** Every decision by action (ENROLL, DROP, SWAP, OVERRIDE_*) and outcome (OK, a refusal code, REPLAY, BUSY). */
  decisions: Counter<'action' | 'outcome'>;
  /** Wall time of the decision transaction including its retries. */
  txSeconds: Histogram<'action'>;
  /** Deadlocks, lock timeouts and SQLITE_BUSY retried inside the service. */
  txRetries: Counter<'action'>;
  catalogReloads: Counter;
}

function getOr<T>(m: Metrics, name: string, make: () => T): T {
  return (m.registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The enrollment service's own metrics, on the app's registry (created once per registry). */
export function enrollmentMetrics(m: Metrics): EnrollmentMetrics {
  const registers = [m.registry];
  return {
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
  };
}
