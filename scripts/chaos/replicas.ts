/**
 * The chaos script's enrollment replicas: like scripts/bench/replicas.ts (a cluster primary that
 * forks N workers running the service's server.ts and hands them connections round-robin, an L4
 * balancer like a Kubernetes Service), except that a worker that dies is started again after
 * REPLICA_RESTART_DELAY_MS, as a Deployment's pod is. Every start, listen and exit is appended as
 * one JSON line to REPLICA_EVENTS_FILE, where the chaos script reads which process it may kill
 * and when its replacement listened.
 *
 *   REPLICAS=2 SERVER_FILE=services/enrollment/src/server.ts REPLICA_EVENTS_FILE=/tmp/x.jsonl PORT=... \
 *     node --import tsx scripts/chaos/replicas.ts
 *
 * SIGTERM is passed to every worker (each drains as in production); the primary exits when all
 * have exited.
 */
import cluster, { type Worker } from 'node:cluster';
import { appendFileSync } from 'node:fs';
import path from 'node:path';

const count = Number(process.env.REPLICAS ?? '2');
const file = process.env.SERVER_FILE;
const eventsFile = process.env.REPLICA_EVENTS_FILE;
const restartDelayMs = Number(process.env.REPLICA_RESTART_DELAY_MS ?? '1000');
if (!file || !Number.isInteger(count) || count < 1 || !eventsFile) {
  process.stderr.write('chaos/replicas.ts needs REPLICAS >= 1, SERVER_FILE and REPLICA_EVENTS_FILE\n');
  process.exit(2);
}

export interface ReplicaEvent {
  event: 'fork' | 'listening' | 'exit';
  replica: number;
  pid: number | undefined;
  /** Epoch ms. */
  at: number;
  code?: number | null;
  signal?: string | null;
}

const record = (e: ReplicaEvent) => appendFileSync(eventsFile, JSON.stringify(e) + '\n');

cluster.setupPrimary({ exec: path.resolve(file), execArgv: ['--import', 'tsx'] });

let stopping = false;
let listeningOnce = 0;
const workers: Worker[] = [];

function start(i: number): void {
  const w = cluster.fork({ REPLICA_INDEX: String(i) });
  workers[i] = w;
  record({ event: 'fork', replica: i, pid: w.process.pid, at: Date.now() });
  w.once('listening', () => {
    record({ event: 'listening', replica: i, pid: w.process.pid, at: Date.now() });
    listeningOnce++;
    if (listeningOnce === count) process.stdout.write(`${JSON.stringify({ level: 30, msg: 'replicas listening', replicas: count })}\n`);
  });
  w.once('exit', (code, signal) => {
    record({ event: 'exit', replica: i, pid: w.process.pid, at: Date.now(), code, signal });
    if (stopping) {
      if (workers.every((x) => x.isDead())) process.exit(0);
      return;
    }
    process.stderr.write(`${JSON.stringify({ level: 40, msg: 'replica exited; starting it again', replica: i, code, signal, restartDelayMs })}\n`);
    setTimeout(() => {
      if (!stopping) start(i);
    }, restartDelayMs);
  });
}

for (let i = 0; i < count; i++) start(i);

function stop() {
  stopping = true;
  if (workers.every((w) => w.isDead())) process.exit(0);
  for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
}

for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, stop);
