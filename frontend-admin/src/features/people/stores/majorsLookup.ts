import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { Major } from '@goorm/contracts';
import { ApiError, lectures } from '../../../api/client.ts';
import type { AsyncStatus } from '../../../stores/async.ts';

/** The majors, once, for the people screens' selects and to name a student's major. */
export const useMajorsLookupStore = defineStore('peopleMajors', () => {
  const majors = ref<Major[]>([]);
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const byId = computed(() => new Map(majors.value.map((m) => [m.id, m])));

  async function ensure(): Promise<void> {
    if (status.value === 'loading' || status.value === 'done') return;
    status.value = 'loading';
    error.value = undefined;
    try {
      majors.value = (await lectures.listMajors()).items;
      status.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.value = e;
      status.value = 'error';
    }
  }

  /** The major's name (Korean or English), or its id when unknown. */
  function nameOf(id: number | null | undefined, locale: string): string {
    if (id === null || id === undefined) return '';
    const m = byId.value.get(id);
    if (!m) return `#${id}`;
    return locale === 'en' ? m.nameEn || m.name : m.name;
  }

  return { majors, status, error, ensure, nameOf };
});
