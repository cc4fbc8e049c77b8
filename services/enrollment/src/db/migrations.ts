import type { Knex, MigrationSet } from '@goorm/common';
import { auditSubjects } from '../audit/audit.subjects.ts';

/**
 * enrollment owns: section_seat (the seat counter; catalog search reads `enrolled`), enrollment,
 * enrollment_window, enrollment_event (append-only), audit_log, idempotency_record, reservation_seat,
 * waitlist_entry, waitlist_event (append-only), notice, waitlist_settings, auto_enroll_run.
 */
export const enrollmentMigrations: MigrationSet = {
  service: 'enrollment',
  migrations: {
    '0001_enrollment': {
      async up(db: Knex) {
        await db.schema.createTable('section_seat', (t) => {
          t.integer('section_id').unsigned().primary(); // lectures.section.id
          t.integer('enrolled').notNullable().defaultTo(0);
        });
        await db.schema.createTable('enrollment', (t) => {
          t.bigIncrements('id').primary();
          t.integer('student_id').unsigned().notNullable();
          t.integer('section_id').unsigned().notNullable();
          t.integer('lecture_id').unsigned().notNullable();
          t.integer('term_id').unsigned().notNullable();
          t.datetime('created_at', { precision: 3 }).notNullable();
          t.unique(['student_id', 'lecture_id']);
          t.unique(['student_id', 'section_id']);
          t.index(['section_id']);
        });
        await db.schema.createTable('enrollment_window', (t) => {
          t.increments('id').primary();
          t.integer('term_id').unsigned().notNullable();
          t.string('phase', 16).notNullable(); // CART | REGISTRATION | ADD_DROP
          t.tinyint('grade_mask').notNullable(); // bit (g-1) = grade g
          t.datetime('opens_at', { precision: 3 }).notNullable();
          t.datetime('closes_at', { precision: 3 }).notNullable();
          t.index(['term_id', 'phase']);
        });
        await db.schema.createTable('enrollment_event', (t) => {
          t.bigIncrements('id').primary();
          t.integer('student_id').unsigned().notNullable();
          t.integer('section_id').unsigned().notNullable();
          t.string('action', 16).notNullable(); // ENROLL | DROP | SWAP | OVERRIDE_ENROLL | OVERRIDE_DROP
          t.string('outcome', 32).notNullable(); // OK or the refusal code
          t.integer('actor_staff_id').unsigned().nullable();
          t.datetime('created_at', { precision: 3 }).notNullable();
          t.index(['section_id', 'created_at']);
          t.index(['created_at']);
        });
        await db.schema.createTable('audit_log', (t) => {
          t.bigIncrements('id').primary();
          t.integer('staff_id').unsigned().notNullable();
          t.string('action', 64).notNullable();
          t.string('target', 128).notNullable();
          t.text('reason').notNullable();
          t.text('details').nullable(); // JSON
          t.datetime('created_at', { precision: 3 }).notNullable();
          t.index(['created_at']);
        });
        await db.schema.createTable('idempotency_record', (t) => {
          t.string('idem_key', 200).primary(); // "<studentId>:<Idempotency-Key>"
          t.string('request_hash', 64).notNullable();
          t.integer('status').notNullable();
          t.text('body').notNullable();
          t.datetime('created_at', { precision: 3 }).notNullable();
        });
      },
      async down(db: Knex) {
        for (const t of ['idempotency_record', 'audit_log', 'enrollment_event', 'enrollment_window', 'enrollment', 'section_seat']) {
          await db.schema.dropTable(t);
        }
      },
    },
    /**
     * Reserved seats (README "Seat accounting"): one counter row per reservation (lectures'
     * section_reservation) next to the section's total in section_seat; each enrollment remembers
     * which reservation it used (null: an open seat), so a drop gives the seat back to the same bucket.
     * over_capacity marks a seat a staff member granted past capacity on purpose.
     */
    '0002_seat_buckets': {
      async up(db: Knex) {
        await db.schema.createTable('reservation_seat', (t) => {
          t.integer('reservation_id').unsigned().primary(); // lectures.section_reservation.id
          t.integer('section_id').unsigned().notNullable(); // lectures.section.id
          t.integer('used').notNullable().defaultTo(0);
          t.index(['section_id']);
        });
        await db.schema.alterTable('enrollment', (t) => {
          t.integer('reservation_id').unsigned().nullable();
          t.boolean('over_capacity').notNullable().defaultTo(false);
          t.index(['reservation_id']);
        });
        // The invariant checker asks "does this row have its OK event?" per (student, section).
        await db.schema.alterTable('enrollment_event', (t) => {
          t.index(['student_id', 'section_id']);
        });
      },
      async down(db: Knex) {
        await db.schema.alterTable('enrollment_event', (t) => {
          t.dropIndex(['student_id', 'section_id']);
        });
        await db.schema.alterTable('enrollment', (t) => {
          t.dropIndex(['reservation_id']);
          t.dropColumn('over_capacity');
          t.dropColumn('reservation_id');
        });
        await db.schema.dropTable('reservation_seat');
      },
    },
    /**
     * Audit filters by student and section (staff app): the ids an action concerns, read from its
     * target (`student:17/section:42`) when written, indexed, and filled in for existing rows.
     */
    '0003_audit_subjects': {
      async up(db: Knex) {
        await db.schema.alterTable('audit_log', (t) => {
          t.integer('student_id').unsigned().nullable();
          t.integer('section_id').unsigned().nullable();
          t.index(['student_id', 'created_at']);
          t.index(['section_id', 'created_at']);
          t.index(['staff_id', 'created_at']);
        });
        const rows = await db('audit_log')
          .where('target', 'like', '%student:%')
          .orWhere('target', 'like', '%section:%')
          .select<{ id: number; target: string }[]>('id', 'target');
        for (const r of rows) {
          const s = auditSubjects(r.target);
          await db('audit_log').where('id', r.id).update({ student_id: s.studentId, section_id: s.sectionId });
        }
      },
      async down(db: Knex) {
        await db.schema.alterTable('audit_log', (t) => {
          t.dropIndex(['student_id', 'created_at']);
          t.dropIndex(['section_id', 'created_at']);
          t.dropIndex(['staff_id', 'created_at']);
          t.dropColumn('student_id');
          t.dropColumn('section_id');
        });
      },
    },
    /**
     * Waitlists and cart auto-enrollment (README "Waitlists"): one row per waiting student and
     * section, ordered by `sort_key` (the row's id when it joins: FIFO by join time; staff moves
     * permute the keys of the rows between); what happened to waitlists (an outbox other services
     * read, written in the transaction that did it); the students' in-app notices; the settings
     * (one row); the auto-enrollment runs and their reports.
     */
    '0004_waitlists': {
      async up(db: Knex) {
        await db.schema.createTable('waitlist_entry', (t) => {
          t.bigIncrements('id').primary();
          t.integer('section_id').unsigned().notNullable();
          t.integer('student_id').unsigned().notNullable();
          t.integer('lecture_id').unsigned().notNullable();
          t.integer('term_id').unsigned().notNullable();
          t.bigInteger('sort_key').notNullable().defaultTo(0);
          t.datetime('joined_at', { precision: 3 }).notNullable();
          /** The last time a freed seat went past this student, and the refusal code. */
          t.string('skip_code', 32).nullable();
          t.datetime('skipped_at', { precision: 3 }).nullable();
          /** A skipped entry is tried again by the sweeper from then (null: at once). */
          t.datetime('retry_at', { precision: 3 }).nullable();
          t.unique(['student_id', 'section_id']);
          t.index(['section_id', 'sort_key']);
          t.index(['term_id', 'student_id']);
        });
        await db.schema.createTable('waitlist_event', (t) => {
          t.bigIncrements('id').primary();
          t.integer('section_id').unsigned().notNullable();
          t.integer('student_id').unsigned().notNullable();
          t.string('kind', 16).notNullable(); // JOIN | LEAVE | PROMOTE | SKIP | MOVE | REMOVE
          t.string('code', 32).nullable(); // a skip's refusal code
          t.integer('actor_staff_id').unsigned().nullable();
          t.datetime('created_at', { precision: 3 }).notNullable();
          t.index(['created_at']);
          t.index(['section_id', 'created_at']);
        });
        await db.schema.createTable('notice', (t) => {
          t.bigIncrements('id').primary();
          t.integer('student_id').unsigned().notNullable();
          t.string('kind', 32).notNullable();
          t.integer('section_id').unsigned().notNullable();
          t.string('code', 32).nullable();
          t.text('reason').nullable();
          t.datetime('created_at', { precision: 3 }).notNullable();
          t.datetime('read_at', { precision: 3 }).nullable();
          t.index(['student_id', 'id']);
        });
        await db.schema.createTable('waitlist_settings', (t) => {
          t.integer('id').primary(); // always 1
          t.boolean('enabled').notNullable();
          t.integer('max_entries').notNullable();
          t.boolean('count_credits').notNullable();
          t.datetime('updated_at', { precision: 3 }).nullable();
        });
        await db.schema.createTable('auto_enroll_run', (t) => {
          t.increments('id').primary();
          t.integer('term_id').unsigned().notNullable();
          t.integer('window_id').unsigned().notNullable();
          t.string('status', 16).notNullable(); // SCHEDULED | RUNNING | DONE | FAILED
          t.boolean('dry_run').notNullable();
          t.datetime('run_at', { precision: 3 }).notNullable();
          t.datetime('started_at', { precision: 3 }).nullable();
          t.datetime('finished_at', { precision: 3 }).nullable();
          t.integer('staff_id').unsigned().notNullable();
          t.text('reason').notNullable();
          t.text('report').nullable(); // JSON
          t.text('error').nullable();
          t.index(['status', 'run_at']);
        });
      },
      async down(db: Knex) {
        for (const t of ['auto_enroll_run', 'waitlist_settings', 'notice', 'waitlist_event', 'waitlist_entry']) await db.schema.dropTable(t);
      },
    },
    // The purge of stored Idempotency-Key answers past their retention reads by age (src/idempotency).
    '0005_idempotency_purge': {
      async up(db: Knex) {
        await db.schema.alterTable('idempotency_record', (t) => {
          t.index(['created_at'], 'idempotency_record_created_at_index');
        });
      },
      async down(db: Knex) {
        await db.schema.alterTable('idempotency_record', (t) => {
          t.dropIndex(['created_at'], 'idempotency_record_created_at_index');
        });
      },
    },
    // Retakes: a student may take a lecture again in a later term. One section per lecture per term.
    '0006_one_section_per_lecture_per_term': {
      async up(db: Knex) {
        await db.schema.alterTable('enrollment', (t) => {
          t.unique(['student_id', 'term_id', 'lecture_id'], { indexName: 'enrollment_student_term_lecture_unique' });
        });
        await db.schema.alterTable('enrollment', (t) => {
          t.dropUnique(['student_id', 'lecture_id']);
        });
      },
      async down(db: Knex) {
        await db.schema.alterTable('enrollment', (t) => {
          t.unique(['student_id', 'lecture_id']);
        });
        await db.schema.alterTable('enrollment', (t) => {
          t.dropUnique(['student_id', 'term_id', 'lecture_id'], 'enrollment_student_term_lecture_unique');
        });
      },
    },
  },
};

