/**
 * One run of the real-data proof, shared by its test (test/real-data.test.ts), `npm run monitor`
 * and `npm run screenshots`: the local environment (src/proof.ts), a small registration-day load
 * (src/load.ts), one run of the invariant CronJob entry, then every dashboard panel query and every
 * recording rule through Prometheus's HTTP API (src/verify.ts) over the time the load ran.
 *
 * Recording rules are evaluated every 15 s (30 s for the SLO group), so after the load the check
 * is repeated until everything has data or `settleMs` has passed; what still has none then is a
 * failure, listed by name.
 */
import { startProofEnvironment, type ProofEnvironment, type ProofOptions } from './proof.ts';
import { driveLoad, type LoadReport } from './load.ts';
import { verifyDashboards, verifyRules, type DashboardProof, type Range, type RulesProof } from './verify.ts';

export interface ProofRun {
  env: ProofEnvironment;
  load: LoadReport;
  invariantJobExit: number;
  range: Range;
  dashboards: DashboardProof[];
  rules: RulesProof;
}

export interface ProveOptions extends Partial<ProofOptions> {
  dataDir: string;
  /** Students signed in by the load (default 32). */
  students?: number;
  concurrency?: number;
  /** How long to keep checking after the load for rules to be evaluated (default 90 s). */
  settleMs?: number;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function passed(run: Pick<ProofRun, 'dashboards' | 'rules'>): boolean {
  return run.dashboards.every((d) => d.failures.length === 0 && d.withData === d.total) && run.rules.failures.length === 0 && run.rules.unhealthy.length === 0;
}

/** Starts the environment and proves it; the caller stops `env` (the monitor script keeps it running). */
export async function prove(o: ProveOptions): Promise<ProofRun> {
  const log = o.log ?? (() => {});
  const env = await startProofEnvironment({ scrapeIntervalSeconds: 2, ...o });
  try {
    log(`system up (${env.services.join(', ')}); Prometheus at ${env.prometheus.url}`);
    const aiRunning = env.services.includes('ai-helper');
    const start = Math.floor(Date.now() / 1000) - 5;
    const load = await driveLoad({ url: env.system.url, students: await env.students(o.students ?? 32), concurrency: o.concurrency ?? 8, ai: aiRunning });
    log(`load: ${load.requests} requests in ${load.seconds.toFixed(1)} s, by status ${JSON.stringify(load.byStatus)}, ${load.enrolled} enrolled`);
    const invariantJobExit = await env.runInvariantJob();
    log(`invariant CronJob entry exited ${invariantJobExit} (pushed to ${env.pushgateway.url})`);
    const deadline = Date.now() + (o.settleMs ?? 90_000);
    for (;;) {
      const range: Range = { start, end: Math.floor(Date.now() / 1000), step: 5 };
      const dashboards = await verifyDashboards(env.prometheus.api, range, { aiRunning });
      const rules = await verifyRules(env.prometheus.api, range, { aiRunning });
      if (passed({ dashboards, rules }) || Date.now() > deadline) return { env, load, invariantJobExit, range, dashboards, rules };
      await sleep(5_000);
    }
  } catch (err) {
    await env.stop();
    throw err;
  }
}
