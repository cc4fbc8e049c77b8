import { useRouter } from 'vue-router';
import type { Outcome, SectionRef } from '../domain/outcomes.ts';
import type { RouteName } from '../router/index.ts';
import { useCartStore } from '../stores/cart.ts';
import { useCatalogStore } from '../stores/catalog.ts';
import { newKey, useEnrollmentStore } from '../stores/enrollment.ts';
import { useQueueStore, type PlannedEnroll } from '../stores/queue.ts';
import { useResultsStore } from '../stores/results.ts';
import { useWaitlistStore } from '../stores/waitlist.ts';

/**
 * The student's actions on sections, as the pages use them: run the action, show its result,
 * re-read what changed (seats, cart counts, timetable), and go to the waiting room on
 * QUEUE_REQUIRED to resume there.
 */
export function useSectionActions() {
  const enrollment = useEnrollmentStore();
  const cart = useCartStore();
  const catalog = useCatalogStore();
  const results = useResultsStore();
  const queue = useQueueStore();
  const waitlist = useWaitlistStore();
  const router = useRouter();

  async function refresh() {
    // A registration also ends a wait on that section: the waitlists are read again with the rest.
    await Promise.all([enrollment.load(), cart.load(), catalog.refresh(), waitlist.load()]);
  }

  async function toWaitingRoom(action: Parameters<typeof queue.wait>[0]) {
    const { name, params } = router.currentRoute.value;
    queue.wait(action, typeof name === 'string' ? { name: name as RouteName, params: params as Record<string, string> } : undefined);
    await router.push({ name: 'waiting-room' });
  }

  /** Registers one section; `key` resumes an earlier request (after the waiting room) under its Idempotency-Key. */
  async function register(section: SectionRef, key: string = newKey()): Promise<Outcome> {
    const outcome = await enrollment.enroll(section, { idempotencyKey: key });
    results.show([outcome]);
    if (outcome.code === 'QUEUE_REQUIRED') await toWaitingRoom({ kind: 'enroll', section, key });
    else await refresh();
    return outcome;
  }

  /** 전체 신청: registers each section in turn, one Idempotency-Key per section, each with its own outcome. */
  async function registerAll(sections: SectionRef[]): Promise<Outcome[]> {
    return continueAll(
      sections.map((section) => ({ section, key: newKey() })),
      [],
    );
  }

  /**
   * Goes on with a "register all" run: `items` still to do, `done` the outcomes so far. When the
   * waiting room is required, the run waits there with what is left (the same keys) and resumes
   * after admission (WaitingRoomPage), so no section is skipped.
   */
  async function continueAll(items: PlannedEnroll[], done: Outcome[]): Promise<Outcome[]> {
    const outcomes = [...done];
    results.running = true;
    try {
      for (const [i, item] of items.entries()) {
        const outcome = await enrollment.enroll(item.section, { idempotencyKey: item.key });
        if (outcome.code === 'QUEUE_REQUIRED') {
          results.show([...outcomes, outcome]);
          await toWaitingRoom({ kind: 'enrollAll', items: items.slice(i), done: outcomes });
          return [...outcomes, outcome];
        }
        outcomes.push(outcome);
        results.show([...outcomes]);
      }
      await refresh();
      return outcomes;
    } finally {
      results.running = false;
    }
  }

  async function drop(section: SectionRef): Promise<Outcome> {
    const outcome = await enrollment.drop(section);
    results.show([outcome]);
    await refresh();
    return outcome;
  }

  async function swap(from: SectionRef, to: SectionRef): Promise<Outcome> {
    const outcome = await enrollment.swap(from, to);
    results.show([outcome]);
    if (outcome.code === 'QUEUE_REQUIRED') await toWaitingRoom({ kind: 'swap', from, to });
    else await refresh();
    return outcome;
  }

  async function addToCart(section: SectionRef): Promise<Outcome> {
    const outcome = await cart.add(section);
    results.show([outcome]);
    await catalog.refresh();
    return outcome;
  }

  async function removeFromCart(section: SectionRef): Promise<Outcome> {
    const outcome = await cart.remove(section);
    results.show([outcome]);
    await catalog.refresh();
    return outcome;
  }

  /** 대기 신청: joins a full section's waitlist; the place taken is announced (SEATS_AVAILABLE: the results offer 바로 신청). */
  async function joinWaitlist(section: SectionRef): Promise<Outcome> {
    const outcome = await waitlist.join(section);
    results.show([outcome]);
    if (outcome.code === 'SEATS_AVAILABLE') await catalog.refresh();
    return outcome;
  }

  /** 대기 취소. */
  async function leaveWaitlist(section: SectionRef): Promise<Outcome> {
    const outcome = await waitlist.leave(section);
    results.show([outcome]);
    return outcome;
  }

  return { register, registerAll, continueAll, drop, swap, addToCart, removeFromCart, joinWaitlist, leaveWaitlist, refresh };
}
