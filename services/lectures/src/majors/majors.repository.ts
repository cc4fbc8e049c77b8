import type { Knex } from '@goorm/common';
import type { Major, MajorInput, MajorQuery } from '@goorm/contracts';

interface MajorRow {
  id: number;
  code: string;
  name: string;
  name_en: string;
  college: string;
  is_general_education: number | boolean;
}

const toMajor = (r: MajorRow): Major => ({
  id: Number(r.id),
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  college: r.college,
  isGeneralEducation: Boolean(Number(r.is_general_education)),
});

const columns = (m: MajorInput) => ({
  code: m.code,
  name: m.name,
  name_en: m.nameEn,
  college: m.college,
  is_general_education: m.isGeneralEducation,
});

export async function listMajors(db: Knex, q: MajorQuery): Promise<Major[]> {
  const query = db('major').select('*').orderBy('college').orderBy('code');
  if (q.college !== undefined) query.where('college', q.college);
  if (q.generalEducation !== undefined) query.where('is_general_education', q.generalEducation);
  return ((await query) as MajorRow[]).map(toMajor);
}

export async function findMajor(db: Knex, id: number): Promise<Major | undefined> {
  const row = await db('major').where('id', id).first<MajorRow | undefined>('*');
  return row ? toMajor(row) : undefined;
}

export async function findMajorByCode(db: Knex, code: string): Promise<Major | undefined> {
  const row = await db('major').where('code', code).first<MajorRow | undefined>('*');
  return row ? toMajor(row) : undefined;
}

export async function insertMajor(db: Knex, m: MajorInput): Promise<number> {
  const [id] = await db('major').insert(columns(m));
  return Number(id);
}

export async function updateMajor(db: Knex, id: number, m: MajorInput): Promise<number> {
  return db('major').where('id', id).update(columns(m));
}

export async function deleteMajor(db: Knex, id: number): Promise<number> {
  return db('major').where('id', id).delete();
}
