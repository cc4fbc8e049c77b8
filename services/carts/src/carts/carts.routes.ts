import type { ApiRouter, Knex } from '@goorm/common';
import { cartsApi } from '@goorm/contracts';
import { addToCart, getCart, getStudentCart, removeFromCart, type CartSettings } from './carts.service.ts';

const { getCart: getCartEndpoint, studentCart, addItem, removeItem } = cartsApi.endpoints;

/** The signed-in student's own cart (students can name no other student); staff read any student's. */
export function registerCartRoutes(api: ApiRouter, deps: { db: Knex; clock: () => Date; settings: CartSettings }): void {
  api.route(getCartEndpoint, async ({ user }, res) => {
    res.json(await getCart(deps.db, { id: user!.id, majorId: user!.majorId, grade: user!.grade }, deps.settings));
  });

  api.route(studentCart, async ({ params }, res) => {
    res.json(await getStudentCart(deps.db, params.studentId, deps.settings));
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
