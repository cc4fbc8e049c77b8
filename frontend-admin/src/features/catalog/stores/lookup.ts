import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Term } from '@goorm/contracts';
import { lectures } from '../../../api/client.ts';
import { createRequest } from './request.ts';

/** One choice of a picker: an id and what people read. */
export interface PickOption {
  id: number;
  label: string;
}
export interface PickResult {
  items: PickOption[];
  total: number;
}

const PICK_SIZE = 50;

/**
 * What the section screens pick from: the terms (a handful, loaded once), and lectures and professors
 * searched on the server (there are hundreds), a page of matches at a time.
 */
export const useCatalogLookupStore = defineStore('catalogLookup', () => {
  const terms = ref<Term[]>([]);
  const termsRequest = createRequest();

  async function ensureTerms() {
    if (termsRequest.status.value === 'done' || termsRequest.status.value === 'loading') return;
    const r = await termsRequest.run(() => lectures.listTerms());
    if (r.ok) terms.value = r.value.items;
  }

  const currentTerm = () => terms.value.find((t) => t.isCurrent);

  async function findLectures(q: string): Promise<PickResult> {
    const page = await lectures.listLectures({ query: { q: q.trim() || undefined, size: PICK_SIZE } });
    return { items: page.items.map((l) => ({ id: l.id, label: `${l.code} ${l.title}` })), total: page.total };
  }

  async function findProfessors(q: string): Promise<PickResult> {
    const page = await lectures.listProfessors({ query: { q: q.trim() || undefined, size: PICK_SIZE } });
    return { items: page.items.map((p) => ({ id: p.id, label: p.nameEn ? `${p.name} (${p.nameEn})` : p.name })), total: page.total };
  }

  return { terms, termsStatus: termsRequest.status, termsError: termsRequest.error, ensureTerms, currentTerm, findLectures, findProfessors };
});
