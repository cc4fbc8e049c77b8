import { onBeforeUnmount, onMounted, ref } from 'vue';
import { useEnrollmentStore } from '../stores/enrollment.ts';

/** A ref with the server's current time (ms), ticking every second while the component lives. */
export function useServerClock(tickMs = 1000) {
  const enrollment = useEnrollmentStore();
  const now = ref(enrollment.serverNow());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (now.value = enrollment.serverNow()), tickMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
