/**
 * `npm run bench:ai`: latency of the AI helper through HTTP on the benchmark university (3,000
 * sections, 20,000 students with carts, SQLite): top-10 recommendations for many different students
 * and forecasts of 50 sections, one request at a time after a warm-up, p50/p90/p99/max printed and
 * written to bench-results/ai-latency.json. Targets (issue #11): recommendations p99 ≤ 30 ms,
 * forecast of 50 p99 ≤ 10 ms. Run it on a quiet machine (never beside the test suite or a build).
 *   --requests N   requests per endpoint (default 2,000)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDb, createLogger, createMetrics, createTokenSigner, createTokenVerifier, generateKeyPairPem } from '@goorm/common';
import { BENCHMARK_UNIVERSITY, generateUniversity, loadUniversity, migrateUniversity } from '@goorm/demo-data';
import { createApp } from '../services/ai-helper/src/app.ts';
import { ModelStore } from '../services/ai-helper/src/models.ts';
import { summarize } from './bench/stats.ts';
import { REPO_ROOT } from './system.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000' } } });
const requests = Number(values.requests);
const say = (s: string) => process.stdout.write(`${s}\n`);

const dir = mkdtempSync(path.join(tmpdir(), 'bench-ai-'));
const db = createDb(`sqlite:${path.join(dir, 'bench.sqlite')}`);
say('Loading the benchmark university (3,000 sections, 20,000 students with carts) on SQLite ...');
await migrateUniversity(db);
const u = generateUniversity({ ...BENCHMARK_UNIVERSITY, seed: 2026, now: new Date() });
await loadUniversity(db, u, { passwordHash: 'x', now: new Date() });

const keys = generateKeyPairPem();
const settings = { issuer: 'goorm-auth', audience: 'goorm-registration' };
const signer = await createTokenSigner(keys.privateKey, settings);
const verifier = await createTokenVerifier(keys.publicKey, { ...settings, clockToleranceSeconds: 30 });
const logger = createLogger('ai-helper', 'warn');
const models = new ModelStore(path.join(REPO_ROOT, 'services/ai-helper/models'), logger);
await models.reload(true);
const app = createApp({ db, verifier, logger, metrics: createMetrics('ai-helper'), readiness: async () => {}, models, accessLog: false });
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(url: string, token: string): Promise<{ ms: number; status: number; body: string }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${url}`, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

const students = u.students.filter((_, i) => i % 7 === 0);
const tokens = await Promise.all(students.slice(0, 500).map(async (s) => (await signer.sign({ id: s.id, role: 'student', loginId: s.studentNo, name: s.name }, 3600)).token));
const sectionIds = u.sections.map((s) => s.id);

async function measure(name: string, url: (i: number) => string) {
  for (let i = 0; i < 100; i++) await get(url(i), tokens[i % tokens.length]!); // warm-up (catalog load, JIT)
  const times: number[] = [];
  let errors = 0;
  let sample = '';
  for (let i = 0; i < requests; i++) {
    const r = await get(url(i), tokens[i % tokens.length]!);
    if (r.status !== 200) errors++;
    else if (!sample) sample = r.body;
    times.push(r.ms);
  }
  const q = { n: times.length, ...summarize(Float64Array.from(times)) };
  say(`  ${name.padEnd(34)} p50 ${q.p50} ms  p90 ${q.p90} ms  p99 ${q.p99} ms  max ${q.max} ms  (${q.n} requests, ${errors} not 200)`);
  return { ...q, errors, sampleBytes: sample.length };
}

say(`Measuring through HTTP, one request at a time (${requests} each):`);
const inference = models.current.status === 'loaded';
const results = {
  date: new Date().toISOString(),
  modelVersion: models.current.status === 'loaded' ? models.current.models.card.version : null,
  sections: u.sections.length,
  students: u.students.length,
  recommendationsTop10: await measure('GET /recommendations?limit=10', () => '/api/ai/recommendations?limit=10'),
  forecast50: await measure('GET /forecast (50 sections)', (i) => `/api/ai/forecast?sectionIds=${Array.from({ length: 50 }, (_, k) => sectionIds[(i * 50 + k) % sectionIds.length]).join(',')}`),
  targets: { recommendationsP99Ms: 30, forecast50P99Ms: 10 },
};
say(
  `Targets: recommendations p99 ≤ 30 ms: ${results.recommendationsTop10.p99 <= 30 ? 'met' : 'MISSED'}; forecast of 50 p99 ≤ 10 ms: ${results.forecast50.p99 <= 10 ? 'met' : 'MISSED'}${inference ? '' : ' (models not loaded!)'}`,
);
mkdirSync(path.join(REPO_ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(REPO_ROOT, 'bench-results/ai-latency.json'), `${JSON.stringify(results, null, 2)}\n`);
agent.destroy();
server.close();
await db.destroy();
rmSync(dir, { recursive: true, force: true });
