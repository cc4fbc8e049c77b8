/**
 * The capacity model the production sizes come from: arithmetic over costs measured by the
 * registration-day bench, per request class. `docs/capacity.md` is the same model on paper (its
 * inputs, sums, both scenarios' results and the check against the bench on a 2-core machine);
 * infra/test/capacity.test.ts keeps it and this file in step with the bench file they cite.
 *
 * Three kinds of number, kept apart:
 * - MEASURED: copied from one bench run (`MEASURED.source`); a test reads that file and fails when
 *   a figure here differs from it. Refresh after a bench: docs/capacity.md, "Refreshing".
 * - ASSUMED: behaviour and platform figures no bench measures (how a student uses the opening
 *   beyond the bench's own client, how the enrollment service's CPU splits between its request
 *   classes, node and database overheads). Each says why it is what it is.
 * - SCENARIOS: the openings the platform is sized for (30,000 students at once; one grade at a time).
 *
 * Pure arithmetic (no I/O): gitops/generate.ts imports it to write the autoscalers' numbers.
 */

/** Requests of one opening, by class (the bench's `cost.requests`). */
export interface RequestsByClass {
  /** POST /api/enrollments: each is a decision (or a 429 retried). */
  readonly enroll: number;
  /** POST /api/enrollments/queue: waiting-room joins. */
  readonly queueJoin: number;
  /** GET /api/enrollments/queue/:ticket: waiting-room polls. */
  readonly queuePoll: number;
  /** POST /api/enrollments/waitlist. */
  readonly waitlistJoin: number;
  /** GET /api/enrollments/me: timetable reads. */
  readonly timetable: number;
  /** GET /api/enrollments/stats/live: the staff dashboard. */
  readonly dashboard: number;
  /** GET /api/lectures/sections: catalog searches (the lectures service). */
  readonly search: number;
}
export type EnrollmentClass = Exclude<keyof RequestsByClass, 'search'>;
export const ENROLLMENT_CLASSES: readonly EnrollmentClass[] = ['enroll', 'queueJoin', 'queuePoll', 'waitlistJoin', 'timetable', 'dashboard'];

/** What one bench run measured: every figure is a field of the run file named by `source`. */
export interface MeasuredOpening {
  /** The run file (repository-relative) the figures are copied from. */
  readonly source: string;
  /** Cores of the machine the bench ran on (`machine.nproc`). */
  readonly machineCores: number;
  /** Students of the opening grade (`university.gradeStudents`) and their cart items (`university.cartItems`): each is a decision. */
  readonly students: number;
  readonly cartItems: number;
  /** The measured interval: opening → last answer (`cost.windowMs`). */
  readonly windowMs: number;
  /** Enrollment decisions in the opening (`opening.decisions`). */
  readonly decisions: number;
  /** Decisions per second over the opening (`opening.decisionsPerSecond`): what the 2-core check predicts. */
  readonly decisionsPerSecond: number;
  /** Requests by class (`cost.requests`). */
  readonly requests: RequestsByClass;
  /** CPU-seconds of each service process over the window (`cost.services.<name>.cpuSeconds`). */
  readonly enrollmentCpuSeconds: number;
  readonly lecturesCpuSeconds: number;
  /** Students the waiting room admitted (`cost.admittedStudents`) and its polls per admitted student (`cost.roomPollsPerAdmittedStudent`). */
  readonly admittedStudents: number;
  readonly roomPollsPerAdmittedStudent: number;
  /** MariaDB over the window (`cost.mariadb`): its CPU-seconds and commits. */
  readonly mariadb: { readonly cpuSeconds: number; readonly commits: number };
  /**
   * CPU-seconds over the window of what shares the machine without being the system: the bench's
   * driver, its side-traffic client, Redis (`cost.others`, summed). Absent in runs before the
   * bench measured them; the 2-core check then assumes `benchUnmeasuredCores`.
   */
  readonly othersCpuSeconds?: number;
}

