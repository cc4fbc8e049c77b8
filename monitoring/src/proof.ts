/**
 * The local monitoring environment the real-data proof and `npm run monitor` share: the whole
 * system (every service and the gateway) on its own MariaDB database and Redis prefix, Debian's
 * Pushgateway (where the invariant CronJob entry pushes) and node exporter, and Debian's Prometheus
 * scraping all of them with the repository's rule files.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startSystem, type RunningSystem } from '../../scripts/system.ts';
import { openDatabase } from '../../scripts/lib/db.ts';
import { REPO_ROOT } from './paths.ts';
import { scrapeConfig, startNodeExporter, startPrometheus, startPushgateway, type Child, type Helper, type RunningPrometheus } from './prometheus.ts';

export interface ProofEnvironment {
  system: RunningSystem;
  prometheus: RunningPrometheus;
  pushgateway: Helper;
  nodeExporter: Child & { url: string };
  databaseUrl: string;
  /** The services Prometheus scrapes (ai-helper only when its entry point exists and it started). */
  services: string[];
  /** Student numbers of the demo university. */
  students(limit: number): Promise<string[]>;
  /** Runs the invariant CronJob entry once against the database, pushing to the Pushgateway; its exit status. */
  runInvariantJob(): Promise<number>;
  stop(): Promise<void>;
}

export interface ProofOptions {
  /** mysql://… database for the system (created if missing). Default: a fresh one on 127.0.0.1:3306, dropped at stop. */
  databaseUrl?: string;
  redisUrl?: string;
  dataDir: string;
  prometheusPort?: number;
  prometheusHost?: string;
  /** Ports of an already running system (npm start) to scrape instead of starting one. */
  external?: { ports: Record<string, number>; databaseUrl: string };
  scrapeIntervalSeconds?: number;
}

export async function startProofEnvironment(o: ProofOptions): Promise<ProofEnvironment> {
  const own = !o.databaseUrl && !o.external;
  const dbName = `goorm_monitoring_${process.pid}`;
  const databaseUrl = o.external?.databaseUrl ?? o.databaseUrl ?? `mysql://root@127.0.0.1:3306/${dbName}`;
  const redisUrl = o.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  try {
    let system: RunningSystem;
    if (o.external) {
      system = { url: `http://127.0.0.1:${o.external.ports.gateway}`, ports: o.external.ports, databaseUrl, seed: undefined, crashed: new Promise(() => {}), stop: async () => {} };
    } else {
      system = await startSystem({
        dataDir: o.dataDir,
        databaseUrl,
        redisUrl,
        servicePorts: 'free',
        gatewayPort: 0,
        quiet: true,
        // its own waiting room in Redis; rate limits that a small load never meets
        env: { QUEUE_REDIS_PREFIX: `goorm-monitoring-${process.pid}:`, RATE_LIMIT_ENABLED: 'false', LOG_LEVEL: 'warn' },
      });
      stops.push(() => system.stop());
      if (own) {
        stops.unshift(async () => {
          const admin = await openDatabase('mysql://root@127.0.0.1:3306/mysql', { poolMax: 1 });
          try {
            await admin.raw(`DROP DATABASE IF EXISTS \`${dbName}\``);
          } finally {
            await admin.destroy();
          }
        });
      }
    }
    const pushgateway = await startPushgateway(await freePort());
    stops.push(() => pushgateway.stop());
    const nodeExporter = await startNodeExporter(await freePort());
    stops.push(() => nodeExporter.stop());
    const services = Object.keys(system.ports);
    const promPort = o.prometheusPort ?? (await freePort());
    const config = scrapeConfig({
      services: services.map((service) => ({ service, address: `127.0.0.1:${system.ports[service]}` })),
      pushgateway: new URL(pushgateway.url).host,
      nodeExporter: new URL(nodeExporter.url).host,
      self: `127.0.0.1:${promPort}`,
      intervalSeconds: o.scrapeIntervalSeconds ?? 2,
    });
    const prometheus = await startPrometheus(config, promPort, { ...(o.prometheusHost ? { host: o.prometheusHost } : {}) });
    stops.push(() => prometheus.stop());
    return {
      system,
      prometheus,
      pushgateway,
      nodeExporter,
      databaseUrl,
      services,
      async students(limit) {
        const db = await openDatabase(databaseUrl, { poolMax: 1 });
        try {
          const rows = (await db('student').select('student_no').orderBy('id').limit(limit)) as Array<{ student_no: string }>;
          return rows.map((r) => r.student_no);
        } finally {
          await db.destroy();
        }
      },
      async runInvariantJob() {
        try {
          await promisify(execFile)(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['services/enrollment/src/jobs/check-invariants.ts'], {
            cwd: REPO_ROOT,
            env: { ...process.env, DATABASE_URL: databaseUrl, PUSHGATEWAY_URL: pushgateway.url, LOG_LEVEL: 'warn' },
          });
          return 0;
        } catch (err) {
          return (err as { code?: number }).code ?? -1;
        }
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
