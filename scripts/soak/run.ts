/**
 * One `npm run soak`: the bench's university (smaller by default) on a MariaDB database of its own
 * (goorm_soak_<run id>), the bench's service processes, a REGISTRATION window open for one grade,
 * then for --minutes a steady mix (SoakStudents: waiting room, enroll, waitlist, timetable, drop;
 * the bench's side-traffic process: catalog searches, timetable reads, staff dashboards) while
 * every service process, MariaDB and Redis are sampled; then the bench's invariants and the
 * growth analysis (analysis.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDb, type Knex } from '@goorm/common';
import type { University } from '@goorm/demo-data';
import { bearer, HttpClient, sleep } from '../bench/client.ts';
import { checkRun, type InvariantResult } from '../bench/invariants.ts';
import type { Outcome } from '../bench/opening.ts';
import { deleteRedisPrefix, forkSide, mariadbVersion } from '../bench/children.ts';
import { REPO_ROOT, startBenchSystem, type BenchSystem } from '../bench/processes.ts';
import { machineInfo } from '../bench/report.ts';
import { EndpointStats, type EndpointReport } from '../bench/stats.ts';
import { buildUniversity, loadBenchUniversity, prepareStudents } from '../bench/university.ts';
import { analyse, floorSeries, THRESHOLDS, type Growth, type Point, type SeriesKind } from './analysis.ts';
import { benchView, type SoakOptions } from './options.ts';
import { Sampler, type ProcSample, type Sample } from './sampler.ts';
import { SoakStudents } from './students.ts';

const say = (msg: string) => process.stdout.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const WINDOW_LEAD_MS = 6_500;
const DASHBOARD_REFRESH_S = 3;
/** After a run, the kinds of the bench's checkRun that a drop and a later re-enroll of the same pair make expected (the soak checks rows against its clients instead). */
const EXPECTED_WITH_DROPS = new Set(['ANSWERED_201_WITHOUT_ROW', 'ANSWERED_201_TWICE']);

async function rowsOf<T>(db: Knex, sql: string, bindings: Knex.RawBinding[] = []): Promise<T[]> {
  const res = (await db.raw(sql, bindings)) as unknown;
  return (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as T[];
}

/** The N sections most wanted by the grade's carts get `capacity` seats (and no reservations), so SECTION_FULL, waitlists and promotions keep happening. */
function withTinySections(u: University, grade: number, n: number, capacity: number): { university: University; tiny: number[] } {
  const gradeOf = new Map(u.students.map((s) => [s.id, s.grade]));
  const wanted = new Map<number, number>();
  for (const c of u.carts) if (gradeOf.get(c.studentId) === grade) wanted.set(c.sectionId, (wanted.get(c.sectionId) ?? 0) + 1);
  const free = new Set(u.sections.filter((s) => s.reservations.length === 0).map((s) => s.id));
  const tiny = [...wanted.entries()]
    .filter(([id]) => free.has(id))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, n)
    .map(([id]) => id);
  const set = new Set(tiny);
  return { university: { ...u, sections: u.sections.map((s) => (set.has(s.id) ? { ...s, capacity } : s)) }, tiny };
}


/** The series the analysis judges: per service, and the shared servers. */
const PROC_SERIES: Array<{ key: keyof ProcSample; label: string; kind: SeriesKind; floor?: boolean; judged?: false }> = [
  { key: 'heapUsedBytes', label: 'heap used (floor)', kind: 'bytes', floor: true },
  { key: 'heapUsedBytes', label: 'heap used (raw samples, not judged)', kind: 'bytes', judged: false },
  { key: 'rssBytes', label: 'RSS', kind: 'rss' },
  { key: 'fds', label: 'open fds', kind: 'count' },
  { key: 'sockets', label: 'sockets', kind: 'count' },
  { key: 'activeHandles', label: 'active handles', kind: 'count' },
  { key: 'dbPoolOpen', label: 'db pool open', kind: 'count' },
];

export interface SeriesResult extends Growth {
  series: string;
  kind: SeriesKind;
  /** false: reported, never flagged (the raw heap: its peaks only say when the last major GC ran). */
  judged?: false;
}

