/**
 * The faults: what is done to which process, and when the component counts as back.
 *
 * - enrollment-kill: SIGKILL one of the two enrollment replicas (no drain, in-flight requests
 *   lost); its cluster primary (chaos/replicas.ts) starts it again, as a Deployment would. Back =
 *   the new process listens.
 * - mariadb-restart: SIGTERM to mariadbd (a clean shutdown: connections closed, as a managed
 *   restart or a failover does), started again on the same data and port after the outage. Back =
 *   it answers `select 1`.
 * - mariadb-crash: SIGKILL to mariadbd (crash recovery on start; a commit acknowledged before the
 *   crash must still be there). Back = as above.
 * - redis-restart: SIGTERM to redis-server (it keeps nothing on disk: the queue, the cursor, the
 *   settings and the rate-limit counters are gone), started again on the same port after the
 *   outage. Back = it answers PING.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sleep } from '../bench/client.ts';
import type { FaultName } from './options.ts';
import type { ReplicaEvent } from './replicas.ts';
import type { ChaosServer } from './servers.ts';

export interface FaultTimes {
  /** performance.now() when the signal was sent. */
  injectedAt: number;
  /** performance.now() when the component answered again. */
  backAt: number;
  detail: string;
  /** The enrollment process killed on purpose (its exit is not a crash). */
  killedPid?: number;
}

export interface FaultContext {
  mariadb: ChaosServer;
  redis: ChaosServer;
  /** The JSON lines file the replicas' primary writes. */
  replicaEvents: string;
  outageMs: number;
}

export function readReplicaEvents(file: string): ReplicaEvent[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ReplicaEvent);
}

/** The process of a replica that listens now (its latest listening event, not followed by its exit). */
function listeningPid(events: ReplicaEvent[], replica: number): number | undefined {
  let pid: number | undefined;
  for (const e of events) {
    if (e.replica !== replica) continue;
    if (e.event === 'listening') pid = e.pid;
    if (e.event === 'exit' && e.pid === pid) pid = undefined;
  }
  return pid;
}

async function killReplica(ctx: FaultContext): Promise<FaultTimes> {
  const replica = 0;
  const pid = listeningPid(readReplicaEvents(ctx.replicaEvents), replica);
  if (pid === undefined) throw new Error(`enrollment replica ${replica} is not listening: nothing to kill`);
  const injectedAt = performance.now();
  process.kill(pid, 'SIGKILL');
  const deadline = injectedAt + 120_000;
  for (;;) {
    const now = listeningPid(readReplicaEvents(ctx.replicaEvents), replica);
    if (now !== undefined && now !== pid) return { injectedAt, backAt: performance.now(), killedPid: pid, detail: `SIGKILL to enrollment replica ${replica} (pid ${pid}); pid ${now} listens in its place` };
    if (performance.now() > deadline) throw new Error(`enrollment replica ${replica} was not started again within 120 s of its SIGKILL`);
    await sleep(50);
  }
}

async function restart(server: ChaosServer, signal: 'SIGTERM' | 'SIGKILL', outageMs: number): Promise<FaultTimes> {
  const pid = server.pid;
  const injectedAt = performance.now();
  await server.stop(signal);
  const stoppedMs = performance.now() - injectedAt;
  await sleep(Math.max(0, outageMs - stoppedMs));
  const startedAt = performance.now();
  await server.start();
  const backAt = performance.now();
  return {
    injectedAt,
    backAt,
    detail: `${signal} to ${server.name} (pid ${pid}; exited after ${(stoppedMs / 1000).toFixed(1)} s), started again on port ${server.port} ${((startedAt - injectedAt) / 1000).toFixed(1)} s after the signal (pid ${server.pid}), answering ${((backAt - startedAt) / 1000).toFixed(1)} s later`,
  };
}

export function injectFault(name: FaultName, ctx: FaultContext): Promise<FaultTimes> {
  switch (name) {
    case 'enrollment-kill':
      return killReplica(ctx);
    case 'mariadb-restart':
      return restart(ctx.mariadb, 'SIGTERM', ctx.outageMs);
    case 'mariadb-crash':
      return restart(ctx.mariadb, 'SIGKILL', ctx.outageMs);
    case 'redis-restart':
      return restart(ctx.redis, 'SIGTERM', ctx.outageMs);
  }
}
