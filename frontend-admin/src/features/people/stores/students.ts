import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Student, StudentPage } from '@goorm/contracts';
import { ApiError, auth } from '../../../api/client.ts';
import type { AsyncStatus } from '../../../stores/async.ts';
import { attempt, type Outcome } from './outcome.ts';

export type CreateStudentBody = Parameters<typeof auth.createStudent>[0]['body'];
export type UpdateStudentBody = Parameters<typeof auth.updateStudent>[0]['body'];

/** The search of the students screen: filters as typed (a blank filter is no filter). */
export interface StudentFilters {
  q: string;
  majorId: number | undefined;
  grade: number | undefined;
}

const PAGE_SIZE = 20;

/** Students: server-side search and paging; create, edit (a password reset is an edit with a new password), delete. */
export const useStudentsStore = defineStore('students', () => {
  const filters = ref<StudentFilters>({ q: '', majorId: undefined, grade: undefined });
  const page = ref<StudentPage>({ items: [], total: 0, page: 1, size: PAGE_SIZE });
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  let seq = 0;

  async function load(pageNo = page.value.page): Promise<void> {
    const mine = ++seq;
    status.value = 'loading';
    error.value = undefined;
    try {
      const f = filters.value;
      const answer = await auth.listStudents({
        query: { q: f.q.trim() || undefined, majorId: f.majorId, grade: f.grade, page: pageNo, size: PAGE_SIZE },
      });
      if (mine !== seq) return;
      page.value = answer;
      status.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (mine !== seq) return;
      error.value = e;
      status.value = 'error';
    }
  }

  /** A new search starts at page 1. */
  const search = () => load(1);

  async function create(body: CreateStudentBody): Promise<Outcome<Student>> {
    const out = await attempt(() => auth.createStudent({ body }));
    if (out.ok) await load();
    return out;
  }

  async function update(id: number, body: UpdateStudentBody): Promise<Outcome<Student>> {
    const out = await attempt(() => auth.updateStudent({ params: { id }, body }));
    if (out.ok) page.value = { ...page.value, items: page.value.items.map((s) => (s.id === id ? out.value : s)) };
    return out;
  }

  async function remove(id: number): Promise<Outcome<void>> {
    const out = await attempt(() => auth.deleteStudent({ params: { id } }));
    if (out.ok) {
      // The last row of a page gone: show the page before.
      const last = page.value.items.length === 1 && page.value.page > 1;
      await load(last ? page.value.page - 1 : page.value.page);
    }
    return out;
  }

  return { filters, page, status, error, load, search, create, update, remove };
});
