import { AppError, validationFailed, type FieldError } from '@goorm/common';

/** 409 IN_USE naming what still points at the row, e.g. `usedBy: {section: 3}`. */
export function inUse(what: string, id: number, usedBy: Record<string, number>): AppError {
  const list = Object.entries(usedBy)
    .map(([table, n]) => `${n} ${table} row${n === 1 ? '' : 's'}`)
    .join(', ');
  return new AppError('IN_USE', { detail: `${what} ${id} is still referenced by ${list}`, extra: { usedBy } });
}

/** A reference to a row that does not exist is a bad field of the request: 400 naming it. */
export function missingReference(field: string, what: string, id: number): FieldError {
  return { field, message: `${what} ${id} does not exist` };
}

export function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw validationFailed(errors);
}
