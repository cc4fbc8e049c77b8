/**
 * One `npm run bench`: per engine, build and load the university once, measure the raw ceiling
 * and the naive peer, then for every (replicas, target) start fresh service processes, replay the
 * opening with side traffic, check the invariants, and write the report.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDb, type DbEngine, type Knex } from '@goorm/common';
import { runCeiling, runNaive, type NaiveResult, type PeerResult } from './ceiling.ts';
import { bearer, HttpClient, sleep } from './client.ts';
import { cpuSnapshot, databasePid, onThisMachine, openingCost, redisPid, type CpuSnapshot, type OpeningCost } from './cost.ts';
import { runDropPhase, type DropPhaseResult } from './drops.ts';
import { checkAfterDrops, checkRun, type AfterDropsResult, type InvariantResult } from './invariants.ts';
import { arrivalOrder, runOpening, type OpeningResult } from './opening.ts';
import type { BenchOptions } from './options.ts';
import { deleteRedisPrefix, forkSide, mariadbVersion, redisReachable } from './children.ts';
import { REPO_ROOT, startBenchSystem, type BenchSystem } from './processes.ts';
import {
  evaluateTargets,
  machineInfo,
  renderRun,
  renderSummary,
  type AutoEnrollRunReport as AutoEnrollReport,
  type AutoEnrollSeen,
  type CeilingAtPool,
  type MachineInfo,
  type RunReport,
} from './report.ts';
import type { SideReport } from './side-traffic.ts';
import { EndpointStats, summarize } from './stats.ts';
import {
  buildUniversity,
  createBenchDatabase,
  insertWindow,
  loadBenchUniversity,
  prepareStudents,
  resetRegistration,
  type BenchStudent,
  type BenchUniversity,
} from './university.ts';

const say = (msg: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** The window opens this long after staff create it: every replica's catalog cache (5 s) has reloaded by then. */
const WINDOW_LEAD_MS = 6_500;

/** The drop phase is quiet once nothing has changed for this long: three waitlist sweeper intervals (1 s). */
const QUIET_MS = 3_000;

export class PhaseTimeout extends Error {}

async function rowsOf<T>(db: Knex, sql: string, bindings: Knex.RawBinding[] = []): Promise<T[]> {
  const res = (await db.raw(sql, bindings)) as unknown;
  return (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as T[];
}

/** The sections each student holds in the term (what the app shows them enrolled in). */
async function heldSections(db: Knex, termId: number): Promise<Map<number, Set<number>>> {
  const held = new Map<number, Set<number>>();
  for (const e of await rowsOf<{ student_id: number; section_id: number }>(db, 'select student_id, section_id from enrollment where term_id = ?', [termId])) {
    const set = held.get(Number(e.student_id)) ?? new Set<number>();
    set.add(Number(e.section_id));
    held.set(Number(e.student_id), set);
  }
  return held;
}

async function countEntries(db: Knex, termId: number): Promise<number> {
  const [r] = await rowsOf<{ n: number }>(db, 'select count(*) as n from waitlist_entry where term_id = ?', [termId]);
  return Number(r?.n ?? 0);
}

/** `enrollment_waitlist_promotions_total{via=…}` summed over the enrollment processes scraped. */
function waitlistPromotions(metrics: Record<string, string[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const lines of Object.values(metrics)) {
    for (const line of lines) {
      const m = /^enrollment_waitlist_promotions_total\{[^}]*via="([^"]+)"[^}]*\} (\S+)/.exec(line);
      if (m) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
    }
  }
  return out;
}

const tally = <T>(items: readonly T[], key: (t: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
};

async function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new PhaseTimeout(`${what} took longer than ${Math.round(ms / 1000)} s; aborting`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}


/** How many trivial round trips (`select 1`) 10 connections get through in 2 s: this box's price of a round trip. */
async function calibrate(url: string): Promise<number> {
  const db = createDb(url, { poolMax: 10 });
  try {
    let n = 0;
    const end = performance.now() + 2_000;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (performance.now() < end) {
          await db.raw('select 1');
          n++;
        }
      }),
    );
    return Math.round(n / 2);
  } finally {
    await db.destroy();
  }
}

/** How often a staff dashboard tab refreshes (the staff app's default, VITE_DASHBOARD_REFRESH_MS). */
const DASHBOARD_REFRESH_S = 3;

const KEPT_METRICS = [
  'enrollment_decisions_total',
  'enrollment_transaction_retries_total',
  'enrollment_transaction_duration_seconds_sum',
  'enrollment_transaction_duration_seconds_count',
  'enrollment_catalog_reloads_total',
  'enrollment_live_stats_answers_total',
  'enrollment_waitlist_',
  'waiting_room_',
  'rate_limit_decisions_total',
  'process_cpu_seconds_total',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'http_request_duration_seconds_sum',
  'http_request_duration_seconds_count',
];

