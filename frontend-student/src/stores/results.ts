import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Outcome } from '../domain/outcomes.ts';

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
