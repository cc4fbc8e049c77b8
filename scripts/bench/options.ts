import { parseArgs } from 'node:util';
import path from 'node:path';
import { z } from 'zod';

/** Every default of shared/BENCHMARK.md is a flag. */
export interface BenchOptions {
  engines: Array<'mysql' | 'sqlite'>;
  /** Enrollment replicas per engine (behind the gateway; direct runs spread connections over them). */
  replicas: { mysql: number[]; sqlite: number[] };
  targets: Array<'direct' | 'gateway'>;
  students: number;
  sections: number;
  /** The grade whose REGISTRATION window opens. */
  grade: 1 | 2 | 3 | 4;
  /** Students in flight at most. */
  concurrency: number;
  seed: number;
  quick: boolean;
  out: string;
  /** Keep the MySQL database and the data directory afterwards. */
  keep: boolean;
  mysqlUrl: string;
  /** Redis for the waiting room: 'auto' = when two replicas run or the engine is MySQL (production), if reachable. */
  redis: 'auto' | 'on' | 'off';
  redisUrl: string;
  /** Waiting room as staff set it at the opening: rate (students/s) and whether the controller may move it. */
  queueRate: number;
  queueAdaptive: boolean;
  /** Mode staff set before the opening: auto (the window activates it), on, off. */
  queueMode: 'auto' | 'on' | 'off';
  /** How often a waiting student polls their place (the student app: 2 s; sooner when the ETA is shorter). */
  pollMs: number;
  /** Side traffic while the opening runs (open loop, requests per second; 0 = none). */
  searchRate: number;
  timetableRate: number;
  /** Staff dashboard tabs open during the opening, each refreshing every DASHBOARD_REFRESH_S. */
  dashboardTabs: number;
  /** Send an Idempotency-Key with every enroll, as the student app does. */
  idempotency: boolean;
  /** DATABASE_POOL_MAX of each service process (and of the in-process ceiling). */
  pool: number;
  /** Pool sizes the in-process ceiling is measured with on MySQL (the best is reported as the ceiling). */
  ceilingPools: number[];
  /** Access log line per request in the services (off by default: metrics count requests). */
  accessLog: boolean;
  /** Start services with `node --cpu-prof` and keep the profiles under <out>/profiles. */
  cpuProf: boolean;
  /** Keep every service's log lines under this directory. */
  serviceLogs: string | undefined;
  /** Skip the raw ceiling and the naive peer. */
  skipCeiling: boolean;
  /** Upper bound of each timed phase (the run aborts with a clear message past it). */
  phaseTimeoutMs: number;
  /** A student told SECTION_FULL joins that section's waitlist (as the student app offers). */
  waitlist: boolean;
  /** After the opening, this fraction of the students holding a seat drop one section each (0 = no drop phase). */
  dropFraction: number;
  /** Staff run cart auto-enrollment (자동신청) for the window before it opens. */
  autoEnroll: boolean;
}

const FULL = { students: 20_000, sections: 3_000, concurrency: 500 };
const QUICK = { students: 2_000, sections: 300, concurrency: 100 };

export const USAGE = `usage: npm run bench -- [options]

  --engine mysql|sqlite|both     database engine(s) (default both)
  --replicas 1|2|both            enrollment replicas (default: both on mysql, 1 on sqlite)
  --target direct|gateway|both   direct = straight to the services (as the ALB routes in EKS),
                                 gateway = through the local gateway (default both; --quick: direct)
  --students N                   university size (default 20000; --quick 2000)
  --sections N                   sections in the current term (default 3000; --quick 300)
  --grade G                      the grade whose REGISTRATION window opens (default 4)
  --concurrency C                students in flight at most (default 500; --quick 100)
  --seed N                       generator seed (default 1)
  --quick                        small university, one pass per engine (~1 minute): CI smoke
  --out DIR                      reports (default bench-results/; --quick: bench-results/quick/, git-ignored)
  --keep                         keep the bench database and data directory
  --mysql-url URL                server for the bench database (default mysql://root@127.0.0.1:3306/)
  --redis auto|on|off            waiting room in Redis (auto: two replicas or MySQL, if reachable)
  --redis-url URL                (default redis://127.0.0.1:6379)
  --queue-mode auto|on|off       waiting-room mode staff set before the opening (default auto)
  --queue-rate N                 admission rate staff set, students/s (default 1000)
  --queue-adaptive true|false    let the controller move the rate (default true)
  --poll-ms MS                   how often a waiting student polls (default 2000)
  --search-rate N                catalog searches per second beside the opening, to be served, not shed
                                 (default 1000; --quick 100; 0 = none)
  --timetable-rate N             timetable reads per second beside the opening (default 100; --quick 20; 0 = none)
  --dashboard-tabs N             staff dashboard tabs open during the opening, each refreshing every 3 s (default 50; --quick 10; 0 = none)
  --idempotency true|false       Idempotency-Key on every enroll, as the student app (default true)
  --pool N                       DATABASE_POOL_MAX per service process (default 20: the enrollment
                                 manifests' value, and where the ceiling stops growing — docs/benchmarks.md)
  --ceiling-pools N,N,…          pool sizes the in-process ceiling is measured with on MariaDB; the best is
                                 the ceiling (default 10,20,40; --quick: the --pool value)
  --access-log                   per-request access log lines in the services (default off)
  --cpu-prof                     profile the service processes (node --cpu-prof) into <out>/profiles
  --skip-ceiling                 skip the raw-SQL ceiling and the naive peer
  --service-logs DIR             keep every service's log lines in DIR/<run>/<service>.log
  --phase-timeout S              abort a phase that takes longer (default 300; --quick 120)
  --waitlist true|false          a student told SECTION_FULL joins its waitlist, as the app offers (default true)
  --drop-fraction F              after the opening, a seeded F of the students holding a seat drop one
                                 section each; then wait for quiescence and check again (default 0.05; 0 = none)
  --auto-enroll true|false       staff run cart auto-enrollment for the window before it opens; the
                                 students skip the sections they then hold (default false)
`;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const posInt = z.coerce.number().int().positive();

