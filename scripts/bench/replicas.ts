/**
 * N replicas of one service behind one port: a cluster primary that forks N worker processes
 * running the service's server.ts. The primary accepts connections and hands them to the workers
 * round-robin (an L4 balancer, like a Kubernetes Service); with keep-alive connections it costs
 * nothing per request. Each worker is a whole service process with its own database pool.
 *
 *   REPLICAS=2 SERVER_FILE=services/enrollment/src/server.ts PORT=... node --import tsx scripts/bench/replicas.ts
 *
 * SIGTERM is passed to every worker (each drains as in production); the primary exits when all
 * have exited, non-zero when one died on its own.
 */
import cluster from 'node:cluster';
import path from 'node:path';

const count = Number(process.env.REPLICAS ?? '2');
const file = process.env.SERVER_FILE;
if (!file || !Number.isInteger(count) || count < 1) {
  process.stderr.write('replicas.ts needs REPLICAS >= 1 and SERVER_FILE\n');
  process.exit(2);
}

const workerArgs = (process.env.REPLICA_EXEC_ARGV ?? '').split(' ').filter(Boolean);
cluster.setupPrimary({ exec: path.resolve(file), execArgv: ['--import', 'tsx', ...workerArgs] });

let listening = 0;
let stopping = false;
let failed = false;
const workers = Array.from({ length: count }, (_, i) => {
  const w = cluster.fork({ REPLICA_INDEX: String(i) });
  w.once('listening', () => {
    listening++;
    if (listening === count) process.stdout.write(`${JSON.stringify({ level: 30, msg: 'replicas listening', replicas: count })}\n`);
  });
  w.once('exit', (code, signal) => {
    if (!stopping) {
      failed = true;
      process.stderr.write(`${JSON.stringify({ level: 50, msg: 'replica exited on its own', replica: i, code, signal })}\n`);
      stop();
    }
  });
  return w;
});

function stop() {
  stopping = true;
  for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
}

for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, stop);

cluster.on('exit', () => {
  if (workers.every((w) => w.isDead())) process.exit(failed ? 1 : 0);
});
