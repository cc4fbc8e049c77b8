/**
 * The opening replay: at t0 every student of the grade (already holding an access token) goes
 * through the waiting room when it is active and then tries each section of their cart in order,
 * as fast as the system answers, with at most C students in flight. SECTION_FULL (and any other
 * refusal) moves on to the next section; 429 waits Retry-After and tries again; 428 goes back
 * to the waiting room for a new admission token.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Random } from '@goorm/demo-data';
import { bearer, HttpClient, retryAfterMs, sleep, type CallResult } from './client.ts';
import { EndpointStats, PerSecond } from './stats.ts';
import type { BenchStudent } from './university.ts';

export interface Outcome {
  studentId: number;
  sectionId: number;
  /** HTTP status, or 0 when no answer came (transport error). */
  status: number;
  code: string | undefined;
  /** ms since t0 when the answer came. */
  atMs: number;
}

export interface OpeningConfig {
  enrollOrigin: string;
  students: BenchStudent[];
  concurrency: number;
  pollMs: number;
  idempotency: boolean;
  /** performance.now() of the opening; students start then. */
  t0: number;
  /** Stop starting requests after this performance.now() (the run is then reported as aborted). */
  deadline: number;
  /** Arrival order (a permutation of students' indexes). */
  order: number[];
  /** Join the waitlist of a section that answered SECTION_FULL (POST /api/enrollments/waitlist). */
  waitlist: boolean;
  /** The client the students call through (default: an HttpClient to enrollOrigin with `concurrency` connections; the chaos script's retries as the student app does). */
  http?: Pick<HttpClient, 'call' | 'close'>;
}

/** One answer of POST /api/enrollments/waitlist (after any 429/503 retries). */
export interface WaitlistJoin {
  studentId: number;
  sectionId: number;
  /** HTTP status, or 0 when no answer came. */
  status: number;
  code: string | undefined;
  /** The position the join answered (201/200). */
  position: number | undefined;
}

export interface QueueSeen {
  /** Whether POST /queue exists (404 = no waiting room in this build). */
  present: boolean;
  /** Whether the room said it was active. */
  active: boolean;
  joins: number;
  polls: number;
  /** Highest position any student was told. */
  maxPosition: number;
}

export interface OpeningResult {
  endpoints: { enroll: EndpointStats; join: EndpointStats; poll: EndpointStats; waitlist: EndpointStats };
  outcomes: Outcome[];
  /** Waitlist joins (empty when waitlists are off). */
  waitlistJoins: WaitlistJoin[];
  /** Per student: ms from their arrival (a slot among the C in flight) until admitted by the waiting room. */
  admissionWaitMs: Float64Array;
  /** Per student: ms from the opening until their last answer. */
  doneAfterMs: Float64Array;
  decisions: number;
  seatsFilled: number;
  /** From t0 until the last student had their last answer. */
  makespanMs: number;
  /** First and last decision (ms since t0). */
  firstDecisionMs: number;
  lastDecisionMs: number;
  /** Decisions per second between the 10th and the 90th percentile decision (ramp and tail left out). */
  sustainedDecisionsPerSecond: number;
  decisionsPerSecond: number[];
  seatsPerSecond: number[];
  queue: QueueSeen;
  aborted: string | undefined;
}

const DECISION_STATUSES = new Set([201, 403, 409]);