/** The services' own view of the run (CPU seconds, event-loop lag, retries, decisions), from /metrics. */
async function scrapeMetrics(name: string, port: number, times: number): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < times; i++) {
    // A new connection each time: with several replicas behind one port each scrape reaches the next one.
    const http = new HttpClient(`http://127.0.0.1:${port}`, 1, 10_000);
    const r = await http.call('GET', '/metrics', { connection: 'close' });
    await http.close();
    if (!r.ok || r.status !== 200) continue;
    const pid = /process_start_time_seconds\{[^}]*\} (\S+)/.exec(r.text)?.[1] ?? String(i);
    out[`${name}${times > 1 ? `#${pid}` : ''}`] = r.text.split('\n').filter((l) => !l.startsWith('#') && KEPT_METRICS.some((k) => l.startsWith(k)));
  }
  return out;
}

const DB_STATUS = [
  'Questions',
  'Com_commit',
  'Com_rollback',
  'Innodb_row_lock_waits',
  'Innodb_row_lock_time',
  'Innodb_row_lock_time_max',
  'Innodb_deadlocks',
  'Innodb_data_fsyncs',
  'Threads_running',
  'Threads_connected',
  'Max_used_connections',
];

/** MariaDB's global counters (performance_schema is off on the dev box; these are always there). */
async function dbStatus(db: Knex): Promise<Record<string, number>> {
  const [rows] = (await db.raw(`show global status where Variable_name in (${DB_STATUS.map(() => '?').join(', ')})`, DB_STATUS)) as [Array<{ Variable_name: string; Value: string }>];
  return Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)]));
}

function statusDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const gauges = new Set(['Innodb_row_lock_time_max', 'Threads_running', 'Threads_connected', 'Max_used_connections']);
  return Object.fromEntries(Object.keys(after).map((k) => [k, gauges.has(k) ? after[k]! : after[k]! - (before[k] ?? 0)]));
}

interface EnginePass {
  engine: DbEngine;
  ceiling: (PeerResult & { roundTrips: number; pool: number }) | undefined;
  ceilingInvariants: InvariantResult | undefined;
  ceilingByPool: CeilingAtPool[];
  naive: NaiveResult | undefined;
}

