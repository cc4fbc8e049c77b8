import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { SectionWaitlist, StaffWaitlistEntry } from '@goorm/contracts';
import { ApiError, enrollment } from '../../api/client.ts';
import type { AsyncStatus } from '../../stores/async.ts';
import { attempt, type Outcome } from '../people/stores/outcome.ts';

/** What staff last did to the list, to say so on the page. */
export type WaitlistChange = { kind: 'moved'; entry: StaffWaitlistEntry; position: number } | { kind: 'removed'; entry: StaffWaitlistEntry };

/**
 * One section's waitlist in order (GET /sections/:id/waitlist) and staff's changes to it: move an entry
 * to a position or remove it, each with a required reason (the API audits both).
 */
export const useSectionWaitlistStore = defineStore('sectionWaitlist', () => {
  const waitlist = ref<SectionWaitlist | undefined>();
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const lastChange = ref<WaitlistChange | undefined>();
  let seq = 0;

  async function load(sectionId: number): Promise<void> {
    const mine = ++seq;
    if (waitlist.value?.section.id !== sectionId) {
      waitlist.value = undefined;
      lastChange.value = undefined;
    }
    status.value = 'loading';
    error.value = undefined;
    try {
      const answer = await enrollment.sectionWaitlist({ params: { id: sectionId } });
      if (mine !== seq) return;
      waitlist.value = answer;
      status.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (mine !== seq) return;
      error.value = e;
      status.value = 'error';
    }
  }

  function sectionIdOrThrow(): number {
    const id = waitlist.value?.section.id;
    if (id === undefined) throw new Error('no waitlist loaded');
    return id;
  }

  /** Moves the student to `position` (1 = first); the answer is the list after the move. */
  async function move(entry: StaffWaitlistEntry, position: number, reasonText: string): Promise<Outcome<SectionWaitlist> | 'reasonRequired'> {
    const id = sectionIdOrThrow();
    const reason = reasonText.trim();
    if (!reason) return 'reasonRequired';
    const out = await attempt(() => enrollment.moveWaitlistEntry({ params: { id, studentId: entry.studentId }, body: { position, reason } }));
    if (out.ok) {
      seq++;
      waitlist.value = out.value;
      status.value = 'done';
      const now = out.value.items.find((i) => i.studentId === entry.studentId);
      lastChange.value = { kind: 'moved', entry, position: now?.position ?? position };
    } else if (out.error.is('NOT_FOUND')) {
      await load(id);
    }
    return out;
  }

  /** Removes the student from the waitlist (the reason travels as ?reason=, and the student is told). */
  async function remove(entry: StaffWaitlistEntry, reasonText: string): Promise<Outcome<void> | 'reasonRequired'> {
    const id = sectionIdOrThrow();
    const reason = reasonText.trim();
    if (!reason) return 'reasonRequired';
    const out = await attempt(async () => {
      await enrollment.removeWaitlistEntry({ params: { id, studentId: entry.studentId }, query: { reason } });
    });
    if (out.ok) lastChange.value = { kind: 'removed', entry };
    if (out.ok || out.error.is('NOT_FOUND')) await load(id);
    return out;
  }

  return { waitlist, status, error, lastChange, load, move, remove };
});
