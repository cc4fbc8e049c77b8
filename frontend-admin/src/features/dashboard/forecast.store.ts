import { ref } from 'vue';
import { defineStore } from 'pinia';
import { MAX_FORECAST_SECTIONS, type SectionForecast } from '@goorm/contracts';
import { ai, ApiError } from '../../api/client.ts';
import type { AsyncStatus } from '../../stores/async.ts';

/** A forecast is asked again after this long even when the contested sections stay the same (cart counts move). */
export const FORECAST_REFRESH_MS = 60_000;

/**
 * The seat-competition forecast at the opening (GET /api/ai/forecast) of the sections the dashboard lists
 * as most contested: one call for the whole list, again only when the list changes or the answer is a
 * minute old (the dashboard itself refreshes every few seconds). A failure keeps the last forecasts.
 */
export const useSectionForecastStore = defineStore('sectionForecast', () => {
  const byId = ref(new Map<number, SectionForecast>());
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const modelVersion = ref<string | undefined>();
  let askedKey = '';
  let askedAt = -Infinity;

  async function load(ids: readonly number[], now = Date.now()): Promise<void> {
    const wanted = [...new Set(ids)].slice(0, MAX_FORECAST_SECTIONS);
    const key = wanted.join(',');
    if (wanted.length === 0 || (key === askedKey && now - askedAt < FORECAST_REFRESH_MS)) return;
    askedKey = key;
    askedAt = now;
    status.value = 'loading';
    try {
      const answer = await ai.forecast({ query: { sectionIds: wanted } });
      byId.value = new Map(answer.items.map((f) => [f.sectionId, f]));
      modelVersion.value = answer.modelVersion;
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.value = e;
      status.value = 'error';
      askedAt = -Infinity; // the next refresh asks again
    }
  }

  const of = (id: number): SectionForecast | undefined => byId.value.get(id);

  return { byId, status, error, modelVersion, load, of };
});