export async function runBench(o: BenchOptions): Promise<number> {
  const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '_');
  mkdirSync(o.out, { recursive: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'goorm-bench-'));
  const reports: RunReport[] = [];
  const files: string[] = [];
  let failed = false;
  let aborted = false;
  const mariadb = o.engines.includes('mysql') ? await mariadbVersion(o.mysqlUrl) : undefined;
  if (o.engines.includes('mysql') && mariadb === undefined) throw new Error(`MySQL/MariaDB is not reachable at ${o.mysqlUrl} (use --engine sqlite to run without it)`);
  const machine = { ...machineInfo(mariadb), ...(mariadb ? { selectOneRoundTripsPerSecond: await calibrate(o.mysqlUrl) } : {}) };
  say(
    `machine: ${machine.nproc} cpus (${machine.cpuModel}), ${machine.memoryGb} GB, node ${machine.node}${mariadb ? `, MariaDB ${mariadb} (${machine.selectOneRoundTripsPerSecond?.toLocaleString()} 'select 1' round trips/s through knex, 10 connections)` : ''}; load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
  const redisUp = o.redis === 'off' ? false : await redisReachable(o.redisUrl);
  if (o.redis === 'on' && !redisUp) throw new Error(`--redis on but Redis is not reachable at ${o.redisUrl}`);

  try {
    for (const engine of o.engines) {
      const loadStarted = performance.now();
      const bdb = await createBenchDatabase(engine, o, dataDir, runId);
      try {
        const now = new Date();
        const university = buildUniversity(o, now);
        say(`${engine}: loading ${university.students.length.toLocaleString()} students, ${university.sections.length.toLocaleString()} sections, ${university.carts.length.toLocaleString()} cart items`);
        await within('loading the university', o.phaseTimeoutMs, loadBenchUniversity(bdb.db, university, now));
        const bu = await prepareStudents(university, o.grade, dataDir);
        const order = arrivalOrder(bu.students.length, o.seed);
        say(`${engine}: loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s; grade ${o.grade}: ${bu.students.length.toLocaleString()} students, ${bu.cartItems.toLocaleString()} cart items`);

        const pass: EnginePass = { engine, ceiling: undefined, ceilingInvariants: undefined, ceilingByPool: [], naive: undefined };
        if (!o.skipCeiling) await measurePeers(o, bdb.db, bdb.url, bu, order, pass);

        for (const replicas of o.replicas[engine]) {
          for (const target of o.targets) {
            const report = await runOne(o, { engine, url: bdb.url, db: bdb.db, bu, order, replicas, target, dataDir, runId, machine, pass });
            reports.push(report);
            const file = path.join(o.out, `${engine}-${replicas}r-${target}-${runId}.json`);
            writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
            files.push(path.relative(REPO_ROOT, file));
            process.stdout.write(renderRun(report));
            if (!report.invariants.ok || (report.invariants.ceiling && !report.invariants.ceiling.ok)) failed = true;
            if (report.opening.aborted || report.dropPhase?.aborted || report.ceiling?.aborted || report.naive?.aborted) aborted = true;
          }
        }
      } finally {
        await bdb.drop();
      }
    }
  } finally {
    if (!o.keep) rmSync(dataDir, { recursive: true, force: true });
    else say(`kept the data directory ${dataDir}`);
  }

  process.stdout.write(renderSummary(reports));
  const latest = {
    schema: 'goorm-bench-summary/1',
    id: runId,
    finishedAt: new Date().toISOString(),
    quick: o.quick,
    machine,
    ok: !failed && !aborted,
    aborted,
    runs: reports.map((r, i) => ({
      file: files[i],
      engine: r.engine,
      replicas: r.replicas,
      target: r.target,
      concurrency: r.concurrency,
      gradeStudents: r.university.gradeStudents,
      decisionsPerSecond: r.opening.decisionsPerSecond,
      sustainedDecisionsPerSecond: r.opening.sustainedDecisionsPerSecond,
      ceilingDecisionsPerSecond: r.ceiling?.decisionsPerSecond,
      serviceVsCeilingPct: r.serviceVsCeilingPct,
      enrollP99Ms: r.endpoints.find((e) => e.endpoint === 'POST /api/enrollments')?.latencyMs.p99,
      searchRps: r.side.find((e) => e.endpoint.startsWith('GET /api/lectures'))?.rps,
      searchP99Ms: r.side.find((e) => e.endpoint.startsWith('GET /api/lectures'))?.latencyMs.p99,
      sideShed: r.side.reduce((n, e) => n + e.shed, 0),
      enrollmentCpuMsPerRequest: r.cost?.services.enrollment?.cpuMsPerRequest,
      enrollmentCpuMsPerDecision: r.cost?.enrollmentCpuMsPerDecision,
      lecturesCpuMsPerSearch: r.cost?.services.lectures?.cpuMsPerRequest,
      roomPollsPerAdmittedStudent: r.cost?.roomPollsPerAdmittedStudent,
      mariadbCores: r.cost?.mariadb?.cores,
      timeToLastAnswerMs: r.opening.timeToLastAnswerMs,
      naiveOversold: r.naive?.oversold,
      waitlistJoins: r.waitlist?.joins,
      drops: r.dropPhase?.drops,
      promoted: r.dropPhase?.promoted,
      quiescentAfterMs: r.dropPhase?.quiescentAfterMs,
      autoEnrolled: r.autoEnroll?.report.enrolled,
      autoSharePct: r.autoEnroll?.autoSharePct,
      breaches: r.invariants.counts,
      targets: r.targets,
    })),
  };
  writeFileSync(path.join(o.out, o.quick ? 'latest-quick.json' : 'latest.json'), JSON.stringify(latest, null, 2) + '\n');
  say(
    failed
      ? 'INVARIANT BREACH: see above'
      : aborted
        ? 'a phase hit its time limit (--phase-timeout) and was stopped: the figures are incomplete'
        : `no invariant breached; reports in ${path.relative(REPO_ROOT, o.out) || '.'}/`,
  );
  return failed ? 1 : aborted ? 3 : 0;
}

/** The raw ceiling (at each pool size; the best counts) and the naive peer, on the freshly loaded university, before the service runs. */
async function measurePeers(o: BenchOptions, db: Knex, url: string, bu: BenchUniversity, order: number[], pass: EnginePass) {
  /** Runs `fn` on a registration reset with the window open, over a pool of `pool` (MySQL) or the one connection a process has (SQLite). */
  const onFreshRegistration = async <T>(pool: number, fn: (peerDb: Knex) => Promise<T>): Promise<T> => {
    await resetRegistration(db);
    const now = Date.now();
    await insertWindow(db, bu.termId, o.grade, new Date(now - 1_000), new Date(now + 3_600_000));
    const peerDb = pass.engine === 'mysql' ? createDb(url, { poolMax: pool, multipleStatements: true }) : db;
    try {
      return await fn(peerDb);
    } finally {
      if (peerDb !== db) await peerDb.destroy();
    }
  };
  for (const pool of pass.engine === 'mysql' ? o.ceilingPools : [1]) {
    await onFreshRegistration(pool, async (peerDb) => {
      say(`${pass.engine}: raw ceiling — the enrollment transaction in-process, ${o.concurrency} students in flight, pool ${pool}`);
      const ceiling = await within('the raw ceiling', o.phaseTimeoutMs + 10_000, runCeiling(peerDb, bu.students, order, { concurrency: o.concurrency, idempotency: o.idempotency, deadline: performance.now() + o.phaseTimeoutMs }));
      say(`${pass.engine}: ceiling ${ceiling.decisionsPerSecond.toLocaleString()} decisions/s with pool ${pool} (${ceiling.decisions.toLocaleString()} in ${(ceiling.durationMs / 1000).toFixed(1)} s)`);
      const invariants = await checkRun({ db, university: bu.university, outcomes: ceiling.outcomes, serverErrors: ceiling.errors, droppedConnections: 0, crashes: [] });
      const breachedNow = Object.keys(invariants.counts).length > 0;
      pass.ceilingByPool.push({ pool, decisionsPerSecond: ceiling.decisionsPerSecond, roundTrips: ceiling.roundTrips, ok: !breachedNow });
      // The best pool's run is the ceiling, unless a run breached: the first breach is what is reported.
      const breachedBefore = pass.ceilingInvariants !== undefined && Object.keys(pass.ceilingInvariants.counts).length > 0;
      if (!breachedBefore && (breachedNow || !pass.ceiling || ceiling.decisionsPerSecond > pass.ceiling.decisionsPerSecond)) {
        pass.ceiling = { ...ceiling, pool };
        pass.ceilingInvariants = invariants;
      }
    });
  }
  await onFreshRegistration(o.pool, async (peerDb) => {
    say(`${pass.engine}: naive peer — read the seat count, check, write back, no transaction`);
    pass.naive = await within('the naive peer', o.phaseTimeoutMs + 10_000, runNaive(peerDb, bu.students, order, { concurrency: o.concurrency, deadline: performance.now() + o.phaseTimeoutMs }));
    say(`${pass.engine}: naive ${pass.naive.decisionsPerSecond.toLocaleString()} decisions/s, oversold ${pass.naive.oversold} seats`);
  });
}

interface RunInput {
  engine: DbEngine;
  url: string;
  db: Knex;
  bu: BenchUniversity;
  order: number[];
  replicas: number;
  target: 'direct' | 'gateway';
  dataDir: string;
  runId: string;
  machine: MachineInfo;
  pass: EnginePass;
}

async function runOne(o: BenchOptions, r: RunInput): Promise<RunReport> {
  const startedAt = new Date();
  const loadBefore = os.loadavg()[0]!;
  const useRedis = o.redis === 'on' || (o.redis === 'auto' && (r.replicas > 1 || r.engine === 'mysql') && (await redisReachable(o.redisUrl)));
  const redisPrefix = `goorm:bench:${r.runId}:${randomBytes(3).toString('hex')}:{enrollment}:`;
  say(`${r.engine} · ${r.replicas} replica(s) · ${r.target}: resetting registration, starting services (waiting room ${useRedis ? 'in Redis' : 'in process'})`);
  await resetRegistration(r.db);
  const system: BenchSystem = await startBenchSystem({
    databaseUrl: r.url,
    dataDir: r.dataDir,
    enrollmentReplicas: r.replicas,
    gateway: r.target === 'gateway',
    env: {
      DATABASE_POOL_MAX: String(o.pool),
      HTTP_ACCESS_LOG: o.accessLog ? 'true' : 'false',
      LOG_LEVEL: o.accessLog ? 'info' : 'warn',
      QUEUE_MODE: o.queueMode,
      QUEUE_RATE_PER_SECOND: String(o.queueRate),
      QUEUE_ADAPTIVE: String(o.queueAdaptive),
      // Every simulated student comes from 127.0.0.1: the per-address limit would throttle the
      // whole benchmark (a campus NAT is what it guards against); the per-student limit stays on.
      RATE_LIMIT_ENROLL_PER_IP_PER_10S: '0',
      ...(useRedis ? { REDIS_URL: o.redisUrl, QUEUE_REDIS_PREFIX: redisPrefix } : {}),
    },
    cpuProfDir: o.cpuProf ? path.join(o.out, 'profiles', `${r.engine}-${r.replicas}r-${r.target}-${r.runId}`) : undefined,
    readyTimeoutMs: 120_000,
    logDir: o.serviceLogs ? path.join(o.serviceLogs, `${r.engine}-${r.replicas}r-${r.target}-${r.runId}`) : undefined,
  });
  let opening: OpeningResult | undefined;
  let side: SideReport | undefined;
  let queueSettings = { mode: o.queueMode, ratePerSecond: o.queueRate, adaptive: o.queueAdaptive };
  let sideTraffic: ReturnType<typeof forkSide> | undefined;
  let serviceMetrics: Record<string, string[]> = {};
  let database: Record<string, number> | undefined;
  let opening_students = r.bu.students;
  let opening_order = r.order;
  let autoEnroll: AutoEnrollSeen | undefined;
  let inv: InvariantResult | undefined;
  let entriesAfterOpening = 0;
  let drops: DropPhaseResult | undefined;
  let afterDrops: AfterDropsResult | undefined;
  let promotedVia: Record<string, number> = {};
  let endpoints: EndpointStats[] = [];
  let sideStats: RunReport['side'] = [];
  let cost: OpeningCost | undefined;
  try {
    const enrollmentOrigin = `http://127.0.0.1:${r.target === 'gateway' ? system.ports.gateway : system.ports.enrollment}`;
    const lecturesOrigin = `http://127.0.0.1:${r.target === 'gateway' ? system.ports.gateway : system.ports.lectures}`;
    const staff = new HttpClient(enrollmentOrigin, 2);
    const auth = bearer(r.bu.staffToken);
    // Staff set the waiting room for the day, then create the window; it opens WINDOW_LEAD_MS later.
    const settings = await staff.call('PUT', '/api/enrollments/queue/settings', auth, {
      mode: o.queueMode,
      ratePerSecond: o.queueRate,
      adaptive: o.queueAdaptive,
      reason: 'registration-day benchmark',
    });
    if (settings.ok && settings.status === 200 && settings.body) queueSettings = settings.body as typeof queueSettings;
    const windowBody = (opens: Date) => ({
      termId: r.bu.termId,
      phase: 'REGISTRATION',
      grades: [o.grade],
      opensAt: opens.toISOString(),
      closesAt: new Date(opens.getTime() + 2 * 3_600_000).toISOString(),
      reason: 'registration-day benchmark',
    });
    // With auto-enrollment the window is created an hour ahead, staff run it, and the opening is
    // then moved to WINDOW_LEAD_MS after the run (every replica's catalog cache has reloaded by then).
    let opensAt = new Date(Date.now() + (o.autoEnroll ? 3_600_000 : WINDOW_LEAD_MS));
    const win = await staff.call('POST', '/api/enrollments/windows', auth, windowBody(opensAt));
    if (!win.ok || win.status !== 201) throw new Error(`staff could not open the window: ${win.ok ? `${win.status} ${JSON.stringify(win.body)}` : win.error}`);
    if (o.autoEnroll) {
      const windowId = Number(win.body?.id);
      say(`cart auto-enrollment for window ${windowId} (grade ${o.grade}) before it opens`);
      const started = performance.now();
      const run = await within(
        'the cart auto-enrollment',
        o.phaseTimeoutMs,
        staff.call('POST', '/api/enrollments/auto-enroll', auth, { windowId, reason: 'registration-day benchmark: cart auto-enrollment' }),
      );
      const requestMs = performance.now() - started;
      const body = run.ok ? (run.body as { id?: number; status?: string; report?: AutoEnrollReport | null; error?: string | null } | undefined) : undefined;
      if (!run.ok || run.status !== 201 || body?.status !== 'DONE' || !body.report) {
        throw new Error(`the cart auto-enrollment did not run: ${run.ok ? `${run.status} ${run.text.slice(0, 500)}` : run.error}`);
      }
      // The students skip the sections they now hold (as the app shows them enrolled).
      const held = await heldSections(r.db, r.bu.termId);
      const kept: BenchStudent[] = [];
      for (const i of r.order) {
        const st = r.bu.students[i]!;
        const mine = held.get(st.id);
        const cart = mine ? st.cart.filter((id) => !mine.has(id)) : st.cart;
        if (cart.length > 0) kept.push({ ...st, cart });
      }
      opening_students = kept;
      opening_order = kept.map((_, i) => i);
      opensAt = new Date(Date.now() + WINDOW_LEAD_MS);
      const moved = await staff.call('PUT', `/api/enrollments/windows/${windowId}`, auth, windowBody(opensAt));
      if (!moved.ok || moved.status !== 200) throw new Error(`staff could not move the window's opening: ${moved.ok ? `${moved.status} ${moved.text.slice(0, 500)}` : moved.error}`);
      const report = body.report;
      const seatsHeld = [...held.values()].reduce((n, set) => n + set.size, 0);
      autoEnroll = {
        runId: Number(body.id),
        status: body.status,
        requestMs: Math.round(requestMs),
        report,
        rowsAfterRun: seatsHeld,
        studentsInOpening: kept.length,
        studentsLeftOut: r.bu.students.length - kept.length,
        cartItemsInOpening: kept.reduce((n, st) => n + st.cart.length, 0),
        windowOpenedAfterRunMs: WINDOW_LEAD_MS,
      };
      say(
        `auto-enrolled ${report.enrolled.toLocaleString()} seats for ${report.students.toLocaleString()} students in ${report.durationMs} ms (${report.uncontestedSections}/${report.sectionsWithDemand} sections uncontested, ${report.transactions} transactions); ${kept.length.toLocaleString()} students with ${autoEnroll.cartItemsInOpening.toLocaleString()} cart items left for the opening`,
      );
    }
    await staff.close();
    // The opening instant on the performance clock (+20 ms: never before the servers' wall clock says open).
    const t0 = performance.now() + (opensAt.getTime() - Date.now()) + 20;
    say(`window opens at ${opensAt.toISOString()}; ${opening_students.length.toLocaleString()} students, ${o.concurrency} in flight; side traffic ${o.searchRate}/s searches, ${o.timetableRate}/s timetables, ${o.dashboardTabs} staff dashboards every ${DASHBOARD_REFRESH_S} s; waitlists ${o.waitlist ? 'on' : 'off'}`);
    sideTraffic = forkSide({
      searchOrigin: lecturesOrigin,
      timetableOrigin: enrollmentOrigin,
      searchRate: o.searchRate,
      timetableRate: o.timetableRate,
      dashboardRate: o.dashboardTabs / DASHBOARD_REFRESH_S,
      staffToken: r.bu.staffToken,
      maxInFlight: 64,
      searchTerms: r.bu.searchTerms,
      tokens: r.bu.students.map((s) => s.token),
      seed: o.seed,
    });
    await within('starting the side traffic', 60_000, sideTraffic.ready);
    // Side traffic starts with the opening.
    const side0 = sideTraffic;
    // CPU of every service process tree and of MariaDB (when it runs on this machine) from the opening on.
    const dbPid = r.engine === 'mysql' && onThisMachine(r.url) ? databasePid() : undefined;
    const others = { 'bench driver': process.pid, 'side-traffic client': sideTraffic.pid, ...(useRedis && onThisMachine(o.redisUrl) ? { redis: redisPid() } : {}) };
    let cpuBefore: CpuSnapshot | undefined;
    const sideBegun = sleep(Math.max(0, t0 - performance.now())).then(() => {
      cpuBefore = cpuSnapshot(system.pids, dbPid, others);
      side0.begin();
    });
    const statusBefore = r.engine === 'mysql' ? await dbStatus(r.db) : undefined;
    opening = await within(
      'the opening',
      o.phaseTimeoutMs + 30_000,
      runOpening({
        enrollOrigin: enrollmentOrigin,
        students: opening_students,
        concurrency: o.concurrency,
        pollMs: o.pollMs,
        idempotency: o.idempotency,
        t0,
        deadline: t0 + o.phaseTimeoutMs,
        order: opening_order,
        waitlist: o.waitlist,
      }),
    );
    await sideBegun;
    if (statusBefore) database = statusDelta(statusBefore, await dbStatus(r.db));
    side = await within('stopping the side traffic', 60_000, sideTraffic.stop());
    const cpuAfter = cpuSnapshot(system.pids, dbPid, others);
    serviceMetrics = {
      ...(await scrapeMetrics('enrollment', system.ports.enrollment, r.replicas > 1 ? r.replicas * 3 : 1)),
      ...(await scrapeMetrics('lectures', system.ports.lectures, 1)),
      ...(system.ports.gateway !== undefined ? await scrapeMetrics('gateway', system.ports.gateway, 1) : {}),
    };
    endpoints = [opening.endpoints.enroll, opening.endpoints.join, opening.endpoints.poll, opening.endpoints.waitlist];
    const side1 = side;
    sideStats = [side1.search, side1.timetable, side1.dashboard].map((st) => {
      const e = new EndpointStats(st.endpoint);
      e.merge(st);
      return { ...e.report(side1.durationMs), targetRps: st.targetRps, shed: st.shed };
    });
    if (cpuBefore) {
      cost = openingCost(cpuBefore, cpuAfter, {
        requests: {
          enroll: opening.endpoints.enroll.requests,
          queueJoin: opening.endpoints.join.requests,
          queuePoll: opening.endpoints.poll.requests,
          waitlistJoin: opening.endpoints.waitlist.requests,
          timetable: side1.timetable.requests,
          dashboard: side1.dashboard.requests,
          search: side1.search.requests,
        },
        decisions: opening.decisions,
        admittedStudents: new Set(opening.outcomes.map((x) => x.studentId)).size,
        commits: database?.Com_commit,
      });
    }
    const serverErrors = endpoints.reduce((n, e) => n + e.count5xx(), 0) + sideStats.reduce((n, e) => n + Object.entries(e.statuses).reduce((m, [k, v]) => (Number(k) >= 500 ? m + v : m), 0), 0);
    const dropped = endpoints.reduce((n, e) => n + e.transportErrors, 0) + sideStats.reduce((n, e) => n + e.transportErrors, 0);
    // The clients' view is checked on the state the opening left, before any drop.
    say('checking invariants (the opening)');
    const crashesBefore = system.crashes.length;
    const opening1 = opening;
    inv = await within(
      'the invariant check',
      o.phaseTimeoutMs,
      checkRun({ db: r.db, university: r.bu.university, outcomes: opening1.outcomes, serverErrors, droppedConnections: dropped, crashes: [...system.crashes], now: new Date() }),
    );
    entriesAfterOpening = await countEntries(r.db, r.bu.termId);
    if (o.dropFraction > 0 && !opening.aborted) {
      say(`drop phase: ${Math.round(o.dropFraction * 1000) / 10}% of the students holding a seat drop one section each`);
      drops = await within(
        'the drop phase',
        o.phaseTimeoutMs + 30_000,
        runDropPhase({
          enrollOrigin: enrollmentOrigin,
          db: r.db,
          termId: r.bu.termId,
          students: r.bu.students,
          fraction: o.dropFraction,
          seed: o.seed,
          concurrency: o.concurrency,
          idempotency: o.idempotency,
          quietMs: QUIET_MS,
          deadline: performance.now() + o.phaseTimeoutMs,
        }),
      );
      say(
        `${drops.drops.length.toLocaleString()} drops in ${(drops.dropsMs / 1000).toFixed(1)} s; ${drops.quiescent ? `last change ${(drops.quiescentAfterMs / 1000).toFixed(1)} s after the last drop` : 'NOT quiet'}; checking invariants (after the drops)`,
      );
      const drops1 = drops;
      afterDrops = await within(
        'the invariant check after the drops',
        o.phaseTimeoutMs,
        checkAfterDrops({
          db: r.db,
          university: r.bu.university,
          now: drops1.quietAt,
          drops: drops1.drops,
          joins: opening1.waitlistJoins,
          before: drops1.before,
          serverErrors: drops1.endpoint.count5xx(),
          droppedConnections: drops1.endpoint.transportErrors,
          crashes: system.crashes.slice(crashesBefore),
        }),
      );
      promotedVia = waitlistPromotions(await scrapeMetrics('enrollment', system.ports.enrollment, r.replicas > 1 ? r.replicas * 3 : 1));
    }
  } finally {
    sideTraffic?.kill();
    await system.stop();
    if (useRedis) await deleteRedisPrefix(o.redisUrl, redisPrefix).catch(() => undefined);
  }
  if (!opening || !inv) throw new Error('the run ended without an opening'); // unreachable: a failed phase throws

  // The breaches of both checks (the opening's, and the drop phase's at quiescence) count.
  const counts: Record<string, number> = { ...inv.counts };
  for (const [k, v] of Object.entries(afterDrops?.counts ?? {})) counts[k] = (counts[k] ?? 0) + v;
  const durationS = opening.makespanMs / 1000;
  const decisionsPerSecond = Math.round(opening.decisions / durationS);
  const ceiling = r.pass.ceiling;
  const base: Omit<RunReport, 'targets'> = {
    schema: 'goorm-bench/1',
    id: `${r.engine}-${r.replicas}r-${r.target}-${r.runId}`,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: o.quick,
    machine: r.machine,
    loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
    engine: r.engine,
    replicas: r.replicas,
    target: r.target,
    concurrency: o.concurrency,
    waitingRoom: {
      store: useRedis ? 'redis' : 'in-process',
      settings: queueSettings,
      present: opening.queue.present,
      active: opening.queue.active,
      joins: opening.queue.joins,
      polls: opening.queue.polls,
      maxPosition: opening.queue.maxPosition,
      admissionWaitMs: summarize(opening.admissionWaitMs),
    },
    university: {
      seed: o.seed,
      students: r.bu.university.students.length,
      sections: r.bu.university.sections.length,
      capacity: r.bu.university.sections.reduce((n, s) => n + s.capacity, 0),
      grade: o.grade,
      gradeStudents: r.bu.students.length,
      cartItems: r.bu.cartItems,
    },
    opening: {
      decisions: opening.decisions,
      seatsFilled: opening.seatsFilled,
      decisionsPerSecond,
      sustainedDecisionsPerSecond: opening.sustainedDecisionsPerSecond,
      seatsFilledPerSecond: Math.round(opening.seatsFilled / durationS),
      timeToLastAnswerMs: Math.round(opening.makespanMs),
      studentDoneAfterMs: summarize(opening.doneAfterMs),
      perSecond: { decisions: opening.decisionsPerSecond, seats: opening.seatsPerSecond },
      aborted: opening.aborted,
    },
    endpoints: [...endpoints.map((e) => e.report(opening!.makespanMs)), ...(drops ? [drops.endpoint.report(drops.dropsMs)] : [])],
    side: sideStats,
    ceiling: ceiling
      ? {
          measuredWith: r.engine === 'mysql' ? `mysql2 pool of ${ceiling.pool}, no HTTP, ${ceiling.roundTrips} round trips per decision` : 'better-sqlite3, one connection, no HTTP',
          byPool: r.pass.ceilingByPool,
          decisions: ceiling.decisions,
          seatsFilled: ceiling.seatsFilled,
          durationMs: Math.round(ceiling.durationMs),
          decisionsPerSecond: ceiling.decisionsPerSecond,
          codes: ceiling.codes,
          errors: ceiling.errors,
          aborted: ceiling.aborted,
        }
      : undefined,
    serviceVsCeilingPct: ceiling && ceiling.decisionsPerSecond > 0 ? Math.round((opening.sustainedDecisionsPerSecond / ceiling.decisionsPerSecond) * 1000) / 10 : undefined,
    naive: r.pass.naive
      ? {
          decisions: r.pass.naive.decisions,
          seatsFilled: r.pass.naive.seatsFilled,
          durationMs: Math.round(r.pass.naive.durationMs),
          decisionsPerSecond: r.pass.naive.decisionsPerSecond,
          codes: r.pass.naive.codes,
          errors: r.pass.naive.errors,
          oversold: r.pass.naive.oversold,
          sectionsOversold: r.pass.naive.sectionsOversold,
          lostUpdates: r.pass.naive.lostUpdates,
        }
      : undefined,
    invariants: {
      ok: Object.keys(counts).length === 0,
      counts,
      breaches: [...inv.breaches, ...(afterDrops?.breaches ?? [])],
      checked: { ...inv.checked, service: inv.service.checked, ...(afterDrops ? { afterDrops: { ...afterDrops.checked, service: afterDrops.service.checked } } : {}) },
      ceiling: r.pass.ceilingInvariants
        ? { ok: Object.keys(r.pass.ceilingInvariants.counts).length === 0, counts: r.pass.ceilingInvariants.counts, breaches: r.pass.ceilingInvariants.breaches }
        : undefined,
    },
    cost,
    serviceWarnings: system.warnings.slice(0, 50),
    serviceMetrics,
    database,
    waitlist: {
      enabled: o.waitlist,
      joins: opening.waitlistJoins.length,
      byOutcome: tally(opening.waitlistJoins, (j) => (j.status === 200 || j.status === 201 ? String(j.status) : (j.code ?? String(j.status)))),
      students: new Set(opening.waitlistJoins.filter((j) => j.status === 200 || j.status === 201).map((j) => j.studentId)).size,
      entriesAfterOpening,
    },
    dropPhase:
      drops && afterDrops
        ? {
            fraction: o.dropFraction,
            candidates: drops.candidates,
            drops: drops.drops.length,
            byOutcome: tally(drops.drops, (d) => (d.status === 200 ? '200' : (d.code ?? String(d.status)))),
            dropsMs: Math.round(drops.dropsMs),
            promoted: afterDrops.promoted,
            promotedStudents: afterDrops.promotedStudents,
            promotedVia,
            skips: afterDrops.skips,
            skipsByCode: afterDrops.skipsByCode,
            skippedEntries: afterDrops.skippedEntries,
            entriesBefore: drops.before.entries,
            entriesLeft: afterDrops.entriesLeft,
            quiescentAfterMs: Math.round(drops.quiescentAfterMs),
            waitedMs: Math.round(drops.waitedMs),
            quietMs: QUIET_MS,
            quiescent: drops.quiescent,
            aborted: drops.aborted,
            invariants: { ok: Object.keys(afterDrops.counts).length === 0, counts: afterDrops.counts, checked: { ...afterDrops.checked, service: afterDrops.service.checked } },
          }
        : undefined,
    autoEnroll: autoEnroll
      ? {
          ...autoEnroll,
          seatsFilledInOpening: opening.seatsFilled,
          autoSharePct:
            autoEnroll.report.enrolled + opening.seatsFilled > 0 ? Math.round((autoEnroll.report.enrolled / (autoEnroll.report.enrolled + opening.seatsFilled)) * 1000) / 10 : 0,
          decisionsInOpening: opening.decisions,
          cartItemsAll: r.bu.cartItems,
          timeToLastAnswerMs: Math.round(opening.makespanMs),
        }
      : undefined,
  };
  return { ...base, targets: evaluateTargets(base) };
}
