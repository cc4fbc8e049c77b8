import type { ApiRouter } from '@goorm/common';
import { authApi } from '@goorm/contracts';
import type { StaffService } from './staff.service.ts';

const { listStaff, getStaff, createStaff, updateStaff, deleteStaff } = authApi.endpoints;

export function staffRoutes(api: ApiRouter, staff: StaffService) {
  api.route(listStaff, async ({ query }, res) => {
    res.json(await staff.list(query));
  });

  api.route(getStaff, async ({ params }, res) => {
    res.json(await staff.get(params.id));
  });

  api.route(createStaff, async ({ body }, res) => {
    const created = await staff.create(body);
    res.status(201).location(`${api.prefix}/staff/${created.id}`).json(created);
  });

  api.route(updateStaff, async ({ params, body }, res) => {
    res.json(await staff.update(params.id, body));
  });

  api.route(deleteStaff, async ({ params, user }, res) => {
    await staff.remove(params.id, user!.id);
    res.status(204).end();
  });
}
