import type { ApiRouter, Knex } from '@goorm/common';
import { addedSchema, addItemBody, cartSchema, sectionIdParams } from './carts.schemas.ts';
import { addToCart, getCart, removeFromCart, type CartSettings } from './carts.service.ts';

const tags = ['cart'];

/** The signed-in student's own cart; there is no way to name another student. */
export function registerCartRoutes(
  api: ApiRouter,
  deps: { db: Knex; clock: () => Date; settings: CartSettings },
): void {
  api.get(
    '/me',
    {
      summary: 'My cart: sections with lecture, professor, meetings, seats and cart counts; total credits',
      tags,
      access: 'student',
      responses: { 200: { description: 'The cart', schema: cartSchema } },
    },
    async ({ user }, res) => {
      res.json(await getCart(deps.db, user!.id, deps.settings));
    },
  );

  api.post(
    '/me/items',
    {
      summary: 'Add a section of the current term (409 DUPLICATE for the same section or lecture, 409 CART_LIMIT)',
      tags,
      access: 'student',
      body: addItemBody,
      responses: { 201: { description: 'Added', schema: addedSchema } },
    },
    async ({ user, body }, res) => {
      const added = await addToCart(deps.db, user!.id, body.sectionId, deps.clock(), deps.settings);
      res.status(201).location(`${api.prefix}/me`).json(added);
    },
  );

  api.delete(
    '/me/items/:sectionId',
    {
      summary: 'Remove a section from my cart',
      tags,
      access: 'student',
      params: sectionIdParams,
      responses: { 204: { description: 'Removed' } },
    },
    async ({ user, params }, res) => {
      await removeFromCart(deps.db, user!.id, params.sectionId);
      res.status(204).end();
    },
  );
}
