/** The run report: its JSON shape, the targets of the issue, and the table printed on stdout. */
import os from 'node:os';
import type { EndpointReport, LatencySummary } from './stats.ts';
import type { PeerResult } from './ceiling.ts';
import type { BenchBreach } from './invariants.ts';
import type { OpeningCost } from './cost.ts';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  os: string;
  mariadb: string | undefined;
  /** `select 1` round trips per second through knex with 10 connections, measured at the start. */
  selectOneRoundTripsPerSecond?: number | undefined;
}

export function machineInfo(mariadb: string | undefined): MachineInfo {
  const cpus = os.cpus();
  return {
    nproc: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    mariadb,
  };
}

/** A peer's result as the JSON keeps it: without the per-decision outcomes. */
export type PeerSummary = Omit<PeerResult, 'outcomes' | 'aborted'> & { aborted?: string | undefined };

/** The in-process ceiling measured with one pool size (`--ceiling-pools`). */
export interface CeilingAtPool {
  pool: number;
  decisionsPerSecond: number;
  roundTrips: number;
  /** No invariant breached in that run. */
  ok: boolean;
}

export interface Target {
  name: string;
  goal: string;
  actual: string;
  met: boolean | null;
}

/** The report POST /api/enrollments/auto-enroll answers with (contracts: autoEnrollReportSchema). */
export interface AutoEnrollRunReport {
  sectionsWithDemand: number;
  uncontestedSections: number;
  contestedSections: number;
  considered: number;
  enrolled: number;
  students: number;
  skipped: Record<string, number>;
  transactions: number;
  durationMs: number;
}

/** What the bench saw of the cart auto-enrollment before the opening. */
export interface AutoEnrollSeen {
  runId: number;
  status: string;
  /** The staff request, as the client timed it (the run is synchronous). */
  requestMs: number;
  report: AutoEnrollRunReport;
  /** Enrollment rows of the term right after the run. */
  rowsAfterRun: number;
  /** Students with anything left to register for in the opening, and those with nothing left. */
  studentsInOpening: number;
  studentsLeftOut: number;
  cartItemsInOpening: number;
  /** The window opened this long after the run returned (at least the catalog cache TTL). */
  windowOpenedAfterRunMs: number;
}

