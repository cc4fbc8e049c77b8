import type { Logger } from './logger.ts';

/**
 * Runs `task` every `everyMs` in the background (the timer never keeps the process alive); a failed
 * run is logged as `<what> failed` and the next run tries again. Runs do not overlap: a run still
 * going when the next is due makes that one skip. Answers the stop function (a closer for
 * `serveService`).
 */
export function runPeriodically(what: string, everyMs: number, task: () => Promise<unknown>, logger: Pick<Logger, 'warn'>): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = task()
      .catch((err: unknown) => logger.warn({ err }, `${what} failed; the next run tries again`))
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
