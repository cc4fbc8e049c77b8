/**
 * The registration-day benchmark (shared/BENCHMARK.md, docs/benchmarks.md).
 *
 *   npm run bench                 full size on MariaDB and SQLite, 1 and 2 replicas, direct and gateway
 *   npm run bench -- --quick      ~1 minute smoke (CI): small university, one pass per engine
 *   npm run bench -- --help       every flag
 *
 * Prints a table per run and a summary, writes bench-results/<engine>-<replicas>r-<target>-<id>.json
 * and bench-results/latest.json. Exits 1 on any invariant breach (never on speed), 2 when it
 * could not run, 3 when a phase hit its time limit (the figures are then incomplete).
 */
import { parseOptions, USAGE } from './bench/options.ts';
import { REPO_ROOT } from './bench/processes.ts';
import { runBench } from './bench/run.ts';

let code: number;
try {
  const options = parseOptions(process.argv.slice(2), REPO_ROOT);
  if (options === 'help') {
    process.stdout.write(USAGE);
    code = 0;
  } else {
    code = await runBench(options);
  }
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  code = 2;
}
// Pools, agents and timers of an aborted phase must not keep the process alive.
process.exit(code);
