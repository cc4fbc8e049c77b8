import { ApiRouter, idParam } from '@goorm/common';
import { lectureBody, lecturePage, lectureQuery, lectureSchema } from './lectures.schemas.ts';
import type { LecturesService } from './lectures.service.ts';

export function lecturesRoutes(api: ApiRouter, lectures: LecturesService) {
  const tags = ['lectures'];
  api.get(
    '/lectures',
    {
      summary: 'Lectures (강의) by code or title, paginated',
      tags,
      access: 'authenticated',
      query: lectureQuery,
      responses: { 200: { description: 'A page of lectures', schema: lecturePage } },
    },
    async ({ query }, res) => {
      res.json(await lectures.search(query));
    },
  );
  api.get(
    '/lectures/:id',
    { summary: 'One lecture', tags, access: 'authenticated', params: idParam, responses: { 200: { description: 'Lecture', schema: lectureSchema } } },
    async ({ params }, res) => {
      res.json(await lectures.get(params.id));
    },
  );
  api.post(
    '/lectures',
    { summary: 'Create a lecture', tags, access: 'staff', body: lectureBody, responses: { 201: { description: 'Created', schema: lectureSchema } } },
    async ({ body }, res) => {
      res.status(201).json(await lectures.create(body));
    },
  );
  api.put(
    '/lectures/:id',
    { summary: 'Replace a lecture', tags, access: 'staff', params: idParam, body: lectureBody, responses: { 200: { description: 'Updated', schema: lectureSchema } } },
    async ({ params, body }, res) => {
      res.json(await lectures.update(params.id, body));
    },
  );
  api.delete(
    '/lectures/:id',
    { summary: 'Delete a lecture that has no sections', tags, access: 'staff', params: idParam, responses: { 204: { description: 'Deleted' } } },
    async ({ params }, res) => {
      await lectures.remove(params.id);
      res.status(204).end();
    },
  );
}
