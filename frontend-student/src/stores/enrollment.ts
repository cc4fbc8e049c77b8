import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { EnrollmentWindow, Timetable } from '@goorm/contracts';
import { ApiError, type ClientErrorCode } from '@goorm/contracts/client';
import { asApiError } from '../api/client.ts';
import * as enrollmentsApi from '../api/enrollments.ts';
import type { Outcome, SectionRef } from '../domain/outcomes.ts';
import type { AsyncStatus } from './async.ts';
import { nextOutcomeId } from './results.ts';

/** A fresh Idempotency-Key: one per section per click, reused by every retry of that request. */
export const newKey = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/**
 * Refusals that say "not now" rather than "no": retried with the same Idempotency-Key, so a retry can
 * never enroll, drop or swap twice. SERVICE_UNAVAILABLE covers the gateway's 502 and 504 too: a 504 may
 * hide a commit, and the retry is then answered from the stored first answer.
 */
const TRANSIENT: readonly ClientErrorCode[] = ['RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'NETWORK'];
const MAX_RETRY_WAIT_MS = 5000;
/**
 * How long one write keeps being retried after transient refusals before the student sees the error:
 * longer than a database restart or failover takes here (back within 10.5 s, serving again within
 * 13 s in `npm run chaos`, docs/reliability.md), so such an outage shows as a slow answer, not a failure.
 */
export const RETRY_BUDGET_MS = 20_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/**
 * The server's Retry-After as it is (an earlier retry would be refused again, and a refused hit still
 * counts against the rate limit); without one, 500 ms × 2^attempt up to 5 s. A wait past the retry
 * budget ends the retries (withRetries).
 */
const retryWaitMs = (e: ApiError, attempt: number) =>
  e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : Math.min(MAX_RETRY_WAIT_MS, 500 * 2 ** attempt);

/** Enrollments (the timetable), the enrollment windows with the server clock, and the enroll/drop/swap actions. */
export const useEnrollmentStore = defineStore('enrollment', () => {
  const timetable = ref<Timetable | undefined>();
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();

  const windows = ref<EnrollmentWindow[]>([]);
  const windowsStatus = ref<AsyncStatus>('idle');
  /** serverTime − local time, in ms: add it to Date.now() to get the server's clock. */
  const clockOffsetMs = ref(0);
  /** Set by the waiting room once admitted; sent as X-Admission-Token. */
  const admissionToken = ref<string | undefined>();

  const items = computed(() => timetable.value?.items ?? []);
  const sections = computed(() => items.value.map((e) => e.section));
  const sectionIds = computed(() => new Set(items.value.map((e) => e.sectionId)));
  const lectureIds = computed(() => new Set(items.value.map((e) => e.lectureId)));
  const totalCredits = computed(() => timetable.value?.totalCredits ?? 0);
  /** The student's maximum (unknown until the timetable is read). */
  const maxCredits = computed(() => timetable.value?.maxCredits);

  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      timetable.value = await enrollmentsApi.myEnrollments();
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      error.value = asApiError(e);
      status.value = 'error';
    }
  }

  async function loadWindows(): Promise<void> {
    windowsStatus.value = 'loading';
    try {
      const sent = Date.now();
      const list = await enrollmentsApi.listWindows();
      const received = Date.now();
      // The server stamped its time somewhere between sending and receiving: take the midpoint.
      clockOffsetMs.value = Date.parse(list.serverTime) - Math.round((sent + received) / 2);
      windows.value = list.items;
      windowsStatus.value = 'done';
    } catch {
      windowsStatus.value = 'error';
    }
  }

  const serverNow = () => Date.now() + clockOffsetMs.value;

  function refusal(kind: Outcome['kind'], section: SectionRef, e: unknown): Outcome {
    if (!(e instanceof ApiError)) throw e;
    if (e.is('QUEUE_REQUIRED')) admissionToken.value = undefined;
    const conflict = e.is('TIME_CONFLICT') ? e.problem.conflict : undefined;
    const conflictSection = conflict && sections.value.find((s) => s.id === conflict.sectionId);
    return { id: nextOutcomeId(), kind, ok: false, section, code: e.code, conflict, conflictSection };
  }

  /**
   * Sends one write with its Idempotency-Key, and again with the same key after a transient refusal,
   * while `RETRY_BUDGET_MS` lasts (and at most `retries` times, default 20).
   */
  async function withRetries(send: (idempotencyKey: string) => Promise<unknown>, opts: { idempotencyKey?: string; retries?: number }): Promise<void> {
    const idempotencyKey = opts.idempotencyKey ?? newKey();
    const retries = opts.retries ?? 20;
    const giveUpAt = Date.now() + RETRY_BUDGET_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await send(idempotencyKey);
        return;
      } catch (e) {
        if (!(e instanceof ApiError && e.is(...TRANSIENT) && attempt < retries)) throw e;
        const wait = retryWaitMs(e, attempt);
        if (Date.now() + wait > giveUpAt) throw e;
        await sleep(wait);
      }
    }
  }

  /**
   * Enrolls in one section. `idempotencyKey`: the key of this request (pass the same key again to
   * resume it, e.g. after the waiting room); transient refusals are retried with it (withRetries).
   */
  async function enroll(section: SectionRef, opts: { idempotencyKey?: string; retries?: number } = {}): Promise<Outcome> {
    try {
      await withRetries((idempotencyKey) => enrollmentsApi.enroll(section.id, { admissionToken: admissionToken.value, idempotencyKey }), opts);
      return { id: nextOutcomeId(), kind: 'enroll', ok: true, section };
    } catch (e) {
      return refusal('enroll', section, e);
    }
  }

  async function drop(section: SectionRef, opts: { retries?: number } = {}): Promise<Outcome> {
    try {
      await withRetries((idempotencyKey) => enrollmentsApi.drop(section.id, { idempotencyKey }), opts);
      return { id: nextOutcomeId(), kind: 'drop', ok: true, section };
    } catch (e) {
      return refusal('drop', section, e);
    }
  }

  async function swap(from: SectionRef, to: SectionRef, opts: { retries?: number } = {}): Promise<Outcome> {
    try {
      await withRetries((idempotencyKey) => enrollmentsApi.swap(from.id, to.id, { admissionToken: admissionToken.value, idempotencyKey }), opts);
      return { id: nextOutcomeId(), kind: 'swap', ok: true, section: from, target: to };
    } catch (e) {
      return { ...refusal('swap', to, e), target: to };
    }
  }

  function reset() {
    timetable.value = undefined;
    status.value = 'idle';
    admissionToken.value = undefined;
  }

  return {
    timetable,
    status,
    error,
    windows,
    windowsStatus,
    clockOffsetMs,
    admissionToken,
    items,
    sections,
    sectionIds,
    totalCredits,
    maxCredits,
    lectureIds,
    load,
    loadWindows,
    serverNow,
    enroll,
    drop,
    swap,
    reset,
  };
});
