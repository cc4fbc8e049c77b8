import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { EnrollmentWindow, Term } from '@goorm/contracts';
import { ApiError, enrollment, lectures } from '../../api/client.ts';
import { fieldErrorsOf } from '../../api/problems.ts';
import type { AsyncStatus } from '../../stores/async.ts';

/** What the window form sends (the contract's request body, as JSON input). */
export type WindowInput = Parameters<typeof enrollment.createWindow>[0]['body'];

export type WindowChange = 'created' | 'updated' | 'closed' | 'deleted';

/** The enrollment windows of one term (the current one by default) and staff's changes to them, each with a reason. */
export const useWindowsStore = defineStore('windows', () => {
  const terms = ref<Term[]>([]);
  const termId = ref<number | undefined>();
  const status = ref<AsyncStatus>('idle');
  const items = ref<EnrollmentWindow[]>([]);
  const error = ref<ApiError | undefined>();
  /** The server's clock minus ours when the list was read (ms). */
  const skewMs = ref(0);

  const saveStatus = ref<AsyncStatus>('idle');
  const saveError = ref<ApiError | undefined>();
  const fieldErrors = ref<Record<string, string>>({});
  /** The windows a refused write overlaps (409 CONFLICT), the first one first. */
  const conflicts = ref<EnrollmentWindow[]>([]);

  const actionStatus = ref<AsyncStatus>('idle');
  const actionError = ref<ApiError | undefined>();
  const lastChange = ref<{ kind: WindowChange; window: EnrollmentWindow } | undefined>();

  /** Now by the server's clock (what "close early" means). */
  const serverNow = () => Date.now() + skewMs.value;

  async function loadTerms(): Promise<void> {
    status.value = 'loading';
    try {
      terms.value = (await lectures.listTerms()).items;
      termId.value ??= (terms.value.find((t) => t.isCurrent) ?? terms.value[0])?.id;
      await load();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.value = e;
      status.value = 'error';
    }
  }

  async function load(): Promise<void> {
    if (termId.value === undefined) {
      items.value = [];
      status.value = 'done';
      return;
    }
    status.value = 'loading';
    try {
      const before = Date.now();
      const answer = await enrollment.listWindows({ query: { termId: termId.value } });
      skewMs.value = Date.parse(answer.serverTime) - Math.round((before + Date.now()) / 2);
      items.value = answer.items;
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.value = e;
      status.value = 'error';
    }
  }

  async function selectTerm(id: number): Promise<void> {
    termId.value = id;
    resetForm();
    await load();
  }

  function resetForm() {
    saveStatus.value = 'idle';
    saveError.value = undefined;
    fieldErrors.value = {};
    conflicts.value = [];
  }

  /** Creates (no id) or replaces a window; on 409 CONFLICT keeps the clashing windows to name them. */
  async function save(body: WindowInput, id?: number): Promise<EnrollmentWindow | undefined> {
    resetForm();
    saveStatus.value = 'loading';
    try {
      const w = id === undefined ? await enrollment.createWindow({ body }) : await enrollment.replaceWindow({ params: { id }, body });
      lastChange.value = { kind: id === undefined ? 'created' : 'updated', window: w };
      saveStatus.value = 'done';
      await load();
      return w;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      saveError.value = e;
      fieldErrors.value = fieldErrorsOf(e);
      if (e.is('CONFLICT')) conflicts.value = e.problem.conflicts ?? (e.problem.conflict ? [e.problem.conflict] : []);
      saveStatus.value = 'error';
      return undefined;
    }
  }

  async function act(kind: 'closed' | 'deleted', w: EnrollmentWindow, run: () => Promise<EnrollmentWindow | void>): Promise<boolean> {
    actionStatus.value = 'loading';
    actionError.value = undefined;
    try {
      const after = await run();
      lastChange.value = { kind, window: after ?? w };
      actionStatus.value = 'done';
      await load();
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      actionError.value = e;
      actionStatus.value = 'error';
      return false;
    }
  }

  /** Closes an open window now (closesAt = the server's now), with a reason. */
  function closeEarly(w: EnrollmentWindow, reason: string): Promise<boolean> {
    const body: WindowInput = { termId: w.termId, phase: w.phase, grades: w.grades, opensAt: w.opensAt, closesAt: new Date(serverNow()).toISOString(), reason };
    return act('closed', w, () => enrollment.replaceWindow({ params: { id: w.id }, body }));
  }

  function remove(w: EnrollmentWindow, reason: string): Promise<boolean> {
    return act('deleted', w, () => enrollment.deleteWindow({ params: { id: w.id }, query: { reason } }));
  }

  function clearAction() {
    actionStatus.value = 'idle';
    actionError.value = undefined;
  }

  return {
    terms,
    termId,
    status,
    items,
    error,
    saveStatus,
    saveError,
    fieldErrors,
    conflicts,
    actionStatus,
    actionError,
    lastChange,
    serverNow,
    loadTerms,
    load,
    selectTerm,
    resetForm,
    save,
    closeEarly,
    remove,
    clearAction,
  };
});
