/**
 * An experiment, not the service's code: the enrollment service's rules and seat accounting in
 * as few round trips as MySQL allows, to show what the round-trip count costs on this machine.
 *
 *   1. BEGIN; lock the student's row and read their enrollments (and the Idempotency-Key's answer)
 *   2. the conditional seat UPDATE (sections with unreleased reservations: lock their counters first, one more)
 *   3. INSERT enrollment; INSERT enrollment_event; INSERT idempotency_record; COMMIT   (one multi-statement)
 *   a refusal decided from the cached catalog: INSERT enrollment_event; COMMIT          (one multi-statement)
 *
 * The rules are the service's own pure functions over its own catalog cache; the statements are
 * the service's statements, batched with mysql2's multipleStatements. The service's path does
 * 8 round trips (a pre-transaction idempotency read, BEGIN, lock, seat, three inserts, COMMIT).
 */
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mysql, { type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { createLogger, type Knex } from '@goorm/common';
import { CatalogCache } from '../../services/enrollment/src/catalog/catalog.service.ts';
import { addRefusal, eligibilityRefusal, ENROLL_PHASES, matchesReservation, unreleased } from '../../services/enrollment/src/enrollments/enrollments.rules.ts';
import type { PeerResult } from './ceiling.ts';
import type { Outcome } from './opening.ts';
import type { BenchStudent } from './university.ts';

function leanPool(url: string, size: number): Pool {
  const u = new URL(url);
  const pool = mysql.createPool({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
    connectionLimit: size,
    multipleStatements: true,
    timezone: 'Z',
    charset: 'utf8mb4',
  });
  // The same session settings as the services' pool (common/db.ts).
  pool.on('connection', (conn) => {
    conn.query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED; SET time_zone = '+00:00'");
  });
  return pool;
}

const isDup = (err: unknown) => (err as { errno?: number }).errno === 1062;
const retryable = (err: unknown) => [1213, 1205].includes((err as { errno?: number }).errno ?? 0);

export async function runLean(
  db: Knex,
  url: string,
  students: BenchStudent[],
  order: number[],
  o: { concurrency: number; pool: number; idempotency: boolean; deadline: number },
): Promise<PeerResult & { roundTrips: number }> {
  const catalog = new CatalogCache(db, { ttlMs: 5_000, logger: createLogger('bench-lean', 'silent') });
  await catalog.reload();
  const pool = leanPool(url, o.pool);
  let roundTrips = 0;
  const q = async <T>(conn: PoolConnection, sql: string, values: unknown[]): Promise<T> => {
    roundTrips++;
    const [r] = await conn.query(sql, values);
    return r as T;
  };

  async function decide(s: BenchStudent, sectionId: number): Promise<{ status: number; code?: string }> {
    const now = new Date();
    const { snapshot, section } = await catalog.withSection(sectionId);
    if (!section) return { status: 404, code: 'NOT_FOUND' };
    const idemKey = o.idempotency ? `student${s.id}:${randomUUID()}` : undefined;
    const event = (outcome: string) => [s.id, sectionId, 'ENROLL', outcome, null, now];
    const eventSql = 'insert into enrollment_event (student_id, section_id, action, outcome, actor_staff_id, created_at) values (?, ?, ?, ?, ?, ?)';
    const idemSql = 'insert into idempotency_record (idem_key, request_hash, status, body, created_at) values (?, ?, ?, ?, ?)';
    const idemRow = (status: number, body: string) =>
      idemKey ? [idemKey, createHash('sha256').update(`${sectionId}`).digest('hex'), status, body, now] : [];
    for (let attempt = 0; ; attempt++) {
      const conn = await pool.getConnection();
      try {
        const lockSql =
          'begin; select s.id, s.major_id, s.grade, s.max_credits, e.section_id, e.lecture_id, e.term_id, e.reservation_id' +
          (idemKey ? ', (select status from idempotency_record where idem_key = ?) as idem_status' : '') +
          ' from student s left join enrollment e on e.student_id = s.id where s.id = ? for update';
        const res = await q<[ResultSetHeader, RowDataPacket[]]>(conn, lockSql, idemKey ? [idemKey, s.id] : [s.id]);
        const rows = res[1];
        const first = rows[0]!;
        const student = { id: s.id, majorId: Number(first.major_id), grade: Number(first.grade), maxCredits: Number(first.max_credits) };
        const held = rows.filter((r) => r.section_id !== null).map((r) => ({ sectionId: Number(r.section_id), lectureId: Number(r.lecture_id), termId: Number(r.term_id) }));
        const heldSections = held.flatMap((h) => (h.termId === snapshot.termId && snapshot.section(h.sectionId) ? [snapshot.section(h.sectionId)!] : []));
        const refusal = !snapshot.openWindow(ENROLL_PHASES, now, student.grade)
          ? 'WINDOW_CLOSED'
          : (eligibilityRefusal(section, student) ?? addRefusal(section, student, held, heldSections, (id) => snapshot.section(id)))?.code;
        if (refusal) {
          await q(conn, `${eventSql}; ${idemKey ? `${idemSql}; ` : ''}commit`, [...event(refusal), ...idemRow(409, refusal)]);
          return { status: refusal === 'WINDOW_CLOSED' || refusal === 'NOT_ELIGIBLE' ? 403 : 409, code: refusal };
        }
        // Seat: the service's takeSeatFor, statement for statement.
        const pending = unreleased(section, now.getTime());
        let reservationId: number | null = null;
        let taken = false;
        const takeSeat = async (heldBack: number) =>
          (
            await q<ResultSetHeader>(conn, 'update section_seat set enrolled = enrolled + 1 where section_id = ? and enrolled + ? < (select capacity from section where id = ?)', [
              sectionId,
              heldBack,
              sectionId,
            ])
          ).affectedRows === 1;
        if (pending.length === 0) taken = await takeSeat(0);
        else {
          const used = new Map(
            (await q<RowDataPacket[]>(conn, 'select reservation_id, used from reservation_seat where section_id = ? order by reservation_id for update', [sectionId])).map((r) => [
              Number(r.reservation_id),
              Number(r.used),
            ]),
          );
          const mine = pending.find((r) => matchesReservation(r, student) && (used.get(r.id) ?? 0) < r.seats);
          if (mine && (await q<ResultSetHeader>(conn, 'update reservation_seat set used = used + 1 where reservation_id = ? and used < ?', [mine.id, mine.seats])).affectedRows === 1) {
            taken = await takeSeat(0);
            reservationId = mine.id;
            if (!taken) {
              await q(conn, 'rollback', []);
              await q(conn, `${eventSql}`, event('SECTION_FULL'));
              return { status: 409, code: 'SECTION_FULL' };
            }
          } else {
            taken = await takeSeat(pending.reduce((n, r) => n + Math.max(0, r.seats - (used.get(r.id) ?? 0)), 0));
          }
        }
        if (!taken) {
          await q(conn, `${eventSql}; ${idemKey ? `${idemSql}; ` : ''}commit`, [...event('SECTION_FULL'), ...idemRow(409, 'SECTION_FULL')]);
          return { status: 409, code: 'SECTION_FULL' };
        }
        await q(
          conn,
          'insert into enrollment (student_id, section_id, lecture_id, term_id, reservation_id, over_capacity, created_at) values (?, ?, ?, ?, ?, 0, ?); ' +
            `${eventSql}; ${idemKey ? `${idemSql}; ` : ''}commit`,
          [s.id, sectionId, section.lectureId, section.termId, reservationId, now, ...event('OK'), ...idemRow(201, '{}')],
        );
        return { status: 201 };
      } catch (err) {
        await conn.query('rollback').catch(() => undefined);
        if (isDup(err)) {
          await conn.query(eventSql, event('ALREADY_ENROLLED'));
          return { status: 409, code: 'ALREADY_ENROLLED' };
        }
        if (retryable(err) && attempt < 8) continue;
        return { status: 500, code: (err as Error).message.slice(0, 60) };
      } finally {
        conn.release();
      }
    }
  }

  const codes: Record<string, number> = {};
  const outcomes: Outcome[] = [];
  let decisions = 0;
  let seats = 0;
  let errors = 0;
  let aborted: string | undefined;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(o.concurrency, order.length) }, async () => {
      while (next < order.length) {
        const s = students[order[next++]!]!;
        for (const sectionId of s.cart) {
          if (performance.now() > o.deadline) {
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
  await pool.end();
  return {
    decisions,
    seatsFilled: seats,
    durationMs,
    decisionsPerSecond: Math.round((decisions / durationMs) * 1000),
    codes,
    errors,
    outcomes,
    aborted,
    roundTrips: Math.round((roundTrips / Math.max(1, decisions)) * 100) / 100,
  };
}
