import { computed, onMounted, onUnmounted, ref } from 'vue';

/**
 * Runs `refresh` now and then every `intervalMs` after each run ends, while the tab is visible and
 * the user has not paused it; a hidden tab stops the timer, and showing it again refreshes at once.
 */
export function useAutoRefresh(refresh: () => Promise<unknown>, intervalMs: number) {
  const pausedByUser = ref(false);
  const hidden = ref(typeof document !== 'undefined' && document.visibilityState === 'hidden');
  const running = computed(() => !pausedByUser.value && !hidden.value);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let alive = true;

  function stop() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  async function tick() {
    stop();
    await refresh();
    if (alive && running.value && timer === undefined) timer = setTimeout(() => void tick(), intervalMs);
  }

  function onVisibility() {
    hidden.value = document.visibilityState === 'hidden';
    if (hidden.value) stop();
    else if (running.value) void tick();
  }

  function pause() {
    pausedByUser.value = true;
    stop();
  }

  function resume() {
    pausedByUser.value = false;
    if (running.value) void tick();
  }

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility);
    // The first answer is wanted even in a background tab (opened with a middle click).
    void tick();
  });
  onUnmounted(() => {
    alive = false;
    stop();
    document.removeEventListener('visibilitychange', onVisibility);
  });

  return { pausedByUser, hidden, running, pause, resume, refreshNow: tick };
}
