import type { Knex } from '@goorm/common';
import { LIKE_ESCAPE, likeContains } from '../support/db-errors.ts';
import type { Professor, ProfessorInput, ProfessorPage, ProfessorQuery } from '@goorm/contracts';

interface ProfessorRow {
  id: number;
  name: string;
  name_en: string;
  major_id: number;
  email: string | null;
}

const toProfessor = (r: ProfessorRow): Professor => ({
  id: Number(r.id),
  name: r.name,
  nameEn: r.name_en,
  majorId: Number(r.major_id),
  email: r.email,
});

const columns = (p: ProfessorInput) => ({ name: p.name, name_en: p.nameEn, major_id: p.majorId, email: p.email });

/** Two queries whatever the page size: the total, then the page. */
export async function searchProfessors(db: Knex, q: ProfessorQuery): Promise<ProfessorPage> {
  const filtered = () => {
    const query = db('professor');
    if (q.majorId !== undefined) query.where('major_id', q.majorId);
    if (q.q) {
      const like = likeContains(q.q);
      query.where((w) => w.whereRaw(`name LIKE ? ${LIKE_ESCAPE}`, [like]).orWhereRaw(`name_en LIKE ? ${LIKE_ESCAPE}`, [like]));
    }
    return query;
  };
  const total = Number(((await filtered().count('* as n').first()) as { n?: unknown } | undefined)?.n ?? 0);
  const rows: ProfessorRow[] = await filtered()
    .select('*')
    .orderBy('name')
    .orderBy('id')
    .limit(q.size)
    .offset((q.page - 1) * q.size);
  return { items: rows.map(toProfessor), total, page: q.page, size: q.size };
}

export async function findProfessor(db: Knex, id: number): Promise<Professor | undefined> {
  const row = await db('professor').where('id', id).first<ProfessorRow | undefined>('*');
  return row ? toProfessor(row) : undefined;
}

export async function majorExists(db: Knex, id: number): Promise<boolean> {
  return (await db('major').where('id', id).first('id')) !== undefined;
}

export async function insertProfessor(db: Knex, p: ProfessorInput): Promise<number> {
  const [id] = await db('professor').insert(columns(p));
  return Number(id);
}

export async function updateProfessor(db: Knex, id: number, p: ProfessorInput): Promise<void> {
  await db('professor').where('id', id).update(columns(p));
}

export async function deleteProfessor(db: Knex, id: number): Promise<void> {
  await db('professor').where('id', id).delete();
}
