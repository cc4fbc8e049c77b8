/**
 * One `npm run chaos`: its own MariaDB and Redis, the university loaded once, then per fault a
 * fresh registration, fresh services (two enrollment replicas and lectures), the opening with
 * retrying clients and probes, the fault injected mid-burst, and the checks.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createDb, type Knex } from '@goorm/common';
import { bearer, HttpClient, sleep } from '../bench/client.ts';
import { checkRun, type InvariantResult } from '../bench/invariants.ts';
import { arrivalOrder, runOpening, type OpeningResult } from '../bench/opening.ts';
import { REPO_ROOT, startBenchSystem, type BenchSystem } from '../bench/processes.ts';
import { buildUniversity, loadBenchUniversity, prepareStudents, resetRegistration, type BenchUniversity } from '../bench/university.ts';
import { RetryingClient } from './client.ts';
import { injectFault, readReplicaEvents, type FaultTimes } from './faults.ts';
import { failureFigures, type FailureFigures } from './figures.ts';
import type { ChaosOptions, FaultName } from './options.ts';
import { renderFault, renderSummary } from './report.ts';
import { createMariaDb, createRedis } from './servers.ts';

export const say = (msg: string) => process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** The window opens this long after staff create it: every replica's catalog cache (5 s) has reloaded by then (as the bench). */
const WINDOW_LEAD_MS = 6_500;

export interface FaultReport {
  fault: FaultName;
  detail: string;
  startedAt: string;
  students: number;
  /** Seconds after the opening the fault was injected. */
  injectedAfterS: number;
  openingS: number;
  decisions: number;
  seatsFilled: number;
  failures: FailureFigures;
  invariants: { ok: boolean; counts: Record<string, number>; breaches: Array<{ kind: string; detail: string }>; checked: InvariantResult['checked'] & { service: unknown } };
  /** rate_limit_decisions_total, waiting_room_joins_total, waiting_room_admissions_total over the enrollment replicas up at the end. */
  counters: Record<string, number>;
  serviceWarnings: string[];
  ok: boolean;
}

export async function runChaos(o: ChaosOptions): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goorm-chaos-'));
  // Also when interrupted (chaos.ts exits on SIGINT/SIGTERM); the servers' own exit handlers kill them first.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  if (!o.keep) process.once('exit', removeDir);
  const reports: FaultReport[] = [];
  let missed = false;
  try {
    say(`own MariaDB and Redis in ${dir}`);
    const mariadb = await createMariaDb(path.join(dir, 'mariadb'));
    const redis = await createRedis(path.join(dir, 'redis'));
    say(`MariaDB on 127.0.0.1:${mariadb.port}, Redis on 127.0.0.1:${redis.port}`);
    try {
      const admin = createDb(mariadb.url(), { poolMax: 1 });
      await admin.raw('CREATE DATABASE chaos CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
      await admin.destroy();
      const url = mariadb.url('chaos');
      const now = new Date();
      const university = buildUniversity(o, now);
      const loading = createDb(url, { poolMax: 4 });
      say(`loading ${university.students.length.toLocaleString()} students, ${university.sections.length.toLocaleString()} sections`);
      try {
        await loadBenchUniversity(loading, university, now);
      } finally {
        await loading.destroy();
      }
      const dataDir = path.join(dir, 'data');
      const bu = await prepareStudents(university, o.grade, dataDir);
      say(`grade ${o.grade}: ${bu.students.length.toLocaleString()} students, ${bu.cartItems.toLocaleString()} cart items; waiting room at ${o.queueRate}/s`);
      for (const fault of o.faults) {
        const report = await runFault(o, { fault, url, bu, dataDir, dir, mariadb, redis });
        reports.push(report);
        process.stdout.write(renderFault(report));
        if (!report.failures.midBurst) missed = true;
      }
    } finally {
      await redis.stop('SIGKILL');
      await mariadb.stop('SIGKILL');
    }
  } finally {
    if (o.keep) say(`kept ${dir}`);
    else {
      removeDir();
      process.removeListener('exit', removeDir);
    }
  }
  mkdirSync(o.out, { recursive: true });
  const file = path.join(o.out, `chaos-${o.quick ? 'quick-' : ''}${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '_')}.json`);
  writeFileSync(file, JSON.stringify({ schema: 'goorm-chaos/1', options: o, machine: { nproc: os.cpus().length, loadAverage: os.loadavg() }, reports }, null, 2) + '\n');
  process.stdout.write(renderSummary(reports));
  const failed = reports.some((r) => !r.ok);
  say(failed ? 'BREACH: see above' : missed ? 'a fault missed the burst (see "mid-burst"): the run proves nothing for it' : `every fault passed; report in ${path.relative(REPO_ROOT, file)}`);
  return failed ? 1 : missed ? 3 : 0;
}

interface FaultInput {
  fault: FaultName;
  url: string;
  bu: BenchUniversity;
  dataDir: string;
  dir: string;
  mariadb: Awaited<ReturnType<typeof createMariaDb>>;
  redis: Awaited<ReturnType<typeof createRedis>>;
}

