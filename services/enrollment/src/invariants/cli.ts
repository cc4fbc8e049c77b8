/**
 * Checks a database for broken registration invariants and prints a report.
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/goorm [TERM_ID=1] [FORMAT=json|text] npx tsx services/enrollment/src/invariants/cli.ts
 * Exit status: 0 no breach, 1 at least one breach, 2 the check could not run.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { baseConfigShape, createDb, createLogger, loadConfig } from '@goorm/common';
import { checkInvariants, type InvariantReport } from './invariants.ts';

const configShape = {
  DATABASE_URL: baseConfigShape.DATABASE_URL,
  LOG_LEVEL: baseConfigShape.LOG_LEVEL,
  TERM_ID: z.coerce.number().int().positive().optional(),
  FORMAT: z.enum(['json', 'text']).default('text'),
  /** Breaches listed per kind (counts are always exact). */
  LIMIT: z.coerce.number().int().min(0).default(20),
};

export function formatReport(r: InvariantReport): string {
  const c = r.checked;
  const lines = [
    `checked ${c.enrollments} enrollments of ${c.students} students in ${c.sections} sections, ${c.events} events` +
      (c.termId === null ? '' : ` (term ${c.termId})`),
  ];
  const kinds = Object.entries(r.counts);
  if (kinds.length === 0) lines.push('OK: no breach');
  for (const [kind, count] of kinds) {
    lines.push(`BREACH ${kind}: ${count}`);
    for (const b of r.breaches.filter((x) => x.kind === kind)) lines.push(`  - ${b.detail}`);
  }
  return lines.join('\n') + '\n';
}

/** Runs the check with this environment, writes the report, and returns the exit status. */
export async function runCli(env: Record<string, string | undefined>, write: (text: string) => void): Promise<number> {
  const config = loadConfig(configShape, env);
  const logger = createLogger('invariants', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL, { poolMax: 2 });
  try {
    const started = Date.now();
    const report = await checkInvariants(db, { termId: config.TERM_ID, limit: config.LIMIT });
    logger.info({ ms: Date.now() - started, counts: report.counts }, 'invariants checked');
    write(config.FORMAT === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
    return report.breaches.length > 0 ? 1 : 0;
  } catch (err) {
    logger.error({ err }, 'invariant check failed to run');
    return 2;
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.env, (text) => process.stdout.write(text));
}
