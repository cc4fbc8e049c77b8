import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { LiveStats } from '@goorm/contracts';
import { ApiError, enrollment } from '../../api/client.ts';
import type { AsyncStatus } from '../../stores/async.ts';
import { PERIODS } from './chartOptions.ts';

/**
 * The registration-day numbers (GET /api/enrollments/stats/live), refreshed by the page. A failed
 * refresh keeps the last answer on screen (status error, data kept) so the charts never blank out.
 */
export const useLiveStatsStore = defineStore('liveStats', () => {
  const status = ref<AsyncStatus>('idle');
  const data = ref<LiveStats | undefined>();
  const error = ref<ApiError | undefined>();
  /** When the answer on screen was received (the server's generatedAt may be a couple of seconds older: it is shared). */
  const receivedAt = ref<Date | undefined>();
  const minutes = ref<number>(10);
  let inFlight: Promise<void> | undefined;

  function bucketSeconds(): number {
    return PERIODS.find((p) => p.minutes === minutes.value)?.bucketSeconds ?? 10;
  }

  /** Loads once; a call while one is running joins it (a slow answer never stacks refreshes). */
  function load(): Promise<void> {
    inFlight ??= (async () => {
      status.value = 'loading';
      try {
        data.value = await enrollment.liveStats({ query: { minutes: minutes.value, bucketSeconds: bucketSeconds(), top: 10, contestedBy: 'cart' } });
        receivedAt.value = new Date();
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

  async function setMinutes(m: number): Promise<void> {
    minutes.value = m;
    await inFlight;
    await load();
  }

  return { status, data, error, receivedAt, minutes, load, setMinutes };
});