const KEPT_COUNTERS = /^(rate_limit_decisions_total|waiting_room_joins_total|waiting_room_admissions_total)\{([^}]*)\} (\S+)$/;

/**
 * The services' own counters of how the rate limits and the waiting room decided, summed over the
 * enrollment processes up now (several scrapes over fresh connections reach each replica; a killed
 * replica's counts died with it).
 */
async function scrapeCounters(port: number, scrapes = 8): Promise<Record<string, number>> {
  const byProcess = new Map<string, Record<string, number>>();
  for (let i = 0; i < scrapes; i++) {
    const http = new HttpClient(`http://127.0.0.1:${port}`, 1, 10_000);
    const r = await http.call('GET', '/metrics', { connection: 'close' });
    await http.close();
    if (!r.ok || r.status !== 200) continue;
    const id = /^process_start_time_seconds(?:\{[^}]*\})? (\S+)$/m.exec(r.text)?.[1] ?? String(i);
    const counters: Record<string, number> = {};
    for (const line of r.text.split('\n')) {
      const m = KEPT_COUNTERS.exec(line);
      if (!m) continue;
      const labels = m[2]!.replace(/service="[^"]*",?/, '').replace(/,$/, '');
      counters[`${m[1]}{${labels}}`] = Number(m[3]);
    }
    byProcess.set(id, counters);
  }
  const sum: Record<string, number> = {};
  for (const counters of byProcess.values()) for (const [k, v] of Object.entries(counters)) if (v > 0) sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

async function flushRedis(url: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  r.on('error', () => {});
  try {
    await r.flushall();
  } finally {
    r.disconnect();
  }
}

