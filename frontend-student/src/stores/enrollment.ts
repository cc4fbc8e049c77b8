import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import * as enrollmentsApi from '../api/enrollments.ts';
import { ApiError } from '../api/http.ts';
import type { EnrollmentWindow, Section, Timetable } from '../api/types.ts';
import type { Outcome } from '../domain/outcomes.ts';
import type { AsyncStatus } from './async.ts';
import { useLecturesStore } from './lectures.ts';
import { nextOutcomeId } from './results.ts';

/** A fresh Idempotency-Key: one per section per click, reused by every retry of that request. */
export const newKey = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** Refusals that say "not now" rather than "no": retried with the same Idempotency-Key, so a retry can never enroll twice. */
const TRANSIENT = new Set(['RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'NETWORK']);
const MAX_RETRY_WAIT_MS = 5000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const retryWaitMs = (e: ApiError, attempt: number) =>
  Math.min(MAX_RETRY_WAIT_MS, e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : 500 * 2 ** attempt);

/** Enrollments (the timetable), the enrollment windows with the server clock, and the enroll/drop/swap actions. */
export const useEnrollmentStore = defineStore('enrollment', () => {
  const timetable = ref<Timetable>({ items: [], totalCredits: 0, maxCredits: undefined });
  const lectures = useLecturesStore();
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();

  const windows = ref<EnrollmentWindow[]>([]);
  const windowsStatus = ref<AsyncStatus>('idle');
  /** serverTime − local time, in ms: add it to Date.now() to get the server's clock. */
  const clockOffsetMs = ref(0);
  /** Set by the waiting room once admitted; sent as X-Admission-Token. */
  const admissionToken = ref<string | undefined>();

  const sections = computed(() => timetable.value.items.map((e) => e.section));
  const sectionIds = computed(() => new Set(timetable.value.items.map((e) => e.sectionId)));
  const lectureIds = computed(() => new Set(timetable.value.items.map((e) => e.lectureId)));

  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      const fresh = await enrollmentsApi.myEnrollments();
      const withTitles = await lectures.withTitles(fresh.items.map((e) => e.section));
      timetable.value = { ...fresh, items: fresh.items.map((e, n) => ({ ...e, section: withTitles[n]! })) };
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      error.value = e instanceof ApiError ? e : new ApiError({ status: 0, code: 'INTERNAL', detail: String(e) });
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

  function refusal(kind: Outcome['kind'], section: Section, e: unknown): Outcome {
    if (!(e instanceof ApiError)) throw e;
    if (e.code === 'QUEUE_REQUIRED') admissionToken.value = undefined;
    const clashId = typeof e.conflict?.sectionId === 'number' ? e.conflict.sectionId : undefined;
    const conflictSection = clashId === undefined ? undefined : sections.value.find((s) => s.id === clashId);
    return { id: nextOutcomeId(), kind, ok: false, section, code: e.code, conflict: e.conflict, conflictSection };
  }

  /**
   * Enrolls in one section. `idempotencyKey`: the key of this request (pass the same key again to
   * resume it, e.g. after the waiting room); transient refusals are retried up to `retries` times with it.
   */
  async function enroll(section: Section, opts: { idempotencyKey?: string; retries?: number } = {}): Promise<Outcome> {
    const idempotencyKey = opts.idempotencyKey ?? newKey();
    const retries = opts.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        await enrollmentsApi.enroll(section.id, { admissionToken: admissionToken.value, idempotencyKey });
        return { id: nextOutcomeId(), kind: 'enroll', ok: true, section };
      } catch (e) {
        if (e instanceof ApiError && TRANSIENT.has(e.code) && attempt < retries) {
          await sleep(retryWaitMs(e, attempt));
          continue;
        }
        return refusal('enroll', section, e);
      }
    }
  }

  async function drop(section: Section): Promise<Outcome> {
    try {
      await enrollmentsApi.drop(section.id);
      return { id: nextOutcomeId(), kind: 'drop', ok: true, section };
    } catch (e) {
      return refusal('drop', section, e);
    }
  }

  async function swap(from: Section, to: Section): Promise<Outcome> {
    try {
      await enrollmentsApi.swap(from.id, to.id, { admissionToken: admissionToken.value });
      return { id: nextOutcomeId(), kind: 'swap', ok: true, section: from, target: to };
    } catch (e) {
      return { ...refusal('swap', to, e), target: to };
    }
  }

  function reset() {
    timetable.value = { items: [], totalCredits: 0, maxCredits: undefined };
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
    sections,
    sectionIds,
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
