import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { Cart } from '@goorm/contracts';
import type { ApiError } from '@goorm/contracts/client';
import * as cartsApi from '../api/carts.ts';
import { asApiError } from '../api/client.ts';
import type { Outcome, SectionRef } from '../domain/outcomes.ts';
import type { AsyncStatus } from './async.ts';
import { nextOutcomeId } from './results.ts';

/** The student's cart (장바구니): the server's answer as it is (each section with the student's eligibility). */
export const useCartStore = defineStore('cart', () => {
  const cart = ref<Cart | undefined>();
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();

  const items = computed(() => cart.value?.items ?? []);
  const sectionIds = computed(() => new Set(items.value.map((i) => i.sectionId)));
  const sections = computed(() => items.value.map((i) => i.section));
  const totalCredits = computed(() => cart.value?.totalCredits ?? 0);
  /** Most credits the cart may hold (unknown until the cart is read). */
  const creditLimit = computed(() => cart.value?.creditLimit);

  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      cart.value = await cartsApi.getCart();
      error.value = undefined;
      status.value = 'done';
    } catch (e) {
      error.value = asApiError(e);
      status.value = 'error';
    }
  }

  async function add(section: SectionRef): Promise<Outcome> {
    return act('cartAdd', section, () => cartsApi.addToCart(section.id));
  }

  async function remove(section: SectionRef): Promise<Outcome> {
    return act('cartRemove', section, () => cartsApi.removeFromCart(section.id));
  }

  async function act(kind: Outcome['kind'], section: SectionRef, call: () => Promise<unknown>): Promise<Outcome> {
    try {
      await call();
      await load();
      return { id: nextOutcomeId(), kind, ok: true, section };
    } catch (e) {
      const err = asApiError(e);
      return { id: nextOutcomeId(), kind, ok: false, section, code: err.code };
    }
  }

  function reset() {
    cart.value = undefined;
    status.value = 'idle';
  }

  return { cart, status, error, items, sectionIds, sections, totalCredits, creditLimit, load, add, remove, reset };
});
