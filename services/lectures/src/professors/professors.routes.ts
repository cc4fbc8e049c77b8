import type { ApiRouter } from '@goorm/common';
import { lecturesApi } from '@goorm/contracts';
import type { ProfessorsService } from './professors.service.ts';

const { listProfessors, getProfessor, createProfessor, updateProfessor, deleteProfessor } = lecturesApi.endpoints;

export function professorsRoutes(api: ApiRouter, professors: ProfessorsService) {
  api.route(listProfessors, async ({ query }, res) => {
    res.json(await professors.search(query));
  });
  api.route(getProfessor, async ({ params }, res) => {
    res.json(await professors.get(params.id));
  });
  api.route(createProfessor, async ({ body }, res) => {
    res.status(201).json(await professors.create(body));
  });
  api.route(updateProfessor, async ({ params, body }, res) => {
    res.json(await professors.update(params.id, body));
  });
  api.route(deleteProfessor, async ({ params }, res) => {
    await professors.remove(params.id);
    res.status(204).end();
  });
}
