import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Outcome } from '../domain/outcomes.ts';

let seq = 0;
export const nextOutcomeId = () => ++seq;

/** The per-section results of the latest action (one section, or "register all"), shown and announced by ActionResults. */
export const useResultsStore = defineStore('results', () => {
  const items = ref<Outcome[]>([]);
  /** A 전체 신청 run is going on (also while it resumes after the waiting room, from another page). */
  const running = ref(false);

  function show(outcomes: Outcome[]) {
    items.value = outcomes;
  }

  function clear() {
    items.value = [];
  }

  return { items, running, show, clear };
});
