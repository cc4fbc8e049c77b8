import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const FAULTS = ['enrollment-kill', 'mariadb-restart', 'mariadb-crash', 'redis-restart'] as const;
export type FaultName = (typeof FAULTS)[number];

export interface ChaosOptions {
  faults: FaultName[];
  students: number;
  sections: number;
  grade: 1 | 2 | 3 | 4;
  seed: number;
  concurrency: number;
  /** Admission rate of the waiting room (fixed: not adaptive), students/s: it spreads the burst so a fault lands in it. */
  queueRate: number;
  /** Seconds after the opening the fault is injected. */
  faultAtS: number;
  /** Seconds MariaDB or Redis stays away (the killed replica is started again by its primary at once). */
  outageS: number;
  /** After the component is back, failures later than this are a breach (the services did not recover by themselves). */
  recoverWithinS: number;
  /** How long a client keeps retrying one request (the same Idempotency-Key) before it gives up. */
  giveUpS: number;
  /** Reads per second beside the opening (timetables from enrollment, searches from lectures), each. */
  probeRate: number;
  quick: boolean;
  out: string;
  keep: boolean;
  pool: number;
}

export const USAGE = `npm run chaos -- [options]

Fault injection during an opening (docs/reliability.md). Starts its own MariaDB and Redis on free
ports (never the machine's shared ones), two enrollment replicas and the lectures service, then per
fault: a fresh registration, the opening with clients that retry as the student app does (same
Idempotency-Key), the fault mid-burst, and the invariants and the clients' view against the rows.

  --faults a,b,…          ${FAULTS.join(', ')}
                          (default all; --quick: enrollment-kill, mariadb-restart, redis-restart)
  --students N            university size (default 6000; --quick 1200)
  --sections N            sections in the current term (default 600; --quick 150)
  --grade G               the grade whose window opens (default 4)
  --concurrency C         students in flight at most (default 300; --quick 100): more than the room admits, so students wait in it
  --queue-rate N          waiting-room admissions per second, fixed (default 50; --quick 30): spreads the burst so a fault lands in it
  --fault-at S            seconds after the opening the fault is injected (default 5; --quick 3)
  --outage S              seconds MariaDB or Redis stays away (default 5; --quick 3)
  --recover-within S      a failure later than this after the component is back is a breach (default 15)
  --give-up S             a client retries one request this long at most (default 90)
  --probe-rate N          timetable reads and catalog searches per second beside the opening, each (default 10; --quick 5)
  --pool N                DATABASE_POOL_MAX per service process (default 20)
  --seed N                generator seed (default 1)
  --quick                 the CI version (~2 minutes)
  --out DIR               reports (default bench-results/chaos/; --quick: bench-results/quick/, git-ignored)
  --keep                  keep the temporary directory (MariaDB data, Redis, logs)

Exit codes: 0 every fault passed; 1 a breach (invariant, lost or duplicated registration, a 5xx or a
dropped connection outside a fault, no recovery); 2 it could not run; 3 a fault missed the burst.
`;

const posInt = z.coerce.number().int().positive();
const seconds = z.coerce.number().min(0);

export function parseChaosOptions(argv: string[], repoRoot: string): ChaosOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      faults: { type: 'string' },
      students: { type: 'string' },
      sections: { type: 'string' },
      grade: { type: 'string', default: '4' },
      concurrency: { type: 'string' },
      'queue-rate': { type: 'string' },
      'fault-at': { type: 'string' },
      outage: { type: 'string' },
      'recover-within': { type: 'string', default: '15' },
      'give-up': { type: 'string', default: '90' },
      'probe-rate': { type: 'string' },
      pool: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const faults = z
    .array(z.enum(FAULTS))
    .min(1)
    .parse((values.faults ?? (quick ? 'enrollment-kill,mariadb-restart,redis-restart' : FAULTS.join(','))).split(','));
  return {
    faults,
    students: posInt.parse(values.students ?? (quick ? 1200 : 6000)),
    sections: posInt.parse(values.sections ?? (quick ? 150 : 600)),
    grade: z.coerce.number().int().min(1).max(4).parse(values.grade) as 1 | 2 | 3 | 4,
    seed: z.coerce.number().int().min(0).parse(values.seed),
    concurrency: posInt.parse(values.concurrency ?? (quick ? 100 : 300)),
    queueRate: z.coerce.number().positive().parse(values['queue-rate'] ?? (quick ? 30 : 50)),
    faultAtS: seconds.parse(values['fault-at'] ?? (quick ? 3 : 5)),
    outageS: seconds.parse(values.outage ?? (quick ? 3 : 5)),
    recoverWithinS: seconds.parse(values['recover-within']),
    giveUpS: seconds.parse(values['give-up']),
    probeRate: z.coerce.number().min(0).parse(values['probe-rate'] ?? (quick ? 5 : 10)),
    pool: z.coerce.number().int().min(1).max(100).parse(values.pool),
    quick,
    out: path.resolve(repoRoot, values.out ?? (quick ? 'bench-results/quick' : 'bench-results/chaos')),
    keep: values.keep,
  };
}
