import type { ApiRouter } from '@goorm/common';
import { lecturesApi } from '@goorm/contracts';
import type { LecturesService } from './lectures.service.ts';

const { listLectures, getLecture, createLecture, updateLecture, deleteLecture } = lecturesApi.endpoints;

export function lecturesRoutes(api: ApiRouter, lectures: LecturesService) {
  api.route(listLectures, async ({ query }, res) => {
    res.json(await lectures.search(query));
  });
  api.route(getLecture, async ({ params }, res) => {
    res.json(await lectures.get(params.id));
  });
  api.route(createLecture, async ({ body }, res) => {
    res.status(201).json(await lectures.create(body));
  });
  api.route(updateLecture, async ({ params, body }, res) => {
    res.json(await lectures.update(params.id, body));
  });
  api.route(deleteLecture, async ({ params }, res) => {
    await lectures.remove(params.id);
    res.status(204).end();
  });
}
