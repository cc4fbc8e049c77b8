/** Recognises constraint violations of both engines so repositories can turn them into AppErrors. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { errno?: number; code?: string } | undefined;
  return e?.errno === 1062 || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { errno?: number; code?: string } | undefined;
  return e?.errno === 1451 || e?.errno === 1452 || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Escapes LIKE wildcards with '!' (one escape character that means the same on SQLite and MySQL). */
export function likeContains(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
export const LIKE_ESCAPE = "ESCAPE '!'";

/** DATE columns come back as Date (mysql2) or text (SQLite): always hand out YYYY-MM-DD. */
export function toIsoDate(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** Runs a write; a unique-key violation (a concurrent writer won the race) becomes the given AppError. */
export async function onUniqueViolation<T>(fn: () => Promise<T>, toError: () => Error): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw toError();
    throw err;
  }
}
