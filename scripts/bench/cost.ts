/**
 * What the opening cost: CPU seconds of each service process (and its children: the replicas'
 * cluster workers) and of MariaDB, read from /proc over the opening, divided by the requests each
 * answered. Linux only; elsewhere every figure is absent rather than wrong.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, nearly always 100). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime in ticks. */
  ticks: number;
}

/** /proc/<pid>/stat: `pid (comm) state ppid … utime(14) stime(15) …`; comm may hold spaces and parentheses. */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): field n is rest[n - 3].
  return { pid, ppid: Number(rest[1]), comm, ticks: Number(rest[11]) + Number(rest[12]) };
}

function allProcesses(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcStat[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const s = readStat(Number(e));
    if (s) out.push(s);
  }
  return out;
}

/** CPU seconds (user + system) of each named process tree, of the database server and of the load's own processes, now. */
export interface CpuSnapshot {
  at: number;
  trees: Record<string, number>;
  mariadb: number | undefined;
  /** Processes that are not the system under test but share its cores: the bench driver, the side-traffic client, Redis. */
  others: Record<string, number>;
}

/** Whether a server URL points at this machine (its processes' CPU can then be read from /proc). */
export function onThisMachine(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The database server on this machine (mariadbd / mysqld), if it runs here. */
export function databasePid(): number | undefined {
  return allProcesses().find((p) => p.comm === 'mariadbd' || p.comm === 'mysqld')?.pid;
}

/** Redis on this machine, if it runs here. */
export function redisPid(): number | undefined {
  return allProcesses().find((p) => p.comm === 'redis-server')?.pid;
}

export function cpuSnapshot(roots: Record<string, number | undefined>, dbPid: number | undefined, others: Record<string, number | undefined> = {}): CpuSnapshot {
  const procs = allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const treeTicks = (pid: number): number => {
    let sum = byPid.get(pid)?.ticks ?? 0;
    for (const c of children.get(pid) ?? []) sum += treeTicks(c.pid);
    return sum;
  };
  const trees: Record<string, number> = {};
  for (const [name, pid] of Object.entries(roots)) if (pid !== undefined) trees[name] = treeTicks(pid) / TICKS_PER_SECOND;
  const other: Record<string, number> = {};
  // Each on its own, not with its children: the driver's children are the services.
  for (const [name, pid] of Object.entries(others)) if (pid !== undefined && byPid.has(pid)) other[name] = byPid.get(pid)!.ticks / TICKS_PER_SECOND;
  return { at: performance.now(), trees, mariadb: dbPid === undefined ? undefined : (byPid.get(dbPid)?.ticks ?? 0) / TICKS_PER_SECOND, others: other };
}

/** Requests the bench sent during the opening, by class (answered or not; 429s and retries included). */
export interface RequestsByClass {
  enroll: number;
  queueJoin: number;
  queuePoll: number;
  waitlistJoin: number;
  timetable: number;
  dashboard: number;
  search: number;
}

export interface ServiceCost {
  cpuSeconds: number;
  requests: number;
  /** CPU milliseconds per request the service answered (all of its request classes together). */
  cpuMsPerRequest: number;
}

export interface OpeningCost {
  /** The measured interval: the opening until the last answer (and the side traffic's last). */
  windowMs: number;
  services: Record<string, ServiceCost>;
  requests: RequestsByClass;
  decisions: number;
  /** Enrollment CPU per decision, everything else it answered in the opening included (polls, joins, reads). */
  enrollmentCpuMsPerDecision: number;
  /** Waiting-room polls per student the room admitted. */
  roomPollsPerAdmittedStudent: number;
  admittedStudents: number;
  /** The database server over the same interval (absent when it does not run on this machine). */
  mariadb?: { cpuSeconds: number; cores: number; commits: number; cpuMsPerCommit: number } | undefined;
  /** Cores of the machine busy with the services and the database together over the interval. */
  coresUsed: number;
  /** CPU seconds of the processes that share the cores without being the system: the bench driver, the side-traffic client, Redis. */
  others: Record<string, number>;
  /** Cores busy with everything measured (the system and the others) over the interval, of the machine's `cores`. */
  coresUsedAll: number;
  cores: number;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Which request classes each service answers; the gateway answers all of them. */
const SERVED_BY: Record<string, Array<keyof RequestsByClass>> = {
  enrollment: ['enroll', 'queueJoin', 'queuePoll', 'waitlistJoin', 'timetable', 'dashboard'],
  lectures: ['search'],
  gateway: ['enroll', 'queueJoin', 'queuePoll', 'waitlistJoin', 'timetable', 'dashboard', 'search'],
};

export function openingCost(
  before: CpuSnapshot,
  after: CpuSnapshot,
  input: { requests: RequestsByClass; decisions: number; admittedStudents: number; commits: number | undefined },
): OpeningCost {
  const windowMs = after.at - before.at;
  const services: Record<string, ServiceCost> = {};
  let busy = 0;
  for (const [name, cpuAfter] of Object.entries(after.trees)) {
    const cpuSeconds = cpuAfter - (before.trees[name] ?? 0);
    busy += cpuSeconds;
    const requests = (SERVED_BY[name] ?? []).reduce((n, k) => n + input.requests[k], 0);
    services[name] = { cpuSeconds: r3(cpuSeconds), requests, cpuMsPerRequest: requests > 0 ? r3((cpuSeconds * 1000) / requests) : 0 };
  }
  const enrollmentCpu = services.enrollment?.cpuSeconds ?? 0;
  let mariadb: OpeningCost['mariadb'];
  if (after.mariadb !== undefined && before.mariadb !== undefined) {
    const cpuSeconds = after.mariadb - before.mariadb;
    busy += cpuSeconds;
    const commits = input.commits ?? 0;
    mariadb = { cpuSeconds: r3(cpuSeconds), cores: r3(cpuSeconds / (windowMs / 1000)), commits, cpuMsPerCommit: commits > 0 ? r3((cpuSeconds * 1000) / commits) : 0 };
  }
  const others: Record<string, number> = {};
  let othersBusy = 0;
  for (const [name, cpu] of Object.entries(after.others)) {
    const used = cpu - (before.others[name] ?? 0);
    others[name] = r3(used);
    othersBusy += used;
  }
  return {
    windowMs: Math.round(windowMs),
    services,
    requests: input.requests,
    decisions: input.decisions,
    enrollmentCpuMsPerDecision: input.decisions > 0 ? r3((enrollmentCpu * 1000) / input.decisions) : 0,
    roomPollsPerAdmittedStudent: input.admittedStudents > 0 ? Math.round((input.requests.queuePoll / input.admittedStudents) * 100) / 100 : 0,
    admittedStudents: input.admittedStudents,
    mariadb,
    coresUsed: windowMs > 0 ? Math.round((busy / (windowMs / 1000)) * 100) / 100 : 0,
    others,
    coresUsedAll: windowMs > 0 ? Math.round(((busy + othersBusy) / (windowMs / 1000)) * 100) / 100 : 0,
    cores: cpus().length,
  };
}
