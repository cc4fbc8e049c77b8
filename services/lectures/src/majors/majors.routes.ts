import { ApiRouter, idParam } from '@goorm/common';
import { majorBody, majorList, majorQuery, majorSchema } from './majors.schemas.ts';
import type { MajorsService } from './majors.service.ts';

export function majorsRoutes(api: ApiRouter, majors: MajorsService) {
  const tags = ['majors'];
  api.get(
    '/majors',
    {
      summary: 'All majors (전공) and general-education departments, by college',
      tags,
      access: 'authenticated',
      query: majorQuery,
      responses: { 200: { description: 'Majors', schema: majorList } },
    },
    async ({ query }, res) => {
      res.json({ items: await majors.list(query) });
    },
  );
  api.get(
    '/majors/:id',
    { summary: 'One major', tags, access: 'authenticated', params: idParam, responses: { 200: { description: 'Major', schema: majorSchema } } },
    async ({ params }, res) => {
      res.json(await majors.get(params.id));
    },
  );
  api.post(
    '/majors',
    { summary: 'Create a major', tags, access: 'staff', body: majorBody, responses: { 201: { description: 'Created', schema: majorSchema } } },
    async ({ body }, res) => {
      res.status(201).json(await majors.create(body));
    },
  );
  api.put(
    '/majors/:id',
    { summary: 'Replace a major', tags, access: 'staff', params: idParam, body: majorBody, responses: { 200: { description: 'Updated', schema: majorSchema } } },
    async ({ params, body }, res) => {
      res.json(await majors.update(params.id, body));
    },
  );
  api.delete(
    '/majors/:id',
    { summary: 'Delete an unused major', tags, access: 'staff', params: idParam, responses: { 204: { description: 'Deleted' } } },
    async ({ params }, res) => {
      await majors.remove(params.id);
      res.status(204).end();
    },
  );
}
