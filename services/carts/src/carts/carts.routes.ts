import type { ApiRouter, Knex } from '@goorm/common';
import { cartsApi } from '@goorm/contracts';
import { addToCart, getCart, removeFromCart, type CartSettings } from './carts.service.ts';

const { getCart: getCartEndpoint, addItem, removeItem } = cartsApi.endpoints;

/** The signed-in student's own cart; there is no way to name another student. */
export function registerCartRoutes(api: ApiRouter, deps: { db: Knex; clock: () => Date; settings: CartSettings }): void {
  api.route(getCartEndpoint, async ({ user }, res) => {
    res.json(await getCart(deps.db, { id: user!.id, majorId: user!.majorId, grade: user!.grade }, deps.settings));
  });

  api.route(addItem, async ({ user, body }, res) => {
    const added = await addToCart(deps.db, user!.id, body.sectionId, deps.clock(), deps.settings);
    res.status(201).location(`${api.prefix}/me`).json(added);
  });

  api.route(removeItem, async ({ user, params }, res) => {
    await removeFromCart(deps.db, user!.id, params.sectionId);
    res.status(204).end();
  });
}
