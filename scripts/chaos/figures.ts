/**
 * What one fault cost, from the clients' timeline: which attempts failed and how, from when to
 * when, how long after the component was back the services answered again, and which failures
 * are not acceptable.
 *
 * Acceptable, and only between the fault and `recoverWithinS` after the component is back:
 * - 503 with Retry-After (SERVICE_UNAVAILABLE: the database or the waiting room is away), which
 *   the client retries with the same Idempotency-Key;
 * - no answer at all (connection reset, or no answer within the client's 15 s) for the
 *   enrollment-kill fault only: the requests in flight on the killed process (in flight at some
 *   moment of the window, however late the client noticed).
 * Never acceptable: a 500 or any other 5xx, a 503 without Retry-After, a 5xx or a lost answer
 * before the fault or later than `recoverWithinS` after the component is back, a request the
 * client had to give up on.
 */
import type { Attempt, RequestSummary } from './client.ts';
import type { FaultTimes } from './faults.ts';
import type { FaultName } from './options.ts';

export interface FailureFigures {
  attempts: number;
  failed: number;
  /** "503 SERVICE_UNAVAILABLE", "no answer (UND_ERR_SOCKET)", … */
  failedBy: Record<string, number>;
  failedByEndpoint: Record<string, number>;
  /** Seconds after the injection (undefined: nothing failed). */
  firstFailureS: number | undefined;
  lastFailureS: number | undefined;
  /** Seconds between the first and the last failed attempt (as the clients saw them: a lost answer counts when the client gave up waiting). */
  failingForS: number;
  /** Failed attempts by the second after the injection they were seen in (0 = the first second). */
  failuresPerSecond: Record<number, number>;
  /** Lost answers the client noticed only at its timeout (15 s): a connection handed to the killed process that hung. */
  timedOut: number;
  /** Seconds after the injection the component answered again. */
  backAfterS: number;
  /** Seconds after the injection when every endpoint that failed had answered a success after its own last failure (undefined: one never did). */
  recoveredAfterS: number | undefined;
  /** recoveredAfterS − backAfterS: how long the services took to serve again once the component was back (negative: they never stopped). */
  recoveryAfterBackS: number | undefined;
  requests: number;
  /** Requests that needed a retry, and more retries than the student app makes (2). */
  retried: number;
  beyondAppRetries: number;
  /** Requests the client gave up on (still failing after --give-up). */
  unresolved: number;
  /** Enroll decisions (201/403/409) answered before the injection, while the component was away, and after it was back. */
  decisions: { before: number; during: number; after: number };
  midBurst: boolean;
  /** The failures that are not acceptable, by breach kind. */
  breaches: Record<string, number>;
  breachExamples: string[];
  /** The first 300 failed attempts: endpoint, what came back, sent and answered (seconds after the injection). */
  failedAttempts: Array<{ endpoint: string; answer: string; sentS: number; answeredS: number; attempt: number }>;
}

const s = (ms: number) => Math.round(ms) / 1000;

const isFailure = (a: Attempt) => a.status === 0 || a.status >= 500;

