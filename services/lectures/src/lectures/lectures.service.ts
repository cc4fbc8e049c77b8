import { conflict, notFound, withTransaction, type Knex } from '@goorm/common';
import { onUniqueViolation } from '../support/db-errors.ts';
import { inUse, missingReference, throwIfAny } from '../support/refusals.ts';
import { countReferences } from '../support/references.repository.ts';
import * as repo from './lectures.repository.ts';
import type { Lecture, LectureInput, LecturePage, LectureQuery } from '@goorm/contracts';

const duplicate = (code: string) =>
  conflict('DUPLICATE', `lecture ${code} already exists`, { errors: [{ field: 'body.code', message: 'already exists' }] });

export function createLecturesService(db: Knex) {
  const checkReferences = async (trx: Knex, input: LectureInput) => {
    throwIfAny((await repo.majorExists(trx, input.majorId)) ? [] : [missingReference('body.majorId', 'major', input.majorId)]);
  };
  return {
    search: (q: LectureQuery): Promise<LecturePage> => repo.searchLectures(db, q),

    async get(id: number): Promise<Lecture> {
      const l = await repo.findLecture(db, id);
      if (!l) throw notFound('lecture', id);
      return l;
    },

    async create(input: LectureInput): Promise<Lecture> {
      const id = await withTransaction(db, async (trx) => {
        await checkReferences(trx, input);
        if (await repo.findLectureByCode(trx, input.code)) throw duplicate(input.code);
        return onUniqueViolation(() => repo.insertLecture(trx, input), () => duplicate(input.code));
      });
      return this.get(id);
    },

    async update(id: number, input: LectureInput): Promise<Lecture> {
      await withTransaction(db, async (trx) => {
        const existing = await repo.findLecture(trx, id);
        if (!existing) throw notFound('lecture', id);
        await checkReferences(trx, input);
        if (input.code !== existing.code && (await repo.findLectureByCode(trx, input.code))) throw duplicate(input.code);
        await onUniqueViolation(() => repo.updateLecture(trx, id, input), () => duplicate(input.code));
      });
      return this.get(id);
    },

    async remove(id: number): Promise<void> {
      await withTransaction(db, async (trx) => {
        if (!(await repo.findLecture(trx, id))) throw notFound('lecture', id);
        const usedBy = await countReferences(trx, [{ table: 'section', column: 'lecture_id' }], id);
        if (Object.keys(usedBy).length > 0) throw inUse('lecture', id, usedBy);
        await repo.deleteLecture(trx, id);
      });
    },
  };
}
export type LecturesService = ReturnType<typeof createLecturesService>;
