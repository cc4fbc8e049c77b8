/**
 * Runs Debian's Prometheus (and, for the proof, its Pushgateway and node exporter) as child
 * processes with their own storage in a temp dir, and talks to Prometheus's HTTP API.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { RULE_FILES } from './paths.ts';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
export const PUSHGATEWAY_BIN = process.env.PUSHGATEWAY_BIN ?? '/usr/bin/prometheus-pushgateway';
export const NODE_EXPORTER_BIN = process.env.NODE_EXPORTER_BIN ?? '/usr/bin/prometheus-node-exporter';

export interface ScrapeTarget {
  /** The `service` label, as the services put on their own metrics (ServiceMonitor gives the same in the cluster). */
  service: string;
  address: string;
}

export interface ScrapeConfigOptions {
  services: ScrapeTarget[];
  pushgateway?: string;
  nodeExporter?: string;
  self?: string;
  intervalSeconds?: number;
}

/** The scrape config the proof (and `npm run monitor`) runs: every service by name, plus the helpers. */
export function scrapeConfig(o: ScrapeConfigOptions): string {
  const interval = `${o.intervalSeconds ?? 2}s`;
  const jobs: unknown[] = o.services.map((s) => ({
    job_name: s.service,
    static_configs: [{ targets: [s.address], labels: { service: s.service, namespace: 'goorm', pod: `${s.service}-local` } }],
  }));
  if (o.pushgateway) jobs.push({ job_name: 'pushgateway', honor_labels: true, static_configs: [{ targets: [o.pushgateway] }] });
  if (o.nodeExporter) jobs.push({ job_name: 'node-exporter', static_configs: [{ targets: [o.nodeExporter] }] });
  if (o.self) jobs.push({ job_name: 'prometheus', static_configs: [{ targets: [o.self] }] });
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval, external_labels: { prometheus_replica: 'local-0' } },
    rule_files: RULE_FILES,
    scrape_configs: jobs,
  });
}

/** A helper process (or stand-in) the proof runs beside the system. */
export interface Helper {
  url: string;
  stop(): Promise<void>;
}

export interface Child {
  proc: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

function launch(bin: string, args: string[]): Child {
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (b: Buffer) => {
    output.push(...b.toString().split('\n').filter(Boolean));
    if (output.length > 60) output.splice(0, output.length - 60);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    proc,
    output,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitHttp(url: string, child: Child, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`${what} exited (${child.proc.exitCode}):\n${child.output.join('\n')}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer ${url} in time:\n${child.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface RunningPrometheus extends Child {
  url: string;
  dir: string;
  api: PromApi;
}

/** Starts Prometheus on `port` with this config (rule files resolved from the repository) and storage in a temp dir. */
export async function startPrometheus(config: string, port: number, opts: { keepData?: boolean; host?: string } = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'goorm-prometheus-'));
  const file = path.join(dir, 'prometheus.yml');
  writeFileSync(file, config);
  const host = opts.host ?? '127.0.0.1';
  const child = launch(PROMETHEUS_BIN, [
    `--config.file=${file}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=${host}:${port}`,
    '--web.enable-lifecycle',
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHttp(`${url}/-/ready`, child, 'prometheus');
  } catch (err) {
    await child.stop();
    throw err;
  }
  return {
    ...child,
    url,
    dir,
    api: new PromApi(url),
    async stop() {
      await child.stop();
      if (!opts.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's Pushgateway (package prometheus-pushgateway) when it is installed, else a stand-in in
 * this process that speaks the part of its API the invariant job uses: PUT/POST
 * /metrics/job/<job> stores the pushed text, DELETE removes it, GET /metrics serves every group
 * with its `job` label (as the Pushgateway does; the scrape job honours it).
 */
export async function startPushgateway(port: number): Promise<Helper> {
  const url = `http://127.0.0.1:${port}`;
  if (existsSync(PUSHGATEWAY_BIN)) {
    const child = launch(PUSHGATEWAY_BIN, [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn']);
    await waitHttp(`${url}/-/ready`, child, 'pushgateway');
    return { ...child, url };
  }
  const groups = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const job = /^\/metrics\/job\/([^/?]+)/.exec(req.url ?? '')?.[1];
      if (job && (req.method === 'PUT' || req.method === 'POST')) {
        groups.set(decodeURIComponent(job), Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200).end();
      } else if (job && req.method === 'DELETE') {
        groups.delete(decodeURIComponent(job));
        res.writeHead(202).end();
      } else if (req.method === 'GET' && req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end([...groups].map(([j, text]) => withJobLabel(text, j)).join('\n'));
      } else if (req.method === 'GET' && req.url === '/-/ready') {
        res.writeHead(200).end('OK');
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { url, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Every sample line of a text exposition with `job="<job>"` added to its labels. */
export function withJobLabel(text: string, job: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line || line.startsWith('#')) return line;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(.*)$/.exec(line);
      if (!m) return line;
      const labels = m[3] ? `${m[3]},job="${job}"` : `job="${job}"`;
      return `${m[1]}{${labels}} ${m[4]}`;
    })
    .join('\n');
}

export async function startNodeExporter(port: number): Promise<Child & { url: string }> {
  const child = launch(NODE_EXPORTER_BIN, [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn']);
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/metrics`, child, 'node exporter');
  return { ...child, url };
}

export interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

/** The query part of the HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/). */
export class PromApi {
  constructor(readonly url: string) {}

  private async get<T>(p: string, params: Record<string, string>): Promise<T> {
    const res = await fetch(`${this.url}${p}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`${p} ${JSON.stringify(params)}: ${body.errorType}: ${body.error}`);
    return body.data;
  }

  async query(expr: string, time?: number): Promise<Sample[]> {
    const d = await this.get<{ resultType: string; result: Sample[] | [number, string] }>('/api/v1/query', { query: expr, ...(time ? { time: String(time) } : {}) });
    // a scalar answers [time, value]
    return d.resultType === 'scalar' ? [{ metric: {}, value: d.result as [number, string] }] : (d.result as Sample[]);
  }

  async queryRange(expr: string, start: number, end: number, step: number): Promise<Sample[]> {
    return this.get<Sample[]>('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) }).then(
      (d) => (d as unknown as { result: Sample[] }).result,
    );
  }

  async labelValues(label: string, match?: string): Promise<string[]> {
    return this.get<string[]>(`/api/v1/label/${label}/values`, match ? { 'match[]': match } : {});
  }

  async targets(): Promise<Array<{ labels: Record<string, string>; health: string; lastError: string }>> {
    return (await this.get<{ activeTargets: Array<{ labels: Record<string, string>; health: string; lastError: string }> }>('/api/v1/targets', {})).activeTargets;
  }

  async rules(): Promise<Array<{ name: string; rules: Array<{ name: string; query: string; type: string; health: string; lastError?: string }> }>> {
    return (await this.get<{ groups: Array<{ name: string; rules: Array<{ name: string; query: string; type: string; health: string; lastError?: string }> }> }>('/api/v1/rules', {})).groups;
  }
}

/** promtool with these arguments: exit status and output (stdout + stderr). */
export function promtool(args: string[], cwd?: string): { status: number; output: string } {
  const r = spawnSync(PROMTOOL_BIN, args, { encoding: 'utf8', ...(cwd ? { cwd } : {}) });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}
