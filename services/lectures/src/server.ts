import { bootstrap, loadServiceConfig, serveService } from '@goorm/common';
import { createApp } from './app.ts';
import { lecturesConfigShape } from './config.ts';
import { lecturesMigrations } from './db/migrations.ts';

const config = loadServiceConfig('lectures', lecturesConfigShape);

const base = await bootstrap('lectures', config, lecturesMigrations);
const app = createApp({
  db: base.db,
  verifier: base.verifier,
  logger: base.logger,
  metrics: base.metrics,
  readiness: base.readiness,
  accessLog: config.HTTP_ACCESS_LOG,
  searchCache: { ttlMs: config.SEARCH_CACHE_TTL_MS, maxEntries: config.SEARCH_CACHE_MAX_ENTRIES },
  searchCatalog: {
    catalogTtlMs: config.SEARCH_CATALOG_TTL_MS,
    countsTtlMs: config.SEARCH_COUNTS_TTL_MS,
    maxMatchLists: config.SEARCH_MATCH_MAX_ENTRIES,
  },
});
await serveService(base, config, app);
