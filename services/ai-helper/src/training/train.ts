/**
 * `npm run train -w services/ai-helper`: simulate, train, evaluate and export both models to
 * MODEL_DIR (default services/ai-helper/models): recommender.onnx, forecast.onnx, model-card.json
 * and MODEL_CARD.md. Deterministic: the same seed gives byte-identical .onnx files.
 *   --small     the small university (tests, a quick look)
 *   --out DIR   another output directory
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderModelCard, writeSummaries } from './card.ts';
import { runPipeline, type PipelineOptions } from './pipeline.ts';
import { SUMMARY_FILES } from './readme.ts';
import { FULL_SIMULATION, SMALL_SIMULATION } from './simulate.ts';

export const DEFAULT_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models');

export function pipelineOptions(small: boolean, trainedAt = new Date().toISOString()): PipelineOptions {
  return {
    simulation: small ? SMALL_SIMULATION : FULL_SIMULATION,
    trainStudentsPerTerm: small ? 500 : 1500,
    evalStudents: small ? 300 : 1500,
    negativesPerStudent: 20,
    scorer: { hiddenCandidates: [0, 16], epochs: small ? 8 : 12, batch: 64, lr: 0.01, l2: 1e-4 },
    hazard: { epochs: small ? 300 : 500, lr: 0.05, l2: 1e-3, smooth: 5e-3 },
    version: 'pending',
    trainedAt,
  };
}

/** Trains and writes the model directory atomically (files written beside, then renamed into place). */
export function trainToDirectory(outDir: string, small: boolean): ReturnType<typeof runPipeline> {
  const result = runPipeline(pipelineOptions(small));
  const digest = createHash('sha256');
  for (const bytes of Object.values(result.files)) digest.update(bytes);
  result.card.version = `${small ? 'small' : 'v'}-${result.card.seed}-${digest.digest('hex').slice(0, 12)}`;
  mkdirSync(outDir, { recursive: true });
  const write = (name: string, data: Uint8Array | string) => {
    const tmp = path.join(outDir, `.${name}.tmp`);
    writeFileSync(tmp, data);
    renameSync(tmp, path.join(outDir, name));
  };
  for (const [name, bytes] of Object.entries(result.files)) write(name, bytes);
  write('MODEL_CARD.md', renderModelCard(result.card));
  // The card last: the service reloads when it changes, and by then the .onnx files are in place.
  write('model-card.json', `${JSON.stringify(result.card, null, 2)}\n`);
  // The committed models are quoted by the READMEs; a model trained elsewhere (tests, --out) is not.
  if (path.resolve(outDir) === DEFAULT_MODEL_DIR) writeSummaries(result.card, SUMMARY_FILES);
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { small: { type: 'boolean', default: false }, out: { type: 'string' } } });
  const outDir = path.resolve(values.out ?? DEFAULT_MODEL_DIR);
  const started = Date.now();
  const result = trainToDirectory(outDir, values.small ?? false);
  const say = (s: string) => process.stdout.write(`${s}\n`);
  say(`Trained ${result.card.version} in ${((Date.now() - started) / 1000).toFixed(1)} s → ${outDir}`);
  for (const [name, m] of Object.entries(result.card.models)) {
    say(`  ${name} (${m.kind}): model ${JSON.stringify(m.metrics.model)}`);
    for (const [b, v] of Object.entries(m.metrics.baselines)) say(`    baseline ${b}: ${JSON.stringify(v)}`);
    say(`    oracle: ${JSON.stringify(m.metrics.oracle)}`);
    say(`    gap closed: ${JSON.stringify(m.gapClosed)}`);
  }
}
