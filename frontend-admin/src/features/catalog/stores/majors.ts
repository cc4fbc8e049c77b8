import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Major, MajorInput } from '@goorm/contracts';
import { lectures } from '../../../api/client.ts';
import { createRequest } from './request.ts';

/** Majors (전공) and general-education departments: the whole list (tens), create, edit, delete. */
export const useMajorsStore = defineStore('majors', () => {
  const items = ref<Major[]>([]);
  const list = createRequest();
  const saving = createRequest();
  const action = createRequest();

  async function load() {
    const r = await list.run(() => lectures.listMajors());
    if (r.ok) items.value = r.value.items;
  }

  /** Loads once for the screens that only need the names (pickers, filters). */
  async function ensure() {
    if (list.status.value === 'idle' || list.status.value === 'error') await load();
  }

  async function save(id: number | undefined, input: MajorInput): Promise<boolean> {
    const r = await saving.run(() => (id === undefined ? lectures.createMajor({ body: input }) : lectures.updateMajor({ params: { id }, body: input })));
    if (r.ok) await load();
    return r.ok;
  }

  async function remove(id: number): Promise<boolean> {
    const r = await action.run(() => lectures.deleteMajor({ params: { id } }));
    if (r.ok) await load();
    return r.ok;
  }

  const nameOf = (id: number | null | undefined) => items.value.find((m) => m.id === id)?.name;

  return {
    items,
    status: list.status,
    error: list.error,
    saveStatus: saving.status,
    saveError: saving.error,
    fieldErrors: saving.fieldErrors,
    resetSave: saving.reset,
    actionStatus: action.status,
    actionError: action.error,
    resetAction: action.reset,
    load,
    ensure,
    save,
    remove,
    nameOf,
  };
});