/** Reads at a steady rate beside the opening (what a student's timetable and a catalog search see during the fault). */
function startProbes(o: ChaosOptions, bu: BenchUniversity, enrollment: RetryingClient, lectures: RetryingClient): () => Promise<void> {
  if (o.probeRate <= 0) return async () => {};
  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();
  let i = 0;
  const loop = (async () => {
    while (!stopped) {
      const st = bu.students[i++ % bu.students.length]!;
      if (inFlight.size < 50) {
        for (const p of [
          enrollment.call('GET', '/api/enrollments/me', bearer(st.token)),
          lectures.call('GET', `/api/lectures/sections?q=${encodeURIComponent(bu.searchTerms[i % bu.searchTerms.length]!)}&page=1&size=20`, bearer(st.token)),
        ]) {
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
      }
      await sleep(1000 / o.probeRate);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    await Promise.all(inFlight);
  };
}

async function runFault(o: ChaosOptions, f: FaultInput): Promise<FaultReport> {
  const startedAt = new Date();
  const eventsFile = path.join(f.dir, `replicas-${f.fault}.jsonl`);
  say(`${f.fault}: fresh registration, starting two enrollment replicas and lectures`);
  const db: Knex = createDb(f.url, { poolMax: 4 });
  await resetRegistration(db);
  await flushRedis(f.redis.url);
  const system: BenchSystem = await startBenchSystem({
    databaseUrl: f.url,
    dataDir: f.dataDir,
    enrollmentReplicas: 2,
    gateway: false,
    replicaLauncher: path.join(REPO_ROOT, 'scripts', 'chaos', 'replicas.ts'),
    env: {
      DATABASE_POOL_MAX: String(o.pool),
      LOG_LEVEL: 'warn',
      REDIS_URL: f.redis.url,
      // The room as staff set it, also as the defaults a Redis restart falls back to.
      QUEUE_MODE: 'auto',
      QUEUE_RATE_PER_SECOND: String(o.queueRate),
      QUEUE_ADAPTIVE: 'false',
      // Every simulated student comes from 127.0.0.1 (as in the bench); the per-student limit stays on.
      RATE_LIMIT_ENROLL_PER_IP_PER_10S: '0',
      REPLICA_EVENTS_FILE: eventsFile,
      REPLICA_RESTART_DELAY_MS: '500',
    },
    readyTimeoutMs: 120_000,
    logDir: path.join(f.dir, 'logs', f.fault),
  });
  try {
    return await measureFault(o, f, system, db, eventsFile, startedAt);
  } finally {
    await system.stop();
    await db.destroy();
  }
}

async function measureFault(o: ChaosOptions, f: FaultInput, system: BenchSystem, db0: Knex, eventsFile: string, startedAt: Date): Promise<FaultReport> {
  const enrollmentOrigin = `http://127.0.0.1:${system.ports.enrollment}`;
  const lecturesOrigin = `http://127.0.0.1:${system.ports.lectures}`;
  const client = new RetryingClient(enrollmentOrigin, o.concurrency, o.giveUpS * 1000);
  const probeEnrollment = new RetryingClient(enrollmentOrigin, 20, o.giveUpS * 1000);
  const probeLectures = new RetryingClient(lecturesOrigin, 20, o.giveUpS * 1000);
  let opening: OpeningResult | undefined;
  let times: FaultTimes | undefined;
  try {
    const staff = new HttpClient(enrollmentOrigin, 2);
    const auth = bearer(f.bu.staffToken);
    const settings = await staff.call('PUT', '/api/enrollments/queue/settings', auth, { mode: 'auto', ratePerSecond: o.queueRate, adaptive: false, reason: 'chaos: fault injection' });
    if (!settings.ok || settings.status !== 200) throw new Error(`staff could not set the waiting room: ${settings.ok ? `${settings.status} ${settings.text.slice(0, 300)}` : settings.error}`);
    const opensAt = new Date(Date.now() + WINDOW_LEAD_MS);
    const win = await staff.call('POST', '/api/enrollments/windows', auth, {
      termId: f.bu.termId,
      phase: 'REGISTRATION',
      grades: [o.grade],
      opensAt: opensAt.toISOString(),
      closesAt: new Date(opensAt.getTime() + 2 * 3_600_000).toISOString(),
      reason: 'chaos: fault injection',
    });
    await staff.close();
    if (!win.ok || win.status !== 201) throw new Error(`staff could not open the window: ${win.ok ? `${win.status} ${win.text.slice(0, 300)}` : win.error}`);
    const t0 = performance.now() + (opensAt.getTime() - Date.now()) + 20;
    say(`${f.fault}: window opens at ${opensAt.toISOString()}; ${f.bu.students.length} students, ${o.concurrency} in flight; the fault ${o.faultAtS} s after`);
    const stopProbes = startProbes(o, f.bu, probeEnrollment, probeLectures);
    const faultDone = sleep(Math.max(0, t0 - performance.now()) + o.faultAtS * 1000).then(async () => {
      const t = await injectFault(f.fault, { mariadb: f.mariadb, redis: f.redis, replicaEvents: eventsFile, outageMs: o.outageS * 1000 });
      say(`${f.fault}: ${t.detail}; back ${((t.backAt - t.injectedAt) / 1000).toFixed(1)} s after the injection`);
      return t;
    });
    faultDone.catch(() => {});
    opening = await runOpening({
      enrollOrigin: enrollmentOrigin,
      students: f.bu.students,
      concurrency: o.concurrency,
      pollMs: 2_000,
      idempotency: true,
      t0,
      deadline: t0 + 300_000,
      order: arrivalOrder(f.bu.students.length, o.seed),
      waitlist: true,
      http: client,
    });
    times = await faultDone;
    // A moment of quiet reads after the last answer: the probes show the services still serve.
    await sleep(1_000);
    await stopProbes();
  } finally {
    await Promise.all([client.close(), probeEnrollment.close(), probeLectures.close()]);
  }
  // Processes that died other than the one killed on purpose (the primary restarts a worker, so its crash shows only here).
  const events = readReplicaEvents(eventsFile);
  const crashes = [
    ...system.crashes,
    ...events.filter((e) => e.event === 'exit' && e.pid !== times?.killedPid).map((e) => ({ name: `enrollment replica ${e.replica} (pid ${e.pid})`, code: e.code ?? null, lines: [`signal ${e.signal}`] })),
  ];
  const counters = await scrapeCounters(system.ports.enrollment);
  const warnings = system.warnings.slice(0, 40);
  await system.stop();
  if (!opening || !times) throw new Error('the opening ended without its fault');
  // A fresh pool: the one from before may hold connections the restart broke.
  await db0.destroy();
  const db = createDb(f.url, { poolMax: 4 });
  try {
    say(`${f.fault}: checking invariants and the clients' view against the rows`);
    const inv = await checkRun({ db, university: f.bu.university, outcomes: opening.outcomes, serverErrors: 0, droppedConnections: 0, crashes, now: new Date() });
    const failures = failureFigures(f.fault, times, [...client.attempts, ...probeEnrollment.attempts, ...probeLectures.attempts], [...client.requests, ...probeEnrollment.requests, ...probeLectures.requests], o.recoverWithinS);
    const counts: Record<string, number> = { ...inv.counts };
    for (const [k, v] of Object.entries(failures.breaches)) counts[k] = (counts[k] ?? 0) + v;
    const breaches = [...inv.breaches, ...failures.breachExamples.map((d) => ({ kind: d.slice(0, d.indexOf(':')), detail: d.slice(d.indexOf(':') + 2) }))];
    return {
      fault: f.fault,
      detail: times.detail,
      startedAt: startedAt.toISOString(),
      students: f.bu.students.length,
      injectedAfterS: Math.round(o.faultAtS * 10) / 10,
      openingS: Math.round(opening.makespanMs) / 1000,
      decisions: opening.decisions,
      seatsFilled: opening.seatsFilled,
      failures,
      invariants: { ok: Object.keys(counts).length === 0, counts, breaches, checked: { ...inv.checked, service: inv.service.checked } },
      counters,
      serviceWarnings: warnings,
      ok: Object.keys(counts).length === 0,
    };
  } finally {
    await db.destroy();
  }
}
