/**
 * The soak's students: a steady stream of sessions (open loop, `sessionsPerSecond`), each one
 * student at a time (a student is never in two sessions): join the waiting room and poll until
 * admitted, enroll in one to three sections of the cart (a SECTION_FULL joins that waitlist, as
 * the app offers), read the timetable, stay a while, then leave the waitlists and drop everything
 * the timetable shows (promotions included). Seats never run out and the state returns to empty.
 * 429 and 503-with-Retry-After are retried after Retry-After with the same Idempotency-Key, as the
 * student app does (and the bench's opening).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Random } from '@goorm/demo-data';
import { bearer, HttpClient, retryAfterMs, sleep, type CallResult } from '../bench/client.ts';
import { EndpointStats } from '../bench/stats.ts';
import type { BenchStudent } from '../bench/university.ts';

export interface StudentsConfig {
  origin: string;
  students: BenchStudent[];
  sessionsPerSecond: number;
  seed: number;
  /** How long a student keeps their seats before dropping them (uniform in this range, ms). */
  holdMs: [number, number];
  connections: number;
}

export interface Answer {
  studentId: number;
  sectionId: number;
  status: number;
  code: string | undefined;
}

export class SoakStudents {
  readonly endpoints = {
    join: new EndpointStats('POST /api/enrollments/queue'),
    poll: new EndpointStats('GET /api/enrollments/queue/:ticket'),
    enroll: new EndpointStats('POST /api/enrollments'),
    waitlistJoin: new EndpointStats('POST /api/enrollments/waitlist'),
    waitlistLeave: new EndpointStats('DELETE /api/enrollments/waitlist/:sectionId'),
    me: new EndpointStats('GET /api/enrollments/me (session)'),
    drop: new EndpointStats('DELETE /api/enrollments/:sectionId'),
  };
  /** Enroll answers (final, after retries): checked against the event log at the end. */
  readonly enrollCodes: Record<string, number> = {};
  readonly dropCodes: Record<string, number> = {};
  readonly waitlistCodes: Record<string, number> = {};
  /** Every final enroll answer (for the bench's checkRun: event log counts, refusal codes). */
  readonly answers: Answer[] = [];
  /** What the clients believe each student holds from their own 201s and 200 drops ("student:section"). */
  readonly held = new Set<string>();
  sessionsStarted = 0;
  sessionsDone = 0;
  /** Arrivals with no idle student to play them (the pool was too small for the rate). */
  sessionsSkipped = 0;
  private readonly http: HttpClient;
  private readonly random: () => number;
  private readonly idle: number[];
  private stopped = false;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly cfg: StudentsConfig) {
    this.http = new HttpClient(cfg.origin, cfg.connections, 30_000);
    const r = new Random((cfg.seed ^ 0x50a4) >>> 0);
    this.random = () => r.next();
    this.idle = cfg.students.map((_, i) => i);
  }

  get requests(): number {
    return Object.values(this.endpoints).reduce((n, e) => n + e.requests, 0);
  }

  get serverErrors(): number {
    return Object.values(this.endpoints).reduce((n, e) => n + e.count5xx(), 0);
  }

  get transportErrors(): number {
    return Object.values(this.endpoints).reduce((n, e) => n + e.transportErrors, 0);
  }

  /** Starts sessions at the steady rate until stop(). */
  async run(): Promise<void> {
    const started = performance.now();
    let due = 0;
    while (!this.stopped) {
      const target = Math.floor(((performance.now() - started) / 1000) * this.cfg.sessionsPerSecond);
      while (due < target) {
        due++;
        if (this.idle.length === 0) {
          this.sessionsSkipped++;
          continue;
        }
        const i = this.idle.splice(Math.floor(this.random() * this.idle.length), 1)[0]!;
        this.sessionsStarted++;
        const p: Promise<void> = this.session(this.cfg.students[i]!)
          .catch(() => undefined)
          .finally(() => {
            this.idle.push(i);
            this.sessionsDone++;
            this.running.delete(p);
          });
        this.running.add(p);
      }
      await sleep(20);
    }
  }

  /** Stops new sessions and waits until every running one has dropped its seats. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.running]);
    await this.http.close();
  }

  private note(stats: EndpointStats, r: CallResult) {
    if (r.ok) stats.record(r.ms, r.status, typeof r.body?.code === 'string' ? r.body.code : undefined);
    else stats.failed(r.error);
  }

  /** One call, retried after Retry-After on 429 and on 503 with Retry-After (at most 30 times). */
  private async call(stats: EndpointStats, method: 'GET' | 'POST' | 'DELETE', path: string, headers: Record<string, string>, body?: unknown): Promise<CallResult> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.http.call(method, path, headers, body);
      this.note(stats, r);
      if (r.ok && (r.status === 429 || (r.status === 503 && r.headers['retry-after'] !== undefined)) && attempt < 30) {
        await sleep(retryAfterMs(r.headers));
        continue;
      }
      return r;
    }
  }

  private async admit(auth: Record<string, string>): Promise<string | undefined> {
    const r = await this.call(this.endpoints.join, 'POST', '/api/enrollments/queue', auth);
    if (!r.ok || r.status !== 200 || !r.body) return undefined;
    let place = r.body as { ticket: string; etaSeconds: number; admitted: boolean; admissionToken?: string; retryAfterMs?: number };
    for (let polls = 0; !place.admitted && polls < 120; polls++) {
      await sleep(place.retryAfterMs ?? Math.min(2_000, Math.max(250, place.etaSeconds * 1000)));
      const p = await this.call(this.endpoints.poll, 'GET', `/api/enrollments/queue/${place.ticket}`, auth);
      if (!p.ok || p.status !== 200 || !p.body) return undefined;
      place = p.body as typeof place;
    }
    return place.admissionToken;
  }

  private async session(s: BenchStudent): Promise<void> {
    const auth = bearer(s.token);
    let token = await this.admit(auth);
    const cart = [...s.cart];
    const wanted = 1 + Math.floor(this.random() * 3);
    const waitlisted: number[] = [];
    for (let k = 0; k < wanted && cart.length > 0; k++) {
      const sectionId = cart.splice(Math.floor(this.random() * cart.length), 1)[0]!;
      const idem = { 'idempotency-key': randomUUID() };
      let r: CallResult;
      for (let again = 0; ; again++) {
        r = await this.call(this.endpoints.enroll, 'POST', '/api/enrollments', { ...auth, ...idem, ...(token ? { 'x-admission-token': token } : {}) }, { sectionId });
        if (r.ok && r.status === 428 && again < 3) {
          token = await this.admit(auth);
          continue;
        }
        break;
      }
      const code = r.ok ? (r.status === 201 ? 'OK' : typeof r.body?.code === 'string' ? r.body.code : String(r.status)) : 'NO_ANSWER';
      this.enrollCodes[code] = (this.enrollCodes[code] ?? 0) + 1;
      this.answers.push({ studentId: s.id, sectionId, status: r.ok ? r.status : 0, code: r.ok && typeof r.body?.code === 'string' ? r.body.code : undefined });
      if (r.ok && r.status === 201) this.held.add(`${s.id}:${sectionId}`);
      if (code === 'SECTION_FULL') {
        const w = await this.call(this.endpoints.waitlistJoin, 'POST', '/api/enrollments/waitlist', auth, { sectionId });
        const wc = w.ok ? (typeof w.body?.code === 'string' ? w.body.code : String(w.status)) : 'NO_ANSWER';
        this.waitlistCodes[wc] = (this.waitlistCodes[wc] ?? 0) + 1;
        if (w.ok && (w.status === 201 || w.status === 200)) waitlisted.push(sectionId);
      }
    }
    await this.call(this.endpoints.me, 'GET', '/api/enrollments/me', auth);
    const [lo, hi] = this.cfg.holdMs;
    await sleep(lo + this.random() * (hi - lo));
    // Leave the waitlists first: no promotion can then land after the timetable is read.
    for (const sectionId of waitlisted) await this.call(this.endpoints.waitlistLeave, 'DELETE', `/api/enrollments/waitlist/${sectionId}`, auth);
    const me = await this.call(this.endpoints.me, 'GET', '/api/enrollments/me', auth);
    const items = me.ok && me.status === 200 && Array.isArray(me.body?.items) ? (me.body.items as Array<{ sectionId: number }>) : [];
    for (const { sectionId } of items) {
      const d = await this.call(this.endpoints.drop, 'DELETE', `/api/enrollments/${sectionId}`, { ...auth, 'idempotency-key': randomUUID() });
      const dc = d.ok ? (d.status === 200 || d.status === 204 ? 'OK' : typeof d.body?.code === 'string' ? d.body.code : String(d.status)) : 'NO_ANSWER';
      this.dropCodes[dc] = (this.dropCodes[dc] ?? 0) + 1;
      if (dc === 'OK') this.held.delete(`${s.id}:${sectionId}`);
    }
  }
}
