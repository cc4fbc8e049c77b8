/**
 * Generates and loads a university into DATABASE_URL.
 *
 *   npm run seed -- [--preset small|benchmark] [--students N] [--sections N] [--lectures N]
 *                   [--professors N] [--majors N] [--staff N] [--seed N] [--carts MIN-MAX|none]
 *                   [--calendar] [--password TEXT] [--reset]
 *
 * Without --reset it refuses a database that already holds a term. Windows open now for 30 days
 * (CART and REGISTRATION, every grade) unless --calendar asks for the 2026-1 calendar.
 * The password (default password123) is for demo and benchmark data only.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '@goorm/common';
import {
  BENCHMARK_UNIVERSITY,
  DEMO_PASSWORD,
  SMALL_UNIVERSITY,
  clearUniversity,
  generateUniversity,
  hashDemoPassword,
  loadUniversity,
  migrateUniversity,
  type GenerateOptions,
} from '@goorm/demo-data';
import { openDatabase, redactUrl } from './lib/db.ts';

const config = loadConfig({ DATABASE_URL: z.string().min(1).default('sqlite:./data/goorm.sqlite') });

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'small' },
    students: { type: 'string' },
    sections: { type: 'string' },
    lectures: { type: 'string' },
    professors: { type: 'string' },
    majors: { type: 'string' },
    staff: { type: 'string' },
    seed: { type: 'string' },
    carts: { type: 'string' },
    calendar: { type: 'boolean', default: false },
    password: { type: 'string', default: DEMO_PASSWORD },
    reset: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'usage: npm run seed -- [--preset small|benchmark] [--students N] [--sections N] [--lectures N] [--professors N]\n' +
      '                       [--majors N] [--staff N] [--seed N] [--carts MIN-MAX|none] [--calendar] [--password TEXT] [--reset]\n',
  );
  process.exit(0);
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer (got ${v})`);
  return n;
}

const preset = values.preset === 'benchmark' ? BENCHMARK_UNIVERSITY : values.preset === 'small' ? SMALL_UNIVERSITY : undefined;
if (!preset) throw new Error(`--preset must be small or benchmark (got ${values.preset})`);

let carts: GenerateOptions['carts'] = { ...preset.carts };
if (values.carts === 'none') carts = false;
else if (values.carts) {
  const m = /^(\d+)-(\d+)$/.exec(values.carts);
  if (!m) throw new Error('--carts must look like 6-8 or be none');
  carts = { min: Number(m[1]), max: Number(m[2]) };
}

const options: GenerateOptions = {
  ...preset,
  carts,
  ...Object.fromEntries(
    (['students', 'sections', 'lectures', 'professors', 'majors', 'staff', 'seed'] as const)
      .map((k) => [k, int(k, values[k])])
      .filter(([, v]) => v !== undefined),
  ),
};

const started = Date.now();
const db = await openDatabase(config.DATABASE_URL);
try {
  await migrateUniversity(db);
  if (await db('term').first('id')) {
    if (!values.reset) {
      process.stderr.write(`${redactUrl(config.DATABASE_URL)} already holds a university; pass --reset to replace it.\n`);
      process.exitCode = 1;
    } else {
      await clearUniversity(db);
    }
  }
  if (!process.exitCode) {
    const now = new Date();
    const genStarted = Date.now();
    const university = generateUniversity({ ...options, ...(values.calendar ? {} : { now }) });
    const generatedMs = Date.now() - genStarted;
    const passwordHash = await hashDemoPassword(values.password);
    const counts = await loadUniversity(db, university, { passwordHash, now });
    const total = Date.now() - started;
    process.stdout.write(
      `Loaded into ${redactUrl(config.DATABASE_URL)} in ${(total / 1000).toFixed(1)} s (generated in ${generatedMs} ms):\n` +
        Object.entries(counts)
          .map(([k, v]) => `  ${k.padEnd(11)} ${v}`)
          .join('\n') +
        '\n',
    );
  }
} finally {
  await db.destroy();
}
