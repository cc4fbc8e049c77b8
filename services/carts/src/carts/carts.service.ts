import { conflict, notFound, withTransaction, type Knex } from '@goorm/common';
import {
  cartLectures,
  deleteCartItem,
  findCurrentSection,
  findStudent,
  insertCartItem,
  isUniqueViolation,
  listCart,
  lockStudent,
  type CartOwner,
} from './carts.repository.ts';
import type { Cart, CartAdded } from '@goorm/contracts';

export interface CartSettings {
  /** Most credits a cart may hold (CART_CREDIT_LIMIT). */
  creditLimit: number;
}

export async function getCart(db: Knex, owner: CartOwner, s: CartSettings): Promise<Cart> {
  const items = await listCart(db, owner);
  return { items, totalCredits: items.reduce((sum, i) => sum + i.section.lecture.credits, 0), creditLimit: s.creditLimit };
}

/** Staff: a student's cart, eligibility from their stored major and grade (not a token's). 404 for an unknown student. */
export async function getStudentCart(db: Knex, studentId: number, s: CartSettings): Promise<Cart> {
  const owner = await findStudent(db, studentId);
  if (!owner) throw notFound('Student', studentId);
  return getCart(db, owner, s);
}

/**
 * Adds a current-term section to the student's cart. Refusals: 404 NOT_FOUND (no such section in
 * the current term), 409 DUPLICATE (the section, or another section of the same lecture, is
 * already in the cart; `conflict` names it), 409 CART_LIMIT (credits above the limit).
 */
export async function addToCart(db: Knex, studentId: number, sectionId: number, now: Date, s: CartSettings): Promise<CartAdded> {
  try {
    return await withTransaction(db, async (trx) => {
      if (!(await lockStudent(trx, studentId))) throw notFound('Student', studentId);
      const section = await findCurrentSection(trx, sectionId);
      if (!section) throw notFound('Section in the current term', sectionId);
      const cart = await cartLectures(trx, studentId);

      const same = cart.find((c) => c.sectionId === sectionId) ?? cart.find((c) => c.lectureId === section.lectureId);
      if (same) {
        const conflictWith = { sectionId: same.sectionId, lectureId: same.lectureId, lectureCode: same.lectureCode };
        throw same.sectionId === sectionId
          ? conflict('DUPLICATE', `section ${sectionId} is already in the cart`, { conflict: conflictWith })
          : conflict('DUPLICATE', `lecture ${same.lectureCode} is already in the cart as section ${same.sectionId}`, { conflict: conflictWith });
      }
      const held = cart.reduce((sum, c) => sum + c.credits, 0);
      if (held + section.credits > s.creditLimit) {
        throw conflict('CART_LIMIT', `${held} + ${section.credits} credits would exceed the cart limit of ${s.creditLimit}`, {
          creditLimit: s.creditLimit,
          totalCredits: held,
          credits: section.credits,
        });
      }
      await insertCartItem(trx, studentId, sectionId, now);
      return { sectionId, addedAt: now.toISOString(), totalCredits: held + section.credits, creditLimit: s.creditLimit };
    });
  } catch (err) {
    // Only reachable if something bypassed the student lock; the primary key still holds.
    if (isUniqueViolation(err)) throw conflict('DUPLICATE', `section ${sectionId} is already in the cart`, { conflict: { sectionId } });
    throw err;
  }
}

export async function removeFromCart(db: Knex, studentId: number, sectionId: number): Promise<void> {
  const removed = await withTransaction(db, (trx) => deleteCartItem(trx, studentId, sectionId));
  if (removed === 0) throw notFound('Cart item', sectionId);
}
