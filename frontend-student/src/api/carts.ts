import { request } from './http.ts';
import { arr, num, obj, toSection } from './normalize.ts';
import type { Cart, CartItem } from './types.ts';

function toCartItem(input: unknown): CartItem {
  const raw = obj(input);
  const section = toSection(raw.section ?? { ...raw, id: raw.sectionId ?? raw.id });
  return { sectionId: num(raw.sectionId, section.id) ?? 0, section };
}

export async function getCart(): Promise<Cart> {
  const raw = obj(await request<unknown>('/api/carts/me'));
  const items = arr(raw.items).map(toCartItem);
  return {
    items,
    totalCredits: num(raw.totalCredits) ?? items.reduce((s, i) => s + i.section.lecture.credits, 0),
    maxCredits: num(raw.maxCredits, raw.creditLimit, raw.limit),
  };
}

export async function addToCart(sectionId: number): Promise<void> {
  await request('/api/carts/me/items', { method: 'POST', body: { sectionId } });
}

export async function removeFromCart(sectionId: number): Promise<void> {
  await request(`/api/carts/me/items/${sectionId}`, { method: 'DELETE' });
}
