/**
 * A table-level checksum of the system's SQLite database(s): for each table, its row count and a
 * SHA-256 of every row in rowid order, read through a read-only connection while the services run
 * (WAL: the reader sees what is committed).
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The part of better-sqlite3 used here (the package ships no types). */
interface Statement {
  raw(on: boolean): Statement;
  iterate(): IterableIterator<unknown[]>;
  all(): unknown[];
}
interface Database {
  prepare(sql: string): Statement;
  close(): void;
}
type DatabaseConstructor = new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => Database;

const require = createRequire(import.meta.url);

export interface TableSum {
  rows: number;
  sha256: string;
}
/** `<file>:<table>` → count and hash. */
export type Checksum = Record<string, TableSum>;

/** The SQLite files in a data dir (not their -wal and -shm companions). */
export function sqliteFiles(dataDir: string): string[] {
  return readdirSync(dataDir)
    .filter((f) => /\.(sqlite3?|db)$/.test(f))
    .map((f) => path.join(dataDir, f));
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every table of every SQLite file of `dataDir` but `exclude` (table names). */
export function databaseChecksum(dataDir: string, exclude: ReadonlySet<string> = new Set()): Checksum {
  const Sqlite = require('better-sqlite3') as DatabaseConstructor;
  const sums: Checksum = {};
  for (const file of sqliteFiles(dataDir)) {
    const db = new Sqlite(file, { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as {
        name: string;
        sql: string;
      }[];
      for (const t of tables) {
        if (exclude.has(t.name)) continue;
        // WITHOUT ROWID tables have no rowid: every column, in order, is the order then.
        const columns = db.prepare(`PRAGMA table_info(${quote(t.name)})`).all().length;
        const order = /without\s+rowid/i.test(t.sql) ? `ORDER BY ${Array.from({ length: columns }, (_, i) => i + 1).join(', ')}` : 'ORDER BY rowid';
        const hash = createHash('sha256');
        let rows = 0;
        for (const row of db.prepare(`SELECT * FROM ${quote(t.name)} ${order}`).raw(true).iterate()) {
          hash.update(JSON.stringify(row.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v))));
          hash.update('\n');
          rows += 1;
        }
        sums[`${path.basename(file)}:${t.name}`] = { rows, sha256: hash.digest('hex') };
      }
    } finally {
      db.close();
    }
  }
  return sums;
}
