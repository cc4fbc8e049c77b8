import { ref } from 'vue';
import type { Outcome } from '../domain/outcomes.ts';
import { defineStore } from '../lib/store.ts';

let seq = 0;
export const nextOutcomeId = () => ++seq;

/** The per-section results of the latest action (one section, or "register all"), shown and announced by ActionResults. */
export const useResultsStore = defineStore('results', () => {
  const items = ref<Outcome[]>([]);

  function show(outcomes: Outcome[]) {
    items.value = outcomes;
  }

  function clear() {
    items.value = [];
  }

  return { items, show, clear };
});
