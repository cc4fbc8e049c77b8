import { AppError, type ApiRouter } from '@goorm/common';
import { lecturesApi, type SectionQuery } from '@goorm/contracts';
import type { SectionsService } from './sections.service.ts';

const { searchSections, exportSections, importSections, getSection, createSection, updateSection, deleteSection } = lecturesApi.endpoints;

/** `searchBody`: the JSON of a search's answer (from the term catalog, or SQL through the answer cache; see app.ts). */
export function sectionsRoutes(api: ApiRouter, sections: SectionsService, searchBody: (q: SectionQuery) => Promise<string | Buffer>) {
  api.route(searchSections, async ({ query }, res) => {
    // The bytes and Content-Type res.json would send (text or its UTF-8 bytes), serialised once per
    // cached answer.
    res.set('Content-Type', 'application/json; charset=utf-8').send(await searchBody(query));
  });
  // Before /sections/:id, which would otherwise take "export.csv" for an id.
  api.route(exportSections, async ({ query }, res) => {
    const csv = await sections.exportCsv(query.termId);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`sections${query.termId ? `-term-${query.termId}` : ''}.csv`)
      .send(csv);
  });
  api.route(importSections, async ({ req, query }, res) => {
    if (typeof req.body !== 'string') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: 'send the sections as Content-Type: text/csv' });
    }
    res.json(query.dryRun ? await sections.previewCsv(req.body) : await sections.importCsv(req.body));
  });
  api.route(getSection, async ({ params }, res) => {
    res.json(await sections.get(params.id));
  });
  api.route(createSection, async ({ body }, res) => {
    res.status(201).json(await sections.create(body));
  });
  api.route(updateSection, async ({ params, body }, res) => {
    res.json(await sections.update(params.id, body));
  });
  api.route(deleteSection, async ({ params }, res) => {
    await sections.remove(params.id);
    res.status(204).end();
  });
}
