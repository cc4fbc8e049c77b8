import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { SectionForecast } from '@goorm/contracts';
import type { ApiError } from '@goorm/contracts/client';
import { getForecasts } from '../api/ai.ts';
import { asApiError } from '../api/client.ts';
import type { AsyncStatus } from './async.ts';

/** A forecast older than this is asked again the next time a list shows its section (cart counts move). */
export const FORECAST_MAX_AGE_MS = 60_000;

/**
 * The seat-competition forecasts the lists have shown, by section id. A list asks for all of its rows at
 * once (`load(ids)`): one batched call for the ids not known yet, not already asked and not stale; the
 * badges read `of(id)`. A failed call leaves the badges out and keeps the error for whoever says so.
 */
export const useForecastStore = defineStore('forecasts', () => {
  const byId = ref(new Map<number, SectionForecast>());
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const fetchedAt = new Map<number, number>();
  const pending = new Set<number>();

  const of = (id: number): SectionForecast | undefined => byId.value.get(id);

  async function load(ids: readonly number[], now = Date.now()): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !pending.has(id) && now - (fetchedAt.get(id) ?? -Infinity) >= FORECAST_MAX_AGE_MS);
    if (wanted.length === 0) return;
    for (const id of wanted) pending.add(id);
    status.value = 'loading';
    try {
      const items = await getForecasts(wanted);
      for (const f of items) byId.value.set(f.sectionId, f);
      for (const id of wanted) fetchedAt.set(id, now);
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      error.value = asApiError(e);
      status.value = 'error';
    } finally {
      for (const id of wanted) pending.delete(id);
    }
  }

  return { byId, status, error, of, load };
});
