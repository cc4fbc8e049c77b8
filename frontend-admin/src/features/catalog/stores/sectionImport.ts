import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { SectionImportPreview, SectionImportResult } from '@goorm/contracts';
import { lectures } from '../../../api/client.ts';
import { createRequest } from './request.ts';

/**
 * The CSV import: the text (picked from a file or pasted), its preview (a dry run: every row with its
 * action and its own errors, nothing written), then the commit, all or nothing. The commit is only
 * offered for the very text that was previewed and found valid.
 */
export const useSectionImportStore = defineStore('sectionImport', () => {
  const text = ref('');
  const preview = ref<SectionImportPreview | undefined>();
  /** The text the preview was made of. */
  const previewed = ref<string | undefined>();
  const result = ref<SectionImportResult | undefined>();
  const previewing = createRequest();
  const committing = createRequest();

  const stale = computed(() => preview.value !== undefined && previewed.value !== text.value);
  const badRows = computed(() => preview.value?.rows.filter((r) => r.errors.length > 0).length ?? 0);
  const canCommit = computed(() => preview.value?.valid === true && !stale.value && committing.status.value !== 'loading');

  function setText(value: string) {
    text.value = value;
    result.value = undefined;
  }

  async function runPreview() {
    result.value = undefined;
    committing.reset();
    const csv = text.value;
    const r = await previewing.run(() => lectures.importSections({ rawBody: csv, query: { dryRun: true } }));
    if (!r.ok) {
      preview.value = undefined;
      return;
    }
    if ('dryRun' in r.value) {
      preview.value = r.value;
      previewed.value = csv;
    }
  }

  async function commit(): Promise<boolean> {
    if (!canCommit.value) return false;
    const r = await committing.run(() => lectures.importSections({ rawBody: previewed.value! }));
    if (!r.ok) return false;
    if (!('dryRun' in r.value)) result.value = r.value;
    preview.value = undefined;
    previewed.value = undefined;
    text.value = '';
    return true;
  }

  function reset() {
    text.value = '';
    preview.value = undefined;
    previewed.value = undefined;
    result.value = undefined;
    previewing.reset();
    committing.reset();
  }

  return {
    text,
    preview,
    result,
    stale,
    badRows,
    canCommit,
    previewStatus: previewing.status,
    previewError: previewing.error,
    commitStatus: committing.status,
    commitError: committing.error,
    setText,
    runPreview,
    commit,
    reset,
  };
});
