import type { Logger } from '@goorm/common';

/**
 * The sweeper (README "Waitlists"): once a second, seats freed outside a drop or swap (capacity
 * raised, a reservation released, a skipped student now eligible) go to the waitlists, and the
 * scheduled auto-enrollment runs whose time has come are run. Every replica sweeps: the section's
 * seat row lock and the run's claim keep them from doing anything twice. A pass never overlaps the
 * previous one, and an error is logged and the next pass tries again.
 */
export interface Sweeper {
  /** One pass now (tests; the timer calls the same). */
  sweepOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startSweeper(o: { intervalMs: number; logger: Logger; tasks: (() => Promise<unknown>)[] }): Sweeper {
  let running: Promise<void> | undefined;
  let stopped = false;
  const sweepOnce = (): Promise<void> => {
    running ??= (async () => {
      for (const task of o.tasks) {
        try {
          await task();
        } catch (err) {
          o.logger.warn({ err }, 'waitlist sweeper pass failed; the next pass tries again');
        }
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = o.intervalMs > 0 ? setInterval(() => void (stopped ? undefined : sweepOnce()), o.intervalMs) : undefined;
  timer?.unref();
  return {
    sweepOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