export function analyseSamples(samples: Sample[], warmupMin: number, floorWindowMin: number): SeriesResult[] {
  const out: SeriesResult[] = [];
  const services = Object.keys(samples[0]?.services ?? {});
  for (const svc of services) {
    for (const s of PROC_SERIES) {
      const points: Point[] = samples.map((x) => ({ t: x.t, v: x.services[svc]?.[s.key] ?? NaN }));
      if (!points.some((p) => Number.isFinite(p.v))) continue;
      const g = s.floor ? analyse(floorSeries(points, floorWindowMin, warmupMin), warmupMin, s.kind, 0) : analyse(points, warmupMin, s.kind);
      out.push({ series: `${svc} ${s.label}`, kind: s.kind, ...g, grows: s.judged === false ? false : g.grows, ...(s.judged === false ? { judged: false } : {}) });
    }
  }
  const shared: Array<{ label: string; get: (x: Sample) => number | undefined }> = [
    { label: 'MariaDB Threads_connected', get: (x) => x.mariadbThreadsConnected },
    { label: 'MariaDB connections to the soak db', get: (x) => x.mariadbSoakConnections },
    { label: 'Redis connected_clients', get: (x) => x.redisConnectedClients },
  ];
  for (const s of shared) {
    const points = samples.map((x) => ({ t: x.t, v: s.get(x) ?? NaN }));
    if (points.some((p) => Number.isFinite(p.v))) out.push({ series: s.label, kind: 'count', ...analyse(points, warmupMin, 'count') });
  }
  return out;
}

const MB = 1024 * 1024;
function fmt(kind: SeriesKind, v: number): string {
  if (!Number.isFinite(v)) return '-';
  return kind === 'count' ? (Math.round(v * 10) / 10).toString() : `${(v / MB).toFixed(1)} MB`;
}

