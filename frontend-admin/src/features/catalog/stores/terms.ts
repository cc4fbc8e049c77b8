import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Term, TermInput } from '@goorm/contracts';
import { lectures } from '../../../api/client.ts';
import { createRequest } from './request.ts';

const inputOf = (t: Term): TermInput => ({ code: t.code, name: t.name, startsOn: t.startsOn, endsOn: t.endsOn, isCurrent: t.isCurrent });

/** Terms (학기): the whole list (a handful), create, edit, make current, delete. */
export const useTermsStore = defineStore('terms', () => {
  const items = ref<Term[]>([]);
  const list = createRequest();
  const saving = createRequest();
  const action = createRequest();

  async function load() {
    const r = await list.run(() => lectures.listTerms());
    if (r.ok) items.value = r.value.items;
  }

  async function save(id: number | undefined, input: TermInput): Promise<boolean> {
    const r = await saving.run(() => (id === undefined ? lectures.createTerm({ body: input }) : lectures.updateTerm({ params: { id }, body: input })));
    if (r.ok) await load();
    return r.ok;
  }

  async function makeCurrent(term: Term): Promise<boolean> {
    const r = await action.run(() => lectures.updateTerm({ params: { id: term.id }, body: { ...inputOf(term), isCurrent: true } }));
    if (r.ok) await load();
    return r.ok;
  }

  async function remove(id: number): Promise<boolean> {
    const r = await action.run(() => lectures.deleteTerm({ params: { id } }));
    if (r.ok) await load();
    return r.ok;
  }

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
    save,
    makeCurrent,
    remove,
  };
});
