/**
 * The capacity model the production sizes come from, written as arithmetic over measured inputs.
 *
 * PROVISIONAL: issue #16 (the capacity model and the cheaper request paths) is not done. The costs
 * below are the ones measured before that work (issue #16's text and bench-results/latest.json);
 * #16 must revisit every input here, and `docs/capacity.md` becomes the source these numbers cite.
 */

export interface CapacityInputs {
  /** Students whose windows open at once (the worst case: all grades at once). */
  readonly students: number;
  /** Enroll decisions each student makes in the opening (about six sections). */
  readonly decisionsPerStudent: number;
  /** Seconds in which every decision should be answered (the drain target). */
  readonly drainSeconds: number;
  /** Enrollment CPU per decision, its waiting-room joins and polls included (ms). */
  readonly enrollmentCpuMsPerDecision: number;
  /** Searches per second during the opening (students refreshing the catalog). */
  readonly searchesPerSecond: number;
  /** Lectures CPU per search (ms). */
  readonly lecturesCpuMsPerSearch: number;
  /** Cores reserved for auth, carts, gateway, ai-helper and the apps during the opening (not measured yet). */
  readonly otherServicesCores: number;
  /** Cores for the platform: two Prometheus replicas, Thanos, Argo CD, controllers. */
  readonly platformCores: number;
  /** HPA target: the share of a pod's CPU request used at the planned rate (headroom for the surge). */
  readonly targetUtilization: number;
  /** CPU request of one service pod (a Node.js process uses one core for JavaScript). */
  readonly podCpu: number;
  /** vCPUs of the node instance type, and what the kubelet, system and DaemonSets keep of it. */
  readonly nodeVcpu: number;
  readonly nodeReservedCpu: number;
  /** Availability zones pods and nodes spread over. */
  readonly zones: number;
  /** Transactions per second one database core sustained in the bench's in-process ceiling. */
  readonly dbCommitsPerCore: number;
  /** Share of the database's CPU the planned rate may use (Multi-AZ synchronous commit, failover headroom). */
  readonly dbTargetUtilization: number;
  /** Writes per decision: the decision plus carts and drops around it. */
  readonly dbCommitsPerDecision: number;
}

export interface CapacityPlan {
  readonly decisionsPerSecond: number;
  readonly enrollmentCores: number;
  readonly enrollmentPods: number;
  readonly lecturesCores: number;
  readonly lecturesPods: number;
  /** CPU requested at the planned peak, all pods and the platform included. */
  readonly requestedCores: number;
  /** Nodes the peak needs, plus one node per zone so losing a zone's worth of capacity does not stop the opening... */
  readonly peakNodes: number;
  /** Nodes on an ordinary day: one per zone. */
  readonly baselineNodes: number;
  readonly dbCommitsPerSecond: number;
  readonly dbVcpu: number;
}

/**
 * The inputs as measured (issue #16, before its optimisations):
 * - enrollment spent 69.5 CPU-s for 33,628 decisions with no side traffic: 2.1 ms each, its joins and
 *   polls included (the lower 1.2–1.5 ms figures of later runs are not used: the model stays pessimistic);
 * - lectures spent 102 CPU-s on 280,927 searches: 0.36 ms each;
 * - the in-process ceiling of the enroll transaction on MariaDB with two shared cores: 1,745/s, so
 *   about 870 commits/s per database core.
 * Assumed (not measured): 30,000 students, six decisions each, answered within five minutes; 3,000
 * searches/s (the bench's open-loop side traffic); two cores for the other services.
 */
export const MEASURED_INPUTS: CapacityInputs = {
  students: 30_000,
  decisionsPerStudent: 6,
  drainSeconds: 300,
  enrollmentCpuMsPerDecision: 2.1,
  searchesPerSecond: 3_000,
  lecturesCpuMsPerSearch: 0.36,
  otherServicesCores: 2,
  platformCores: 3,
  targetUtilization: 0.6,
  podCpu: 1,
  nodeVcpu: 4,
  nodeReservedCpu: 0.6,
  zones: 3,
  dbCommitsPerCore: 870,
  dbTargetUtilization: 0.5,
  dbCommitsPerDecision: 1.2,
};

const roundUpTo = (value: number, step: number) => Math.ceil(value / step) * step;

export function planCapacity(i: CapacityInputs): CapacityPlan {
  const decisionsPerSecond = (i.students * i.decisionsPerStudent) / i.drainSeconds;
  const enrollmentCores = (decisionsPerSecond * i.enrollmentCpuMsPerDecision) / 1000;
  const lecturesCores = (i.searchesPerSecond * i.lecturesCpuMsPerSearch) / 1000;
  const podsFor = (cores: number) => Math.max(i.zones, Math.ceil(cores / i.targetUtilization / i.podCpu));
  const enrollmentPods = podsFor(enrollmentCores);
  const lecturesPods = podsFor(lecturesCores);
  const requestedCores = (enrollmentPods + lecturesPods) * i.podCpu + i.otherServicesCores + i.platformCores;
  const usablePerNode = i.nodeVcpu - i.nodeReservedCpu;
  const peakNodes = roundUpTo(Math.ceil(requestedCores / usablePerNode) + i.zones, i.zones);
  const dbCommitsPerSecond = decisionsPerSecond * i.dbCommitsPerDecision;
  const dbVcpu = 2 ** Math.ceil(Math.log2(Math.max(2, dbCommitsPerSecond / i.dbCommitsPerCore / i.dbTargetUtilization)));
  return {
    decisionsPerSecond,
    enrollmentCores,
    enrollmentPods,
    lecturesCores,
    lecturesPods,
    requestedCores,
    peakNodes,
    baselineNodes: i.zones,
    dbCommitsPerSecond,
    dbVcpu,
  };
}

/** vCPUs of the RDS/EC2 size suffixes the config uses (`r7g.xlarge` → 4). */
export function vcpuOfInstanceClass(instanceClass: string): number {
  const size = instanceClass.split('.').pop() ?? '';
  const table: Record<string, number> = { medium: 2, large: 2, xlarge: 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32 };
  const vcpu = table[size];
  if (vcpu === undefined) throw new Error(`unknown instance size ${instanceClass}`);
  return vcpu;
}
