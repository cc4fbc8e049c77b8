import { conflict, notFound, withTransaction, type Knex } from '@goorm/common';
import { onUniqueViolation } from '../support/db-errors.ts';
import { inUse } from '../support/refusals.ts';
import { countReferences } from '../support/references.repository.ts';
import * as repo from './terms.repository.ts';
import type { Term, TermInput, TermList } from '@goorm/contracts';

const duplicate = (code: string) =>
  conflict('DUPLICATE', `term ${code} already exists`, { errors: [{ field: 'body.code', message: 'already exists' }] });


export function createTermsService(db: Knex) {
  return {
    async list(): Promise<TermList> {
      return { items: await repo.listTerms(db) };
    },

    async get(id: number): Promise<Term> {
      const t = await repo.findTerm(db, id);
      if (!t) throw notFound('term', id);
      return t;
    },

    /** The first term ever created becomes the current one; so does any created with isCurrent. */
    async create(input: TermInput): Promise<Term> {
      const id = await withTransaction(db, async (trx) => {
        if (await repo.findTermByCode(trx, input.code)) throw duplicate(input.code);
        const id = await onUniqueViolation(() => repo.insertTerm(trx, input), () => duplicate(input.code));
        if (input.isCurrent || !(await repo.hasCurrentTerm(trx))) await repo.makeCurrent(trx, id);
        return id;
      });
      return this.get(id);
    },

    async update(id: number, input: TermInput): Promise<Term> {
      await withTransaction(db, async (trx) => {
        const existing = await repo.findTerm(trx, id, { forUpdate: true });
        if (!existing) throw notFound('term', id);
        if (existing.isCurrent && input.isCurrent === false) {
          throw conflict('CONFLICT', 'exactly one term is current: make another term current instead', {
            errors: [{ field: 'body.isCurrent', message: 'make another term current instead' }],
          });
        }
        if (input.code !== existing.code && (await repo.findTermByCode(trx, input.code))) throw duplicate(input.code);
        await onUniqueViolation(() => repo.updateTerm(trx, id, input), () => duplicate(input.code));
        if (input.isCurrent && !existing.isCurrent) await repo.makeCurrent(trx, id);
      });
      return this.get(id);
    },

    async remove(id: number): Promise<void> {
      await withTransaction(db, async (trx) => {
        const existing = await repo.findTerm(trx, id, { forUpdate: true });
        if (!existing) throw notFound('term', id);
        const usedBy = await countReferences(
          trx,
          [
            { table: 'section', column: 'term_id' },
            { table: 'enrollment_window', column: 'term_id', optional: true },
          ],
          id,
        );
        if (Object.keys(usedBy).length > 0) throw inUse('term', id, usedBy);
        if (existing.isCurrent && (await repo.countTerms(trx)) > 1) {
          throw conflict('CONFLICT', 'the current term cannot be deleted: make another term current first');
        }
        await repo.deleteTerm(trx, id);
      });
    },
  };
}
export type TermsService = ReturnType<typeof createTermsService>;