/**
 * The run the model cites: issue #16's third "after" opening (`bench-results/experiments/issue16-after3/`:
 * the waiting room's `retryAfterMs`, the 9-statement waitlist join, pool 20): MariaDB, one
 * enrollment process, direct, waitlists on, with side traffic (1,000 searches/s and 100 timetable
 * reads/s offered), on this 2-core machine. Every figure is a field of that file (`cost.*` unless
 * said); infra/test/capacity.test.ts fails when one differs.
 */
export const MEASURED: MeasuredOpening = {
  source: 'bench-results/experiments/issue16-after3/mysql-1r-direct-20261203_142030.json',
  machineCores: 2,
  students: 4_799,
  cartItems: 33_628,
  windowMs: 128_126,
  decisions: 33_628,
  decisionsPerSecond: 263,
  requests: { enroll: 33_628, queueJoin: 4_799, queuePoll: 6_349, waitlistJoin: 9_575, timetable: 11_169, dashboard: 2_111, search: 124_213 },
  enrollmentCpuSeconds: 71.95,
  lecturesCpuSeconds: 49.19,
  admittedStudents: 4_799,
  roomPollsPerAdmittedStudent: 1.32,
  mariadb: { cpuSeconds: 71.57, commits: 42_544 },
  // bench driver 12.43 + side-traffic client 25.38 + Redis 2.79
  othersCpuSeconds: 40.6,
};

/** The fields of a bench run file (scripts/bench, schema `goorm-bench/1`) the model reads. */
export interface BenchRunFile {
  readonly machine: { readonly nproc: number };
  readonly university: { readonly gradeStudents: number; readonly cartItems: number };
  readonly opening: { readonly decisionsPerSecond: number };
  readonly cost?: {
    readonly windowMs: number;
    readonly services: Readonly<Record<string, { readonly cpuSeconds: number }>>;
    readonly requests: RequestsByClass;
    readonly decisions: number;
    readonly admittedStudents: number;
    readonly roomPollsPerAdmittedStudent: number;
    readonly mariadb?: { readonly cpuSeconds: number; readonly commits: number };
    readonly others?: Readonly<Record<string, number>>;
  };
}

/** What MEASURED would be if it cited this run (`source` is its repository-relative path). */
export function measuredFromRun(source: string, run: BenchRunFile): MeasuredOpening {
  const cost = run.cost;
  if (!cost?.mariadb) throw new Error(`${source}: no cost.mariadb (a bench from before issue #16's cost figures, or MariaDB not on the machine)`);
  const cpu = (service: string) => {
    const s = cost.services[service];
    if (!s) throw new Error(`${source}: no cost.services.${service}`);
    return s.cpuSeconds;
  };
  return {
    source,
    machineCores: run.machine.nproc,
    students: run.university.gradeStudents,
    cartItems: run.university.cartItems,
    windowMs: cost.windowMs,
    decisions: cost.decisions,
    decisionsPerSecond: run.opening.decisionsPerSecond,
    requests: { ...cost.requests },
    enrollmentCpuSeconds: cpu('enrollment'),
    lecturesCpuSeconds: cpu('lectures'),
    admittedStudents: cost.admittedStudents,
    roomPollsPerAdmittedStudent: cost.roomPollsPerAdmittedStudent,
    mariadb: { cpuSeconds: cost.mariadb.cpuSeconds, commits: cost.mariadb.commits },
    ...(cost.others ? { othersCpuSeconds: Math.round(Object.values(cost.others).reduce((sum, x) => sum + x, 0) * 1000) / 1000 } : {}),
  };
}

