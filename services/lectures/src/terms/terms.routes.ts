import { ApiRouter, idParam } from '@goorm/common';
import { termBody, termList, termSchema } from './terms.schemas.ts';
import type { TermsService } from './terms.service.ts';

export function termsRoutes(api: ApiRouter, terms: TermsService) {
  const tags = ['terms'];
  api.get(
    '/terms',
    { summary: 'All terms, newest first', tags, access: 'authenticated', responses: { 200: { description: 'Terms', schema: termList } } },
    async (_i, res) => {
      res.json({ items: await terms.list() });
    },
  );
  api.get(
    '/terms/:id',
    { summary: 'One term', tags, access: 'authenticated', params: idParam, responses: { 200: { description: 'Term', schema: termSchema } } },
    async ({ params }, res) => {
      res.json(await terms.get(params.id));
    },
  );
  api.post(
    '/terms',
    { summary: 'Create a term', tags, access: 'staff', body: termBody, responses: { 201: { description: 'Created', schema: termSchema } } },
    async ({ body }, res) => {
      res.status(201).json(await terms.create(body));
    },
  );
  api.put(
    '/terms/:id',
    { summary: 'Replace a term', tags, access: 'staff', params: idParam, body: termBody, responses: { 200: { description: 'Updated', schema: termSchema } } },
    async ({ params, body }, res) => {
      res.json(await terms.update(params.id, body));
    },
  );
  api.delete(
    '/terms/:id',
    { summary: 'Delete a term without sections', tags, access: 'staff', params: idParam, responses: { 204: { description: 'Deleted' } } },
    async ({ params }, res) => {
      await terms.remove(params.id);
      res.status(204).end();
    },
  );
}
