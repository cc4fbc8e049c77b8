/**
 * Entry of the migration Job (an Argo CD PreSync hook, before the new pods start): migrates this
 * service's own tables with the same migration set the tests and `npm start` use, then exits.
 * Idempotent: knex records what ran in knex_migrations_lectures and holds its lock table while it
 * runs, so a rerun, or two Jobs at once, change nothing twice. Exit code 0 only when migrated.
 */
import { baseConfigShape, createDb, createLogger, loadConfig, migrate } from '@goorm/common';
import { lecturesMigrations } from './db/migrations.ts';

const config = loadConfig({ DATABASE_URL: baseConfigShape.DATABASE_URL, LOG_LEVEL: baseConfigShape.LOG_LEVEL });
const logger = createLogger('lectures-migrate', config.LOG_LEVEL);
const db = createDb(config.DATABASE_URL, { poolMax: 1 });
try {
  const started = Date.now();
  await migrate(db, lecturesMigrations);
  logger.info({ migrations: Object.keys(lecturesMigrations.migrations).length, ms: Date.now() - started }, 'migrated');
} catch (err) {
  logger.error({ err }, 'migration failed');
  process.exitCode = 1;
} finally {
  await db.destroy();
}
