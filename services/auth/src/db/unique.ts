/** True when a write failed on a UNIQUE (or primary key) constraint, on MySQL/MariaDB or SQLite. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { errno?: number; code?: string } | undefined;
  if (!e || typeof e !== 'object') return false;
  return (
    e.errno === 1062 /* ER_DUP_ENTRY */ ||
    e.code === 'ER_DUP_ENTRY' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** LIKE pattern matching `text` anywhere, with `!` as the escape character (use `escape '!'`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