export function parseOptions(argv: string[], repoRoot: string): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      engine: { type: 'string', default: 'both' },
      replicas: { type: 'string' },
      target: { type: 'string' },
      students: { type: 'string' },
      sections: { type: 'string' },
      grade: { type: 'string', default: '4' },
      concurrency: { type: 'string' },
      seed: { type: 'string', default: '1' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'mysql-url': { type: 'string', default: 'mysql://root@127.0.0.1:3306/' },
      redis: { type: 'string', default: 'auto' },
      'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
      'queue-mode': { type: 'string', default: 'auto' },
      'queue-rate': { type: 'string', default: '1000' },
      'queue-adaptive': { type: 'string', default: 'true' },
      'poll-ms': { type: 'string', default: '2000' },
      'search-rate': { type: 'string' },
      'timetable-rate': { type: 'string' },
      'dashboard-tabs': { type: 'string' },
      idempotency: { type: 'string', default: 'true' },
      pool: { type: 'string', default: '20' },
      'ceiling-pools': { type: 'string' },
      'access-log': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      'skip-ceiling': { type: 'boolean', default: false },
      'service-logs': { type: 'string' },
      'phase-timeout': { type: 'string' },
      waitlist: { type: 'string', default: 'true' },
      'drop-fraction': { type: 'string', default: '0.05' },
      'auto-enroll': { type: 'string', default: 'false' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const size = quick ? QUICK : FULL;
  const engines = z.enum(['mysql', 'sqlite', 'both']).parse(values.engine);
  const replicasFlag = values.replicas === undefined ? undefined : z.enum(['1', '2', 'both']).parse(values.replicas);
  const replicaList = (engineDefault: number[]) =>
    replicasFlag === undefined ? (quick ? [1] : engineDefault) : replicasFlag === 'both' ? [1, 2] : [Number(replicasFlag)];
  const target = z.enum(['direct', 'gateway', 'both']).parse(values.target ?? (quick ? 'direct' : 'both'));
  // Quick (smoke) reports go to a git-ignored folder; the full run's are committed.
  const out = path.resolve(repoRoot, values.out ?? (quick ? 'bench-results/quick' : 'bench-results'));
  return {
    engines: engines === 'both' ? ['mysql', 'sqlite'] : [engines],
    replicas: { mysql: replicaList([1, 2]), sqlite: replicaList([1]) },
    targets: target === 'both' ? ['direct', 'gateway'] : [target],
    students: posInt.parse(values.students ?? size.students),
    sections: posInt.parse(values.sections ?? size.sections),
    grade: z.coerce.number().int().min(1).max(4).parse(values.grade) as 1 | 2 | 3 | 4,
    concurrency: posInt.parse(values.concurrency ?? size.concurrency),
    seed: z.coerce.number().int().min(0).parse(values.seed),
    quick,
    out,
    keep: values.keep,
    mysqlUrl: z.string().regex(/^mysql:\/\//).parse(values['mysql-url']),
    redis: z.enum(['auto', 'on', 'off']).parse(values.redis),
    redisUrl: z.string().regex(/^redis:\/\//).parse(values['redis-url']),
    queueMode: z.enum(['auto', 'on', 'off']).parse(values['queue-mode']),
    queueRate: z.coerce.number().positive().parse(values['queue-rate']),
    queueAdaptive: bool.parse(values['queue-adaptive']),
    pollMs: posInt.parse(values['poll-ms']),
    searchRate: z.coerce.number().min(0).parse(values['search-rate'] ?? (quick ? 100 : 1000)),
    timetableRate: z.coerce.number().min(0).parse(values['timetable-rate'] ?? (quick ? 20 : 100)),
    dashboardTabs: z.coerce.number().int().min(0).parse(values['dashboard-tabs'] ?? (quick ? 10 : 50)),
    idempotency: bool.parse(values.idempotency),
    pool: z.coerce.number().int().min(1).max(100).parse(values.pool),
    ceilingPools: z
      .array(z.coerce.number().int().min(1).max(100))
      .min(1)
      .parse((values['ceiling-pools'] ?? (quick ? values.pool : '10,20,40')).split(',')),
    accessLog: values['access-log'],
    cpuProf: values['cpu-prof'],
    skipCeiling: values['skip-ceiling'],
    serviceLogs: values['service-logs'] === undefined ? undefined : path.resolve(repoRoot, values['service-logs']),
    phaseTimeoutMs: posInt.parse(values['phase-timeout'] ?? (quick ? 120 : 300)) * 1000,
    waitlist: bool.parse(values.waitlist),
    dropFraction: z.coerce.number().min(0).max(1).parse(values['drop-fraction']),
    autoEnroll: bool.parse(values['auto-enroll']),
  };
}

/** The sizes of the generated university for the given student / section counts (BENCHMARK.md ratios). */
export function universitySize(o: Pick<BenchOptions, 'students' | 'sections'>) {
  const lectures = Math.max(20, Math.round(o.sections / 2));
  return {
    students: o.students,
    sections: o.sections,
    lectures,
    majors: Math.max(8, Math.min(40, Math.round(o.students / 500))),
    professors: Math.max(20, Math.round(o.sections / 5)),
    staff: 5,
    carts: { min: 6, max: 8 },
  };
}
