import type { Cart, CartAdded } from '@goorm/contracts';
import { carts } from './client.ts';

export function getCart(): Promise<Cart> {
  return carts.getCart();
}

export function addToCart(sectionId: number): Promise<CartAdded> {
  return carts.addItem({ body: { sectionId } });
}

export function removeFromCart(sectionId: number): Promise<void> {
  return carts.removeItem({ params: { sectionId } });
}
