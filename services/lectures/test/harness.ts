import { pingDb, type DbEngine, type Knex } from '@goorm/common';
import { createTestAuth, createTestDb, migrateAll, testLogger, testMetrics } from '@goorm/common/testing';
import { cartsMigrations } from '@goorm/carts/migrations';
import { enrollmentMigrations } from '@goorm/enrollment/migrations';
import { createApp } from '../src/app.ts';
import type { SearchCacheOptions } from '../src/sections/search-cache.ts';
import type { SearchCatalogOptions } from '../src/sections/search-catalog.ts';
import { lecturesMigrations } from '../src/db/migrations.ts';
import { gradesToMask } from '@goorm/contracts';

export const NOW = new Date('2026-01-15T09:00:00.000Z');

export interface HarnessOptions {
  /** Default: the service's defaults (1 s, 5,000 entries, real clock). */
  searchCache?: SearchCacheOptions;
  /** Default: the service's defaults (30 s catalog, 1 s counts, real clock). */
  searchCatalog?: SearchCatalogOptions;
  poolMax?: number;
}

/** A fresh database with the catalog, carts and enrollment tables, and an app on it. */
export async function startHarness(engine: DbEngine, opts: HarnessOptions = {}) {
  const tdb = await createTestDb(engine, opts.poolMax !== undefined ? { poolMax: opts.poolMax } : {});
  await migrateAll(tdb.db, [lecturesMigrations, cartsMigrations, enrollmentMigrations]);
  const auth = await createTestAuth();
  const metrics = testMetrics('lectures');
  const app = createApp({
    db: tdb.db,
    verifier: auth.verifier,
    logger: testLogger(),
    metrics,
    readiness: () => pingDb(tdb.db),
    clock: () => NOW,
    ...(opts.searchCache ? { searchCache: opts.searchCache } : {}),
    ...(opts.searchCatalog ? { searchCatalog: opts.searchCatalog } : {}),
  });
  return {
    db: tdb.db,
    destroy: () => tdb.destroy(),
    app,
    auth,
    metrics,
    staff: await auth.bearer({ id: 1, role: 'staff' }),
    student: await auth.bearer({ id: 1001, role: 'student' }),
    catalog: catalog(tdb.db),
  };
}
export type Harness = Awaited<ReturnType<typeof startHarness>>;

let seq = 0;
/** Unique-enough suffixes so rows made by different tests never collide. */
export function uniq(): number {
  return ++seq;
}

export interface SectionSeed {
  termId: number;
  lectureId: number;
  professorId: number;
  sectionNo?: number;
  capacity?: number;
  room?: string;
  grades?: number[];
  allowedMajorIds?: number[];
  meetings: [string, number, number][];
  reserved?: { majorId: number | null; grades?: number[]; seats: number; releaseAt: Date }[];
}

/** Direct inserts (no HTTP) to arrange a catalog for a test. */
export function catalog(db: Knex) {
  const insert = async (table: string, row: Record<string, unknown>) => Number((await db(table).insert(row))[0]);
  return {
    term: (code: string, isCurrent = false) =>
      insert('term', { code, name: `${code} 학기`, starts_on: '2026-03-02', ends_on: '2026-06-20', is_current: isCurrent }),
    major: (code: string, name: string, opts: { nameEn?: string; college?: string; generalEducation?: boolean } = {}) =>
      insert('major', {
        code,
        name,
        name_en: opts.nameEn ?? code,
        college: opts.college ?? '공과대학',
        is_general_education: opts.generalEducation ?? false,
      }),
    professor: (name: string, nameEn: string, majorId: number) =>
      insert('professor', { name, name_en: nameEn, major_id: majorId, email: null }),
    lecture: (code: string, title: string, titleEn: string, majorId: number, opts: { credits?: number; category?: string } = {}) =>
      insert('lecture', {
        code,
        title,
        title_en: titleEn,
        credits: opts.credits ?? 3,
        category: opts.category ?? 'MAJOR_ELECTIVE',
        major_id: majorId,
        description: null,
      }),
    async section(s: SectionSeed): Promise<number> {
      const id = await insert('section', {
        term_id: s.termId,
        lecture_id: s.lectureId,
        section_no: s.sectionNo ?? 1,
        professor_id: s.professorId,
        capacity: s.capacity ?? 40,
        room: s.room ?? `R${uniq()}`,
        grade_mask: gradesToMask(s.grades ?? [1, 2, 3, 4]),
        created_at: NOW,
        updated_at: NOW,
      });
      await db('section_meeting').insert(s.meetings.map(([day, start, end]) => ({ section_id: id, day, start_period: start, end_period: end })));
      if (s.allowedMajorIds?.length) await db('section_major').insert(s.allowedMajorIds.map((m) => ({ section_id: id, major_id: m })));
      if (s.reserved?.length) {
        await db('section_reservation').insert(
          s.reserved.map((r) => ({ section_id: id, major_id: r.majorId, grade_mask: gradesToMask(r.grades ?? [1, 2, 3, 4]), seats: r.seats, release_at: r.releaseAt })),
        );
      }
      return id;
    },
    /** What enrollment would have written: the seat counter and the enrollment rows. */
    async enroll(sectionId: number, count: number) {
      const section = await db('section').where('id', sectionId).first('lecture_id', 'term_id');
      await db('section_seat').insert({ section_id: sectionId, enrolled: count });
      for (let i = 0; i < count; i += 200) {
        const rows = Array.from({ length: Math.min(200, count - i) }, (_, k) => ({
          student_id: 100_000 + sectionId * 1000 + i + k,
          section_id: sectionId,
          lecture_id: section.lecture_id,
          term_id: section.term_id,
          created_at: NOW,
        }));
        await db('enrollment').insert(rows);
      }
    },
    /** What carts would have written. */
    async carts(sectionId: number, count: number) {
      if (count === 0) return;
      await db('cart_item').insert(
        Array.from({ length: count }, (_, k) => ({ student_id: 500_000 + sectionId * 1000 + k, section_id: sectionId, created_at: NOW })),
      );
    },
  };
}

/** Row counts of every catalog table (one query): "nothing written" is the same snapshot before and after. */
export async function catalogCounts(db: Knex): Promise<Record<string, number>> {
  const tables = ['term', 'major', 'professor', 'lecture', 'section', 'section_meeting', 'section_major', 'section_reservation'];
  const row = (await db.first(tables.map((t) => db(t).count('*').as(t)))) as Record<string, unknown>;
  return Object.fromEntries(tables.map((t) => [t, Number(row[t])]));
}