/** Figures no bench measures. Each is pessimistic where a guess is needed. */
export interface AssumedInputs {
  /**
   * How the enrollment service's CPU splits between its request classes, relative to one enroll
   * decision. The bench measures one CPU total per process, not per route; these weights (read off
   * the code paths: round trips, Redis calls, token checks) split that total, and the split only
   * matters where a scenario's mix differs from the bench's. The total is always the measured one.
   */
  readonly enrollmentCpuWeights: Readonly<Record<EnrollmentClass, number>>;
  /** Timetable reads per student over the opening (the bench offers them open loop, not per student). */
  readonly timetableReadsPerStudent: number;
  /** Catalog searches per student over the opening (students looking for another section after SECTION_FULL). */
  readonly searchesPerStudent: number;
  /**
   * The longest a waiting place goes between polls (the room's `retryAfterMs` cap, RETRY_MAX_MS in
   * services/enrollment/src/queue/queue.room.ts). The bench's queue is never deep (500 students in
   * flight), so its polls per admitted student say nothing of a queue of thousands: a student who
   * waits W seconds polls about W / this more often than in the bench.
   */
  readonly pollIntervalCapSeconds: number;
  /** Staff dashboard reads per second, whatever the opening's size (a handful of screens refreshing). */
  readonly dashboardPerSecond: number;
  /** Redis commands (a Lua script counts as one) per request, read off the code. */
  readonly redisOpsPerRequest: Readonly<Record<EnrollmentClass, number>>;
  /** Seconds in which the waiting room should have admitted every student and they decided every cart item. */
  readonly drainSeconds: number;
  /** The share of a pod's CPU request used at the planned rate: the autoscaler's target, and headroom for the surge. */
  readonly targetUtilization: number;
  /** CPU request of one service pod: a Node.js process runs its JavaScript on one core. */
  readonly podCpu: number;
  /** Cores for auth, carts, ai-helper and the two apps at their pre-scale (gitops/test/infra.test.ts checks it against gitops). */
  readonly otherServicesCores: number;
  /** Cores for the platform: two Prometheus replicas, Thanos, Argo CD, KEDA, the controllers. */
  readonly platformCores: number;
  /** vCPUs of the node instance type (m7i.xlarge), and what the kubelet, the system and the DaemonSets keep of it. */
  readonly nodeVcpu: number;
  readonly nodeReservedCpu: number;
  /** Availability zones pods and nodes spread over. */
  readonly zones: number;
  /** Share of the database's CPU the planned rate may use (Multi-AZ synchronous commit, a failover's cold buffer pool). */
  readonly dbTargetUtilization: number;
  /** Smallest database a production opening runs on (memory for the buffer pool, not CPU, sets it). */
  readonly dbMinVcpu: number;
  /** RDS CPU per commit relative to MariaDB's on the bench machine (Graviton core vs the bench's vCPU; Multi-AZ's extra work). */
  readonly dbCpuFactor: number;
  /** Share of one Redis primary's command rate the plan may use. */
  readonly redisTargetUtilization: number;
  /** Cores of the bench machine busy with neither the services nor MariaDB (the bench's client and side-traffic process, Redis), for runs that did not measure them (`othersCpuSeconds`). */
  readonly benchUnmeasuredCores: number;
}

export const ASSUMED: AssumedInputs = {
  enrollmentCpuWeights: {
    // JWT, admission-token HMAC, the per-student rate limit's Redis call, two batched round trips, the event row
    enroll: 1,
    // JWT, one or two Redis scripts, an admission token signed
    queueJoin: 0.5,
    // JWT, one Redis script
    queuePoll: 0.3,
    // about a dozen knex queries against the enroll's two round trips (docs/benchmarks.md, issue #15)
    waitlistJoin: 2,
    // JWT, two queries and a larger JSON answer
    timetable: 1,
    // nearly always the shared or stale cached answer (enrollment_live_stats_answers_total)
    dashboard: 0.1,
  },
  timetableReadsPerStudent: 3,
  // 30,000 students × 30 / 300 s = 3,000 searches/s: issue #5's search target for the whole university
  searchesPerStudent: 30,
  pollIntervalCapSeconds: 10,
  dashboardPerSecond: 20,
  redisOpsPerRequest: { enroll: 1, queueJoin: 2, queuePoll: 1, waitlistJoin: 1, timetable: 0, dashboard: 0 },
  drainSeconds: 300,
  targetUtilization: 0.6,
  podCpu: 1,
  // auth 6 × 250m, carts 3 × 100m, ai-helper 3 × 250m, the apps 5 × 50m at their prod pre-scale: 2.8 (gitops/test/infra.test.ts)
  otherServicesCores: 3,
  platformCores: 3,
  nodeVcpu: 4,
  nodeReservedCpu: 0.6,
  zones: 3,
  dbTargetUtilization: 0.5,
  dbMinVcpu: 2,
  dbCpuFactor: 1,
  redisTargetUtilization: 0.5,
  benchUnmeasuredCores: 0.5,
};