export interface RunReport {
  schema: 'goorm-bench/1';
  id: string;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: MachineInfo;
  /** Load average (1 min) before and after the run: other work on the box skews the figures. */
  loadAverage: { before: number; after: number };
  engine: 'mysql' | 'sqlite';
  replicas: number;
  target: 'direct' | 'gateway';
  concurrency: number;
  waitingRoom: {
    store: 'redis' | 'in-process';
    settings: { mode: string; ratePerSecond: number; adaptive: boolean };
    present: boolean;
    active: boolean;
    joins: number;
    polls: number;
    maxPosition: number;
    /** From a student's arrival until the room admitted them. */
    admissionWaitMs: LatencySummary;
  };
  university: { seed: number; students: number; sections: number; capacity: number; grade: number; gradeStudents: number; cartItems: number };
  opening: {
    decisions: number;
    seatsFilled: number;
    decisionsPerSecond: number;
    sustainedDecisionsPerSecond: number;
    seatsFilledPerSecond: number;
    /** From the opening until the last student in the queue had their last answer. */
    timeToLastAnswerMs: number;
    studentDoneAfterMs: LatencySummary;
    perSecond: { decisions: number[]; seats: number[] };
    aborted: string | undefined;
  };
  endpoints: EndpointReport[];
  side: Array<EndpointReport & { targetRps: number; shed: number }>;
  ceiling: (PeerSummary & { measuredWith: string; byPool?: CeilingAtPool[] }) | undefined;
  serviceVsCeilingPct: number | undefined;
  naive: (PeerSummary & { oversold: number; sectionsOversold: number; lostUpdates: number }) | undefined;
  invariants: {
    ok: boolean;
    counts: Record<string, number>;
    breaches: BenchBreach[];
    checked: Record<string, unknown>;
    ceiling?: { ok: boolean; counts: Record<string, number>; breaches: BenchBreach[] } | undefined;
  };
  targets: Target[];
  /** CPU of each service and of MariaDB over the opening, per request and per decision (Linux /proc). */
  cost?: OpeningCost | undefined;
  serviceWarnings: string[];
  /** Selected lines of each service's /metrics at the end of the opening (CPU seconds, event-loop lag, retries...). */
  serviceMetrics: Record<string, string[]>;
  /** MariaDB global status over the opening (deltas; *_max and Threads_* are values at the end). */
  database: Record<string, number> | undefined;
  /** Waitlist joins in the opening (a student told SECTION_FULL joins that section's waitlist). */
  waitlist?: {
    enabled: boolean;
    joins: number;
    /** By answer: `201` joined, `200` already on it, else the refusal code (or the status). */
    byOutcome: Record<string, number>;
    /** Students on at least one waitlist the opening's joins answered 201/200. */
    students: number;
    /** Waitlist entries of the term when the opening was over. */
    entriesAfterOpening: number;
  };
  /** The drop phase after the opening (absent with --drop-fraction 0). */
  dropPhase?: {
    fraction: number;
    /** Students of the grade holding at least one seat when it began. */
    candidates: number;
    drops: number;
    /** By answer: `200` dropped, else the refusal code (or the status; 0 = no answer). */
    byOutcome: Record<string, number>;
    dropsMs: number;
    /** WAITLIST_PROMOTE events since the drops began, and the students they enrolled. */
    promoted: number;
    promotedStudents: number;
    /** By where, from the services' metrics: in the drop's own transaction, or by the sweeper. */
    promotedVia: Record<string, number>;
    /** waitlist_event SKIP rows since the drops began (by code). */
    skips: number;
    skipsByCode: Record<string, number>;
    /** Distinct (student, section) entries skipped. */
    skippedEntries: number;
    entriesBefore: number;
    entriesLeft: number;
    /** From the last drop answer until the last change the bench saw (polled every 200 ms). */
    quiescentAfterMs: number;
    /** From the last drop answer until the bench called it quiet (no change for quietMs). */
    waitedMs: number;
    quietMs: number;
    quiescent: boolean;
    aborted: string | undefined;
    invariants: { ok: boolean; counts: Record<string, number>; checked: Record<string, unknown> };
  };
  /** Cart auto-enrollment before the opening (--auto-enroll true), and how much of the opening it took away. */
  autoEnroll?: AutoEnrollSeen & {
    seatsFilledInOpening: number;
    /** Seats auto-enrolled / (auto-enrolled + filled in the opening). */
    autoSharePct: number;
    decisionsInOpening: number;
    cartItemsAll: number;
    timeToLastAnswerMs: number;
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Whether the run had side traffic (searches or timetable reads beside the opening). */
export function hasSideTraffic(r: Pick<RunReport, 'side'>): boolean {
  return r.side.some((e) => (e.endpoint.startsWith('GET /api/lectures') || e.endpoint === 'GET /api/enrollments/me') && e.targetRps > 0);
}

/**
 * Issue #16's targets (MariaDB, one enrollment replica, direct, full size, 500 in flight; shown for
 * every run, and met = null where the goal is about another kind of run).
 */
export function evaluateTargets(r: Omit<RunReport, 'targets'>): Target[] {
  const t: Target[] = [];
  const enroll = r.endpoints.find((e) => e.endpoint === 'POST /api/enrollments');
  const search = r.side.find((e) => e.endpoint.startsWith('GET /api/lectures/sections'));
  const side = hasSideTraffic(r);
  const c = r.cost;
  if (c?.services.enrollment) {
    const perRequest = c.services.enrollment.cpuMsPerRequest;
    t.push({ name: 'enrollment CPU per answered request', goal: '<= 0.3 ms (opening mix)', actual: `${fmt(perRequest, 3)} ms (${fmt(c.services.enrollment.requests)} requests)`, met: side ? perRequest <= 0.3 : null });
    t.push({
      name: 'enrollment CPU per decision',
      goal: '<= 0.5 ms (no side traffic)',
      actual: `${fmt(c.enrollmentCpuMsPerDecision, 3)} ms`,
      met: side ? null : c.enrollmentCpuMsPerDecision <= 0.5,
    });
  }
  if (c?.services.lectures && c.requests.search > 0) {
    t.push({ name: 'lectures CPU per search', goal: '<= 0.12 ms', actual: `${fmt(c.services.lectures.cpuMsPerRequest, 3)} ms`, met: c.services.lectures.cpuMsPerRequest <= 0.12 });
  }
  if (c && r.waitingRoom.active) {
    t.push({ name: 'room polls per admitted student', goal: '<= 2', actual: fmt(c.roomPollsPerAdmittedStudent, 2), met: c.roomPollsPerAdmittedStudent <= 2 });
  }
  if (r.ceiling) {
    t.push({ name: 'in-process ceiling', goal: '>= 3,000 decisions/s', actual: `${fmt(r.ceiling.decisionsPerSecond)}/s`, met: r.ceiling.decisionsPerSecond >= 3000 });
  }
  if (r.target === 'direct') {
    const sustained = r.opening.sustainedDecisionsPerSecond;
    const shed = r.side.reduce((n, e) => n + e.shed, 0);
    t.push(
      side
        ? {
            name: 'decisions/s with served side traffic',
            goal: '>= 1,200, nothing shed, search p99 <= 50 ms',
            actual: `${fmt(sustained)}/s sustained, ${fmt(shed)} shed, search p99 ${search ? fmt(search.latencyMs.p99, 1) : '-'} ms`,
            met: sustained >= 1200 && shed === 0 && (search === undefined || search.latencyMs.p99 <= 50) && r.concurrency >= 500,
          }
        : { name: 'decisions/s, no side traffic', goal: '>= 2,000', actual: `${fmt(sustained)}/s sustained (${fmt(r.opening.decisionsPerSecond)}/s overall)`, met: sustained >= 2000 && r.concurrency >= 500 },
    );
    if (r.serviceVsCeilingPct !== undefined) t.push({ name: 'service vs ceiling (shown)', goal: '-', actual: `${fmt(r.serviceVsCeilingPct, 1)}%`, met: null });
  }
  t.push({ name: "opening → last student's last answer", goal: '<= 35 s', actual: `${fmt(r.opening.timeToLastAnswerMs / 1000, 1)} s`, met: r.opening.timeToLastAnswerMs <= 35_000 });
  if (enroll) t.push({ name: 'POST /api/enrollments p99', goal: '<= 250 ms', actual: `${fmt(enroll.latencyMs.p99, 1)} ms`, met: enroll.latencyMs.p99 <= 250 });
  const fivexx = [...r.endpoints, ...r.side].reduce((n, e) => n + Object.entries(e.statuses).reduce((m, [s, c]) => (Number(s) >= 500 ? m + c : m), 0), 0);
  t.push({ name: '5xx answers', goal: '0', actual: String(fivexx), met: fivexx === 0 });
  const breaches = Object.values(r.invariants.counts).reduce((a, b) => a + b, 0);
  t.push({ name: 'invariant breaches (oversold seats included)', goal: '0', actual: String(breaches), met: breaches === 0 });
  if (r.naive) t.push({ name: 'naive peer oversold (shown, not a goal)', goal: 'ours 0', actual: `naive ${fmt(r.naive.oversold)} seats in ${fmt(r.naive.sectionsOversold)} sections`, met: null });
  return t;
}

/** The cost lines of the table: CPU per service and request, polls per student, MariaDB. */
export function renderCost(c: OpeningCost): string[] {
  const lines: string[] = [];
  const q = c.requests;
  lines.push(
    `cost over the opening (${fmt(c.windowMs / 1000, 1)} s, ${fmt(c.coresUsed, 2)} cores busy): ` +
      Object.entries(c.services)
        .map(([name, s]) => `${name} ${fmt(s.cpuSeconds, 1)} CPU-s / ${fmt(s.requests)} requests = ${fmt(s.cpuMsPerRequest, 3)} ms each`)
        .join('; '),
  );
  lines.push(
    `  enrollment CPU per decision ${fmt(c.enrollmentCpuMsPerDecision, 3)} ms (${fmt(c.decisions)} decisions; its mix: ${fmt(q.enroll)} enrolls, ${fmt(q.queueJoin)} room joins, ${fmt(q.queuePoll)} polls, ${fmt(q.waitlistJoin)} waitlist joins, ${fmt(q.timetable)} timetables, ${fmt(q.dashboard)} dashboards); room polls per admitted student ${fmt(c.roomPollsPerAdmittedStudent, 2)} (${fmt(c.admittedStudents)} admitted)`,
  );
  if (c.mariadb) {
    lines.push(`  MariaDB ${fmt(c.mariadb.cpuSeconds, 1)} CPU-s (${fmt(c.mariadb.cores, 2)} cores) for ${fmt(c.mariadb.commits)} commits: ${fmt(c.mariadb.cpuMsPerCommit, 3)} ms per commit`);
  }
  if (Object.keys(c.others).length > 0) {
    lines.push(
      `  sharing the cores: ${Object.entries(c.others)
        .map(([name, cpu]) => `${name} ${fmt(cpu, 1)} CPU-s`)
        .join(', ')}; everything measured ${fmt(c.coresUsedAll, 2)} of ${c.cores} cores busy`,
    );
  }
  return lines;
}

/** `enrollment_live_stats_answers_total{how=…}` summed over the enrollment processes scraped. */
export function liveStatsAnswers(metrics: Record<string, string[]>): { computed: number; shared: number; stale: number } {
  const out = { computed: 0, shared: 0, stale: 0 };
  for (const [name, lines] of Object.entries(metrics)) {
    if (!name.startsWith('enrollment')) continue;
    for (const line of lines) {
      const m = /^enrollment_live_stats_answers_total\{[^}]*how="(computed|shared|stale)"[^}]*\} (\S+)/.exec(line);
      if (m) out[m[1] as 'computed' | 'shared' | 'stale'] += Number(m[2]);
    }
  }
  return out;
}

