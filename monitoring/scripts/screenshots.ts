/**
 * `npm run screenshots -w @goorm/monitoring`: runs the real-data proof (the local system, Debian's
 * Prometheus, a registration-day load a little larger than the test's so the curves have a shape),
 * then draws the Registration day dashboard's main panels from that Prometheus in Chromium and
 * writes docs/screenshots/monitoring-registration-day*.png. Exits non-zero when a query had no data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { panelsOf } from '../src/dashboards/index.ts';
import { registrationDay } from '../src/dashboards/registration-day.ts';
import { REPO_ROOT } from '../src/paths.ts';
import { passed, prove } from '../src/prove.ts';
import { panelSeries, renderPanels } from '../src/render.ts';
import { formatProof } from '../src/verify.ts';

/** The panels an operator reads first on registration day, in the order the picture shows them. */
export const MAIN_PANELS = [
  'Enroll decisions per second by outcome',
  'Seats filled and capacity',
  'Waiting room length',
  'Admission rate: chosen and admitted',
  'Admission wait',
  'Enroll latency (POST /api/enrollments)',
  'Search latency (GET /api/lectures/sections)',
  'DB pool: in use and waiting',
];

const say = (line: string) => process.stdout.write(`${line}\n`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'goorm-monitoring-screenshots-'));
const run = await prove({ dataDir, students: 96, concurrency: 12, log: say });
let code = 0;
try {
  say(formatProof(run.dashboards, run.rules));
  if (!passed(run)) code = 1;
  const panels = panelsOf(registrationDay).filter((p) => MAIN_PANELS.includes(p.title));
  panels.sort((a, b) => MAIN_PANELS.indexOf(a.title) - MAIN_PANELS.indexOf(b.title));
  // up to the end of the load: right after it, the load sets the room back to its serving rate
  const end = Math.floor(run.range.start + 5 + run.load.seconds) - 2;
  const rendered = [];
  for (const p of panels) rendered.push(await panelSeries(run.env.prometheus.api, p, run.range.start, end, 2));
  const files = await renderPanels(rendered, {
    outDir: path.join(REPO_ROOT, 'docs', 'screenshots'),
    prefix: 'monitoring-registration-day',
    heading: `Registration day — ${run.load.requests} requests of a local load, scraped by Prometheus ${new Date(run.range.start * 1000).toISOString().slice(0, 16)}Z`,
  });
  for (const f of files) say(`wrote ${path.relative(REPO_ROOT, f)}`);
} finally {
  await run.env.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
