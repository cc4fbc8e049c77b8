import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Roster } from '@goorm/contracts';
import { ApiError, enrollment } from '../../../api/client.ts';
import type { AsyncStatus } from '../../../stores/async.ts';

/** The file name of a section's roster CSV (as the server names it in its Content-Disposition). */
export function rosterFileName(r: Roster): string {
  return `roster-${r.section.lectureCode}-${String(r.section.sectionNo).padStart(2, '0')}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** A section's roster (who holds a seat, in enrollment order) and its CSV. */
export const useRosterStore = defineStore('roster', () => {
  const roster = ref<Roster | undefined>();
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const csvStatus = ref<AsyncStatus>('idle');
  const csvError = ref<ApiError | undefined>();
  let seq = 0;

  async function load(sectionId: number): Promise<void> {
    const mine = ++seq;
    if (roster.value?.section.id !== sectionId) roster.value = undefined;
    status.value = 'loading';
    error.value = undefined;
    csvStatus.value = 'idle';
    csvError.value = undefined;
    try {
      const answer = await enrollment.roster({ params: { id: sectionId } });
      if (mine !== seq) return;
      roster.value = answer;
      status.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (mine !== seq) return;
      error.value = e;
      status.value = 'error';
    }
  }

  /**
   * The roster as CSV text, through the client core: with ?format=csv the answer is text/csv, which
   * the core returns as text (the contract declares the JSON shape; the CSV is its documented alternative).
   */
  async function csv(sectionId: number): Promise<{ text: string; fileName: string } | undefined> {
    csvStatus.value = 'loading';
    csvError.value = undefined;
    try {
      const answer: unknown = await enrollment.roster({ params: { id: sectionId }, query: { format: 'csv' } });
      if (typeof answer !== 'string') throw new Error('the roster CSV came back as JSON');
      csvStatus.value = 'done';
      const fileName = roster.value ? rosterFileName(roster.value) : `roster-${sectionId}.csv`;
      return { text: answer, fileName };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      csvError.value = e;
      csvStatus.value = 'error';
      return undefined;
    }
  }

  return { roster, status, error, csvStatus, csvError, load, csv };
});
