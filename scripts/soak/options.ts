import { parseArgs } from 'node:util';
import path from 'node:path';
import { z } from 'zod';
import type { BenchOptions } from '../bench/options.ts';

/** `npm run soak` flags. The university and the services are the bench's; the traffic is steady, not a burst. */
export interface SoakOptions {
  minutes: number;
  /** The first minutes whose samples only settle the process (JIT, pools, caches); default 3, or a third of a short run. */
  warmupMinutes: number;
  sampleSeconds: number;
  students: number;
  sections: number;
  grade: 1 | 2 | 3 | 4;
  seed: number;
  /** Virtual students starting a session per second (queue, enroll, waitlist, timetable, drop all). */
  sessionsPerSecond: number;
  /** Side traffic (the bench's side-traffic process), requests per second. */
  searchRate: number;
  timetableRate: number;
  dashboardTabs: number;
  /** Sections made small (capacity `tinyCapacity`) so that SECTION_FULL, waitlist joins and promotions keep happening. */
  tinySections: number;
  tinyCapacity: number;
  target: 'direct' | 'gateway';
  pool: number;
  mysqlUrl: string;
  redisUrl: string;
  out: string;
  keep: boolean;
  /** Plant a leak in every service process (NODE_OPTIONS --import scripts/soak/leak.mjs): KB kept per request (0 = none). */
  plantLeakKb: number;
  /** Only run the analysis on synthetic series and exit. */
  selfTest: boolean;
  /** Only recompute the analysis of a stored soak report (its samples) and print its table. */
  analyse: string | undefined;
}

export const SOAK_USAGE = `usage: npm run soak -- [options]

  --minutes N             how long the steady traffic runs (default 15; 1 = a quick trial)
  --warmup N              minutes left out of the growth analysis (default 3; a third of runs shorter than 9)
  --sample-s N            seconds between samples (default 10)
  --students N            university size (default 4000: grade 4 has ~1,000 students)
  --sections N            sections in the term (default 600)
  --sessions-per-s N      virtual students starting a session per second (default 4)
  --search-rate N         catalog searches per second (default 60)
  --timetable-rate N      timetable reads per second of random students (default 30)
  --dashboard-tabs N      staff dashboards refreshing every 3 s (default 10)
  --tiny-sections N       the N most wanted sections get --tiny-capacity seats (default 30)
  --tiny-capacity N       (default 3)
  --target gateway|direct through the gateway (default) or straight to the services
  --pool N                DATABASE_POOL_MAX per service (default 20)
  --mysql-url URL         (default mysql://root@127.0.0.1:3306/); the database is goorm_soak_<run id>
  --redis-url URL         (default redis://127.0.0.1:6379)
  --out DIR               (default bench-results/experiments)
  --keep                  keep the soak database
  --plant-leak KB         break it on purpose: every service process keeps KB per request it serves
  --self-test             run the growth analysis on synthetic series (flat, leaking) and exit
  --analyse FILE          recompute the analysis of a stored soak report from its samples (rewrites it) and print the table
`;

const posInt = z.coerce.number().int().positive();
const nonNeg = z.coerce.number().min(0);

export function parseSoakOptions(argv: string[], repoRoot: string): SoakOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      minutes: { type: 'string', default: '15' },
      warmup: { type: 'string' },
      'sample-s': { type: 'string', default: '10' },
      students: { type: 'string', default: '4000' },
      sections: { type: 'string', default: '600' },
      grade: { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      'sessions-per-s': { type: 'string', default: '4' },
      'search-rate': { type: 'string', default: '60' },
      'timetable-rate': { type: 'string', default: '30' },
      'dashboard-tabs': { type: 'string', default: '10' },
      'tiny-sections': { type: 'string', default: '30' },
      'tiny-capacity': { type: 'string', default: '3' },
      target: { type: 'string', default: 'gateway' },
      pool: { type: 'string', default: '20' },
      'mysql-url': { type: 'string', default: 'mysql://root@127.0.0.1:3306/' },
      'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'plant-leak': { type: 'string', default: '0' },
      'self-test': { type: 'boolean', default: false },
      analyse: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const minutes = z.coerce.number().positive().parse(values.minutes);
  return {
    minutes,
    warmupMinutes: z.coerce.number().min(0).parse(values.warmup ?? (minutes >= 9 ? 3 : minutes / 3)),
    sampleSeconds: posInt.parse(values['sample-s']),
    students: posInt.parse(values.students),
    sections: posInt.parse(values.sections),
    grade: z.coerce.number().int().min(1).max(4).parse(values.grade) as 1 | 2 | 3 | 4,
    seed: z.coerce.number().int().min(0).parse(values.seed),
    sessionsPerSecond: nonNeg.parse(values['sessions-per-s']),
    searchRate: nonNeg.parse(values['search-rate']),
    timetableRate: nonNeg.parse(values['timetable-rate']),
    dashboardTabs: z.coerce.number().int().min(0).parse(values['dashboard-tabs']),
    tinySections: z.coerce.number().int().min(0).parse(values['tiny-sections']),
    tinyCapacity: posInt.parse(values['tiny-capacity']),
    target: z.enum(['direct', 'gateway']).parse(values.target),
    pool: z.coerce.number().int().min(1).max(100).parse(values.pool),
    mysqlUrl: z.string().regex(/^mysql:\/\//).parse(values['mysql-url']),
    redisUrl: z.string().regex(/^redis:\/\//).parse(values['redis-url']),
    out: path.resolve(repoRoot, values.out ?? 'bench-results/experiments'),
    keep: values.keep,
    plantLeakKb: nonNeg.parse(values['plant-leak']),
    selfTest: values['self-test'],
    analyse: values.analyse === undefined ? undefined : path.resolve(repoRoot, values.analyse),
  };
}

/** What the bench's modules read from BenchOptions (university size, seed, pool). */
export function benchView(o: SoakOptions): Pick<BenchOptions, 'students' | 'sections' | 'seed' | 'pool' | 'mysqlUrl' | 'keep'> {
  return { students: o.students, sections: o.sections, seed: o.seed, pool: o.pool, mysqlUrl: o.mysqlUrl, keep: o.keep };
}
