/**
 * The two peers measured in the same run as the service:
 *
 * - the raw ceiling: THE SAME enrollment transaction (the enrollment service's own domain
 *   function, createEnrollmentService().enroll, with its catalog cache, rules, seat accounting,
 *   events and idempotency record) called in this process over a knex/mysql2 (or better-sqlite3)
 *   pool, at the same concurrency, with no HTTP, no JSON, no token check, no waiting room;
 * - a naive peer on a copy of the seat data: read the seat count, check it, write it back, with
 *   no transaction and no lock, the way many registration systems do it. It oversells.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AppError, createLogger, createMetrics, engineOf, type Knex } from '@goorm/common';
// The enrollment service exports no domain entry point (its package exports only ./migrations);
// the benchmark drives the very same functions the routes call, so it imports them by path.
import { CatalogCache } from '../../services/enrollment/src/catalog/catalog.service.ts';
import { enrollmentMetrics } from '../../services/enrollment/src/enrollments/enrollments.metrics.ts';
import { createEnrollmentService } from '../../services/enrollment/src/enrollments/enrollments.service.ts';
import { sleep } from './client.ts';
import type { Outcome } from './opening.ts';
import type { BenchStudent } from './university.ts';

export interface PeerResult {
  decisions: number;
  seatsFilled: number;
  durationMs: number;
  decisionsPerSecond: number;
  /** Refusals by code; errors (not AppError) by message. */
  codes: Record<string, number>;
  errors: number;
  outcomes: Outcome[];
  aborted: string | undefined;
}

async function drive(
  students: BenchStudent[],
  order: number[],
  concurrency: number,
  deadline: number,
  decide: (s: BenchStudent, sectionId: number) => Promise<{ status: number; code?: string | undefined }>,
): Promise<PeerResult> {
  const codes: Record<string, number> = {};
  const outcomes: Outcome[] = [];
  let decisions = 0;
  let seats = 0;
  let errors = 0;
  let aborted: string | undefined;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, order.length) }, async () => {
      while (next < order.length) {
        const s = students[order[next++]!]!;
        for (const sectionId of s.cart) {
          if (performance.now() > deadline) {
            aborted ??= 'did not finish within the phase limit';
            return;
          }
          const r = await decide(s, sectionId);
          outcomes.push({ studentId: s.id, sectionId, status: r.status, code: r.code, atMs: performance.now() - t0 });
          if (r.code) codes[r.code] = (codes[r.code] ?? 0) + 1;
          if (r.status === 201 || r.status === 403 || r.status === 409) decisions++;
          else errors++;
          if (r.status === 201) seats++;
        }
      }
    }),
  );
  const durationMs = performance.now() - t0;
  return { decisions, seatsFilled: seats, durationMs, decisionsPerSecond: Math.round((decisions / durationMs) * 1000), codes, errors, outcomes, aborted };
}

/** The enrollment service's transaction driven in-process (no HTTP) at the same concurrency. */
export async function runCeiling(db: Knex, students: BenchStudent[], order: number[], o: { concurrency: number; idempotency: boolean; deadline: number }): Promise<PeerResult & { roundTrips: number }> {
  const logger = createLogger('bench-ceiling', 'silent');
  const metrics = enrollmentMetrics(createMetrics('bench-ceiling', { defaultMetrics: false }));
  const catalog = new CatalogCache(db, { ttlMs: 5_000, logger });
  const service = createEnrollmentService({ db, catalog, clock: () => new Date(), logger, metrics, txRetries: 8 });
  await catalog.reload(); // the service warms up the same way on its first request
  // Round trips: statements sent alone, plus batches (BEGIN…/…COMMIT) counted once.
  let trips = 0;
  let lastBatch: unknown;
  const count = (q: { batch?: number }) => {
    if (q.batch === undefined || q.batch !== lastBatch) trips++;
    lastBatch = q.batch;
  };
  db.on('query', count);
  const result = await drive(students, order, o.concurrency, o.deadline, async (s, sectionId) => {
    try {
      const a = await service.enroll(
        { user: { id: s.id, role: 'student', loginId: s.studentNo, name: s.name }, idempotencyKey: o.idempotency ? randomUUID() : undefined },
        { sectionId },
      );
      return { status: a.status };
    } catch (err) {
      if (err instanceof AppError) {
        if (err.code === 'RATE_LIMITED') await sleep(100);
        return { status: err.status, code: err.code };
      }
      return { status: 500, code: (err as Error).message.slice(0, 60) };
    }
  });
  db.removeListener('query', count);
  return { ...result, roundTrips: Math.round((trips / Math.max(1, result.decisions + result.errors)) * 100) / 100 };
}

/** The naive peer's tables: a copy of the seat data, no constraints beyond a primary key. */
export async function prepareNaive(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('bench_naive_enrollment');
  await db.schema.dropTableIfExists('bench_naive_seat');
  await db.schema.createTable('bench_naive_seat', (t) => {
    t.integer('section_id').primary();
    t.integer('capacity').notNullable();
    t.integer('enrolled').notNullable();
  });
  await db.schema.createTable('bench_naive_enrollment', (t) => {
    t.bigIncrements('id').primary();
    t.integer('student_id').notNullable();
    t.integer('section_id').notNullable();
  });
  await db.raw('insert into bench_naive_seat (section_id, capacity, enrolled) select s.id, s.capacity, 0 from section s');
}

export interface NaiveResult extends PeerResult {
  /** Seats handed out beyond capacity, summed over sections. */
  oversold: number;
  sectionsOversold: number;
  /** Counter updates lost (rows minus counter), summed over sections. */
  lostUpdates: number;
}

/** Read, check, write back: no transaction, no lock, no conditional update. */
export async function runNaive(db: Knex, students: BenchStudent[], order: number[], o: { concurrency: number; deadline: number }): Promise<NaiveResult> {
  await prepareNaive(db);
  const result = await drive(students, order, o.concurrency, o.deadline, async (s, sectionId) => {
    const row = await db('bench_naive_seat').where({ section_id: sectionId }).first<{ capacity: number; enrolled: number } | undefined>('capacity', 'enrolled');
    if (!row) return { status: 404, code: 'NOT_FOUND' };
    if (Number(row.enrolled) >= Number(row.capacity)) return { status: 409, code: 'SECTION_FULL' };
    await db('bench_naive_enrollment').insert({ student_id: s.id, section_id: sectionId });
    await db('bench_naive_seat').where({ section_id: sectionId }).update({ enrolled: Number(row.enrolled) + 1 });
    return { status: 201 };
  });
  const [over] = (await db.raw(
    `select coalesce(sum(case when c.n > s.capacity then c.n - s.capacity else 0 end), 0) as oversold,
            coalesce(sum(case when c.n > s.capacity then 1 else 0 end), 0) as sections_oversold,
            coalesce(sum(c.n - s.enrolled), 0) as lost
     from bench_naive_seat s join (select section_id, count(*) as n from bench_naive_enrollment group by section_id) c on c.section_id = s.section_id`,
  ).then((r: unknown) => (engineOf(db) === 'mysql' ? (r as unknown[][])[0] : (r as unknown[])))) as Array<{ oversold: unknown; sections_oversold: unknown; lost: unknown }>;
  await db.schema.dropTableIfExists('bench_naive_enrollment');
  await db.schema.dropTableIfExists('bench_naive_seat');
  return { ...result, oversold: Number(over?.oversold ?? 0), sectionsOversold: Number(over?.sections_oversold ?? 0), lostUpdates: Number(over?.lost ?? 0) };
}
