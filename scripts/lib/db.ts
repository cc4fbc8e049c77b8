import { createDb, engineFromUrl, type Knex } from '@goorm/common';

/**
 * Opens DATABASE_URL for the scripts. On MySQL/MariaDB the database itself is created when it
 * does not exist yet (so `DATABASE_URL=mysql://root@127.0.0.1:3306/goorm npm start` works on a fresh server).
 */
export async function openDatabase(url: string, opts: { poolMax?: number } = {}): Promise<Knex> {
  if (engineFromUrl(url) === 'mysql') {
    const u = new URL(url.replace(/^(mysql2|mariadb):/, 'mysql:'));
    const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (!/^[A-Za-z0-9_$-]+$/.test(name)) throw new Error(`DATABASE_URL must name a database (got "${name}")`);
    u.pathname = '/';
    const admin = createDb(u.toString(), { poolMax: 1 });
    try {
      await admin.raw(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await admin.destroy();
    }
  }
  return createDb(url, { poolMax: opts.poolMax ?? 4 });
}

/** The URL with any password hidden, for printing. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
