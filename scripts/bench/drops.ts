/**
 * The drop phase after the opening (issue #15): a seeded random fraction of the students who hold
 * a seat drop one of their sections each, concurrently (at most C in flight), while the services
 * still run. A drop promotes the first eligible waiting student in its own transaction; the 1 s
 * sweeper handles the rest. Then the bench waits until nothing changes any more (quiescence):
 * only then do the waitlist invariants (no open seat while an eligible student waits) mean anything.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Knex } from '@goorm/common';
import { Random } from '@goorm/demo-data';
import { bearer, HttpClient, retryAfterMs, sleep } from './client.ts';
import type { DropAnswer } from './invariants.ts';
import { EndpointStats } from './stats.ts';
import type { BenchStudent } from './university.ts';

export interface DropPhaseConfig {
  enrollOrigin: string;
  db: Knex;
  termId: number;
  students: BenchStudent[];
  fraction: number;
  seed: number;
  concurrency: number;
  idempotency: boolean;
  /** No state change for this long = quiet (2-3 sweeper intervals). */
  quietMs: number;
  /** performance.now() past which the phase stops (reported as aborted). */
  deadline: number;
}

export interface DropPhaseResult {
  endpoint: EndpointStats;
  /** Students of the opening holding at least one seat when the phase began. */
  candidates: number;
  drops: DropAnswer[];
  /** Enrollment rows of the term, and the last event ids, when the drops began. */
  before: { rows: number; eventId: number; waitlistEventId: number; entries: number };
  /** From the first drop sent to the last drop answered. */
  dropsMs: number;
  /** From the last drop answered until the last change the bench saw (promotions by the sweeper, skips). */
  quiescentAfterMs: number;
  /** From the last drop answered until the bench called it quiet (quiescentAfterMs + quietMs, to the poll). */
  waitedMs: number;
  quiescent: boolean;
  /** The wall clock at quiescence (the waitlist invariants judge reservations at it). */
  quietAt: Date;
  aborted: string | undefined;
}

async function rows<T>(db: Knex, sql: string, bindings: Knex.RawBinding[] = []): Promise<T[]> {
  const r = (await db.raw(sql, bindings)) as unknown;
  return (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as T[];
}

/**
 * What changes while seats still move: rows, entries, entries never skipped, the enrollment event
 * log and the waitlist event log less its SKIPs. A skipped entry is tried again every 30 s and
 * skipped again for the same reason (another SKIP row, nothing else changes): that is not activity.
 */
async function signature(db: Knex, termId: number): Promise<string> {
  const [r] = await rows<Record<string, unknown>>(
    db,
    `select (select count(*) from enrollment where term_id = ?) as e,
            (select count(*) from waitlist_entry where term_id = ?) as w,
            (select count(*) from waitlist_entry where term_id = ? and skip_code is null) as ws,
            (select coalesce(max(id), 0) from enrollment_event) as ev,
            (select coalesce(max(id), 0) from waitlist_event where kind <> 'SKIP') as wv`,
    [termId, termId, termId],
  );
  return `${Number(r?.e)}/${Number(r?.w)}/${Number(r?.ws)}/${Number(r?.ev)}/${Number(r?.wv)}`;
}

/** Picks the droppers (seeded): `fraction` of the students holding a seat, one held section each. */
export function pickDrops(held: Map<number, number[]>, fraction: number, seed: number): Array<{ studentId: number; sectionId: number }> {
  const r = new Random((seed ^ 0x5eed_d209) >>> 0);
  const ids = [...held.keys()].sort((a, b) => a - b);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const n = fraction <= 0 ? 0 : Math.min(ids.length, Math.max(1, Math.round(fraction * ids.length)));
  return ids.slice(0, n).map((studentId) => {
    const sections = [...held.get(studentId)!].sort((a, b) => a - b);
    return { studentId, sectionId: sections[Math.floor(r.next() * sections.length)]! };
  });
}

export async function runDropPhase(cfg: DropPhaseConfig): Promise<DropPhaseResult> {
  const endpoint = new EndpointStats('DELETE /api/enrollments/:sectionId');
  const tokens = new Map(cfg.students.map((s) => [s.id, s.token]));
  const [counts] = await rows<Record<string, unknown>>(
    cfg.db,
    `select (select count(*) from enrollment where term_id = ?) as e,
            (select count(*) from waitlist_entry where term_id = ?) as w,
            (select coalesce(max(id), 0) from enrollment_event) as ev,
            (select coalesce(max(id), 0) from waitlist_event) as wv`,
    [cfg.termId, cfg.termId],
  );
  const before = { rows: Number(counts?.e), entries: Number(counts?.w), eventId: Number(counts?.ev), waitlistEventId: Number(counts?.wv) };
  const enrolled = await rows<{ student_id: number; section_id: number }>(cfg.db, 'select student_id, section_id from enrollment where term_id = ?', [cfg.termId]);
  const held = new Map<number, number[]>();
  for (const e of enrolled) {
    const id = Number(e.student_id);
    if (!tokens.has(id)) continue;
    held.set(id, [...(held.get(id) ?? []), Number(e.section_id)]);
  }
  const plan = pickDrops(held, cfg.fraction, cfg.seed);
  const drops: DropAnswer[] = [];
  let aborted: string | undefined;
  const http = new HttpClient(cfg.enrollOrigin, Math.max(1, Math.min(cfg.concurrency, plan.length)));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(cfg.concurrency, plan.length) }, async () => {
      while (next < plan.length) {
        const d = plan[next++]!;
        const headers: Record<string, string> = { ...bearer(tokens.get(d.studentId)!), ...(cfg.idempotency ? { 'idempotency-key': randomUUID() } : {}) };
        for (let attempt = 0; ; attempt++) {
          if (performance.now() > cfg.deadline) {
            aborted ??= `the drop phase did not finish within the phase limit; stopped with ${drops.length} of ${plan.length} drops answered`;
            return;
          }
          const r = await http.call('DELETE', `/api/enrollments/${d.sectionId}`, headers);
          if (r.ok) endpoint.record(r.ms, r.status, typeof r.body?.code === 'string' ? r.body.code : undefined);
          else endpoint.failed(r.error);
          if (r.ok && (r.status === 429 || (r.status === 503 && r.headers['retry-after'] !== undefined)) && attempt < 30) {
            await sleep(retryAfterMs(r.headers));
            continue;
          }
          drops.push({ ...d, status: r.ok ? r.status : 0, code: r.ok && typeof r.body?.code === 'string' ? r.body.code : undefined });
          break;
        }
      }
    }),
  );
  const dropsEnded = performance.now();
  await http.close();

  // Quiescence: poll the state until it has not changed for quietMs.
  let last = await signature(cfg.db, cfg.termId);
  let lastChange = dropsEnded;
  let quiescent = false;
  for (;;) {
    await sleep(200);
    const now = performance.now();
    const sig = await signature(cfg.db, cfg.termId);
    if (sig !== last) {
      last = sig;
      lastChange = now;
    } else if (now - lastChange >= cfg.quietMs) {
      quiescent = true;
      break;
    }
    if (now > cfg.deadline) {
      aborted ??= `the waitlists were still changing when the phase limit came (last change ${Math.round(now - lastChange)} ms ago)`;
      break;
    }
  }
  const quietAt = new Date();
  return {
    endpoint,
    candidates: held.size,
    drops,
    before,
    dropsMs: dropsEnded - started,
    quiescentAfterMs: Math.max(0, lastChange - dropsEnded),
    waitedMs: performance.now() - dropsEnded,
    quiescent,
    quietAt,
    aborted,
  };
}
