import { idParam, type ApiRouter } from '@goorm/common';
import {
  createStudentBody,
  listStudentsQuery,
  studentPageSchema,
  studentSchema,
  updateStudentBody,
} from './students.schemas.ts';
import type { StudentsService } from './students.service.ts';

const tags = ['students'];

export function studentsRoutes(api: ApiRouter, students: StudentsService) {
  api.get(
    '/students',
    {
      summary: 'Search students (name or student number), by major and grade, paginated',
      tags,
      access: 'staff',
      query: listStudentsQuery,
      responses: { 200: { description: 'A page of students', schema: studentPageSchema } },
    },
    async ({ query }, res) => {
      res.json(await students.list(query));
    },
  );

  api.get(
    '/students/:id',
    { summary: 'One student', tags, access: 'staff', params: idParam, responses: { 200: { description: 'The student', schema: studentSchema } } },
    async ({ params }, res) => {
      res.json(await students.get(params.id));
    },
  );

  api.post(
    '/students',
    {
      summary: 'Create a student account',
      tags,
      access: 'staff',
      body: createStudentBody,
      responses: { 201: { description: 'Created', schema: studentSchema } },
    },
    async ({ body }, res) => {
      const created = await students.create(body);
      res.status(201).location(`${api.prefix}/students/${created.id}`).json(created);
    },
  );

  api.put(
    '/students/:id',
    {
      summary: 'Replace a student account (password optional: resets it when given)',
      tags,
      access: 'staff',
      params: idParam,
      body: updateStudentBody,
      responses: { 200: { description: 'Updated', schema: studentSchema } },
    },
    async ({ params, body }, res) => {
      res.json(await students.update(params.id, body));
    },
  );

  api.delete(
    '/students/:id',
    { summary: 'Delete a student account (refused while they hold enrollments)', tags, access: 'staff', params: idParam, responses: { 204: { description: 'Deleted' } } },
    async ({ params }, res) => {
      await students.remove(params.id);
      res.status(204).end();
    },
  );
}
