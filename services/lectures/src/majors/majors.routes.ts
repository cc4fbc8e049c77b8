import type { ApiRouter } from '@goorm/common';
import { lecturesApi } from '@goorm/contracts';
import type { MajorsService } from './majors.service.ts';

const { listMajors, getMajor, createMajor, updateMajor, deleteMajor } = lecturesApi.endpoints;

export function majorsRoutes(api: ApiRouter, majors: MajorsService) {
  api.route(listMajors, async ({ query }, res) => {
    res.json(await majors.list(query));
  });
  api.route(getMajor, async ({ params }, res) => {
    res.json(await majors.get(params.id));
  });
  api.route(createMajor, async ({ body }, res) => {
    res.status(201).json(await majors.create(body));
  });
  api.route(updateMajor, async ({ params, body }, res) => {
    res.json(await majors.update(params.id, body));
  });
  api.route(deleteMajor, async ({ params }, res) => {
    await majors.remove(params.id);
    res.status(204).end();
  });
}
