import { migrate, type Knex, type MigrationSet } from '@goorm/common';
import { authMigrations } from '@goorm/auth/migrations';
import { lecturesMigrations } from '@goorm/lectures/migrations';
import { cartsMigrations } from '@goorm/carts/migrations';
import { enrollmentMigrations } from '@goorm/enrollment/migrations';

/** Every service's schema, in dependency order (auth, lectures, carts, enrollment). */
export const ALL_MIGRATIONS: MigrationSet[] = [authMigrations, lecturesMigrations, cartsMigrations, enrollmentMigrations];

/** Migrates every service's tables (what the start script and the seeder do before loading). */
export async function migrateUniversity(db: Knex): Promise<void> {
  for (const set of ALL_MIGRATIONS) await migrate(db, set);
}
