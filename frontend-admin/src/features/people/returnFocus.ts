import { nextTick } from 'vue';

/**
 * Where keyboard focus goes back to once a dialog mounted with `v-if` is gone (it is unmounted, so
 * the native <dialog> never fires `close`): the button that opened it, or, when that is gone too
 * (a deleted row), the given fallback (e.g. the message saying what happened).
 */
export function useReturnFocus() {
  let opener: HTMLElement | null = null;
  return {
    remember(): void {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    },
    async restore(fallback?: () => HTMLElement | null | undefined): Promise<void> {
      const target = opener;
      opener = null;
      await nextTick();
      if (target?.isConnected) target.focus();
      else fallback?.()?.focus();
    },
  };
}
