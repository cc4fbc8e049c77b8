import { describe, expect, it } from 'vitest';
import { MEASURED_INPUTS, planCapacity, vcpuOfInstanceClass } from '../src/capacity.js';

describe('capacity model (provisional until #16)', () => {
  it('turns the measured costs into pods, nodes and database size for a 30,000-student opening', () => {
    const plan = planCapacity(MEASURED_INPUTS);
    // 30,000 students × 6 decisions / 300 s = 600 decisions/s
    expect(plan.decisionsPerSecond).toBe(600);
    // 600/s × 2.1 ms = 1.26 cores → / 0.6 target → 3 pods of 1 CPU (and at least one per zone)
    expect(plan.enrollmentCores).toBeCloseTo(1.26, 5);
    expect(plan.enrollmentPods).toBe(3);
    // 3,000 searches/s × 0.36 ms = 1.08 cores → 2 pods, raised to one per zone: 3
    expect(plan.lecturesCores).toBeCloseTo(1.08, 5);
    expect(plan.lecturesPods).toBe(3);
    // 6 service pods + 2 other + 3 platform = 11 cores; 4-vCPU nodes keep 3.4 → 4 nodes, +3 (a zone's worth), rounded to 3 zones: 9
    expect(plan.requestedCores).toBe(11);
    expect(plan.peakNodes).toBe(9);
    // 720 commits/s at 870 per core and 50 % target → 1.66 cores → 2 vCPU at least
    expect(plan.dbCommitsPerSecond).toBeCloseTo(720, 5);
    expect(plan.dbVcpu).toBe(2);
  });

  it('grows with the cost per decision (what #16 is meant to cut)', () => {
    const slow = planCapacity({ ...MEASURED_INPUTS, enrollmentCpuMsPerDecision: 20 });
    expect(slow.enrollmentPods).toBe(20);
    expect(slow.peakNodes).toBeGreaterThan(planCapacity(MEASURED_INPUTS).peakNodes);
  });

  it('knows the vCPUs of the instance sizes the config uses', () => {
    expect(vcpuOfInstanceClass('r7g.xlarge')).toBe(4);
    expect(vcpuOfInstanceClass('t4g.medium')).toBe(2);
    expect(() => vcpuOfInstanceClass('r7g.metal')).toThrow();
  });
});
