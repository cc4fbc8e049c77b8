/**
 * The proof against real data: Debian's Prometheus scrapes the whole local system (every service
 * and the gateway on MariaDB and Redis) while a small registration-day load runs, then every
 * dashboard panel query (variables substituted) and every recording rule must return data through
 * the HTTP API. Panels over cluster exporters are parsed by Prometheus and their metric names
 * checked against the exporters' documented names, listed apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../src/dashboards/index.ts';
import { prove, type ProofRun } from '../src/prove.ts';
import { formatProof } from '../src/verify.ts';

describe('every dashboard query and recording rule over real data (Debian Prometheus, the local system, a small load)', () => {
  let run: ProofRun;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'goorm-monitoring-proof-'));

  beforeAll(async () => {
    run = await prove({ dataDir, log: (line) => process.stdout.write(`[monitoring proof] ${line}\n`) });
    process.stdout.write(`[monitoring proof]\n${formatProof(run.dashboards, run.rules)}\n`);
  }, 420_000);

  afterAll(async () => {
    await run?.env.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('the load went through the gateway and the invariant CronJob entry found no breach', () => {
    expect(run.load.requests).toBeGreaterThan(300);
    expect(run.load.enrolled).toBeGreaterThan(0);
    expect(Object.keys(run.load.byStatus).filter((s) => s.startsWith('5'))).toEqual([]);
    expect(run.invariantJobExit).toBe(0);
  });

  it.each(DASHBOARDS.map((d) => d.title))('%s: every panel query over the services’ own metrics returned data', (title) => {
    const d = run.dashboards.find((x) => x.title === title)!;
    expect(d.failures).toEqual([]);
    expect(d.total).toBeGreaterThan(0);
    expect(d.withData).toBe(d.total);
  });

  it('panels over cluster exporters parse in Prometheus and name only documented metrics (listed apart)', () => {
    const apart = run.dashboards.flatMap((d) => d.apart);
    expect(apart.length).toBeGreaterThan(0);
    for (const a of apart) expect(a.metrics.length, a.panel).toBeGreaterThan(0);
  });

  it('every recording rule returned data and every rule evaluates without error', () => {
    expect(run.rules.failures).toEqual([]);
    expect(run.rules.unhealthy).toEqual([]);
    expect(run.rules.withData).toBe(run.rules.total);
  });

  it('oversold seats read 0 from the invariant job, and no alert of the services fires', async () => {
    const oversold = await run.env.prometheus.api.query('max(enrollment_invariant_oversold_seats)');
    expect(oversold.map((s) => s.value?.[1])).toEqual(['0']);
    const firing = await run.env.prometheus.api.query('ALERTS{alertstate="firing"}');
    expect(firing.map((s) => s.metric.alertname)).toEqual([]);
  });
});
