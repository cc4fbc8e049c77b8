import { idParam, type ApiRouter } from '@goorm/common';
import { createStaffBody, listStaffQuery, staffPageSchema, staffSchema, updateStaffBody } from './staff.schemas.ts';
import type { StaffService } from './staff.service.ts';

const tags = ['staff'];

export function staffRoutes(api: ApiRouter, staff: StaffService) {
  api.get(
    '/staff',
    {
      summary: 'Search staff accounts (name or login id), paginated',
      tags,
      access: 'staff',
      query: listStaffQuery,
      responses: { 200: { description: 'A page of staff accounts', schema: staffPageSchema } },
    },
    async ({ query }, res) => {
      res.json(await staff.list(query));
    },
  );

  api.get(
    '/staff/:id',
    { summary: 'One staff account', tags, access: 'staff', params: idParam, responses: { 200: { description: 'The staff account', schema: staffSchema } } },
    async ({ params }, res) => {
      res.json(await staff.get(params.id));
    },
  );

  api.post(
    '/staff',
    { summary: 'Create a staff account', tags, access: 'staff', body: createStaffBody, responses: { 201: { description: 'Created', schema: staffSchema } } },
    async ({ body }, res) => {
      const created = await staff.create(body);
      res.status(201).location(`${api.prefix}/staff/${created.id}`).json(created);
    },
  );

  api.put(
    '/staff/:id',
    {
      summary: 'Replace a staff account (password optional: resets it when given)',
      tags,
      access: 'staff',
      params: idParam,
      body: updateStaffBody,
      responses: { 200: { description: 'Updated', schema: staffSchema } },
    },
    async ({ params, body }, res) => {
      res.json(await staff.update(params.id, body));
    },
  );

  api.delete(
    '/staff/:id',
    { summary: 'Delete a staff account (not your own)', tags, access: 'staff', params: idParam, responses: { 204: { description: 'Deleted' } } },
    async ({ params, user }, res) => {
      await staff.remove(params.id, user!.id);
      res.status(204).end();
    },
  );
}
