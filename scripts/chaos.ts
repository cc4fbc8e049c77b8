/**
 * Fault injection during an opening (issue #17, docs/reliability.md).
 *
 *   npm run chaos                 every fault on a mid-size university (~5 minutes)
 *   npm run chaos -- --quick      the CI version (~2 minutes): enrollment-kill, mariadb-restart, redis-restart
 *   npm run chaos -- --help       every flag
 *
 * Runs on its own MariaDB and Redis (free ports, a temporary directory), never the machine's
 * shared ones. Exits 1 on a breach, 2 when it could not run, 3 when a fault missed the burst.
 */
import { REPO_ROOT } from './bench/processes.ts';
import { parseChaosOptions, USAGE } from './chaos/options.ts';
import { runChaos } from './chaos/run.ts';

// Interrupted: exit through process.exit so the 'exit' handlers kill the MariaDB, the Redis and the services it started.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

let code: number;
try {
  const options = parseChaosOptions(process.argv.slice(2), REPO_ROOT);
  if (options === 'help') {
    process.stdout.write(USAGE);
    code = 0;
  } else {
    code = await runChaos(options);
  }
} catch (err) {
  process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  code = 2;
}
// Pools, agents and timers of an aborted run must not keep the process alive; the servers are killed on exit.
process.exit(code);
