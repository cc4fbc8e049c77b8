import { expect, it } from 'vitest';
import type { AuthTestContext } from './helpers.ts';

/** One invalid value of one field of a write, with why it is invalid; `undefined` leaves the field out. */
export type InvalidField = [field: string, why: string, value: unknown];

export interface InvalidFieldsSpec {
  /** The collection route, e.g. /api/auth/students (a PUT goes to <route>/<id>). */
  route: string;
  table: 'student' | 'staff';
  cases: InvalidField[];
  context: () => AuthTestContext;
  /** A valid body, fresh for every case; each case changes one field of it. */
  valid: () => Record<string, unknown>;
  /** The row a PUT replaces (not called for a POST). */
  insert: () => Promise<{ id: number }>;
}

/**
 * One test per invalid value: staff POST (create) or PUT (replace) a body that is valid but for
 * that field, and get 400 VALIDATION_FAILED naming `body.<field>`; a POST writes nothing, a PUT
 * changes nothing. A PUT may leave the password out (it keeps the old one), so that case is
 * skipped for PUT.
 */
export function itRefusesInvalidFields(method: 'post' | 'put', spec: InvalidFieldsSpec): void {
  const cases = method === 'put' ? spec.cases.filter(([field, why]) => !(field === 'password' && why === 'missing')) : spec.cases;
  const unchanged = method === 'post' ? 'writes nothing' : 'changes nothing';
  it.each(cases)(`when %s is %s, answers 400 VALIDATION_FAILED naming it and ${unchanged}`, async (field, _why, value) => {
    const t = spec.context();
    const row = method === 'put' ? await spec.insert() : undefined;
    const state = () => (row ? t.db(spec.table).where({ id: row.id }).first() : t.count(spec.table));
    const before = await state();
    const body: Record<string, unknown> = { ...spec.valid(), [field]: value };
    if (value === undefined) delete body[field];
    const res = await t.http[method](row ? `${spec.route}/${row.id}` : spec.route)
      .set('Authorization', await t.staffBearer())
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(`body.${field}`);
    expect(await state()).toEqual(before);
  });
}
