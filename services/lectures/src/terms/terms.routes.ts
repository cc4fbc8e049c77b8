import type { ApiRouter } from '@goorm/common';
import { lecturesApi } from '@goorm/contracts';
import type { TermsService } from './terms.service.ts';

const { listTerms, getTerm, createTerm, updateTerm, deleteTerm } = lecturesApi.endpoints;

export function termsRoutes(api: ApiRouter, terms: TermsService) {
  api.route(listTerms, async (_i, res) => {
    res.json(await terms.list());
  });
  api.route(getTerm, async ({ params }, res) => {
    res.json(await terms.get(params.id));
  });
  api.route(createTerm, async ({ body }, res) => {
    res.status(201).json(await terms.create(body));
  });
  api.route(updateTerm, async ({ params, body }, res) => {
    res.json(await terms.update(params.id, body));
  });
  api.route(deleteTerm, async ({ params }, res) => {
    await terms.remove(params.id);
    res.status(204).end();
  });
}
