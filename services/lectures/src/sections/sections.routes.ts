import { AppError, ApiRouter, idParam } from '@goorm/common';
import { exportQuery, importResult, scheduleConflictSchema, sectionBody, sectionPage, sectionQuery, sectionSchema, type SectionQuery } from './sections.schemas.ts';
import type { SectionsService } from './sections.service.ts';

/** `searchBody`: the JSON of a search's answer (from the term catalog, or SQL through the answer cache; see app.ts). */
export function sectionsRoutes(api: ApiRouter, sections: SectionsService, searchBody: (q: SectionQuery) => Promise<string | Buffer>) {
  const tags = ['sections'];
  api.get(
    '/sections',
    {
      summary:
        'Search sections (분반) of a term: every filter, sort and page on the server. The current term is answered from memory (no query when warm; seat and cart counts at most SEARCH_COUNTS_TTL_MS old); another term by at most six queries whatever the size, answers cached for SEARCH_CACHE_TTL_MS',
      tags,
      access: 'authenticated',
      query: sectionQuery,
      responses: { 200: { description: 'A page of sections', schema: sectionPage } },
    },
    async ({ query }, res) => {
      // The bytes and Content-Type res.json would send (text or its UTF-8 bytes), serialised once per
      // cached answer.
      res.set('Content-Type', 'application/json; charset=utf-8').send(await searchBody(query));
    },
  );
  // Before /sections/:id, which would otherwise take "export.csv" for an id.
  api.get(
    '/sections/export.csv',
    {
      summary: "Every section of a term (default: the current term) as CSV",
      tags,
      access: 'staff',
      query: exportQuery,
      responses: { 200: { description: 'CSV with a header row', contentType: 'text/csv' } },
    },
    async ({ query }, res) => {
      const csv = await sections.exportCsv(query.termId);
      res
        .type('text/csv; charset=utf-8')
        .attachment(`sections${query.termId ? `-term-${query.termId}` : ''}.csv`)
        .send(csv);
    },
  );
  api.post(
    '/sections/import',
    {
      summary: 'Create (empty id) or replace sections from CSV (Content-Type: text/csv); all or nothing',
      tags,
      access: 'staff',
      responses: {
        200: { description: 'How many sections were created and updated', schema: importResult },
        400: { description: 'Problems named `row N.<field>`; nothing was written' },
      },
    },
    async ({ req }, res) => {
      if (typeof req.body !== 'string') {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: 'send the sections as Content-Type: text/csv' });
      }
      res.json(await sections.importCsv(req.body));
    },
  );
  api.get(
    '/sections/:id',
    { summary: 'One section', tags, access: 'authenticated', params: idParam, responses: { 200: { description: 'Section', schema: sectionSchema } } },
    async ({ params }, res) => {
      res.json(await sections.get(params.id));
    },
  );
  api.post(
    '/sections',
    {
      summary: 'Create a section',
      tags,
      access: 'staff',
      body: sectionBody,
      responses: {
        201: { description: 'Created', schema: sectionSchema },
        409: { description: 'SCHEDULE_CONFLICT (with `conflict`) or DUPLICATE', schema: scheduleConflictSchema },
      },
    },
    async ({ body }, res) => {
      res.status(201).json(await sections.create(body));
    },
  );
  api.put(
    '/sections/:id',
    {
      summary: 'Replace a section (capacity never below current enrollment)',
      tags,
      access: 'staff',
      params: idParam,
      body: sectionBody,
      responses: {
        200: { description: 'Updated', schema: sectionSchema },
        409: { description: 'SCHEDULE_CONFLICT, DUPLICATE, CAPACITY_BELOW_ENROLLED or IN_USE' },
      },
    },
    async ({ params, body }, res) => {
      res.json(await sections.update(params.id, body));
    },
  );
  api.delete(
    '/sections/:id',
    {
      summary: 'Delete a section nobody is enrolled in',
      tags,
      access: 'staff',
      params: idParam,
      responses: { 204: { description: 'Deleted' }, 409: { description: 'IN_USE: students are enrolled' } },
    },
    async ({ params }, res) => {
      await sections.remove(params.id);
      res.status(204).end();
    },
  );
}
