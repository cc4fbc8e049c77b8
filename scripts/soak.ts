/**
 * The soak (issue #17): a steady mix of registration traffic for --minutes (default 15) while
 * every service process's heap, RSS, descriptors and connections, MariaDB's and Redis's
 * connections are sampled; then the growth after the warm-up per series and the bench's
 * invariants. docs/benchmarks.md "Soak".
 *
 *   npm run soak                    15 minutes (~125 requests/s through the gateway)
 *   npm run soak -- --minutes 1     a quick trial
 *   npm run soak -- --self-test     the growth analysis on synthetic flat and leaking series
 *   npm run soak -- --analyse F     recompute a stored report's analysis from its samples
 *   npm run soak -- --help          every flag
 *
 * Writes bench-results/experiments/soak-<run id>.json and prints a table. Exits 1 on an invariant
 * breach (a 5xx included), 4 when a series grows beyond its threshold, 2 when it could not run.
 */
import { REPO_ROOT } from './bench/processes.ts';
import { selfTest } from './soak/analysis.ts';
import { parseSoakOptions, SOAK_USAGE } from './soak/options.ts';
import { reanalyse, runSoak } from './soak/run.ts';

let code: number;
try {
  const options = parseSoakOptions(process.argv.slice(2), REPO_ROOT);
  if (options === 'help') {
    process.stdout.write(SOAK_USAGE);
    code = 0;
  } else if (options.analyse) {
    code = reanalyse(options.analyse);
  } else if (options.selfTest) {
    const t = selfTest();
    for (const c of t.cases) {
      const g = c.growth;
      process.stdout.write(
        `${g.grows === c.expected ? 'ok  ' : 'FAIL'} ${c.name}: slope ${g.slopePerMin.toFixed(2)}/min, at warm-up ${g.warmupValue.toFixed(0)}, end ${g.endValue.toFixed(0)} (${(g.change * 100).toFixed(1)}%) -> ${g.grows ? 'GROWS' : 'flat'} (expected ${c.expected ? 'GROWS' : 'flat'})\n`,
      );
    }
    code = t.ok ? 0 : 1;
  } else {
    code = await runSoak(options);
  }
} catch (err) {
  process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  code = 2;
}
process.exit(code);
