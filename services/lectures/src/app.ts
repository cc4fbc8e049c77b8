import { parse as parseQueryString } from 'node:querystring';
import { ApiRouter, createServiceApp, type Knex, type Logger, type Metrics, type TokenVerifier } from '@goorm/common';
import { lecturesApi, type SectionQuery } from '@goorm/contracts';
import express, { type Express } from 'express';
import { lecturesRoutes } from './lectures/lectures.routes.ts';
import { createLecturesService } from './lectures/lectures.service.ts';
import { majorsRoutes } from './majors/majors.routes.ts';
import { createMajorsService } from './majors/majors.service.ts';
import { professorsRoutes } from './professors/professors.routes.ts';
import { createProfessorsService } from './professors/professors.service.ts';
import { clearingAfterWrites, createSearchCache, SEARCH_CACHE_DEFAULTS, type SearchCacheOptions } from './sections/search-cache.ts';
import { createSearchCatalog, SEARCH_CATALOG_DEFAULTS, type SearchCatalogOptions } from './sections/search-catalog.ts';
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
  /** The answer cache of SQL searches (`SEARCH_CACHE_TTL_MS`, `SEARCH_CACHE_MAX_ENTRIES`); default 1 s, 5,000 entries. */
  searchCache?: SearchCacheOptions;
  /**
   * The current term in memory (`SEARCH_CATALOG_TTL_MS`, `SEARCH_COUNTS_TTL_MS`,
   * `SEARCH_MATCH_MAX_ENTRIES`); default 30 s, 1 s, 2,000 match lists.
   */
  searchCatalog?: SearchCatalogOptions;
}

/** `?q=&majorId=` means "no filter": empty query parameters are dropped before validation. */
function dropEmptyParams(qs: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parseQueryString(qs)).filter(([, v]) => v !== ''));
}

/** The catalog service: terms, majors, professors, lectures, sections and the section search. */
export function createApp(deps: LecturesAppDeps): Express {
  const clock = deps.clock ?? (() => new Date());
  const api = new ApiRouter(deps.verifier, lecturesApi);
  // Searches of the current term are answered from memory (the term catalog), others by SQL through
  // the answer cache. Every write of the catalog (terms, majors, professors, lectures, sections, CSV
  // import) clears both before it answers; writes of other services (seats, carts) age out with the
  // TTLs.
  const searchCatalog = createSearchCatalog(deps.db, deps.searchCatalog ?? SEARCH_CATALOG_DEFAULTS, { metrics: deps.metrics, logger: deps.logger });
  const searchCache = createSearchCache(deps.searchCache ?? SEARCH_CACHE_DEFAULTS, deps.metrics);
  const clear = () => {
    searchCatalog.clear();
    searchCache.clear();
  };
  termsRoutes(api, clearingAfterWrites(createTermsService(deps.db), ['list', 'get'], clear));
  majorsRoutes(api, clearingAfterWrites(createMajorsService(deps.db), ['list', 'get'], clear));
  professorsRoutes(api, clearingAfterWrites(createProfessorsService(deps.db), ['search', 'get'], clear));
  lecturesRoutes(api, clearingAfterWrites(createLecturesService(deps.db), ['search', 'get'], clear));
  const sections = clearingAfterWrites(createSectionsService(deps.db, clock), ['search', 'get', 'exportCsv', 'previewCsv'], clear);
  const searchBody = async (q: SectionQuery) => (await searchCatalog.answer(q)) ?? searchCache.body(q, () => sections.search(q));
  sectionsRoutes(api, sections, searchBody);
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