function pad(s: string, n: number, right = false) {
  return right ? s.padStart(n) : s.padEnd(n);
}

function statusText(statuses: Record<string, number>, codes: Record<string, number>): string {
  const st = Object.entries(statuses)
    .sort()
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  const cd = Object.entries(codes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  return cd ? `${st} (${cd})` : st;
}

export function renderRun(r: RunReport): string {
  const lines: string[] = [];
  const title = `${r.engine} · ${r.replicas} enrollment replica${r.replicas > 1 ? 's' : ''} · ${r.target} · ${fmt(r.university.gradeStudents)} students of grade ${r.university.grade}, ${fmt(r.university.cartItems)} cart items, ${fmt(r.concurrency)} in flight`;
  lines.push('', title, '─'.repeat(Math.min(120, title.length)));
  lines.push(
    `${pad('endpoint', 38)}${pad('requests', 10, true)}${pad('req/s', 9, true)}${pad('p50', 9, true)}${pad('p95', 9, true)}${pad('p99', 9, true)}${pad('max', 9, true)}  statuses`,
  );
  for (const e of [...r.endpoints, ...r.side]) {
    if (e.requests === 0 && e.transportErrors === 0) continue;
    const l = e.latencyMs;
    const extra = 'shed' in e && (e as { shed: number }).shed > 0 ? ` shed:${(e as { shed: number }).shed}` : '';
    const dropped = e.transportErrors ? ` dropped:${e.transportErrors}` : '';
    lines.push(
      `${pad(e.endpoint, 38)}${pad(fmt(e.requests), 10, true)}${pad(fmt(e.rps), 9, true)}${pad(fmt(l.p50, 1), 9, true)}${pad(fmt(l.p95, 1), 9, true)}${pad(fmt(l.p99, 1), 9, true)}${pad(fmt(l.max, 0), 9, true)}  ${statusText(e.statuses, e.codes)}${extra}${dropped}`,
    );
  }
  const o = r.opening;
  lines.push(
    `decisions ${fmt(o.decisions)} (201+403+409): ${fmt(o.decisionsPerSecond)}/s overall, ${fmt(o.sustainedDecisionsPerSecond)}/s sustained (p10-p90); seats filled ${fmt(o.seatsFilled)}: ${fmt(o.seatsFilledPerSecond)}/s`,
  );
  lines.push(
    `opening → last student's last answer: ${fmt(o.timeToLastAnswerMs / 1000, 1)} s; per student p50 ${fmt(o.studentDoneAfterMs.p50 / 1000, 1)} s, p99 ${fmt(o.studentDoneAfterMs.p99 / 1000, 1)} s`,
  );
  const w = r.waitingRoom;
  lines.push(
    w.present
      ? `waiting room (${w.store}, ${w.settings.mode}, ${fmt(w.settings.ratePerSecond)}/s${w.settings.adaptive ? ' adaptive' : ''}): ${w.active ? 'active' : 'inactive'}, ${fmt(w.joins)} joins, ${fmt(w.polls)} polls, deepest position ${fmt(w.maxPosition)}, wait to be admitted p50 ${fmt(w.admissionWaitMs.p50 / 1000, 2)} s / p99 ${fmt(w.admissionWaitMs.p99 / 1000, 2)} s`
      : 'waiting room: not present in this build (POST /api/enrollments/queue answered 404)',
  );
  const ae = r.autoEnroll;
  if (ae) {
    const skipped = Object.entries(ae.report.skipped)
      .map(([k, v]) => `${k}:${v}`)
      .join(' ');
    lines.push(
      `cart auto-enrollment (run ${ae.runId}, ${ae.status}): ${fmt(ae.report.enrolled)} seats for ${fmt(ae.report.students)} students in ${fmt(ae.report.durationMs)} ms (request ${fmt(ae.requestMs)} ms, ${fmt(ae.report.transactions)} transactions); ${fmt(ae.report.uncontestedSections)} of ${fmt(ae.report.sectionsWithDemand)} sections uncontested, ${fmt(ae.report.contestedSections)} contested; ${fmt(ae.report.considered)} cart items considered${skipped ? `, skipped ${skipped}` : ''}`,
    );
    lines.push(
      `  took away from the opening: ${fmt(ae.autoSharePct, 1)}% of the seats (${fmt(ae.report.enrolled)} auto vs ${fmt(ae.seatsFilledInOpening)} in the opening); ${fmt(ae.cartItemsInOpening)} of ${fmt(ae.cartItemsAll)} cart items and ${fmt(ae.studentsInOpening)} students left (${fmt(ae.studentsLeftOut)} had nothing left); the opening needed ${fmt(ae.decisionsInOpening)} decisions, last answer after ${fmt(ae.timeToLastAnswerMs / 1000, 1)} s; window opened ${fmt(ae.windowOpenedAfterRunMs / 1000, 1)} s after the run`,
    );
  }
  const wl = r.waitlist;
  if (wl) {
    lines.push(
      wl.enabled
        ? `waitlists in the opening: ${fmt(wl.joins)} joins (${Object.entries(wl.byOutcome)
            .sort((x, y) => y[1] - x[1])
            .map(([k, v]) => `${k}:${v}`)
            .join(' ') || 'none'}), ${fmt(wl.students)} students waiting, ${fmt(wl.entriesAfterOpening)} entries after the opening`
        : `waitlists in the opening: off (--waitlist false); ${fmt(wl.entriesAfterOpening)} entries`,
    );
  }
  const dp = r.dropPhase;
  if (dp) {
    const via = Object.entries(dp.promotedVia)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ');
    const skipCodes = Object.entries(dp.skipsByCode)
      .map(([k, v]) => `${k}:${v}`)
      .join(' ');
    lines.push(
      `drop phase (${fmt(dp.fraction * 100, 1)}% of ${fmt(dp.candidates)} students holding a seat): ${fmt(dp.drops)} drops in ${fmt(dp.dropsMs / 1000, 1)} s (${Object.entries(dp.byOutcome)
        .map(([k, v]) => `${k}:${v}`)
        .join(' ')}); ${fmt(dp.promoted)} promoted from waitlists (${fmt(dp.promotedStudents)} students${via ? `; ${via}` : ''}), ${fmt(dp.skips)} skips${skipCodes ? ` (${skipCodes})` : ''} of ${fmt(dp.skippedEntries)} entries; entries ${fmt(dp.entriesBefore)} → ${fmt(dp.entriesLeft)} left`,
    );
    lines.push(
      `  quiescence: ${dp.quiescent ? `last change ${fmt(dp.quiescentAfterMs / 1000, 1)} s after the last drop (quiet ${fmt(dp.quietMs / 1000, 1)} s, waited ${fmt(dp.waitedMs / 1000, 1)} s)` : `NOT reached: ${dp.aborted ?? ''}`}; invariants after the drops: ${dp.invariants.ok ? 'OK' : `BREACHED ${Object.entries(dp.invariants.counts).map(([k, v]) => `${k}:${v}`).join(' ')}`}`,
    );
  }
  if (r.ceiling) {
    lines.push(
      `raw ceiling (${r.ceiling.measuredWith}): ${fmt(r.ceiling.decisionsPerSecond)} decisions/s; the service reached ${r.serviceVsCeilingPct === undefined ? '-' : fmt(r.serviceVsCeilingPct, 1) + '%'} of it (sustained rate)${
        r.ceiling.byPool && r.ceiling.byPool.length > 1 ? `; by pool size: ${r.ceiling.byPool.map((p) => `${p.pool} → ${fmt(p.decisionsPerSecond)}/s`).join(', ')}` : ''
      }`,
    );
  }
  if (r.naive) {
    lines.push(
      `naive peer (read, check, write back): ${fmt(r.naive.decisionsPerSecond)} decisions/s, OVERSOLD ${fmt(r.naive.oversold)} seats in ${fmt(r.naive.sectionsOversold)} sections, ${fmt(r.naive.lostUpdates)} lost counter updates; ours: 0`,
    );
  }
  const dash = r.side.find((e) => e.endpoint === 'GET /api/enrollments/stats/live');
  if (dash && dash.requests > 0) {
    const answers = liveStatsAnswers(r.serviceMetrics);
    lines.push(
      `staff dashboards: ${fmt(dash.requests)} refreshes (${fmt(dash.rps, 1)}/s), p50 ${fmt(dash.latencyMs.p50, 1)} ms, p99 ${fmt(dash.latencyMs.p99, 1)} ms; ${fmt(answers.computed)} computed for a caller, ${fmt(answers.shared)} shared fresh, ${fmt(answers.stale)} served stale while one refresh ran (a computation is at most 6 queries)`,
    );
  }
  if (r.cost) lines.push(...renderCost(r.cost));
  if (r.database) {
    const d = r.database;
    lines.push(
      `MariaDB during the opening: ${fmt(d.Com_commit ?? 0)} commits, ${fmt(d.Questions ?? 0)} statements, row-lock waits ${fmt(d.Innodb_row_lock_waits ?? 0)} (${fmt((d.Innodb_row_lock_time ?? 0) / 1000, 1)} s in total; longest since the server started ${fmt(d.Innodb_row_lock_time_max ?? 0)} ms), deadlocks ${fmt(d.Innodb_deadlocks ?? 0)}, data fsyncs ${fmt(d.Innodb_data_fsyncs ?? 0)}`,
    );
  }
  const inv = r.invariants;
  lines.push(
    inv.ok
      ? `invariants: OK (${fmt(Number(inv.checked.enrollments ?? 0))} enrollments, ${fmt(Number(inv.checked.sectionFullEvents ?? 0))} SECTION_FULL events, ${fmt(Number(inv.checked.refusalsChecked ?? 0))} refusals checked${Number(inv.checked.autoEnrolledRows ?? 0) + Number(inv.checked.promotedRows ?? 0) > 0 ? `; ${fmt(Number(inv.checked.autoEnrolledRows ?? 0))} auto-enrolled and ${fmt(Number(inv.checked.promotedRows ?? 0))} promoted rows told apart` : ''})`
      : `invariants: BREACHED ${Object.entries(inv.counts)
          .map(([k, v]) => `${k}:${v}`)
          .join(' ')}`,
  );
  for (const b of inv.breaches.slice(0, 30)) lines.push(`  ! ${b.kind}: ${b.detail}`);
  if (inv.ceiling && !inv.ceiling.ok) {
    lines.push(`ceiling invariants: BREACHED ${Object.entries(inv.ceiling.counts).map(([k, v]) => `${k}:${v}`).join(' ')}`);
    for (const b of inv.ceiling.breaches.slice(0, 10)) lines.push(`  ! ${b.kind}: ${b.detail}`);
  }
  if (o.aborted) lines.push(`ABORTED: ${o.aborted}`);
  lines.push('targets:');
  for (const t of r.targets) lines.push(`  ${t.met === null ? '·' : t.met ? '✓' : '✗'} ${pad(t.name, 40)} ${pad(t.goal, 30)} ${t.actual}`);
  return lines.join('\n') + '\n';
}

export function renderSummary(runs: RunReport[]): string {
  const lines = ['', 'summary', '───────'];
  lines.push(
    `${pad('run', 26)}${pad('decisions/s', 13, true)}${pad('sustained', 11, true)}${pad('ceiling', 9, true)}${pad('% ceil', 8, true)}${pad('enroll p99', 12, true)}${pad('search/s', 10, true)}${pad('search p99', 12, true)}${pad('5xx', 5, true)}${pad('breaches', 10, true)}${pad('naive oversold', 16, true)}${pad('enr ms/req', 12, true)}${pad('ms/decision', 13, true)}${pad('polls/st', 10, true)}`,
  );
  for (const r of runs) {
    const enroll = r.endpoints.find((e) => e.endpoint === 'POST /api/enrollments');
    const search = r.side.find((e) => e.endpoint.startsWith('GET /api/lectures'));
    const fivexx = [...r.endpoints, ...r.side].reduce((n, e) => n + Object.entries(e.statuses).reduce((m, [s, c]) => (Number(s) >= 500 ? m + c : m), 0), 0);
    const breaches = Object.values(r.invariants.counts).reduce((a, b) => a + b, 0);
    lines.push(
      `${pad(`${r.engine} ${r.replicas}r ${r.target}`, 26)}${pad(fmt(r.opening.decisionsPerSecond), 13, true)}${pad(fmt(r.opening.sustainedDecisionsPerSecond), 11, true)}${pad(r.ceiling ? fmt(r.ceiling.decisionsPerSecond) : '-', 9, true)}${pad(r.serviceVsCeilingPct === undefined ? '-' : fmt(r.serviceVsCeilingPct, 0) + '%', 8, true)}${pad(enroll ? fmt(enroll.latencyMs.p99, 0) + ' ms' : '-', 12, true)}${pad(search ? fmt(search.rps) : '-', 10, true)}${pad(search ? fmt(search.latencyMs.p99, 0) + ' ms' : '-', 12, true)}${pad(String(fivexx), 5, true)}${pad(String(breaches), 10, true)}${pad(r.naive ? fmt(r.naive.oversold) : '-', 16, true)}${pad(r.cost?.services.enrollment ? fmt(r.cost.services.enrollment.cpuMsPerRequest, 3) : '-', 12, true)}${pad(r.cost ? fmt(r.cost.enrollmentCpuMsPerDecision, 3) : '-', 13, true)}${pad(r.cost ? fmt(r.cost.roomPollsPerAdmittedStudent, 2) : '-', 10, true)}`,
    );
  }
  return lines.join('\n') + '\n';
}
