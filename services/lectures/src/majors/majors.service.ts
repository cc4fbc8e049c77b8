import { conflict, notFound, withTransaction, type Knex } from '@goorm/common';
import { onUniqueViolation } from '../support/db-errors.ts';
import { inUse } from '../support/refusals.ts';
import { countReferences } from '../support/references.repository.ts';
import * as repo from './majors.repository.ts';
import type { Major, MajorInput, MajorList, MajorQuery } from '@goorm/contracts';

const duplicate = (code: string) =>
  conflict('DUPLICATE', `major ${code} already exists`, { errors: [{ field: 'body.code', message: 'already exists' }] });


export function createMajorsService(db: Knex) {
  return {
    async list(q: MajorQuery): Promise<MajorList> {
      return { items: await repo.listMajors(db, q) };
    },

    async get(id: number): Promise<Major> {
      const m = await repo.findMajor(db, id);
      if (!m) throw notFound('major', id);
      return m;
    },

    async create(input: MajorInput): Promise<Major> {
      const id = await withTransaction(db, async (trx) => {
        if (await repo.findMajorByCode(trx, input.code)) throw duplicate(input.code);
        return onUniqueViolation(() => repo.insertMajor(trx, input), () => duplicate(input.code));
      });
      return this.get(id);
    },

    async update(id: number, input: MajorInput): Promise<Major> {
      await withTransaction(db, async (trx) => {
        const existing = await repo.findMajor(trx, id);
        if (!existing) throw notFound('major', id);
        if (input.code !== existing.code && (await repo.findMajorByCode(trx, input.code))) throw duplicate(input.code);
        await onUniqueViolation(() => repo.updateMajor(trx, id, input), () => duplicate(input.code));
      });
      return this.get(id);
    },

    async remove(id: number): Promise<void> {
      await withTransaction(db, async (trx) => {
        if (!(await repo.findMajor(trx, id))) throw notFound('major', id);
        const usedBy = await countReferences(
          trx,
          [
            { table: 'professor', column: 'major_id' },
            { table: 'lecture', column: 'major_id' },
            { table: 'section_major', column: 'major_id' },
            { table: 'section_reservation', column: 'major_id' },
            { table: 'student', column: 'major_id', optional: true },
          ],
          id,
        );
        if (Object.keys(usedBy).length > 0) throw inUse('major', id, usedBy);
        await repo.deleteMajor(trx, id);
      });
    },
  };
}
export type MajorsService = ReturnType<typeof createMajorsService>;
