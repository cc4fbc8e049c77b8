import type { ApiRouter } from '@goorm/common';
import { authApi } from '@goorm/contracts';
import type { StudentsService } from './students.service.ts';

const { listStudents, getStudent, createStudent, updateStudent, deleteStudent } = authApi.endpoints;

export function studentsRoutes(api: ApiRouter, students: StudentsService) {
  api.route(listStudents, async ({ query }, res) => {
    res.json(await students.list(query));
  });

  api.route(getStudent, async ({ params }, res) => {
    res.json(await students.get(params.id));
  });

  api.route(createStudent, async ({ body }, res) => {
    const created = await students.create(body);
    res.status(201).location(`${api.prefix}/students/${created.id}`).json(created);
  });

  api.route(updateStudent, async ({ params, body }, res) => {
    res.json(await students.update(params.id, body));
  });

  api.route(deleteStudent, async ({ params }, res) => {
    await students.remove(params.id);
    res.status(204).end();
  });
}