export async function runOpening(cfg: OpeningConfig): Promise<OpeningResult> {
  const http = cfg.http ?? new HttpClient(cfg.enrollOrigin, cfg.concurrency);
  const enroll = new EndpointStats('POST /api/enrollments');
  const join = new EndpointStats('POST /api/enrollments/queue');
  const poll = new EndpointStats('GET /api/enrollments/queue/:ticket');
  const waitlist = new EndpointStats('POST /api/enrollments/waitlist');
  const outcomes: Outcome[] = [];
  const waitlistJoins: WaitlistJoin[] = [];
  const admissionWait = new Float64Array(cfg.students.length);
  const doneAfter = new Float64Array(cfg.students.length);
  const decisionsPerSecond = new PerSecond(cfg.t0);
  const seatsPerSecond = new PerSecond(cfg.t0);
  const decisionTimes: number[] = [];
  const queue: QueueSeen = { present: true, active: false, joins: 0, polls: 0, maxPosition: 0 };
  let aborted: string | undefined;
  let decisions = 0;
  let seats = 0;

  const timedOut = () => {
    if (performance.now() <= cfg.deadline) return false;
    aborted ??= `the opening did not finish within the phase limit; stopped with ${outcomes.length} answers`;
    return true;
  };

  const note = (stats: EndpointStats, r: CallResult) => {
    if (r.ok) stats.record(r.ms, r.status, typeof r.body?.code === 'string' ? r.body.code : undefined);
    else stats.failed(r.error);
  };

  /** Joins (or re-joins) the waiting room and polls until admitted; the admission token, or undefined when no token is needed. */
  async function admit(auth: Record<string, string>): Promise<{ token: string | undefined } | undefined> {
    if (!queue.present) return { token: undefined };
    let r: CallResult;
    for (;;) {
      if (timedOut()) return undefined;
      r = await http.call('POST', '/api/enrollments/queue', auth);
      note(join, r);
      queue.joins++;
      if (r.ok && r.status === 404 && r.body?.code === 'NOT_FOUND' && String(r.body?.detail ?? '').includes('Route')) {
        queue.present = false;
        return { token: undefined };
      }
      if (r.ok && (r.status === 429 || r.status === 503)) {
        await sleep(retryAfterMs(r.headers));
        continue;
      }
      break;
    }
    if (!r.ok || r.status !== 200 || !r.body) return { token: undefined }; // counted; try to enroll anyway
    let place = r.body as { ticket: string; position: number; etaSeconds: number; admitted: boolean; admissionToken?: string; active: boolean; retryAfterMs?: number };
    if (place.active) queue.active = true;
    while (!place.admitted) {
      queue.maxPosition = Math.max(queue.maxPosition, place.position);
      // As the student app: when the server says the place will be admitted; else the old rule.
      await sleep(place.retryAfterMs ?? Math.min(cfg.pollMs, Math.max(250, place.etaSeconds * 1000)));
      if (timedOut()) return undefined;
      const p = await http.call('GET', `/api/enrollments/queue/${place.ticket}`, auth);
      note(poll, p);
      queue.polls++;
      if (p.ok && p.status === 200 && p.body) {
        place = p.body as typeof place;
      } else if (p.ok && (p.status === 429 || p.status === 503)) {
        await sleep(retryAfterMs(p.headers));
      } else {
        break; // counted (a 404 forged/expired ticket would be a bug here)
      }
    }
    return { token: place.admissionToken };
  }

  /** Joins the waitlist of a section that was full (as the app offers on SECTION_FULL); false once the student is told WAITLIST_LIMIT. */
  async function joinWaitlist(s: BenchStudent, auth: Record<string, string>, sectionId: number): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      if (timedOut()) return false;
      const r = await http.call('POST', '/api/enrollments/waitlist', auth, { sectionId });
      note(waitlist, r);
      if (r.ok && (r.status === 429 || (r.status === 503 && r.headers['retry-after'] !== undefined)) && attempt < 30) {
        await sleep(retryAfterMs(r.headers));
        continue;
      }
      const code = r.ok && typeof r.body?.code === 'string' ? r.body.code : undefined;
      const position = r.ok && typeof r.body?.position === 'number' ? r.body.position : undefined;
      waitlistJoins.push({ studentId: s.id, sectionId, status: r.ok ? r.status : 0, code, position });
      return code !== 'WAITLIST_LIMIT' && code !== 'WAITLIST_DISABLED';
    }
  }

  async function runStudent(index: number): Promise<void> {
    const s = cfg.students[index]!;
    const auth = bearer(s.token);
    let mayWait = cfg.waitlist;
    const arrived = performance.now();
    let admission = await admit(auth);
    admissionWait[index] = performance.now() - arrived;
    if (!admission) return;
    for (const sectionId of s.cart) {
      const idem: Record<string, string> = cfg.idempotency ? { 'idempotency-key': randomUUID() } : {};
      for (let attempt = 0; ; attempt++) {
        if (timedOut()) return;
        const headers: Record<string, string> = { ...auth, ...idem, ...(admission.token ? { 'x-admission-token': admission.token } : {}) };
        const r = await http.call('POST', '/api/enrollments', headers, { sectionId });
        note(enroll, r);
        const at = performance.now();
        // Busy (429) or shed (503 SERVICE_UNAVAILABLE, still counted as a 5xx): wait Retry-After, same key, as the app does.
        if (r.ok && (r.status === 429 || (r.status === 503 && r.headers['retry-after'] !== undefined)) && attempt < 30) {
          await sleep(retryAfterMs(r.headers));
          continue;
        }
        if (r.ok && r.status === 428 && attempt < 5) {
          const again = await admit(auth);
          if (!again) return;
          admission = again;
          continue;
        }
        const code = r.ok && typeof r.body?.code === 'string' ? r.body.code : undefined;
        outcomes.push({ studentId: s.id, sectionId, status: r.ok ? r.status : 0, code, atMs: at - cfg.t0 });
        if (r.ok && DECISION_STATUSES.has(r.status)) {
          decisions++;
          decisionsPerSecond.add(at);
          decisionTimes.push(at - cfg.t0);
          if (r.status === 201) {
            seats++;
            seatsPerSecond.add(at);
          }
        }
        if (mayWait && code === 'SECTION_FULL') mayWait = await joinWaitlist(s, auth, sectionId);
        break;
      }
    }
    doneAfter[index] = performance.now() - cfg.t0;
  }

  const wait = cfg.t0 - performance.now();
  if (wait > 0) await sleep(wait);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(cfg.concurrency, cfg.order.length) }, async () => {
      while (next < cfg.order.length) {
        const i = cfg.order[next++]!;
        await runStudent(i);
      }
    }),
  );
  const makespanMs = performance.now() - cfg.t0;
  await http.close();

  decisionTimes.sort((a, b) => a - b);
  const at = (q: number) => decisionTimes[Math.min(decisionTimes.length - 1, Math.max(0, Math.floor(q * decisionTimes.length)))] ?? 0;
  const sustainedSpan = at(0.9) - at(0.1);
  return {
    endpoints: { enroll, join, poll, waitlist },
    outcomes,
    waitlistJoins,
    admissionWaitMs: admissionWait,
    doneAfterMs: doneAfter,
    decisions,
    seatsFilled: seats,
    makespanMs,
    firstDecisionMs: decisionTimes[0] ?? 0,
    lastDecisionMs: decisionTimes[decisionTimes.length - 1] ?? 0,
    sustainedDecisionsPerSecond: sustainedSpan > 0 ? Math.round((0.8 * decisionTimes.length) / (sustainedSpan / 1000)) : 0,
    decisionsPerSecond: decisionsPerSecond.series(),
    seatsPerSecond: seatsPerSecond.series(),
    queue,
    aborted,
  };
}

/** A deterministic arrival order (Fisher-Yates with a seeded PRNG). */
export function arrivalOrder(n: number, seed: number): number[] {
  const r = new Random(seed ^ 0x9e3779b9);
  const random = () => r.next();
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
