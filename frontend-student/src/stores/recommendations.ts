import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Recommendations } from '@goorm/contracts';
import type { ApiError } from '@goorm/contracts/client';
import { getRecommendations } from '../api/ai.ts';
import { asApiError } from '../api/client.ts';
import type { AsyncStatus } from './async.ts';

/** How many recommendations the panel shows. */
export const RECOMMENDATIONS_SHOWN = 6;
const FOLDED_KEY = 'goorm.student.recommendations.folded';

/** My recommended sections (추천 강의), best first, as the AI helper answers them; re-read after every cart change. */
export const useRecommendationsStore = defineStore('recommendations', () => {
  const data = ref<Recommendations | undefined>();
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  /** The student folded the panel away (remembered in this browser). */
  const folded = ref(typeof localStorage !== 'undefined' && localStorage.getItem(FOLDED_KEY) === '1');
  let controller: AbortController | undefined;

  function setFolded(value: boolean) {
    folded.value = value;
    if (value) localStorage.setItem(FOLDED_KEY, '1');
    else localStorage.removeItem(FOLDED_KEY);
  }

  /** Reads them again; a newer call wins over one still running. */
  async function load(limit = RECOMMENDATIONS_SHOWN): Promise<void> {
    controller?.abort();
    const mine = (controller = new AbortController());
    status.value = 'loading';
    try {
      const answer = await getRecommendations(limit, mine.signal);
      if (mine.signal.aborted) return;
      data.value = answer;
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      if (mine.signal.aborted) return;
      error.value = asApiError(e);
      status.value = 'error';
    }
  }

  function reset() {
    controller?.abort();
    data.value = undefined;
    status.value = 'idle';
  }

  return { data, status, error, folded, load, reset, setFolded };
});
