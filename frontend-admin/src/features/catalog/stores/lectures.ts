import { reactive, ref } from 'vue';
import { defineStore } from 'pinia';
import type { Category, Lecture, LectureInput } from '@goorm/contracts';
import { lectures as api } from '../../../api/client.ts';
import { createRequest } from './request.ts';

export const LECTURE_PAGE_SIZE = 20;

/** Lectures (강의): a server-side page searched by code or title, major and category; create, edit, delete. */
export const useLecturesStore = defineStore('lectures', () => {
  const items = ref<Lecture[]>([]);
  const total = ref(0);
  const page = ref(1);
  const filters = reactive<{ q: string; majorId: number | undefined; category: Category | undefined }>({ q: '', majorId: undefined, category: undefined });
  const list = createRequest();
  const saving = createRequest();
  const action = createRequest();

  async function load(to = page.value) {
    const r = await list.run(() =>
      api.listLectures({ query: { q: filters.q.trim() || undefined, majorId: filters.majorId, category: filters.category, page: to, size: LECTURE_PAGE_SIZE } }),
    );
    if (!r.ok) return;
    items.value = r.value.items;
    total.value = r.value.total;
    page.value = r.value.page;
  }

  async function save(id: number | undefined, input: LectureInput): Promise<Lecture | undefined> {
    const r = await saving.run(() => (id === undefined ? api.createLecture({ body: input }) : api.updateLecture({ params: { id }, body: input })));
    if (!r.ok) return undefined;
    await load();
    return r.value;
  }

  async function remove(id: number): Promise<boolean> {
    const r = await action.run(() => api.deleteLecture({ params: { id } }));
    if (r.ok) await load();
    return r.ok;
  }

  return {
    items,
    total,
    page,
    size: LECTURE_PAGE_SIZE,
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
