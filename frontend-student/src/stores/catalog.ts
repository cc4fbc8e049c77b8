import { computed, reactive, ref } from 'vue';
import { defineStore } from 'pinia';
import type { Major, Page, Section, Term } from '@goorm/contracts';
import type { ApiError } from '@goorm/contracts/client';
import { asApiError } from '../api/client.ts';
import * as lecturesApi from '../api/lectures.ts';
import type { AsyncStatus } from './async.ts';

export type SearchFilters = Omit<lecturesApi.SectionSearch, 'page' | 'size'>;

const PAGE_SIZE = 20;

/** Catalog search: filters, the current server page, and the majors for the filter. */
export const useCatalogStore = defineStore('catalog', () => {
  const filters = reactive<SearchFilters>({});
  const result = ref<Page<Section>>({ items: [], total: 0, page: 1, size: PAGE_SIZE });
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const majors = ref<Major[]>([]);
  /** The current term (its first and last day of classes: the calendar export). */
  const term = ref<Term | undefined>();
  const termStatus = ref<AsyncStatus>('idle');
  let controller: AbortController | undefined;

  const pages = computed(() => Math.max(1, Math.ceil(result.value.total / result.value.size)));

  async function search(page = 1): Promise<void> {
    controller?.abort();
    const mine = (controller = new AbortController());
    status.value = 'loading';
    error.value = undefined;
    try {
      result.value = await lecturesApi.searchSections({ ...filters, page, size: PAGE_SIZE }, mine.signal);
      status.value = 'done';
    } catch (e) {
      if (mine.signal.aborted) return;
      error.value = asApiError(e);
      status.value = 'error';
    }
  }

  /** Re-reads the current page (seat and cart counts change after every action). */
  async function refresh(): Promise<void> {
    if (status.value === 'idle') return;
    await search(result.value.page);
  }

  function setFilters(next: SearchFilters) {
    for (const k of Object.keys(filters) as (keyof SearchFilters)[]) delete filters[k];
    Object.assign(filters, next);
  }

  async function loadMajors(): Promise<void> {
    if (majors.value.length > 0) return;
    majors.value = await lecturesApi.listMajors().catch(() => []);
  }

  async function loadTerm(): Promise<void> {
    if (termStatus.value === 'done' || termStatus.value === 'loading') return;
    termStatus.value = 'loading';
    try {
      term.value = (await lecturesApi.listTerms()).find((x) => x.isCurrent);
      termStatus.value = term.value ? 'done' : 'error';
    } catch {
      termStatus.value = 'error';
    }
  }

  /** One section, fresh from the server (detail page). */
  const getSection = (id: number) => lecturesApi.getSection(id);

  /** All sections of a lecture this term (detail page, section swap). */
  async function sectionsOfLecture(lecture: { id: number }): Promise<Section[]> {
    const page = await lecturesApi.searchSections({ lectureId: lecture.id, size: 100 });
    return page.items.filter((s) => s.lectureId === lecture.id);
  }

  return {
    filters,
    result,
    status,
    error,
    majors,
    term,
    termStatus,
    pages,
    search,
    refresh,
    setFilters,
    loadMajors,
    loadTerm,
    getSection,
    sectionsOfLecture,
  };
});