/** An opening the platform is sized for. */
export interface Scenario {
  readonly name: string;
  /** Students whose REGISTRATION window opens at the same moment. */
  readonly students: number;
}

/** 30,000 students: every grade at once, or one grade (≈ a quarter) per window, staggered. */
export const SCENARIOS = {
  allAtOnce: { name: 'all grades at once', students: 30_000 },
  staggered: { name: 'one grade per window (staggered)', students: 7_500 },
} as const satisfies Record<string, Scenario>;

/** Redis node types by what one primary sustains (commands/s, Lua scripts included), cheapest first (assumed, conservative). */
export const REDIS_NODE_OPS: ReadonlyArray<{ readonly nodeType: string; readonly opsPerSecond: number }> = [
  { nodeType: 'cache.m7g.large', opsPerSecond: 50_000 },
  { nodeType: 'cache.r7g.large', opsPerSecond: 50_000 },
  { nodeType: 'cache.r7g.xlarge', opsPerSecond: 80_000 },
  { nodeType: 'cache.r7g.2xlarge', opsPerSecond: 120_000 },
];

/** Costs per request class derived from a measured opening. */
export interface UnitCosts {
  /** Enrollment CPU ms per request of each class: the measured total split by the assumed weights. */
  readonly enrollmentCpuMs: Readonly<Record<EnrollmentClass, number>>;
  /** Enrollment CPU ms per decision, everything it answered included (the bench's `enrollmentCpuMsPerDecision`). */
  readonly enrollmentCpuMsPerDecision: number;
  readonly lecturesCpuMsPerSearch: number;
  readonly dbCpuMsPerCommit: number;
  readonly commitsPerDecision: number;
  /**
   * Requests per student in an opening, from the bench's client (which behaves like the student
   * app): one decision per cart item; enroll requests and waitlist joins per decision as measured;
   * room joins per admitted student as measured; polls as measured plus the deeper queue's (see
   * `queuePollsPerStudent`).
   */
  readonly perStudent: Readonly<Record<'enroll' | 'queueJoin' | 'waitlistJoin', number>>;
  readonly decisionsPerStudent: number;
}

const enrollmentCpuMsOf = (m: MeasuredOpening, a: AssumedInputs) => {
  const weighted = ENROLLMENT_CLASSES.reduce((sum, c) => sum + a.enrollmentCpuWeights[c] * m.requests[c], 0);
  const unit = weighted > 0 ? (m.enrollmentCpuSeconds * 1000) / weighted : 0;
  return Object.fromEntries(ENROLLMENT_CLASSES.map((c) => [c, unit * a.enrollmentCpuWeights[c]])) as Record<EnrollmentClass, number>;
};

export function unitCosts(m: MeasuredOpening = MEASURED, a: AssumedInputs = ASSUMED): UnitCosts {
  const decisionsPerStudent = m.cartItems / m.students;
  const perDecision = (n: number) => (n / m.decisions) * decisionsPerStudent;
  return {
    enrollmentCpuMs: enrollmentCpuMsOf(m, a),
    enrollmentCpuMsPerDecision: (m.enrollmentCpuSeconds * 1000) / m.decisions,
    lecturesCpuMsPerSearch: (m.lecturesCpuSeconds * 1000) / m.requests.search,
    dbCpuMsPerCommit: (m.mariadb.cpuSeconds * 1000) / m.mariadb.commits,
    commitsPerDecision: m.mariadb.commits / m.decisions,
    perStudent: {
      enroll: perDecision(m.requests.enroll),
      queueJoin: m.requests.queueJoin / m.admittedStudents,
      waitlistJoin: perDecision(m.requests.waitlistJoin),
    },
    decisionsPerStudent,
  };
}

