import { reactive, ref } from 'vue';
import { defineStore } from 'pinia';
import type { Professor, ProfessorInput } from '@goorm/contracts';
import { lectures } from '../../../api/client.ts';
import { createRequest } from './request.ts';

export const PROFESSOR_PAGE_SIZE = 20;

/** Professors (교수): a server-side page searched by name and major, create, edit, delete. */
export const useProfessorsStore = defineStore('professors', () => {
  const items = ref<Professor[]>([]);
  const total = ref(0);
  const page = ref(1);
  const filters = reactive<{ q: string; majorId: number | undefined }>({ q: '', majorId: undefined });
  const list = createRequest();
  const saving = createRequest();
  const action = createRequest();

  async function load(to = page.value) {
    const r = await list.run(() => lectures.listProfessors({ query: { q: filters.q.trim() || undefined, majorId: filters.majorId, page: to, size: PROFESSOR_PAGE_SIZE } }));
    if (!r.ok) return;
    items.value = r.value.items;
    total.value = r.value.total;
    page.value = r.value.page;
  }

  async function save(id: number | undefined, input: ProfessorInput): Promise<boolean> {
    const r = await saving.run(() => (id === undefined ? lectures.createProfessor({ body: input }) : lectures.updateProfessor({ params: { id }, body: input })));
    if (r.ok) await load();
    return r.ok;
  }

  async function remove(id: number): Promise<boolean> {
    const r = await action.run(() => lectures.deleteProfessor({ params: { id } }));
    if (r.ok) await load();
    return r.ok;
  }

  return {
    items,
    total,
    page,
    size: PROFESSOR_PAGE_SIZE,
    filters,
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
    save,
    remove,
  };
});
