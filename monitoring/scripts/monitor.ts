/**
 * `npm run monitor -w @goorm/monitoring`: Debian's Prometheus on :9090 with the repository's rules,
 * scraping the system `npm start` runs (services on 4001-4005, gateway on 8080), plus a Pushgateway
 * for the invariant job and the machine's node exporter. It stays up until Ctrl-C.
 *
 *   npm start                                  # in one terminal
 *   npm run monitor -w @goorm/monitoring       # in another; open http://127.0.0.1:9090
 *   npm run monitor -w @goorm/monitoring -- --load   # also drive the small registration-day load
 *                                                    # and print which dashboard queries had data
 *
 * When nothing answers on the gateway's port it starts the system itself (on a fresh MariaDB
 * database at 127.0.0.1:3306, dropped at exit), as the real-data test does.
 * Config (environment): PROMETHEUS_PORT (9090), GATEWAY_PORT (8080), DATABASE_URL (npm start's
 * default sqlite:./data/goorm.sqlite; the invariant job and --load read it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '@goorm/common';
import { GATEWAY_PORT, SERVICES } from '../../scripts/system.ts';
import { startProofEnvironment, type ProofEnvironment } from '../src/proof.ts';
import { driveLoad } from '../src/load.ts';
import { REPO_ROOT } from '../src/paths.ts';
import { verifyDashboards, verifyRules, formatProof } from '../src/verify.ts';

const config = loadConfig(
  {
    PROMETHEUS_PORT: z.coerce.number().int().min(1).max(65_535).default(9090),
    GATEWAY_PORT: z.coerce.number().int().min(1).max(65_535).default(GATEWAY_PORT),
    DATABASE_URL: z.string().min(1).default(`sqlite:${path.join(REPO_ROOT, 'data', 'goorm.sqlite')}`),
  },
  process.env,
);
const withLoad = process.argv.includes('--load');
const say = (line: string) => process.stdout.write(`${line}\n`);

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/** The ports of the running `npm start` whose /metrics answer (ai-helper runs only when built). */
async function runningSystem(): Promise<Record<string, number> | undefined> {
  if (!(await answers(`http://127.0.0.1:${config.GATEWAY_PORT}/healthz`))) return undefined;
  const ports: Record<string, number> = { gateway: config.GATEWAY_PORT };
  for (const s of SERVICES) if (await answers(`http://127.0.0.1:${s.port}/metrics`)) ports[s.name] = s.port;
  return ports;
}

const ports = await runningSystem();
say(ports ? `Scraping npm start: ${Object.entries(ports).map(([n, p]) => `${n}:${p}`).join(' ')}` : 'Nothing answers on the gateway port: starting the system on a fresh MariaDB database ...');
const env: ProofEnvironment = await startProofEnvironment({
  dataDir: mkdtempSync(path.join(tmpdir(), 'goorm-monitor-')),
  prometheusPort: config.PROMETHEUS_PORT,
  scrapeIntervalSeconds: 5,
  ...(ports ? { external: { ports, databaseUrl: config.DATABASE_URL } } : {}),
});
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  say('Stopping Prometheus ...');
  await env.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

say(`Prometheus: ${env.prometheus.url} (targets: ${env.prometheus.url}/targets, rules: ${env.prometheus.url}/rules, alerts: ${env.prometheus.url}/alerts)`);
say(`Invariant job pushed (exit ${await env.runInvariantJob()}): enrollment_invariant_oversold_seats`);
if (withLoad) {
  const start = Math.floor(Date.now() / 1000) - 5;
  const aiRunning = env.services.includes('ai-helper');
  const load = await driveLoad({ url: env.system.url, students: await env.students(32), ai: aiRunning });
  say(`Load: ${load.requests} requests in ${load.seconds.toFixed(1)} s ${JSON.stringify(load.byStatus)}; waiting 40 s for the rule groups ...`);
  await new Promise((r) => setTimeout(r, 40_000));
  const range = { start, end: Math.floor(Date.now() / 1000), step: 5 };
  say(formatProof(await verifyDashboards(env.prometheus.api, range, { aiRunning }), await verifyRules(env.prometheus.api, range, { aiRunning })));
}
say('Prometheus stays up; Ctrl-C stops it.');