export function renderTable(results: SeriesResult[], warmupMin: number): string {
  const head = ['series', `at ${Math.round(warmupMin * 100) / 100} min`, 'end', 'min', 'max', 'slope/min', 'change', 'verdict'];
  const rows = results.map((r) => [
    r.series,
    fmt(r.kind, r.warmupValue),
    fmt(r.kind, r.endValue),
    fmt(r.kind, r.min),
    fmt(r.kind, r.max),
    r.kind === 'count' ? (Math.round(r.slopePerMin * 100) / 100).toString() : `${(r.slopePerMin / MB).toFixed(2)} MB`,
    `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%`,
    r.judged === false ? '(info)' : r.grows ? 'GROWS' : 'flat',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`, ...rows.map(line)].join('\n') + '\n';
}

export async function runSoak(o: SoakOptions): Promise<number> {
  const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '_');
  mkdirSync(o.out, { recursive: true });
  const mariadb = await mariadbVersion(o.mysqlUrl);
  if (!mariadb) throw new Error(`MariaDB is not reachable at ${o.mysqlUrl}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'goorm-soak-'));
  const database = `goorm_soak_${runId}_${randomBytes(2).toString('hex')}`;
  const server = new URL(o.mysqlUrl);
  server.pathname = '/';
  const admin = createDb(server.toString(), { poolMax: 1 });
  await admin.raw(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const dbUrl = new URL(server.toString());
  dbUrl.pathname = `/${database}`;
  const db = createDb(dbUrl.toString(), { poolMax: 4 });
  const redisPrefix = `goorm:soak:${runId}:${randomBytes(3).toString('hex')}:{enrollment}:`;
  let system: BenchSystem | undefined;
  let side: ReturnType<typeof forkSide> | undefined;
  let sampler: Sampler | undefined;
  try {
    const now = new Date();
    const built = withTinySections(buildUniversity(benchView(o), now), o.grade, o.tinySections, o.tinyCapacity);
    say(`MariaDB ${mariadb}; database ${database}; loading ${built.university.students.length} students, ${built.university.sections.length} sections (${built.tiny.length} most wanted made ${o.tinyCapacity}-seat)`);
    await loadBenchUniversity(db, built.university, now);
    const bu = await prepareStudents(built.university, o.grade, dataDir);
    say(`grade ${o.grade}: ${bu.students.length} students with carts`);
    system = await startBenchSystem({
      databaseUrl: dbUrl.toString(),
      dataDir,
      enrollmentReplicas: 1,
      gateway: o.target === 'gateway',
      env: {
        DATABASE_POOL_MAX: String(o.pool),
        HTTP_ACCESS_LOG: 'false',
        QUEUE_MODE: 'auto',
        QUEUE_RATE_PER_SECOND: '1000',
        QUEUE_ADAPTIVE: 'true',
        RATE_LIMIT_ENROLL_PER_IP_PER_10S: '0',
        REDIS_URL: o.redisUrl,
        QUEUE_REDIS_PREFIX: redisPrefix,
        ...(o.plantLeakKb > 0 ? { NODE_OPTIONS: `--import ${path.join(REPO_ROOT, 'scripts', 'soak', 'leak.mjs')}`, SOAK_LEAK_KB: String(o.plantLeakKb) } : {}),
      },
      readyTimeoutMs: 120_000,
    });
    const sys = system;
    const origin = (port: number) => `http://127.0.0.1:${o.target === 'gateway' ? sys.ports.gateway : port}`;
    const staff = new HttpClient(origin(sys.ports.enrollment), 1);
    const auth = bearer(bu.staffToken);
    await staff.call('PUT', '/api/enrollments/queue/settings', auth, { mode: 'auto', ratePerSecond: 1000, adaptive: true, reason: 'soak' });
    const opensAt = new Date(Date.now() + WINDOW_LEAD_MS);
    const win = await staff.call('POST', '/api/enrollments/windows', auth, {
      termId: bu.termId,
      phase: 'REGISTRATION',
      grades: [o.grade],
      opensAt: opensAt.toISOString(),
      closesAt: new Date(opensAt.getTime() + (o.minutes + 60) * 60_000).toISOString(),
      reason: 'soak',
    });
    await staff.close();
    if (!win.ok || win.status !== 201) throw new Error(`staff could not open the window: ${win.ok ? `${win.status} ${win.text.slice(0, 300)}` : win.error}`);
    side = forkSide({
      searchOrigin: origin(sys.ports.lectures),
      timetableOrigin: origin(sys.ports.enrollment),
      searchRate: o.searchRate,
      timetableRate: o.timetableRate,
      dashboardRate: o.dashboardTabs / DASHBOARD_REFRESH_S,
      staffToken: bu.staffToken,
      maxInFlight: 64,
      searchTerms: bu.searchTerms,
      tokens: bu.students.map((s) => s.token),
      seed: o.seed,
    });
    await side.ready;
    const pids = sys.pids;
    sampler = new Sampler(
      {
        enrollment: { pid: pids.enrollment, port: sys.ports.enrollment },
        lectures: { pid: pids.lectures, port: sys.ports.lectures },
        ...(sys.ports.gateway !== undefined ? { gateway: { pid: pids.gateway, port: sys.ports.gateway } } : {}),
      },
      db,
      database,
      o.redisUrl,
    );
    await sleep(Math.max(0, opensAt.getTime() - Date.now() + 50));
    const students = new SoakStudents({
      origin: origin(sys.ports.enrollment),
      students: bu.students,
      sessionsPerSecond: o.sessionsPerSecond,
      seed: o.seed,
      holdMs: [10_000, 40_000],
      connections: 200,
    });
    const outcomes: Outcome[] = [];
    say(
      `window open: ${o.minutes} min of ${o.sessionsPerSecond} sessions/s, ${o.searchRate} searches/s, ${o.timetableRate} timetables/s, ${o.dashboardTabs} dashboards every ${DASHBOARD_REFRESH_S} s, via ${o.target}; sample every ${o.sampleSeconds} s; warm-up ${Math.round(o.warmupMinutes * 100) / 100} min${o.plantLeakKb > 0 ? `; PLANTED LEAK ${o.plantLeakKb} KB per request` : ''}`,
    );
    const t0 = performance.now();
    const minutesNow = () => (performance.now() - t0) / 60_000;
    side.begin();
    const studentsDone = students.run();
    const samples: Sample[] = [];
    const counters = () => ({ requests: students.requests, serverErrors: students.serverErrors, transportErrors: students.transportErrors });
    const endAt = t0 + o.minutes * 60_000;
    let lastRequests = 0;
    for (let k = 0; ; k++) {
      const at = t0 + k * o.sampleSeconds * 1000;
      if (at > endAt + 1) break;
      await sleep(Math.max(0, at - performance.now()));
      const s = await sampler.sample(minutesNow(), counters());
      samples.push(s);
      if (k % Math.max(1, Math.round(60 / o.sampleSeconds)) === 0) {
        const svc = Object.entries(s.services)
          .map(([n, p]) => `${n} heap ${((p.heapUsedBytes ?? NaN) / MB).toFixed(0)} MB rss ${((p.rssBytes ?? NaN) / MB).toFixed(0)} MB fds ${p.fds ?? '-'}`)
          .join('; ');
        say(`t=${s.t.toFixed(1)} min: ${svc}; mariadb threads ${s.mariadbThreadsConnected}, redis clients ${s.redisConnectedClients}; session requests ${s.requests - lastRequests} since last line, 5xx ${s.serverErrors}`);
        lastRequests = s.requests;
      }
    }
    const trafficMs = performance.now() - t0;
    say('stopping: no new sessions; the running ones drop their seats');
    await students.stop();
    await studentsDone;
    const sideReport = await side.stop();
    side = undefined;
    await sleep(3_000);
    const afterDrain = await sampler.sample(minutesNow(), counters());

    // The bench's invariants on the state the run left.
    const sideStats = [sideReport.search, sideReport.timetable, sideReport.dashboard].map((st) => {
      const e = new EndpointStats(st.endpoint);
      e.merge(st);
      return { ...e.report(sideReport.durationMs), targetRps: st.targetRps, shed: st.shed };
    });
    const sideServerErrors = sideStats.reduce((n, e) => n + Object.entries(e.statuses).reduce((m, [k, v]) => (Number(k) >= 500 ? m + v : m), 0), 0);
    const sideTransport = sideStats.reduce((n, e) => n + e.transportErrors, 0);
    for (const a of students.answers) outcomes.push({ studentId: a.studentId, sectionId: a.sectionId, status: a.status, code: a.code, atMs: 0 });
    say('checking the bench invariants on the state the run left');
    const inv: InvariantResult = await checkRun({
      db,
      university: bu.university,
      outcomes,
      serverErrors: students.serverErrors + sideServerErrors,
      droppedConnections: students.transportErrors + sideTransport,
      crashes: [...sys.crashes],
      now: new Date(),
    });
    const rows = await rowsOf<{ student_id: number; section_id: number }>(db, 'select student_id, section_id from enrollment where term_id = ?', [bu.termId]);
    const rowKeys = new Set(rows.map((r) => `${r.student_id}:${r.section_id}`));
    const [entries] = await rowsOf<{ n: number }>(db, 'select count(*) as n from waitlist_entry where term_id = ?', [bu.termId]);
    const counts: Record<string, number> = {};
    for (const [k, v] of Object.entries(inv.counts)) if (!EXPECTED_WITH_DROPS.has(k)) counts[k] = v;
    const breaches = inv.breaches.filter((b) => !EXPECTED_WITH_DROPS.has(b.kind));
    const missing = [...students.held].filter((k) => !rowKeys.has(k));
    const extra = [...rowKeys].filter((k) => !students.held.has(k));
    if (missing.length) {
      counts.HELD_WITHOUT_ROW = missing.length;
      breaches.push({ kind: 'HELD_WITHOUT_ROW', detail: `clients hold ${missing.slice(0, 10).join(', ')} with no row` });
    }
    if (extra.length) {
      counts.ROW_NOT_HELD = extra.length;
      breaches.push({ kind: 'ROW_NOT_HELD', detail: `rows ${extra.slice(0, 10).join(', ')} that no client holds after every session dropped what its timetable showed` });
    }
    const ok = Object.keys(counts).length === 0;

    const warm = o.warmupMinutes;
    const floorWindowMin = Math.min(2, Math.max(o.sampleSeconds / 60, (o.minutes - warm) / 4));
    const results = analyseSamples(samples, warm, floorWindowMin);
    const grows = results.filter((r) => r.grows);
    const endpoints: EndpointReport[] = Object.values(students.endpoints).map((e) => e.report(trafficMs));
    const totalRequests = students.requests + sideStats.reduce((n, e) => n + e.requests, 0);
    const report = {
      schema: 'goorm-soak/1',
      id: runId,
      finishedAt: new Date().toISOString(),
      command: `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: machineInfo(mariadb),
      options: { ...o, out: path.relative(REPO_ROOT, o.out) },
      database,
      university: { students: bu.university.students.length, sections: bu.university.sections.length, gradeStudents: bu.students.length, tinySections: built.tiny },
      traffic: {
        minutes: trafficMs / 60_000,
        requests: totalRequests,
        requestsPerSecond: Math.round((totalRequests / trafficMs) * 1000 * 10) / 10,
        sessions: { started: students.sessionsStarted, done: students.sessionsDone, skipped: students.sessionsSkipped },
        enrollCodes: students.enrollCodes,
        dropCodes: students.dropCodes,
        waitlistCodes: students.waitlistCodes,
        serverErrors: students.serverErrors + sideServerErrors,
        transportErrors: students.transportErrors + sideTransport,
        endpoints,
        side: sideStats,
      },
      thresholds: THRESHOLDS,
      warmupMinutes: warm,
      heapFloorWindowMinutes: floorWindowMin,
      analysis: results,
      growing: grows.map((g) => g.series),
      invariants: { ok, counts, breaches: breaches.slice(0, 50), checked: inv.checked, leftOver: { rows: rows.length, waitlistEntries: Number(entries?.n ?? 0) }, ignoredKinds: [...EXPECTED_WITH_DROPS] },
      crashes: sys.crashes.map((c) => ({ name: c.name, code: c.code })),
      serviceWarnings: sys.warnings.slice(0, 30),
      afterDrain,
      samples,
    };
    const file = path.join(o.out, `soak-${runId}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    process.stdout.write('\n' + renderTable(results, warm));
    process.stdout.write(
      `\nrequests ${totalRequests.toLocaleString()} in ${(trafficMs / 60_000).toFixed(1)} min (${report.traffic.requestsPerSecond}/s); sessions ${students.sessionsStarted} (skipped ${students.sessionsSkipped}); enroll ${JSON.stringify(students.enrollCodes)}; drops ${JSON.stringify(students.dropCodes)}; waitlist joins ${JSON.stringify(students.waitlistCodes)}\n` +
        `5xx ${report.traffic.serverErrors}, no answer ${report.traffic.transportErrors}, crashes ${sys.crashes.length}; after the drain: rows ${rows.length}, waitlist entries ${Number(entries?.n ?? 0)}\n` +
        `invariants: ${ok ? 'ok' : `BREACHED ${JSON.stringify(counts)}`}; growth beyond the thresholds: ${grows.length ? grows.map((g) => g.series).join(', ') : 'none'}\n` +
        `report: ${path.relative(REPO_ROOT, file)}\n`,
    );
    process.stdout.write(
      `3 s after the traffic stopped: ${Object.entries(afterDrain.services)
        .map(([n, p]) => `${n} heap ${((p.heapUsedBytes ?? NaN) / MB).toFixed(1)} MB, RSS ${((p.rssBytes ?? NaN) / MB).toFixed(1)} MB, fds ${p.fds ?? '-'}, handles ${p.activeHandles ?? '-'}`)
        .join('; ')}; MariaDB threads ${afterDrain.mariadbThreadsConnected}, Redis clients ${afterDrain.redisConnectedClients}\n`,
    );
    if (sys.warnings.length) process.stdout.write(`service warnings (${sys.warnings.length}, first 5):\n  ${sys.warnings.slice(0, 5).join('\n  ')}\n`);
    return !ok ? 1 : grows.length ? 4 : 0;
  } finally {
    side?.kill();
    await sampler?.close();
    await system?.stop();
    await deleteRedisPrefix(o.redisUrl, redisPrefix).catch(() => undefined);
    await db.destroy();
    if (!o.keep) await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
    await admin.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `--analyse FILE`: the analysis of a stored report recomputed from its samples (the report is rewritten with it). */
export function reanalyse(file: string): number {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { warmupMinutes: number; heapFloorWindowMinutes: number; samples: Sample[]; analysis: SeriesResult[]; growing: string[]; analysedAt?: string };
  const results = analyseSamples(report.samples, report.warmupMinutes, report.heapFloorWindowMinutes);
  report.analysis = results;
  report.growing = results.filter((r) => r.grows).map((r) => r.series);
  report.analysedAt = new Date().toISOString();
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(renderTable(results, report.warmupMinutes) + `growth beyond the thresholds: ${report.growing.length ? report.growing.join(', ') : 'none'}\n`);
  return report.growing.length ? 4 : 0;
}
