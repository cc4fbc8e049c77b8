import { parse as parseQueryString } from 'node:querystring';
import { ApiRouter, createServiceApp, type Knex, type Logger, type Metrics, type TokenVerifier } from '@goorm/common';
import express, { type Express } from 'express';
import { lecturesRoutes } from './lectures/lectures.routes.ts';
import { createLecturesService } from './lectures/lectures.service.ts';
import { majorsRoutes } from './majors/majors.routes.ts';
import { createMajorsService } from './majors/majors.service.ts';
import { professorsRoutes } from './professors/professors.routes.ts';
import { createProfessorsService } from './professors/professors.service.ts';
import { clearingAfterWrites, createSearchCache, SEARCH_CACHE_DEFAULTS, type SearchCacheOptions } from './sections/search-cache.ts';
import { sectionsRoutes } from './sections/sections.routes.ts';
import { createSectionsService } from './sections/sections.service.ts';
import { termsRoutes } from './terms/terms.routes.ts';
import { createTermsService } from './terms/terms.service.ts';

export interface LecturesAppDeps {
  db: Knex;
  verifier: TokenVerifier;
  logger: Logger;
  metrics: Metrics;
  readiness: () => Promise<void>;
  clock?: () => Date;
  accessLog?: boolean;
  /** The search cache (`SEARCH_CACHE_TTL_MS`, `SEARCH_CACHE_MAX_ENTRIES`); default 1 s, 5,000 entries. */
  searchCache?: SearchCacheOptions;
}

/** `?q=&majorId=` means "no filter": empty query parameters are dropped before validation. */
function dropEmptyParams(qs: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parseQueryString(qs)).filter(([, v]) => v !== ''));
}

/** The catalog service: terms, majors, professors, lectures, sections and the section search. */
export function createApp(deps: LecturesAppDeps): Express {
  const clock = deps.clock ?? (() => new Date());
  const api = new ApiRouter(deps.verifier, '/api/lectures');
  // Every write of the catalog (terms, majors, professors, lectures, sections, CSV import) clears
  // the search cache before it answers; writes of other services (seats, carts) age out with the TTL.
  const searchCache = createSearchCache(deps.searchCache ?? SEARCH_CACHE_DEFAULTS, deps.metrics);
  const clear = () => searchCache.clear();
  termsRoutes(api, clearingAfterWrites(createTermsService(deps.db), ['list', 'get'], clear));
  majorsRoutes(api, clearingAfterWrites(createMajorsService(deps.db), ['list', 'get'], clear));
  professorsRoutes(api, clearingAfterWrites(createProfessorsService(deps.db), ['search', 'get'], clear));
  lecturesRoutes(api, clearingAfterWrites(createLecturesService(deps.db), ['search', 'get'], clear));
  sectionsRoutes(api, clearingAfterWrites(createSectionsService(deps.db, clock), ['search', 'get', 'exportCsv'], clear), searchCache);
  return createServiceApp({
    name: 'lectures',
    description: 'Catalog (강의 목록): terms, majors, professors, lectures, sections, meeting times; search; CSV',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
    routers: [api],
    ...(deps.accessLog !== undefined ? { accessLog: deps.accessLog } : {}),
    configure: (app) => {
      app.set('query parser', dropEmptyParams);
      app.use('/api/lectures/sections/import', express.text({ type: 'text/csv', limit: '5mb' }));
    },
  });
}
