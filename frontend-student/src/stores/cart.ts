import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import * as cartsApi from '../api/carts.ts';
import { ApiError } from '../api/http.ts';
import type { Cart, Section } from '../api/types.ts';
import type { Outcome } from '../domain/outcomes.ts';
import type { AsyncStatus } from './async.ts';
import { useLecturesStore } from './lectures.ts';
import { nextOutcomeId } from './results.ts';

/** The student's cart (장바구니). */
export const useCartStore = defineStore('cart', () => {
  const cart = ref<Cart>({ items: [], totalCredits: 0, maxCredits: undefined });
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const lectures = useLecturesStore();

  const sectionIds = computed(() => new Set(cart.value.items.map((i) => i.sectionId)));
  const sections = computed(() => cart.value.items.map((i) => i.section));

  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      const fresh = await cartsApi.getCart();
      const sections = await lectures.withTitles(fresh.items.map((i) => i.section));
      cart.value = { ...fresh, items: fresh.items.map((i, n) => ({ ...i, section: sections[n]! })) };
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      error.value = e instanceof ApiError ? e : new ApiError({ status: 0, code: 'INTERNAL', detail: String(e) });
      status.value = 'error';
    }
  }

  async function add(section: Section): Promise<Outcome> {
    return act('cartAdd', section, () => cartsApi.addToCart(section.id));
  }

  async function remove(section: Section): Promise<Outcome> {
    return act('cartRemove', section, () => cartsApi.removeFromCart(section.id));
  }

  async function act(kind: Outcome['kind'], section: Section, call: () => Promise<void>): Promise<Outcome> {
    try {
      await call();
      await load();
      return { id: nextOutcomeId(), kind, ok: true, section };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return { id: nextOutcomeId(), kind, ok: false, section, code: e.code, conflict: e.conflict };
    }
  }

  function reset() {
    cart.value = { items: [], totalCredits: 0, maxCredits: undefined };
    status.value = 'idle';
  }

  return { cart, status, error, sectionIds, sections, load, add, remove, reset };
});
