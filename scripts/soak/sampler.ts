/**
 * One sample every few seconds: per service process RSS (/proc/<pid>/status), open descriptors
 * (/proc/<pid>/fd) and what its /metrics says (heap, handles, pool connections); MariaDB's
 * Threads_connected and the connections to the soak's own database; Redis's connected_clients.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Knex } from '@goorm/common';
import { HttpClient } from '../bench/client.ts';

export interface ProcSample {
  rssBytes: number | undefined;
  fds: number | undefined;
  heapUsedBytes: number | undefined;
  heapTotalBytes: number | undefined;
  externalBytes: number | undefined;
  activeHandles: number | undefined;
  activeRequests: number | undefined;
  /** db_pool_connections used + free (the knex pool's open connections), when the service has a pool. */
  dbPoolOpen: number | undefined;
  /** Sockets by state from /proc/<pid>/fd (socket:[…] links). */
  sockets: number | undefined;
}

export interface Sample {
  /** Minutes since the steady traffic began. */
  t: number;
  at: string;
  services: Record<string, ProcSample>;
  mariadbThreadsConnected: number | undefined;
  /** Connections whose current database is the soak's (information_schema.processlist). */
  mariadbSoakConnections: number | undefined;
  redisConnectedClients: number | undefined;
  /** Client-side counters at this instant (cumulative). */
  requests: number;
  serverErrors: number;
  transportErrors: number;
}

const METRICS = {
  heapUsedBytes: 'nodejs_heap_size_used_bytes',
  heapTotalBytes: 'nodejs_heap_size_total_bytes',
  externalBytes: 'nodejs_external_memory_bytes',
  activeHandles: 'nodejs_active_handles_total',
  activeRequests: 'nodejs_active_requests_total',
} as const;

function procStatus(pid: number): { rssBytes: number | undefined; fds: number | undefined; sockets: number | undefined } {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    let fds: number | undefined;
    let sockets = 0;
    try {
      const entries = readdirSync(`/proc/${pid}/fd`);
      fds = entries.length;
      for (const e of entries) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${e}`).startsWith('socket:')) sockets++;
        } catch {
          // closed between readdir and readlink
        }
      }
    } catch {
      fds = undefined;
    }
    return { rssBytes: kb === undefined ? undefined : Number(kb) * 1024, fds, sockets: fds === undefined ? undefined : sockets };
  } catch {
    return { rssBytes: undefined, fds: undefined, sockets: undefined };
  }
}

/** The value of an unlabelled metric, or the sum over the label values of one (first match per line). */
export function metricValue(text: string, name: string, labelFilter?: (labels: string) => boolean): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    if (labelFilter && !labelFilter(m[2] ?? '')) continue;
    sum = (sum ?? 0) + Number(m[3]);
  }
  return sum;
}

export class Sampler {
  private readonly scrapers = new Map<string, HttpClient>();
  private readonly redis: Redis;

  constructor(
    private readonly services: Record<string, { pid: number | undefined; port: number }>,
    private readonly db: Knex,
    private readonly database: string,
    redisUrl: string,
  ) {
    for (const [name, s] of Object.entries(services)) this.scrapers.set(name, new HttpClient(`http://127.0.0.1:${s.port}`, 1, 10_000));
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: true });
    this.redis.on('error', () => {});
  }

  async sample(t: number, counters: { requests: number; serverErrors: number; transportErrors: number }): Promise<Sample> {
    const services: Record<string, ProcSample> = {};
    await Promise.all(
      Object.entries(this.services).map(async ([name, s]) => {
        const proc = s.pid === undefined ? { rssBytes: undefined, fds: undefined, sockets: undefined } : procStatus(s.pid);
        const r = await this.scrapers.get(name)!.call('GET', '/metrics', {});
        const text = r.ok && r.status === 200 ? r.text : '';
        const m = Object.fromEntries(Object.entries(METRICS).map(([k, metric]) => [k, metricValue(text, metric)])) as Record<keyof typeof METRICS, number | undefined>;
        const used = metricValue(text, 'db_pool_connections', (l) => l.includes('state="used"'));
        const free = metricValue(text, 'db_pool_connections', (l) => l.includes('state="free"'));
        services[name] = { ...proc, ...m, dbPoolOpen: used === undefined && free === undefined ? undefined : (used ?? 0) + (free ?? 0) };
      }),
    );
    let threads: number | undefined;
    let mine: number | undefined;
    try {
      const [rows] = (await this.db.raw("show global status like 'Threads_connected'")) as [Array<{ Value: string }>];
      threads = Number(rows[0]?.Value);
      const [pl] = (await this.db.raw('select count(*) as n from information_schema.processlist where db = ?', [this.database])) as [Array<{ n: number }>];
      mine = Number(pl[0]?.n);
    } catch {
      // counted as missing
    }
    let redisClients: number | undefined;
    try {
      if (this.redis.status === 'wait') await this.redis.connect();
      const info = await this.redis.info('clients');
      const v = /connected_clients:(\d+)/.exec(info)?.[1];
      redisClients = v === undefined ? undefined : Number(v);
    } catch {
      redisClients = undefined;
    }
    return {
      t,
      at: new Date().toISOString(),
      services,
      mariadbThreadsConnected: threads,
      mariadbSoakConnections: mine,
      redisConnectedClients: redisClients,
      ...counters,
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.scrapers.values()].map((c) => c.close()));
    this.redis.disconnect();
  }
}
