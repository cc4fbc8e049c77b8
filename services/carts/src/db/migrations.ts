import type { Knex, MigrationSet } from '@goorm/common';

/** carts owns cart_item. Catalog search reads cart counts from it (GROUP BY section_id). */
export const cartsMigrations: MigrationSet = {
  service: 'carts',
  migrations: {
    '0001_cart': {
      async up(db: Knex) {
        await db.schema.createTable('cart_item', (t) => {
          t.integer('student_id').unsigned().notNullable(); // auth.student.id
          t.integer('section_id').unsigned().notNullable(); // lectures.section.id
          t.datetime('created_at', { precision: 3 }).notNullable();
          t.primary(['student_id', 'section_id']);
          t.index(['section_id']);
        });
      },
      async down(db: Knex) {
        await db.schema.dropTable('cart_item');
      },
    },
  },
};