export interface CapacityPlan {
  readonly scenario: Scenario;
  /** Requests per second of each class at the planned rate. */
  readonly ratePerSecond: Readonly<RequestsByClass>;
  readonly decisionsPerSecond: number;
  readonly enrollmentCores: number;
  readonly enrollmentPods: number;
  readonly lecturesCores: number;
  readonly lecturesPods: number;
  /** Replicas the KEDA cron trigger holds from before the window opens: the planned pods (scaling up after the opening starts is too late). */
  readonly prescale: { readonly enrollment: number; readonly lectures: number };
  /** Requests per second one pod serves at the target utilization (the autoscaler's second metric). */
  readonly rpsPerPod: { readonly enrollment: number; readonly lectures: number };
  /** CPU requested at the planned peak, all pods and the platform included. */
  readonly requestedCores: number;
  /** Nodes the peak needs, spread over the zones so that the others still hold it when one zone is lost (whole zones). */
  readonly peakNodes: number;
  /** Nodes on an ordinary day: one per zone. */
  readonly baselineNodes: number;
  readonly dbCommitsPerSecond: number;
  readonly dbCores: number;
  readonly dbVcpu: number;
  /** The RDS instance class (the config's spelling, `r7g.xlarge`). */
  readonly dbInstanceClass: string;
  readonly redisOpsPerSecond: number;
  readonly redisNodeType: string;
}

/**
 * Polls per student when everyone joins at the opening and the room admits them evenly over the
 * drain: the average place waits half the drain and polls every `pollIntervalCapSeconds` until its
 * admission is near, then as the bench measured.
 */
export const queuePollsPerStudent = (m: MeasuredOpening, a: AssumedInputs) => m.roomPollsPerAdmittedStudent + a.drainSeconds / 2 / a.pollIntervalCapSeconds;

const roundUpTo = (value: number, step: number) => Math.ceil(value / step) * step;

/** RDS Graviton memory-optimised classes by vCPU. */
const DB_CLASS_BY_VCPU: Record<number, string> = { 2: 'r7g.large', 4: 'r7g.xlarge', 8: 'r7g.2xlarge', 16: 'r7g.4xlarge', 32: 'r7g.8xlarge' };

