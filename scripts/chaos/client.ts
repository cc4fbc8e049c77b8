/**
 * The chaos script's client: the bench's HttpClient, retrying as the student app does
 * (frontend-student/src/stores/enrollment.ts) and recording every attempt on one timeline.
 *
 * - What is retried: the app's transient answers, i.e. 503 SERVICE_UNAVAILABLE, a proxy's 502 or
 *   504 (mapped to SERVICE_UNAVAILABLE by the contract client) and no answer at all (NETWORK).
 *   429 is left to the opening's own loop (bench/opening.ts), as in the benchmark. A 500 is an
 *   answer and is not retried.
 * - How: the very same request again, so the same Idempotency-Key (the opening sends one per
 *   section); after Retry-After when the answer has one, else 500 ms x 2^attempt, at most 5 s.
 * - How long: the app gives up after 2 retries and shows the error (the student then sees the
 *   refreshed timetable); this client goes on until `giveUpMs` after the first attempt, as a
 *   student who presses the button again with the same request would (the app resumes a request
 *   under its key after the waiting room). How many requests needed more than the app's 2 retries
 *   is reported (`beyondAppRetries`): those students would have seen an error message first.
 */
import { performance } from 'node:perf_hooks';
import { HttpClient, sleep, type CallResult } from '../bench/client.ts';

/** One attempt as the client saw it (times: performance.now()). */
export interface Attempt {
  endpoint: string;
  startedAt: number;
  at: number;
  /** HTTP status, 0 when no answer came. */
  status: number;
  error: string | undefined;
  code: string | undefined;
  retryAfter: boolean;
  /** 0 for the first attempt of a request. */
  attempt: number;
}

/** One logical request (all its attempts). */
export interface RequestSummary {
  endpoint: string;
  attempts: number;
  /** The final status (0: no answer). */
  status: number;
  /** Whether it ended on a transient answer (the client ran out of patience). */
  unresolved: boolean;
}

const APP_RETRIES = 2;
const MAX_WAIT_MS = 5_000;

/** `POST /api/enrollments/queue/abc` → `POST /api/enrollments/queue/:ticket` (low cardinality, as the services' metrics). */
export function endpointOf(method: string, path: string): string {
  const p = path.split('?')[0]!;
  if (/^\/api\/enrollments\/queue\/[^/]+$/.test(p) && p !== '/api/enrollments/queue/settings') return `${method} /api/enrollments/queue/:ticket`;
  return `${method} ${p.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
}

export const isTransient = (r: CallResult) => !r.ok || r.status === 502 || r.status === 503 || r.status === 504;

export class RetryingClient {
  private readonly http: HttpClient;
  readonly attempts: Attempt[] = [];
  readonly requests: RequestSummary[] = [];

  constructor(
    origin: string,
    connections: number,
    private readonly giveUpMs: number,
    /** Longer than the services' own bound on a request (the pool's 10 s acquire timeout, then 503): an attempt without an answer by then is lost. */
    timeoutMs = 15_000,
  ) {
    this.http = new HttpClient(origin, connections, timeoutMs);
  }

  async call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, headers: Record<string, string>, body?: unknown): Promise<CallResult> {
    const endpoint = endpointOf(method, path);
    const first = performance.now();
    for (let attempt = 0; ; attempt++) {
      const startedAt = performance.now();
      const r = await this.http.call(method, path, headers, body);
      const retryAfter = r.ok && r.headers['retry-after'] !== undefined;
      this.attempts.push({
        endpoint,
        startedAt,
        at: performance.now(),
        status: r.ok ? r.status : 0,
        error: r.ok ? undefined : r.error,
        code: r.ok && typeof r.body?.code === 'string' ? r.body.code : undefined,
        retryAfter,
        attempt,
      });
      const giveUp = performance.now() - first > this.giveUpMs;
      if (!isTransient(r) || giveUp) {
        this.requests.push({ endpoint, attempts: attempt + 1, status: r.ok ? r.status : 0, unresolved: isTransient(r) });
        return r;
      }
      const told = r.ok ? Number(r.headers['retry-after']) : NaN;
      await sleep(Math.min(MAX_WAIT_MS, Number.isFinite(told) && told >= 0 ? Math.max(100, told * 1000) : 500 * 2 ** Math.min(attempt, 4)));
    }
  }

  /** Requests that needed more attempts than the student app makes (1 + 2 retries). */
  beyondAppRetries(): number {
    return this.requests.filter((r) => r.attempts > APP_RETRIES + 1).length;
  }

  private closing: Promise<void> | undefined;

  /** Closes the pool once (the opening closes the client it is given; the script closes it again on the way out). */
  close(): Promise<void> {
    return (this.closing ??= this.http.close());
  }
}
