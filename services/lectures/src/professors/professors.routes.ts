import { ApiRouter, idParam } from '@goorm/common';
import { professorBody, professorPage, professorQuery, professorSchema } from './professors.schemas.ts';
import type { ProfessorsService } from './professors.service.ts';

export function professorsRoutes(api: ApiRouter, professors: ProfessorsService) {
  const tags = ['professors'];
  api.get(
    '/professors',
    {
      summary: 'Professors by name, paginated',
      tags,
      access: 'authenticated',
      query: professorQuery,
      responses: { 200: { description: 'A page of professors', schema: professorPage } },
    },
    async ({ query }, res) => {
      res.json(await professors.search(query));
    },
  );
  api.get(
    '/professors/:id',
    { summary: 'One professor', tags, access: 'authenticated', params: idParam, responses: { 200: { description: 'Professor', schema: professorSchema } } },
    async ({ params }, res) => {
      res.json(await professors.get(params.id));
    },
  );
  api.post(
    '/professors',
    { summary: 'Create a professor', tags, access: 'staff', body: professorBody, responses: { 201: { description: 'Created', schema: professorSchema } } },
    async ({ body }, res) => {
      res.status(201).json(await professors.create(body));
    },
  );
  api.put(
    '/professors/:id',
    { summary: 'Replace a professor', tags, access: 'staff', params: idParam, body: professorBody, responses: { 200: { description: 'Updated', schema: professorSchema } } },
    async ({ params, body }, res) => {
      res.json(await professors.update(params.id, body));
    },
  );
  api.delete(
    '/professors/:id',
    { summary: 'Delete a professor who teaches no section', tags, access: 'staff', params: idParam, responses: { 204: { description: 'Deleted' } } },
    async ({ params }, res) => {
      await professors.remove(params.id);
      res.status(204).end();
    },
  );
}
