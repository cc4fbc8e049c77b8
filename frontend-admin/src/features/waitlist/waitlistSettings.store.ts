import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { WaitlistSettings, WaitlistSettingsBody } from '@goorm/contracts';
import { ApiError, enrollment } from '../../api/client.ts';
import { fieldErrorsOf } from '../../api/problems.ts';
import type { AsyncStatus } from '../../stores/async.ts';

/** The waitlist settings in force and staff's change to them (with a reason; the API audits it as WAITLIST_SETTINGS). */
export const useWaitlistSettingsStore = defineStore('waitlistSettings', () => {
  const status = ref<AsyncStatus>('idle');
  const settings = ref<WaitlistSettings | undefined>();
  const error = ref<ApiError | undefined>();
  const saveStatus = ref<AsyncStatus>('idle');
  const saveError = ref<ApiError | undefined>();
  const fieldErrors = ref<Record<string, string>>({});

  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      settings.value = await enrollment.waitlistSettings();
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.value = e;
      status.value = 'error';
    }
  }

  /** Saves the settings; true when saved. */
  async function save(body: WaitlistSettingsBody): Promise<boolean> {
    saveStatus.value = 'loading';
    saveError.value = undefined;
    fieldErrors.value = {};
    try {
      settings.value = await enrollment.updateWaitlistSettings({ body });
      saveStatus.value = 'done';
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      saveError.value = e;
      fieldErrors.value = fieldErrorsOf(e);
      saveStatus.value = 'error';
      return false;
    }
  }

  return { status, settings, error, saveStatus, saveError, fieldErrors, load, save };
});
