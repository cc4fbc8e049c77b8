import type { Knex, MigrationSet } from '@goorm/common';

/** auth owns: student, staff, login_throttle. */
export const authMigrations: MigrationSet = {
  service: 'auth',
  migrations: {
    '0001_accounts': {
      async up(db: Knex) {
        await db.schema.createTable('student', (t) => {
          t.increments('id').primary();
          t.string('student_no', 16).notNullable().unique();
          t.string('name', 64).notNullable();
          t.integer('major_id').unsigned().notNullable().index(); // lectures.major.id (read-only reference)
          t.tinyint('grade').notNullable();
          t.tinyint('max_credits').notNullable().defaultTo(18);
          t.string('password_hash', 255).notNullable();
          t.datetime('created_at', { precision: 3 }).notNullable();
          t.datetime('updated_at', { precision: 3 }).notNullable();
        });
        await db.schema.createTable('staff', (t) => {
          t.increments('id').primary();
          t.string('login_id', 64).notNullable().unique();
          t.string('name', 64).notNullable();
          t.string('password_hash', 255).notNullable();
          t.datetime('created_at', { precision: 3 }).notNullable();
          t.datetime('updated_at', { precision: 3 }).notNullable();
        });
        await db.schema.createTable('login_throttle', (t) => {
          t.string('throttle_key', 128).primary(); // e.g. "student:20230001"
          t.integer('failures').notNullable().defaultTo(0);
          t.datetime('window_started_at', { precision: 3 }).notNullable();
          t.datetime('locked_until', { precision: 3 }).nullable();
        });
      },
      async down(db: Knex) {
        await db.schema.dropTable('login_throttle');
        await db.schema.dropTable('staff');
        await db.schema.dropTable('student');
      },
    },
    // Accounts whose tokens must no longer work (deleted, or the password changed): every service
    // polls this table and refuses the tokens issued before a row (common/src/revocations.ts;
    // docs/decisions/0014). Rows older than the longest token lifetime can go.
    '0002_account_revocation': {
      async up(db: Knex) {
        await db.schema.createTable('account_revocation', (t) => {
          t.increments('id').primary();
          t.string('role', 16).notNullable();
          t.integer('account_id').unsigned().notNullable();
          t.string('reason', 16).notNullable(); // DELETED | PASSWORD
          t.datetime('revoked_at', { precision: 3 }).notNullable().index();
        });
      },
      async down(db: Knex) {
        await db.schema.dropTable('account_revocation');
      },
    },
  },
};
