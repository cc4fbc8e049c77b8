import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { AuditRecord, QueueOverview, QueueSettings, QueueSettingsBody } from '@goorm/contracts';
import { ApiError, enrollment } from '../../api/client.ts';
import { fieldErrorsOf } from '../../api/problems.ts';
import type { AsyncStatus } from '../../stores/async.ts';

/** The waiting room's settings and live numbers, staff's changes to them, and the audit of those changes. */
export const useQueueControlStore = defineStore('queueControl', () => {
  const status = ref<AsyncStatus>('idle');
  const overview = ref<QueueOverview | undefined>();
  const error = ref<ApiError | undefined>();
  /** When the live numbers on screen were received. */
  const receivedAt = ref<Date | undefined>();
  /** NOT_FOUND on the settings: this server runs no waiting room. */
  const unavailable = ref(false);

  const saveStatus = ref<AsyncStatus>('idle');
  const saveError = ref<ApiError | undefined>();
  const fieldErrors = ref<Record<string, string>>({});
  const saved = ref<QueueSettings | undefined>();

  const historyStatus = ref<AsyncStatus>('idle');
  const history = ref<AuditRecord[]>([]);

  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      overview.value = await enrollment.queueSettings();
      receivedAt.value = new Date();
      error.value = undefined;
      unavailable.value = false;
      status.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      unavailable.value = e.is('NOT_FOUND');
      error.value = unavailable.value ? undefined : e;
      status.value = 'error';
    }
  }

  async function loadHistory(): Promise<void> {
    historyStatus.value = 'loading';
    try {
      history.value = (await enrollment.audit({ query: { action: 'QUEUE_SETTINGS', size: 5 } })).items;
      historyStatus.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      historyStatus.value = 'error';
    }
  }

  /** Saves the settings (the API audits the change with the reason); true when saved. */
  async function save(body: QueueSettingsBody): Promise<boolean> {
    saveStatus.value = 'loading';
    saveError.value = undefined;
    fieldErrors.value = {};
    try {
      saved.value = await enrollment.updateQueueSettings({ body });
      saveStatus.value = 'done';
      await Promise.all([load(), loadHistory()]);
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      saveError.value = e;
      fieldErrors.value = fieldErrorsOf(e);
      saveStatus.value = 'error';
      return false;
    }
  }

  return { status, overview, error, receivedAt, unavailable, saveStatus, saveError, fieldErrors, saved, historyStatus, history, load, loadHistory, save };
});
