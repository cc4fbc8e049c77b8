import { render, screen } from '@testing-library/vue';
import { defineComponent, nextTick, ref } from 'vue';
import { describe, expect, it } from 'vitest';
import BaseDialog from './BaseDialog.vue';

/** A page with a row whose button opens the dialog, and a message the page shows after the row goes. */
const Host = defineComponent({
  components: { BaseDialog },
  setup() {
    const open = ref(false);
    const rowKept = ref(true);
    const message = ref<HTMLElement>();
    return { open, rowKept, message, fallback: () => message.value };
  },
  template: `
    <button v-if="rowKept" type="button" @click="open = true">열기</button>
    <p ref="message" tabindex="-1">결과</p>
    <BaseDialog v-if="open" title="확인" :fallback-focus="fallback">
      <button type="button" @click="open = false">취소</button>
      <button type="button" @click="rowKept = false; open = false">삭제</button>
    </BaseDialog>`,
});

describe('BaseDialog', () => {
  it('gives focus back to the button that opened it when the page closes it', async () => {
    render(Host);
    const opener = screen.getByRole('button', { name: '열기' });
    opener.focus();
    opener.click();
    await nextTick();
    screen.getByRole('button', { name: '취소' }).click();
    await nextTick();
    await nextTick();
    expect(opener).toHaveFocus();
  });

  it('when its opener is gone (the row deleted), gives focus to the fallback instead', async () => {
    render(Host);
    const opener = screen.getByRole('button', { name: '열기' });
    opener.focus();
    opener.click();
    await nextTick();
    screen.getByRole('button', { name: '삭제' }).click();
    await nextTick();
    await nextTick();
    expect(screen.getByText('결과')).toHaveFocus();
  });
});
