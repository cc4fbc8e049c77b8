import type { Knex } from '@goorm/common';
import { LIKE_ESCAPE, likeContains } from '../support/db-errors.ts';
import type { Category, Lecture, LectureInput, LecturePage, LectureQuery } from '@goorm/contracts';

interface LectureRow {
  id: number;
  code: string;
  title: string;
  title_en: string;
  credits: number;
  category: string;
  major_id: number;
  description: string | null;
}

const toLecture = (r: LectureRow): Lecture => ({
  id: Number(r.id),
  code: r.code,
  title: r.title,
  titleEn: r.title_en,
  credits: Number(r.credits),
  category: r.category as Category,
  majorId: Number(r.major_id),
  description: r.description,
});

const columns = (l: LectureInput) => ({
  code: l.code,
  title: l.title,
  title_en: l.titleEn,
  credits: l.credits,
  category: l.category,
  major_id: l.majorId,
  description: l.description,
});

/** Two queries whatever the page size: the total, then the page. */
export async function searchLectures(db: Knex, q: LectureQuery): Promise<LecturePage> {
  const filtered = () => {
    const query = db('lecture');
    if (q.majorId !== undefined) query.where('major_id', q.majorId);
    if (q.category !== undefined) query.where('category', q.category);
    if (q.credits !== undefined) query.where('credits', q.credits);
    if (q.q) {
      const like = likeContains(q.q);
      query.where((w) =>
        w
          .whereRaw(`code LIKE ? ${LIKE_ESCAPE}`, [like])
          .orWhereRaw(`title LIKE ? ${LIKE_ESCAPE}`, [like])
          .orWhereRaw(`title_en LIKE ? ${LIKE_ESCAPE}`, [like]),
      );
    }
    return query;
  };
  const total = Number(((await filtered().count('* as n').first()) as { n?: unknown } | undefined)?.n ?? 0);
  const rows: LectureRow[] = await filtered()
    .select('*')
    .orderBy('code')
    .limit(q.size)
    .offset((q.page - 1) * q.size);
  return { items: rows.map(toLecture), total, page: q.page, size: q.size };
}

export async function findLecture(db: Knex, id: number): Promise<Lecture | undefined> {
  const row = await db('lecture').where('id', id).first<LectureRow | undefined>('*');
  return row ? toLecture(row) : undefined;
}

export async function findLectureByCode(db: Knex, code: string): Promise<Lecture | undefined> {
  const row = await db('lecture').where('code', code).first<LectureRow | undefined>('*');
  return row ? toLecture(row) : undefined;
}

export async function majorExists(db: Knex, id: number): Promise<boolean> {
  return (await db('major').where('id', id).first('id')) !== undefined;
}

export async function insertLecture(db: Knex, l: LectureInput): Promise<number> {
  const [id] = await db('lecture').insert(columns(l));
  return Number(id);
}

export async function updateLecture(db: Knex, id: number, l: LectureInput): Promise<void> {
  await db('lecture').where('id', id).update(columns(l));
}

export async function deleteLecture(db: Knex, id: number): Promise<void> {
  await db('lecture').where('id', id).delete();
}
