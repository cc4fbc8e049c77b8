import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Section, SectionInput } from '@goorm/contracts';
import { lectures } from '../../../api/client.ts';
import { createRequest } from './request.ts';

/**
 * The section being created or edited: load it, save it (a professor or room double-booking comes
 * back as SCHEDULE_CONFLICT naming the other section; capacity below the enrolled as
 * CAPACITY_BELOW_ENROLLED), delete it (IN_USE while students are enrolled).
 */
export const useSectionFormStore = defineStore('sectionForm', () => {
  const section = ref<Section | undefined>();
  /** What the last write did, kept while the same section is shown (a new section's page opens after its creation). */
  const notice = ref<{ kind: 'created' | 'saved'; sectionId: number } | undefined>();
  const loading = createRequest();
  const saving = createRequest();
  const removing = createRequest();

  async function load(id: number | undefined) {
    saving.reset();
    removing.reset();
    section.value = undefined;
    if (notice.value?.sectionId !== id) notice.value = undefined;
    if (id === undefined) return;
    const r = await loading.run(() => lectures.getSection({ params: { id } }));
    if (r.ok) section.value = r.value;
  }

  async function save(id: number | undefined, input: SectionInput): Promise<Section | undefined> {
    removing.reset();
    notice.value = undefined;
    const r = await saving.run(() => (id === undefined ? lectures.createSection({ body: input }) : lectures.updateSection({ params: { id }, body: input })));
    if (!r.ok) return undefined;
    section.value = r.value;
    notice.value = { kind: id === undefined ? 'created' : 'saved', sectionId: r.value.id };
    return r.value;
  }

  async function remove(id: number): Promise<boolean> {
    saving.reset();
    notice.value = undefined;
    const r = await removing.run(() => lectures.deleteSection({ params: { id } }));
    return r.ok;
  }

  return {
    section,
    notice,
    status: loading.status,
    error: loading.error,
    saveStatus: saving.status,
    saveError: saving.error,
    fieldErrors: saving.fieldErrors,
    removeStatus: removing.status,
    removeError: removing.error,
    load,
    save,
    remove,
  };
});
