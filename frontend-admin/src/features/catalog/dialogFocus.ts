import { nextTick, watch, type Ref } from 'vue';

/**
 * Gives focus back to the button that opened a dialog once the dialog is gone. BaseDialog does so when
 * it closes itself (Escape); a page that unmounts it (saved, cancelled, confirmed) calls this.
 */
export function useDialogFocus(open: Ref<unknown>) {
  let opener: HTMLElement | null = null;
  watch(open, async (now, before) => {
    if (now && !before) opener = document.activeElement as HTMLElement | null;
    if (!now && before) {
      await nextTick();
      // The opener may be gone (its row deleted): focus then stays where the page put it.
      if (opener?.isConnected && !document.querySelector('dialog[open]')) opener.focus();
      opener = null;
    }
  });
}
