/**
 * `npx tsx infra/bin/capacity.ts [bench-results/…/<run>.json]`: the capacity model's figures, for
 * docs/capacity.md. With a run file (one with a `cost` object), first prints the MEASURED object
 * that cites it, to paste into infra/src/capacity.ts; then, for the model as committed, the unit
 * costs, both openings' plans and the 2-core check. Reads files, writes nothing.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEASURED, SCENARIOS, measuredFromRun, planCapacity, predictOnBenchMachine, unitCosts, type BenchRunFile } from '../src/capacity.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = (text: string) => process.stdout.write(`${text}\n`);
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const rounded = (value: unknown): unknown =>
  typeof value === 'number' ? round(value) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)])) : value;

const file = process.argv[2];
if (file) {
  const source = relative(repoRoot, resolve(file));
  const run = JSON.parse(readFileSync(join(repoRoot, source), 'utf8')) as BenchRunFile;
  out(`// MEASURED for ${source} (paste into infra/src/capacity.ts)`);
  out(`export const MEASURED: MeasuredOpening = ${JSON.stringify(measuredFromRun(source, run), null, 2)};\n`);
  const check = predictOnBenchMachine(measuredFromRun(source, run));
  out(`2-core check of that run with its own costs: predicted ${round(check.predicted, 0)}/s, measured ${check.measured}/s (${round(check.error * 100, 1)} %)\n`);
}
out(`model as committed (MEASURED.source = ${MEASURED.source})`);
out(`unit costs ${JSON.stringify(rounded(unitCosts()), null, 2)}`);
for (const scenario of Object.values(SCENARIOS)) out(`${scenario.name}: ${JSON.stringify(rounded(planCapacity(scenario)), null, 2)}`);
out(`2-core check ${JSON.stringify(rounded(predictOnBenchMachine()), null, 2)}`);
