import { onBeforeUnmount, onMounted, watch } from 'vue';
import { storeToRefs } from 'pinia';
import { config } from '../config.ts';
import { useCartStore } from '../stores/cart.ts';
import { useEnrollmentStore } from '../stores/enrollment.ts';
import { useNoticesStore } from '../stores/notices.ts';
import { useSessionStore } from '../stores/session.ts';
import { useWaitlistStore } from '../stores/waitlist.ts';

/**
 * Reads the signed-in student's notices on sign-in, every `intervalMs` and whenever the window comes
 * back (focus, or the tab shown again). When new notices arrive (a promotion, a skip, an auto-enrollment),
 * the timetable, the waitlists and the cart are read again, so a promoted section shows up by itself.
 */
export function useNoticePolling(intervalMs = config.noticePollMs) {
  const { isAuthenticated } = storeToRefs(useSessionStore());
  const notices = useNoticesStore();
  const enrollment = useEnrollmentStore();
  const waitlist = useWaitlistStore();
  const cart = useCartStore();
  let timer: ReturnType<typeof setInterval> | undefined;
  let inFlight: Promise<void> | undefined;

  async function read() {
    const arrived = await notices.load();
    if (arrived.length > 0 && isAuthenticated.value) await Promise.all([enrollment.load(), waitlist.load(), cart.load()]);
  }

  /** One read at a time: a focus during a periodic read waits for it instead of asking twice. */
  function poll(): Promise<void> {
    if (!isAuthenticated.value) return Promise.resolve();
    inFlight ??= read().finally(() => (inFlight = undefined));
    return inFlight;
  }

  function stop() {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  const onFocus = () => void poll();
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void poll();
  };

  watch(
    isAuthenticated,
    (signedIn) => {
      stop();
      if (!signedIn) {
        notices.reset();
        return;
      }
      void poll();
      timer = setInterval(() => void poll(), intervalMs);
    },
    { immediate: true },
  );

  onMounted(() => {
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisibility);
  });
  onBeforeUnmount(() => {
    stop();
    window.removeEventListener('focus', onFocus);
    document.removeEventListener('visibilitychange', onVisibility);
  });

  return { poll };
}