export function planCapacity(scenario: Scenario, m: MeasuredOpening = MEASURED, a: AssumedInputs = ASSUMED): CapacityPlan {
  const u = unitCosts(m, a);
  if (!(m.requests.search > 0)) throw new Error(`${m.source}: no searches in that run: the plan needs a run with side traffic (lectures CPU per search)`);
  const perSecond = (perStudent: number) => (scenario.students * perStudent) / a.drainSeconds;
  const ratePerSecond: RequestsByClass = {
    enroll: perSecond(u.perStudent.enroll),
    queueJoin: perSecond(u.perStudent.queueJoin),
    queuePoll: perSecond(queuePollsPerStudent(m, a)),
    waitlistJoin: perSecond(u.perStudent.waitlistJoin),
    timetable: perSecond(a.timetableReadsPerStudent),
    dashboard: a.dashboardPerSecond,
    search: perSecond(a.searchesPerStudent),
  };
  const decisionsPerSecond = perSecond(u.decisionsPerStudent);
  const enrollmentCores = ENROLLMENT_CLASSES.reduce((sum, c) => sum + ratePerSecond[c] * u.enrollmentCpuMs[c], 0) / 1000;
  const lecturesCores = (ratePerSecond.search * u.lecturesCpuMsPerSearch) / 1000;
  const podsFor = (cores: number) => Math.max(a.zones, Math.ceil(cores / a.targetUtilization / a.podCpu));
  const enrollmentPods = podsFor(enrollmentCores);
  const lecturesPods = podsFor(lecturesCores);
  const enrollmentRps = ENROLLMENT_CLASSES.reduce((sum, c) => sum + ratePerSecond[c], 0);
  const requestedCores = (enrollmentPods + lecturesPods) * a.podCpu + a.otherServicesCores + a.platformCores;
  // spread evenly over the zones, so that the zones left after losing one still hold the peak
  const nodesNeeded = Math.ceil(requestedCores / (a.nodeVcpu - a.nodeReservedCpu));
  const peakNodes = roundUpTo(Math.ceil((nodesNeeded * a.zones) / (a.zones - 1)), a.zones);
  const dbCommitsPerSecond = decisionsPerSecond * u.commitsPerDecision;
  const dbCores = (dbCommitsPerSecond * u.dbCpuMsPerCommit * a.dbCpuFactor) / 1000;
  const dbVcpu = 2 ** Math.ceil(Math.log2(Math.max(a.dbMinVcpu, dbCores / a.dbTargetUtilization)));
  const dbInstanceClass = DB_CLASS_BY_VCPU[dbVcpu];
  if (!dbInstanceClass) throw new Error(`no RDS class with ${dbVcpu} vCPUs: the opening needs a different database plan`);
  const redisOpsPerSecond = ENROLLMENT_CLASSES.reduce((sum, c) => sum + ratePerSecond[c] * a.redisOpsPerRequest[c], 0);
  const redisNode = REDIS_NODE_OPS.find((n) => redisOpsPerSecond <= n.opsPerSecond * a.redisTargetUtilization);
  if (!redisNode) throw new Error(`${Math.round(redisOpsPerSecond)} Redis ops/s is more than one primary: shard the waiting room`);
  return {
    scenario,
    ratePerSecond,
    decisionsPerSecond,
    enrollmentCores,
    enrollmentPods,
    lecturesCores,
    lecturesPods,
    prescale: { enrollment: enrollmentPods, lectures: lecturesPods },
    rpsPerPod: {
      enrollment: Math.floor((enrollmentRps / enrollmentCores) * a.podCpu * a.targetUtilization),
      lectures: Math.floor((1000 / u.lecturesCpuMsPerSearch) * a.podCpu * a.targetUtilization),
    },
    requestedCores,
    peakNodes,
    baselineNodes: a.zones,
    dbCommitsPerSecond,
    dbCores,
    dbVcpu,
    dbInstanceClass,
    redisOpsPerSecond,
    redisNodeType: redisNode.nodeType,
  };
}

/** The plan the production sizes follow: the larger opening, since the registrar may open every grade at once. */
export const PROD_PLAN: CapacityPlan = planCapacity(SCENARIOS.allAtOnce);

/**
 * The model run backwards on the bench machine: the decisions per second its measured costs allow
 * on `machineCores` cores shared by one enrollment process, one lectures process and MariaDB (and
 * the bench's own client), to compare with the decisions per second the same run measured.
 * - one enrollment process uses at most one core: 1000 / (its CPU ms per decision);
 * - the machine: the cores left after the side traffic (lectures' measured CPU over the window) and
 *   the rest (the bench's driver, side-traffic client and Redis: measured when the run has them,
 *   else assumed), divided by what one decision costs enrollment and MariaDB together.
 * What it cannot see is time the machine stood idle (lock waits, round trips, the room's pacing):
 * it shows as a prediction above the measured rate.
 */
export function predictOnBenchMachine(m: MeasuredOpening = MEASURED, a: AssumedInputs = ASSUMED) {
  const u = unitCosts(m, a);
  const windowSeconds = m.windowMs / 1000;
  const lecturesCores = m.lecturesCpuSeconds / windowSeconds;
  const perDecisionMs = u.enrollmentCpuMsPerDecision + u.dbCpuMsPerCommit * u.commitsPerDecision;
  const otherCores = m.othersCpuSeconds !== undefined ? m.othersCpuSeconds / windowSeconds : a.benchUnmeasuredCores;
  const freeCores = m.machineCores - lecturesCores - otherCores;
  const processBound = 1000 / u.enrollmentCpuMsPerDecision;
  const machineBound = (freeCores * 1000) / perDecisionMs;
  const predicted = Math.min(processBound, machineBound);
  return {
    lecturesCores,
    otherCores,
    perDecisionMs,
    freeCores,
    processBound,
    machineBound,
    predicted,
    measured: m.decisionsPerSecond,
    /** (predicted − measured) / measured */
    error: (predicted - m.decisionsPerSecond) / m.decisionsPerSecond,
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