export function failureFigures(fault: FaultName, times: FaultTimes, attempts: Attempt[], requests: RequestSummary[], recoverWithinS: number): FailureFigures {
  const failedBy: Record<string, number> = {};
  const failedByEndpoint: Record<string, number> = {};
  const breaches: Record<string, number> = {};
  const breachExamples: string[] = [];
  const breach = (kind: string, a: Attempt) => {
    breaches[kind] = (breaches[kind] ?? 0) + 1;
    if (breachExamples.length < 20) breachExamples.push(`${kind}: ${a.endpoint} answered ${label(a)} ${s(a.at - times.injectedAt)} s after the injection`);
  };
  const windowEnd = times.backAt + recoverWithinS * 1000;
  let first: number | undefined;
  let last: number | undefined;
  const failuresPerSecond: Record<number, number> = {};
  const failedAttempts: FailureFigures['failedAttempts'] = [];
  let timedOut = 0;
  const decisions = { before: 0, during: 0, after: 0 };
  for (const a of attempts) {
    if (a.endpoint === 'POST /api/enrollments' && (a.status === 201 || a.status === 403 || a.status === 409)) {
      if (a.at < times.injectedAt) decisions.before++;
      else if (a.at < times.backAt) decisions.during++;
      else decisions.after++;
    }
    if (!isFailure(a)) continue;
    if (failedAttempts.length < 300) failedAttempts.push({ endpoint: a.endpoint, answer: label(a), sentS: s(a.startedAt - times.injectedAt), answeredS: s(a.at - times.injectedAt), attempt: a.attempt });
    failedBy[label(a)] = (failedBy[label(a)] ?? 0) + 1;
    failedByEndpoint[a.endpoint] = (failedByEndpoint[a.endpoint] ?? 0) + 1;
    first = first === undefined ? a.at : Math.min(first, a.at);
    last = last === undefined ? a.at : Math.max(last, a.at);
    const second = Math.floor((a.at - times.injectedAt) / 1000);
    failuresPerSecond[second] = (failuresPerSecond[second] ?? 0) + 1;
    if (a.status !== 0 && !(a.status === 503 && a.retryAfter)) breach('UNEXPECTED_SERVER_ERROR', a);
    else if (a.status === 0 && fault !== 'enrollment-kill') breach('DROPPED_CONNECTION', a);
    else if (a.status === 0) {
      // A lost answer belongs to the kill when the request was in flight during the window (the
      // client may only notice at its timeout, after a connection handed to the dying process hung).
      if (a.at < times.injectedAt) breach('DROPPED_BEFORE_FAULT', a);
      else if (a.startedAt > windowEnd) breach('NOT_RECOVERED', a);
      else if (a.error === 'UND_ERR_HEADERS_TIMEOUT' || a.error === 'UND_ERR_BODY_TIMEOUT') timedOut++;
    } else if (a.at < times.injectedAt) breach('SERVER_ERROR_BEFORE_FAULT', a);
    else if (a.at > windowEnd) breach('NOT_RECOVERED', a);
  }
  // Served again: every endpoint that failed has answered a success after its own last failure.
  const lastFailureOf = new Map<string, number>();
  for (const a of attempts) if (isFailure(a)) lastFailureOf.set(a.endpoint, Math.max(lastFailureOf.get(a.endpoint) ?? -Infinity, a.at));
  let recovered: number | undefined;
  for (const [endpoint, lastFailure] of lastFailureOf) {
    let firstSuccess: number | undefined;
    for (const a of attempts) if (a.endpoint === endpoint && !isFailure(a) && a.at > lastFailure && (firstSuccess === undefined || a.at < firstSuccess)) firstSuccess = a.at;
    if (firstSuccess === undefined) {
      recovered = undefined;
      break;
    }
    recovered = Math.max(recovered ?? -Infinity, firstSuccess);
  }
  const unresolved = requests.filter((r) => r.unresolved).length;
  if (unresolved > 0) {
    breaches.UNRESOLVED = unresolved;
    breachExamples.push(`UNRESOLVED: ${unresolved} requests still failed after the client's last retry`);
  }
  return {
    attempts: attempts.length,
    failed: Object.values(failedBy).reduce((n, v) => n + v, 0),
    failedBy,
    failedByEndpoint,
    firstFailureS: first === undefined ? undefined : s(first - times.injectedAt),
    lastFailureS: last === undefined ? undefined : s(last - times.injectedAt),
    failingForS: first === undefined || last === undefined ? 0 : s(last - first),
    failuresPerSecond,
    timedOut,
    backAfterS: s(times.backAt - times.injectedAt),
    recoveredAfterS: recovered === undefined ? undefined : s(recovered - times.injectedAt),
    recoveryAfterBackS: recovered === undefined ? undefined : s(recovered - times.backAt),
    requests: requests.length,
    retried: requests.filter((r) => r.attempts > 1).length,
    beyondAppRetries: requests.filter((r) => r.attempts > 3).length,
    unresolved,
    decisions,
    midBurst: decisions.before > 0 && decisions.after > 0,
    breaches,
    breachExamples,
    failedAttempts,
  };
}

function label(a: Attempt): string {
  if (a.status === 0) return `no answer (${a.error ?? 'error'})`;
  return `${a.status}${a.code ? ` ${a.code}` : ''}${a.status === 503 && !a.retryAfter ? ' without Retry-After' : ''}`;
}
