// Makes `npm start` and `npm test` work on a fresh clone: installs the locked dependencies
// (npm ci) when they are missing or older than package-lock.json. Plain Node, no dependencies.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const needed = ['node_modules/tsx', 'node_modules/vitest', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'];
const stale = !existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs + 1000;
if (stale || needed.some((p) => !existsSync(p))) {
  process.stdout.write('Installing dependencies (npm ci)...\n');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
