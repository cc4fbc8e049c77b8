import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { WaitlistOverview } from '@goorm/contracts';
import { ApiError, enrollment } from '../../api/client.ts';
import type { AsyncStatus } from '../../stores/async.ts';

/**
 * The waitlist totals of the current term and the most-waitlisted sections (GET /waitlists), refreshed
 * with the dashboard. A failed refresh keeps the last answer on screen (status error, data kept).
 */
export const useWaitlistOverviewStore = defineStore('waitlistOverview', () => {
  const status = ref<AsyncStatus>('idle');
  const data = ref<WaitlistOverview | undefined>();
  const error = ref<ApiError | undefined>();
  let inFlight: Promise<void> | undefined;

  /** Loads once; a call while one is running joins it. */
  function load(top = 5): Promise<void> {
    inFlight ??= (async () => {
      status.value = 'loading';
      try {
        data.value = await enrollment.waitlistOverview({ query: { top } });
        error.value = undefined;
        status.value = 'done';
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        error.value = e;
        status.value = 'error';
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  return { status, data, error, load };
});
