/** Carts (장바구니): a student's own wish list before and during registration, under /api/carts. */
import { z } from 'zod';
import { endpoint, idField, idParam, serviceContract } from './endpoint.ts';
import { cartSectionSchema } from './sections.ts';

export const addCartItemBody = z.object({ sectionId: idField });
export const cartItemParams = z.object({ sectionId: idParam });
export const cartStudentParams = z.object({ studentId: idParam });

export const cartItemSchema = z.object({
  sectionId: z.number().int(),
  addedAt: z.string(),
  section: cartSectionSchema,
});
export type CartItem = z.infer<typeof cartItemSchema>;

export const cartSchema = z.object({
  items: z.array(cartItemSchema),
  totalCredits: z.number().int(),
  /** Most credits a cart may hold. */
  creditLimit: z.number().int(),
});
export type Cart = z.infer<typeof cartSchema>;

export const cartAddedSchema = z.object({
  sectionId: z.number().int(),
  addedAt: z.string(),
  totalCredits: z.number().int(),
  creditLimit: z.number().int(),
});
export type CartAdded = z.infer<typeof cartAddedSchema>;

const tags = ['cart'];

export const cartsApi = serviceContract('/api/carts', {
  getCart: endpoint({
    method: 'get',
    path: '/me',
    summary: "My cart: sections with lecture, professor, meetings, seats, cart counts and my eligibility; total credits",
    tags,
    access: 'student',
    responses: { 200: { description: 'The cart', schema: cartSchema } },
  }),
  studentCart: endpoint({
    method: 'get',
    path: '/students/:studentId',
    summary: "A student's cart (staff): the same answer as GET /me, eligibility from the student's stored major and grade",
    tags,
    access: 'staff',
    params: cartStudentParams,
    responses: { 200: { description: 'The cart', schema: cartSchema } },
    errors: ['NOT_FOUND'],
  }),
  addItem: endpoint({
    method: 'post',
    path: '/me/items',
    summary: 'Add a section of the current term (409 DUPLICATE for the same section or lecture, 409 CART_LIMIT)',
    tags,
    access: 'student',
    body: addCartItemBody,
    responses: { 201: { description: 'Added', schema: cartAddedSchema, headers: { Location: 'The cart (/api/carts/me)' } } },
    errors: ['NOT_FOUND', 'DUPLICATE', 'CART_LIMIT'],
  }),
  removeItem: endpoint({
    method: 'delete',
    path: '/me/items/:sectionId',
    summary: 'Remove a section from my cart',
    tags,
    access: 'student',
    params: cartItemParams,
    responses: { 204: { description: 'Removed' } },
    errors: ['NOT_FOUND'],
  }),
});
