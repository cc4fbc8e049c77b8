import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ASSUMED,
  ENROLLMENT_CLASSES,
  MEASURED,
  PROD_PLAN,
  REDIS_NODE_OPS,
  SCENARIOS,
  planCapacity,
  predictOnBenchMachine,
  unitCosts,
  measuredFromRun,
  vcpuOfInstanceClass,
  type BenchRunFile,
} from '../src/capacity.js';
import { infraRoot } from './support.js';

const repoRoot = join(infraRoot, '..');

const readRun = (file: string) => JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as BenchRunFile;
const measuredFrom = (file: string) => measuredFromRun(file, readRun(file));

/**
 * Every issue #16 run the check applies to (MariaDB on the box, one enrollment process, no gateway),
 * with its cost figures: the cited one and its siblings (side traffic on and off, before and after).
 */
const issue16Runs = () => {
  const dir = join(repoRoot, 'bench-results/experiments');
  return readdirSync(dir)
    .filter((d) => d.startsWith('issue16-'))
    .flatMap((d) => readdirSync(join(dir, d)).filter((f) => f.startsWith('mysql-1r-direct-') && f.endsWith('.json')).map((f) => `bench-results/experiments/${d}/${f}`))
    .filter((f) => readRun(f).cost?.mariadb);
};

/** How far the 2-core prediction may be from the measured decisions/s: the unmeasured share of the machine (the bench's client, Redis, other work on the box) is assumed, not measured. */
const TOLERANCE = 0.25;

describe('capacity model: its inputs are the cited bench run', () => {
  it('cites a bench run file that exists', () => {
    expect(existsSync(join(repoRoot, MEASURED.source)), MEASURED.source).toBe(true);
  });

  it('every measured input equals the figure in that file (copy them again after a bench: docs/capacity.md, "Refreshing")', () => {
    expect(MEASURED).toEqual(measuredFrom(MEASURED.source));
  });

  it('the per-class split of the enrollment CPU adds up to the measured total', () => {
    const u = unitCosts();
    const total = ENROLLMENT_CLASSES.reduce((s, c) => s + MEASURED.requests[c] * u.enrollmentCpuMs[c], 0);
    expect(total / 1000).toBeCloseTo(MEASURED.enrollmentCpuSeconds, 6);
    expect(u.enrollmentCpuMsPerDecision).toBeCloseTo((MEASURED.enrollmentCpuSeconds * 1000) / MEASURED.decisions, 9);
  });
});

describe('capacity model: the 2-core check (docs/capacity.md, "Check against the bench")', () => {
  it(`predicts the cited run's decisions/s on this machine within ±${TOLERANCE * 100} %`, () => {
    const check = predictOnBenchMachine();
    expect(check.measured).toBe(readRun(MEASURED.source).opening.decisionsPerSecond);
    expect(Math.abs(check.error), `predicted ${check.predicted.toFixed(0)}/s, measured ${check.measured}/s`).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each(issue16Runs())(`predicts %s within ±${TOLERANCE * 100} % from its own costs`, (file) => {
    const check = predictOnBenchMachine(measuredFrom(file));
    expect(Math.abs(check.error), `predicted ${check.predicted.toFixed(0)}/s, measured ${check.measured}/s`).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('capacity model: the two openings', () => {
  const all = planCapacity(SCENARIOS.allAtOnce);
  const staggered = planCapacity(SCENARIOS.staggered);

  it('plans every class of request from the students, their cart items and the drain target', () => {
    const u = unitCosts();
    expect(u.decisionsPerStudent).toBeCloseTo(MEASURED.cartItems / MEASURED.students, 9);
    // 30,000 students × ~7 cart items / 300 s
    expect(all.decisionsPerSecond).toBeCloseTo((30_000 * u.decisionsPerStudent) / ASSUMED.drainSeconds, 9);
    // the deep queue's polls: the bench's per admitted student plus one per cap interval over half the drain
    expect(all.ratePerSecond.queuePoll).toBeCloseTo((30_000 * (MEASURED.roomPollsPerAdmittedStudent + 150 / ASSUMED.pollIntervalCapSeconds)) / 300, 9);
    expect(all.ratePerSecond.search).toBe(3_000);
  });

  it('turns the rates into pods at the target utilization, never fewer than one per zone', () => {
    expect(all.enrollmentPods).toBe(Math.max(3, Math.ceil(all.enrollmentCores / ASSUMED.targetUtilization)));
    expect(all.lecturesPods).toBe(Math.max(3, Math.ceil(all.lecturesCores / ASSUMED.targetUtilization)));
    expect(all.prescale).toEqual({ enrollment: all.enrollmentPods, lectures: all.lecturesPods });
    // at the planned rate the pre-scaled pods are within both of the autoscaler's targets (it asks for more only above the plan)
    const enrollmentRps = ENROLLMENT_CLASSES.reduce((sum, c) => sum + all.ratePerSecond[c], 0);
    expect(enrollmentRps / all.prescale.enrollment).toBeLessThanOrEqual(all.rpsPerPod.enrollment);
    expect(all.ratePerSecond.search / all.prescale.lectures).toBeLessThanOrEqual(all.rpsPerPod.lectures);
    expect(all.enrollmentCores / all.prescale.enrollment).toBeLessThanOrEqual(ASSUMED.targetUtilization);
  });

  it('a staggered opening (one grade) needs no more of anything than all grades at once', () => {
    for (const key of ['enrollmentPods', 'lecturesPods', 'peakNodes', 'dbVcpu', 'redisOpsPerSecond', 'dbCommitsPerSecond'] as const) {
      expect(staggered[key], key).toBeLessThanOrEqual(all[key]);
    }
    expect(staggered.decisionsPerSecond * 4).toBeCloseTo(all.decisionsPerSecond, 6);
  });

  it('sizes the database from commits/s and MariaDB CPU per commit, at half its CPU', () => {
    expect(all.dbCommitsPerSecond).toBeCloseTo(all.decisionsPerSecond * (MEASURED.mariadb.commits / MEASURED.decisions), 6);
    expect(all.dbVcpu).toBeGreaterThanOrEqual(all.dbCores / ASSUMED.dbTargetUtilization);
    expect(vcpuOfInstanceClass(all.dbInstanceClass)).toBe(all.dbVcpu);
  });

  it('puts the waiting room and rate limits on one Redis primary with room to spare', () => {
    const node = REDIS_NODE_OPS.find((n) => n.nodeType === all.redisNodeType)!;
    expect(all.redisOpsPerSecond).toBeLessThanOrEqual(node.opsPerSecond * ASSUMED.redisTargetUtilization);
  });

  it('production follows the larger opening', () => {
    expect(PROD_PLAN).toEqual(all);
  });

  it('grows with the cost per decision (what #16 is meant to cut)', () => {
    const slow = planCapacity(SCENARIOS.allAtOnce, { ...MEASURED, enrollmentCpuSeconds: MEASURED.enrollmentCpuSeconds * 10 });
    expect(slow.enrollmentPods).toBeGreaterThan(all.enrollmentPods * 5);
    expect(slow.peakNodes).toBeGreaterThan(all.peakNodes);
  });

  it('knows the vCPUs of the instance sizes the config uses', () => {
    expect(vcpuOfInstanceClass('r7g.xlarge')).toBe(4);
    expect(vcpuOfInstanceClass('r7g.2xlarge')).toBe(8);
    expect(vcpuOfInstanceClass('t4g.medium')).toBe(2);
    expect(() => vcpuOfInstanceClass('r7g.metal')).toThrow();
  });
});
