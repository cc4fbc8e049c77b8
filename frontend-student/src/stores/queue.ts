import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import * as enrollmentsApi from '../api/enrollments.ts';
import type { QueuePlace } from '@goorm/contracts';
import type { ApiError } from '@goorm/contracts/client';
import { asApiError } from '../api/client.ts';
import type { Outcome, SectionRef } from '../domain/outcomes.ts';
import type { RouteName } from '../router/index.ts';
import type { AsyncStatus } from './async.ts';

/** A place in the waiting room, with the position it started from (kept by the app to draw progress). */
export type WaitingPlace = QueuePlace & { initialPosition?: number };

/** The bounds the waiting room keeps the server's `retryAfterMs` within (the server does too; a wrong answer cannot make the app hammer or stall). */
export const POLL_MIN_MS = 250;
export const POLL_MAX_MS = 10_000;

/**
 * When to poll next: the server's `retryAfterMs` (about when the place is admitted at the current
 * rate), kept within [POLL_MIN_MS, POLL_MAX_MS]; `fallbackMs` (the configured interval) when the
 * answer has none or the last poll failed.
 */
export function nextPollMs(place: QueuePlace | undefined, fallbackMs: number, failed = false): number {
  const told = place?.retryAfterMs;
  if (failed || told === undefined) return fallbackMs;
  return Math.min(POLL_MAX_MS, Math.max(POLL_MIN_MS, told));
}

const TICKET_KEY = 'goorm.student.queue';
const PENDING_KEY = 'goorm.student.queue.pending';

/** One section of a "register all" run and the Idempotency-Key of its request (kept across the waiting room). */
export interface PlannedEnroll {
  section: SectionRef;
  key: string;
}

/** What to do once admitted. */
export type PendingAction =
  | { kind: 'enroll'; section: SectionRef; key?: string }
  | { kind: 'swap'; from: SectionRef; to: SectionRef }
  /** 전체 신청: the items still to register (the first one was refused 428) and the outcomes of those already done. */
  | { kind: 'enrollAll'; items: PlannedEnroll[]; done: Outcome[] };

/** The page to go back to once admitted (with its params, e.g. the section detail page's id). */
export interface ReturnTo {
  name: RouteName;
  params?: Record<string, string>;
}

function savedPending(): { pending?: PendingAction; returnTo?: ReturnTo } | undefined {
  try {
    const raw = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(PENDING_KEY);
    return raw ? (JSON.parse(raw) as { pending?: PendingAction; returnTo?: ReturnTo }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The waiting room: one ticket per tab session (kept in sessionStorage so a reload keeps the
 * place), its position and estimated wait, and the action to resume when admitted.
 */
export const useQueueStore = defineStore('queue', () => {
  const current = ref<WaitingPlace | undefined>();
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  // The action and the page are kept in sessionStorage too: a reload in the waiting room still resumes them, with the same keys.
  const restored = savedPending();
  const pending = ref<PendingAction | undefined>(restored?.pending);
  /** Where to go back to once admitted. */
  const returnTo = ref<ReturnTo | undefined>(restored?.returnTo);

  const progress = computed(() => {
    const q = current.value;
    if (!q) return 0;
    if (q.admitted) return 100;
    const first = Math.max(q.initialPosition ?? q.position, 1);
    return Math.round(((first - q.position) / first) * 100);
  });

  function remember(q: QueuePlace, knownInitial = 0) {
    // The server may re-sign the ticket between polls; the place (and its starting point) stays ours.
    const before = current.value?.initialPosition ?? 0;
    const initialPosition = Math.max(before, knownInitial, q.position);
    current.value = { ...q, initialPosition };
    sessionStorage.setItem(TICKET_KEY, JSON.stringify({ ticket: q.ticket, initialPosition }));
  }

  function saved(): { ticket: string; initialPosition?: number } | undefined {
    try {
      const raw = sessionStorage.getItem(TICKET_KEY);
      return raw ? (JSON.parse(raw) as { ticket: string; initialPosition?: number }) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Joins the queue, or picks this tab's ticket up again after a reload (nobody jumps the queue by refreshing). */
  async function join(): Promise<void> {
    status.value = 'loading';
    error.value = undefined;
    try {
      const old = current.value ?? saved();
      const again = old ? await enrollmentsApi.queueStatus(old.ticket).catch(() => undefined) : undefined;
      if (again) remember(again, old?.initialPosition);
      else remember(await enrollmentsApi.joinQueue());
      status.value = 'done';
    } catch (e) {
      error.value = asApiError(e);
      status.value = 'error';
    }
  }

  async function poll(): Promise<void> {
    if (!current.value) return join();
    try {
      remember(await enrollmentsApi.queueStatus(current.value.ticket));
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      error.value = asApiError(e);
      status.value = 'error';
    }
  }

  function wait(action: PendingAction, from: RouteName | ReturnTo | undefined) {
    pending.value = action;
    returnTo.value = typeof from === 'string' ? { name: from } : from;
    try {
      sessionStorage.setItem(PENDING_KEY, JSON.stringify({ pending: action, returnTo: returnTo.value }));
    } catch {
      // Storage full or off: the action still resumes unless the tab reloads.
    }
  }

  function finish() {
    current.value = undefined;
    pending.value = undefined;
    status.value = 'idle';
    sessionStorage.removeItem(TICKET_KEY);
    sessionStorage.removeItem(PENDING_KEY);
  }

  return { current, status, error, pending, returnTo, progress, join, poll, wait, finish };
});
