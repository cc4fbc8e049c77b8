import { useRouter } from 'vue-router';
import type { Section } from '../api/types.ts';
import type { Outcome } from '../domain/outcomes.ts';
import type { RouteName } from '../router/index.ts';
import { useCartStore } from '../stores/cart.ts';
import { useCatalogStore } from '../stores/catalog.ts';
import { useEnrollmentStore } from '../stores/enrollment.ts';
import { useQueueStore } from '../stores/queue.ts';
import { useResultsStore } from '../stores/results.ts';

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
  const router = useRouter();

  async function refresh() {
    await Promise.all([enrollment.load(), cart.load(), catalog.refresh()]);
  }

  async function toWaitingRoom(action: Parameters<typeof queue.wait>[0]) {
    const { name, params } = router.currentRoute.value;
    queue.wait(action, typeof name === 'string' ? { name: name as RouteName, params: params as Record<string, string> } : undefined);
    await router.push({ name: 'waiting-room' });
  }

  async function register(section: Section): Promise<Outcome> {
    const outcome = await enrollment.enroll(section);
    results.show([outcome]);
    if (outcome.code === 'QUEUE_REQUIRED') await toWaitingRoom({ kind: 'enroll', section });
    else await refresh();
    return outcome;
  }

  /** Registers each section in turn; stops at the waiting room if the queue becomes active. */
  async function registerAll(sections: Section[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const section of sections) {
      const outcome = await enrollment.enroll(section);
      outcomes.push(outcome);
      results.show([...outcomes]);
      if (outcome.code === 'QUEUE_REQUIRED') {
        await toWaitingRoom({ kind: 'enroll', section });
        return outcomes;
      }
    }
    await refresh();
    return outcomes;
  }

  async function drop(section: Section): Promise<Outcome> {
    const outcome = await enrollment.drop(section);
    results.show([outcome]);
    await refresh();
    return outcome;
  }

  async function swap(from: Section, to: Section): Promise<Outcome> {
    const outcome = await enrollment.swap(from, to);
    results.show([outcome]);
    if (outcome.code === 'QUEUE_REQUIRED') await toWaitingRoom({ kind: 'swap', from, to });
    else await refresh();
    return outcome;
  }

  async function addToCart(section: Section): Promise<Outcome> {
    const outcome = await cart.add(section);
    results.show([outcome]);
    await catalog.refresh();
    return outcome;
  }

  async function removeFromCart(section: Section): Promise<Outcome> {
    const outcome = await cart.remove(section);
    results.show([outcome]);
    await catalog.refresh();
    return outcome;
  }

  return { register, registerAll, drop, swap, addToCart, removeFromCart, refresh };
}
