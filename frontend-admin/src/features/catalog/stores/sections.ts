import { reactive, ref } from 'vue';
import { defineStore } from 'pinia';
import type { Section } from '@goorm/contracts';
import { lectures } from '../../../api/client.ts';
import { createRequest } from './request.ts';

export const SECTION_PAGE_SIZE = 20;

export interface SectionFilters {
  termId: number | undefined;
  lectureId: number | undefined;
  majorId: number | undefined;
  professorId: number | undefined;
}

/** The staff's section list: every section of a term (default: the current one), filtered and paged on the server; and the CSV export. */
export const useSectionsStore = defineStore('sections', () => {
  const items = ref<Section[]>([]);
  const total = ref(0);
  const page = ref(1);
  const filters = reactive<SectionFilters>({ termId: undefined, lectureId: undefined, majorId: undefined, professorId: undefined });
  const list = createRequest();
  const exporting = createRequest();

  async function load(to = page.value) {
    const r = await list.run(() => lectures.searchSections({ query: { ...filters, page: to, size: SECTION_PAGE_SIZE } }));
    if (!r.ok) return;
    items.value = r.value.items;
    total.value = r.value.total;
    page.value = r.value.page;
  }

  /** The term's sections as CSV text (the client answers text for text/csv). */
  async function exportCsv(): Promise<string | undefined> {
    const r = await exporting.run(() => lectures.exportSections({ query: { termId: filters.termId } }));
    return r.ok ? r.value : undefined;
  }

  return {
    items,
    total,
    page,
    size: SECTION_PAGE_SIZE,
    filters,
    status: list.status,
    error: list.error,
    exportStatus: exporting.status,
    exportError: exporting.error,
    load,
    exportCsv,
  };
});
