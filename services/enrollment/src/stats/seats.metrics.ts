import { Gauge, type Knex, type Logger, type Metrics } from '@goorm/common';
import type { CatalogCache } from '../catalog/catalog.service.ts';

/** Seats of the current term: capacity and filled (the seat counters), one aggregate query. */
export async function termSeatTotals(db: Knex, termId: number): Promise<{ capacity: number; filled: number }> {
  const row = (await db('section as s')
    .leftJoin('section_seat as ss', 'ss.section_id', 's.id')
    .where('s.term_id', termId)
    .first(db.raw('coalesce(sum(s.capacity), 0) as capacity'), db.raw('coalesce(sum(ss.enrolled), 0) as filled'))) as
    | { capacity: number | string; filled: number | string }
    | undefined;
  return { capacity: Number(row?.capacity ?? 0), filled: Number(row?.filled ?? 0) };
}

/**
 * `enrollment_seats_filled` and `enrollment_seats_capacity` for the current term, read when
 * Prometheus scrapes: one aggregate query at most every `maxAgeMs` per process (a burst of scrapes
 * shares it); on a database error the last values stay.
 */
export function registerSeatMetrics(m: Metrics, db: Knex, catalog: CatalogCache, logger: Logger, maxAgeMs = 5_000): void {
  if (m.registry.getSingleMetric('enrollment_seats_filled')) return;
  let last = { capacity: 0, filled: 0 };
  let readAt = -Infinity;
  let reading: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    if (performance.now() - readAt < maxAgeMs) return Promise.resolve();
    reading ??= (async () => {
      try {
        const termId = (await catalog.get()).termId;
        last = termId === undefined ? { capacity: 0, filled: 0 } : await termSeatTotals(db, termId);
        readAt = performance.now();
      } catch (err) {
        logger.warn({ err }, 'seat metrics: could not read the seat totals; keeping the last');
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  };
  const registers = [m.registry];
  new Gauge({
    name: 'enrollment_seats_filled',
    help: 'Seats taken in the current term (sum of the seat counters)',
    registers,
    async collect() {
      await refresh();
      this.set(last.filled);
    },
  });
  new Gauge({
    name: 'enrollment_seats_capacity',
    help: 'Seats offered in the current term (sum of section capacities)',
    registers,
    async collect() {
      await refresh();
      this.set(last.capacity);
    },
  });
}
