import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Staff, StaffPage } from '@goorm/contracts';
import { ApiError, auth } from '../../../api/client.ts';
import type { AsyncStatus } from '../../../stores/async.ts';
import { attempt, type Outcome } from './outcome.ts';

export type CreateStaffBody = Parameters<typeof auth.createStaff>[0]['body'];
export type UpdateStaffBody = Parameters<typeof auth.updateStaff>[0]['body'];

const PAGE_SIZE = 20;

/** Staff accounts, managed by staff: search and paging on the server; create, edit or reset a password, delete (never one's own). */
export const useStaffAccountsStore = defineStore('staffAccounts', () => {
  const q = ref('');
  const page = ref<StaffPage>({ items: [], total: 0, page: 1, size: PAGE_SIZE });
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  let seq = 0;

  async function load(pageNo = page.value.page): Promise<void> {
    const mine = ++seq;
    status.value = 'loading';
    error.value = undefined;
    try {
      const answer = await auth.listStaff({ query: { q: q.value.trim() || undefined, page: pageNo, size: PAGE_SIZE } });
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

  const search = () => load(1);

  async function create(body: CreateStaffBody): Promise<Outcome<Staff>> {
    const out = await attempt(() => auth.createStaff({ body }));
    if (out.ok) await load();
    return out;
  }

  async function update(id: number, body: UpdateStaffBody): Promise<Outcome<Staff>> {
    const out = await attempt(() => auth.updateStaff({ params: { id }, body }));
    if (out.ok) page.value = { ...page.value, items: page.value.items.map((s) => (s.id === id ? out.value : s)) };
    return out;
  }

  async function remove(id: number): Promise<Outcome<void>> {
    const out = await attempt(() => auth.deleteStaff({ params: { id } }));
    if (out.ok) {
      const last = page.value.items.length === 1 && page.value.page > 1;
      await load(last ? page.value.page - 1 : page.value.page);
    }
    return out;
  }

  return { q, page, status, error, load, search, create, update, remove };
});
