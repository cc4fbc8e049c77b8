import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { MyWaitlistItem, MyWaitlists } from '@goorm/contracts';
import { ApiError } from '@goorm/contracts/client';
import { asApiError } from '../api/client.ts';
import * as waitlistsApi from '../api/waitlists.ts';
import type { Outcome, SectionRef } from '../domain/outcomes.ts';
import type { AsyncStatus } from './async.ts';
import { nextOutcomeId } from './results.ts';

/** The place the student holds on one section's waitlist (what a row or the section page shows). */
export type WaitlistPlace = Pick<MyWaitlistItem, 'sectionId' | 'position' | 'waiting' | 'lastSkip'>;

/** The student's waitlists (대기순번제) of the current term, with their positions, and the join / leave actions. */
export const useWaitlistStore = defineStore('waitlist', () => {
  const data = ref<MyWaitlists | undefined>();
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();

  const items = computed(() => data.value?.items ?? []);
  const settings = computed(() => data.value?.settings);
  /** Section id → the place held on its waitlist. */
  const places = computed(() => new Map<number, WaitlistPlace>(items.value.map((i) => [i.sectionId, i])));

  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      data.value = await waitlistsApi.myWaitlists();
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      error.value = asApiError(e);
      status.value = 'error';
    }
  }

  function refusal(kind: Outcome['kind'], section: SectionRef, e: unknown): Outcome {
    const err = asApiError(e);
    const conflict = err.is('TIME_CONFLICT') ? err.problem.conflict : undefined;
    return { id: nextOutcomeId(), kind, ok: false, section, code: err.code, conflict };
  }

  /** Joins the waitlist of a full section; the outcome carries the place taken (or the place already held). */
  async function join(section: SectionRef): Promise<Outcome> {
    try {
      const entry = await waitlistsApi.joinWaitlist(section.id);
      await load();
      return { id: nextOutcomeId(), kind: 'waitlistJoin', ok: true, section, waitlist: { position: entry.position, waiting: entry.waiting } };
    } catch (e) {
      return refusal('waitlistJoin', section, e);
    }
  }

  async function leave(section: SectionRef): Promise<Outcome> {
    try {
      await waitlistsApi.leaveWaitlist(section.id);
      await load();
      return { id: nextOutcomeId(), kind: 'waitlistLeave', ok: true, section };
    } catch (e) {
      if (e instanceof ApiError && e.is('NOT_FOUND')) await load();
      return refusal('waitlistLeave', section, e);
    }
  }

  function reset() {
    data.value = undefined;
    status.value = 'idle';
    error.value = undefined;
  }

  return { data, status, error, items, settings, places, load, join, leave, reset };
});
