import { notFound, withTransaction, type Knex } from '@goorm/common';
import { inUse, missingReference, throwIfAny } from '../support/refusals.ts';
import { countReferences } from '../support/references.repository.ts';
import * as repo from './professors.repository.ts';
import type { Professor, ProfessorInput, ProfessorPage, ProfessorQuery } from '@goorm/contracts';

export function createProfessorsService(db: Knex) {
  const checkReferences = async (trx: Knex, input: ProfessorInput) => {
    throwIfAny((await repo.majorExists(trx, input.majorId)) ? [] : [missingReference('body.majorId', 'major', input.majorId)]);
  };
  return {
    search: (q: ProfessorQuery): Promise<ProfessorPage> => repo.searchProfessors(db, q),

    async get(id: number): Promise<Professor> {
      const p = await repo.findProfessor(db, id);
      if (!p) throw notFound('professor', id);
      return p;
    },

    async create(input: ProfessorInput): Promise<Professor> {
      const id = await withTransaction(db, async (trx) => {
        await checkReferences(trx, input);
        return repo.insertProfessor(trx, input);
      });
      return this.get(id);
    },

    async update(id: number, input: ProfessorInput): Promise<Professor> {
      await withTransaction(db, async (trx) => {
        if (!(await repo.findProfessor(trx, id))) throw notFound('professor', id);
        await checkReferences(trx, input);
        await repo.updateProfessor(trx, id, input);
      });
      return this.get(id);
    },

    async remove(id: number): Promise<void> {
      await withTransaction(db, async (trx) => {
        if (!(await repo.findProfessor(trx, id))) throw notFound('professor', id);
        const usedBy = await countReferences(trx, [{ table: 'section', column: 'professor_id' }], id);
        if (Object.keys(usedBy).length > 0) throw inUse('professor', id, usedBy);
        await repo.deleteProfessor(trx, id);
      });
    },
  };
}
export type ProfessorsService = ReturnType<typeof createProfessorsService>;
