import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { AutoEnrollRun, EnrollmentWindow } from '@goorm/contracts';
import { ApiError, enrollment } from '../../api/client.ts';
import { fieldErrorsOf } from '../../api/problems.ts';
import type { AsyncStatus } from '../../stores/async.ts';

/** What the page sends (the contract's request body, as JSON input). */
export type AutoEnrollInput = Parameters<typeof enrollment.autoEnroll>[0]['body'];

/** A REGISTRATION window that has not opened yet by the server's clock: the only kind auto-enrollment takes. */
export function isUpcomingRegistration(w: EnrollmentWindow, serverNow: number): boolean {
  return w.phase === 'REGISTRATION' && Date.parse(w.opensAt) > serverNow;
}

/**
 * Cart auto-enrollment (자동신청): the REGISTRATION windows about to open, a preview (dryRun) or a run
 * now or at a time (each with a reason; audited AUTO_ENROLL), and the past runs with their reports.
 */
export const useAutoEnrollStore = defineStore('autoEnroll', () => {
  const windowsStatus = ref<AsyncStatus>('idle');
  const windowsError = ref<ApiError | undefined>();
  const allWindows = ref<EnrollmentWindow[]>([]);
  const serverTime = ref<number>(Date.now());
  /** The windows were read at least once (a re-read keeps the form on screen). */
  const windowsLoaded = ref(false);

  const runsStatus = ref<AsyncStatus>('idle');
  const runsError = ref<ApiError | undefined>();
  const runs = ref<AutoEnrollRun[]>([]);

  const submitStatus = ref<AsyncStatus>('idle');
  const submitError = ref<ApiError | undefined>();
  const fieldErrors = ref<Record<string, string>>({});
  /** The run the last submit answered with (a preview, a run done now, or a scheduled one). */
  const result = ref<AutoEnrollRun | undefined>();

  const upcoming = computed(() => allWindows.value.filter((w) => isUpcomingRegistration(w, serverTime.value)));
  const windowOf = (id: number) => allWindows.value.find((w) => w.id === id);

  async function loadWindows(): Promise<void> {
    windowsStatus.value = 'loading';
    try {
      const answer = await enrollment.listWindows();
      allWindows.value = answer.items;
      serverTime.value = Date.parse(answer.serverTime);
      windowsError.value = undefined;
      windowsStatus.value = 'done';
      windowsLoaded.value = true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      windowsError.value = e;
      windowsStatus.value = 'error';
    }
  }

  async function loadRuns(): Promise<void> {
    runsStatus.value = 'loading';
    try {
      runs.value = (await enrollment.autoEnrollRuns()).items;
      runsError.value = undefined;
      runsStatus.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      runsError.value = e;
      runsStatus.value = 'error';
    }
  }

  /** Previews, runs or schedules; the run on success (also kept as `result`), else undefined with the refusal. */
  async function submit(body: AutoEnrollInput): Promise<AutoEnrollRun | undefined> {
    submitStatus.value = 'loading';
    submitError.value = undefined;
    fieldErrors.value = {};
    try {
      result.value = await enrollment.autoEnroll({ body });
      submitStatus.value = 'done';
      await loadRuns();
      return result.value;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      submitError.value = e;
      fieldErrors.value = fieldErrorsOf(e);
      submitStatus.value = 'error';
      // A window that opened meanwhile is no longer offered.
      if (e.is('CONFLICT')) await loadWindows();
      return undefined;
    }
  }

  return {
    windowsStatus,
    windowsError,
    allWindows,
    serverTime,
    windowsLoaded,
    upcoming,
    windowOf,
    runsStatus,
    runsError,
    runs,
    submitStatus,
    submitError,
    fieldErrors,
    result,
    loadWindows,
    loadRuns,
    submit,
  };
});
