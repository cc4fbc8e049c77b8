import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { Notice, NoticeKind } from '@goorm/contracts';
import type { ApiError } from '@goorm/contracts/client';
import { asApiError } from '../api/client.ts';
import * as waitlistsApi from '../api/waitlists.ts';
import type { AsyncStatus } from './async.ts';

/** How many of the latest notices the panel shows. */
export const NOTICE_LIMIT = 20;
/** Notices that say the student got a seat: they are also shown as a toast when they arrive. */
export const SEAT_NOTICES: readonly NoticeKind[] = ['WAITLIST_PROMOTED', 'AUTO_ENROLLED'];

/**
 * The student's in-app notices (promoted or skipped on a waitlist, removed by staff, auto-enrolled):
 * the latest ones, how many are unread, and the ones that just arrived (`toasts`).
 */
export const useNoticesStore = defineStore('notices', () => {
  const items = ref<Notice[]>([]);
  const unread = ref(0);
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  /** Seat notices that arrived unread and are not dismissed yet. */
  const toasts = ref<Notice[]>([]);
  /** Every notice id this session has already seen, so that only new ones count as arrivals. */
  const seen = new Set<number>();

  const latestId = computed(() => items.value.reduce((max, n) => Math.max(max, n.id), 0));

  /** Reads the latest notices; answers the unread ones that had not been seen before (empty on failure). */
  async function load(): Promise<Notice[]> {
    if (status.value === 'idle') status.value = 'loading';
    try {
      const list = await waitlistsApi.notices(NOTICE_LIMIT);
      const arrived = list.items.filter((n) => n.readAt === null && !seen.has(n.id));
      for (const n of list.items) seen.add(n.id);
      items.value = list.items;
      unread.value = list.unread;
      error.value = undefined;
      status.value = 'done';
      const seats = arrived.filter((n) => SEAT_NOTICES.includes(n.kind));
      if (seats.length > 0) toasts.value = [...seats, ...toasts.value];
      return arrived;
    } catch (e) {
      error.value = asApiError(e);
      status.value = 'error';
      return [];
    }
  }

  /** Marks every notice shown as read (the panel was opened). */
  async function markRead(): Promise<void> {
    const upToId = latestId.value;
    if (unread.value === 0 || upToId === 0) return;
    const at = new Date().toISOString();
    try {
      await waitlistsApi.readNotices(upToId);
      items.value = items.value.map((n) => (n.readAt === null && n.id <= upToId ? { ...n, readAt: at } : n));
      unread.value = 0;
      toasts.value = [];
    } catch (e) {
      error.value = asApiError(e);
    }
  }

  function dismissToasts() {
    toasts.value = [];
  }

  function reset() {
    items.value = [];
    unread.value = 0;
    status.value = 'idle';
    error.value = undefined;
    toasts.value = [];
    seen.clear();
  }

  return { items, unread, status, error, toasts, latestId, load, markRead, dismissToasts, reset };
});
