import type { Knex, MigrationSet } from '@goorm/common';

/**
 * lectures owns the catalog: term, major, professor, lecture, section, section_meeting,
 * section_major (allowed majors; none = open to all), section_reservation (reserved seats).
 * Timestamps are written by the application as Date values (never DB defaults).
 */
export const lecturesMigrations: MigrationSet = {
  service: 'lectures',
  migrations: {
    '0001_catalog': {
      async up(db: Knex) {
        await db.schema.createTable('term', (t) => {
          t.increments('id').primary();
          t.string('code', 16).notNullable().unique(); // 2026-1
          t.string('name', 64).notNullable(); // 2026학년도 1학기
          t.date('starts_on').notNullable();
          t.date('ends_on').notNullable();
          t.boolean('is_current').notNullable().defaultTo(false);
        });
        await db.schema.createTable('major', (t) => {
          t.increments('id').primary();
          t.string('code', 16).notNullable().unique(); // CSE
          t.string('name', 64).notNullable(); // 컴퓨터공학과
          t.string('name_en', 96).notNullable();
          t.string('college', 64).notNullable(); // 공과대학
          t.boolean('is_general_education').notNullable().defaultTo(false);
        });
        await db.schema.createTable('professor', (t) => {
          t.increments('id').primary();
          t.string('name', 64).notNullable();
          t.string('name_en', 96).notNullable().defaultTo('');
          t.integer('major_id').unsigned().notNullable().references('major.id');
          t.string('email', 128).nullable();
          t.index(['name']);
        });
        await db.schema.createTable('lecture', (t) => {
          t.increments('id').primary();
          t.string('code', 16).notNullable().unique(); // CSE2010
          t.string('title', 128).notNullable();
          t.string('title_en', 160).notNullable().defaultTo('');
          t.tinyint('credits').notNullable();
          t.string('category', 16).notNullable(); // MAJOR_REQUIRED | MAJOR_ELECTIVE | GENERAL
          t.integer('major_id').unsigned().notNullable().references('major.id');
          t.text('description').nullable();
          t.index(['major_id', 'category']);
          t.index(['credits']);
        });
        await db.schema.createTable('section', (t) => {
          t.increments('id').primary();
          t.integer('term_id').unsigned().notNullable().references('term.id');
          t.integer('lecture_id').unsigned().notNullable().references('lecture.id');
          t.smallint('section_no').notNullable();
          t.integer('professor_id').unsigned().notNullable().references('professor.id');
          t.integer('capacity').notNullable();
          t.string('room', 32).notNullable();
          /** Allowed grades as a bit mask: bit (g-1) set = grade g may enroll. 15 = all. */
          t.tinyint('grade_mask').notNullable().defaultTo(15);
          t.datetime('created_at', { precision: 3 }).notNullable();
          t.datetime('updated_at', { precision: 3 }).notNullable();
          t.unique(['term_id', 'lecture_id', 'section_no']);
          t.index(['term_id', 'professor_id']);
          t.index(['lecture_id']);
        });
        await db.schema.createTable('section_meeting', (t) => {
          t.increments('id').primary();
          t.integer('section_id').unsigned().notNullable().references('section.id').onDelete('CASCADE');
          t.string('day', 3).notNullable(); // MON..SAT
          t.tinyint('start_period').notNullable();
          t.tinyint('end_period').notNullable();
          t.index(['section_id']);
          t.index(['day', 'start_period']);
        });
        await db.schema.createTable('section_major', (t) => {
          t.integer('section_id').unsigned().notNullable().references('section.id').onDelete('CASCADE');
          t.integer('major_id').unsigned().notNullable().references('major.id');
          t.primary(['section_id', 'major_id']);
        });
        await db.schema.createTable('section_reservation', (t) => {
          t.increments('id').primary();
          t.integer('section_id').unsigned().notNullable().references('section.id').onDelete('CASCADE');
          /** Reserved for students of this major (null: any major) ... */
          t.integer('major_id').unsigned().nullable().references('major.id');
          /** ... and of these grades (bit mask, 15 = any grade). */
          t.tinyint('grade_mask').notNullable().defaultTo(15);
          t.integer('seats').notNullable();
          /** After this instant the unused reserved seats are open to everyone. */
          t.datetime('release_at', { precision: 3 }).notNullable();
          t.index(['section_id']);
        });
      },
      async down(db: Knex) {
        for (const t of ['section_reservation', 'section_major', 'section_meeting', 'section', 'lecture', 'professor', 'major', 'term']) {
          await db.schema.dropTable(t);
        }
      },
    },
    /**
     * Indexes for the section search and the staff write checks (see services/lectures/README.md):
     * - section_meeting(section_id, day, start_period, end_period): covers the day/period filter,
     *   an EXISTS probe per candidate section that never touches the table rows, and the
     *   meetings-by-whereIn read of a page;
     * - section(term_id, room): the room double-booking check (the professor check already has
     *   section(term_id, professor_id));
     * - section_major(major_id): "is this major still used" before deleting a major (MySQL makes
     *   one for the foreign key anyway; SQLite does not).
     * The term filter itself uses the unique key section(term_id, lecture_id, section_no), and the
     * joins to lecture, professor and section_seat are primary keys.
     */
    '0002_search_indexes': {
      async up(db: Knex) {
        await db.schema.alterTable('section_meeting', (t) => {
          t.index(['section_id', 'day', 'start_period', 'end_period'], 'section_meeting_slot_idx');
        });
        await db.schema.alterTable('section', (t) => {
          t.index(['term_id', 'room'], 'section_term_room_idx');
        });
        await db.schema.alterTable('section_major', (t) => {
          t.index(['major_id'], 'section_major_major_idx');
        });
      },
      async down(db: Knex) {
        await db.schema.alterTable('section_major', (t) => t.dropIndex(['major_id'], 'section_major_major_idx'));
        await db.schema.alterTable('section', (t) => t.dropIndex(['term_id', 'room'], 'section_term_room_idx'));
        await db.schema.alterTable('section_meeting', (t) => {
          t.dropIndex(['section_id', 'day', 'start_period', 'end_period'], 'section_meeting_slot_idx');
        });
      },
    },
  },
};
