/**
 * The model card as Markdown: MODEL_CARD.md beside the .onnx files, and the summary block the READMEs
 * quote between markers (rewritten by `npm run train` and by `npm run card`, checked by a test).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ModelCard } from '@goorm/contracts';

export function metricsTable(entry: ModelCard['models'][string]): string {
  const metrics = Object.keys(entry.better);
  const head = `| | ${metrics.map((m) => `${m} (${entry.better[m] === 'higher' ? '↑' : '↓'})`).join(' | ')} |`;
  const sep = `|---|${metrics.map(() => '---:').join('|')}|`;
  const row = (name: string, values: Record<string, number>) => `| ${name} | ${metrics.map((m) => values[m]).join(' | ')} |`;
  return [
    head,
    sep,
    ...Object.entries(entry.metrics.baselines).map(([b, v]) => row(`baseline: ${b}`, v)),
    row(`**model** (${entry.kind})`, entry.metrics.model),
    row('oracle (simulator truth)', entry.metrics.oracle),
    row('gap closed (best baseline → oracle)', entry.gapClosed),
  ].join('\n');
}

interface CalibrationBin { from: number; to: number; n: number; predicted: number; observed: number }

function isCalibration(value: unknown): value is CalibrationBin[] {
  return Array.isArray(value) && value.every((b) => typeof b === 'object' && b !== null && 'predicted' in b && 'observed' in b);
}

/** P(fill) calibration on the held-out term: predicted against observed, per bin of predictions. */
export function calibrationTable(bins: CalibrationBin[]): string {
  return [
    '| predicted P(full) | sections | mean predicted | observed share full |',
    '|---|---:|---:|---:|',
    ...bins.map((b) => `| ${b.from.toFixed(1)}–${b.to.toFixed(1)} | ${b.n} | ${b.predicted} | ${b.observed} |`),
  ].join('\n');
}

export function renderModelCard(card: ModelCard): string {
  const lines = [
    `# Model card: ${card.version}`,
    '',
    `Trained ${card.trainedAt} with seed ${card.seed} by \`npm run train -w services/ai-helper\` (generated file: do not edit).`,
    '',
    '## Data',
    '',
    '```json',
    JSON.stringify(card.data, null, 2),
    '```',
    '',
  ];
  for (const [name, entry] of Object.entries(card.models)) {
    lines.push(`## ${name}: \`${entry.file}\``, '', `Kind: ${entry.kind}. Features: ${entry.features.map((f) => `\`${f}\``).join(', ')}.`, '', metricsTable(entry), '');
    const calibration = entry.extra?.calibration;
    if (isCalibration(calibration)) lines.push('Calibration (held-out term):', '', calibrationTable(calibration), '');
    if (entry.extra) lines.push('```json', JSON.stringify(entry.extra, null, 2), '```', '');
  }
  return `${lines.join('\n')}\n`;
}

export const SUMMARY_BEGIN = '<!-- model-card:begin (generated from services/ai-helper/models/model-card.json by `npm run card -w services/ai-helper`; do not edit) -->';
export const SUMMARY_END = '<!-- model-card:end -->';

/** The READMEs' block: version, split, and each model's table against its baselines and the oracle. */
export function renderSummary(card: ModelCard): string {
  const split = typeof card.data.split === 'string' ? card.data.split : '';
  const lines = [SUMMARY_BEGIN, '', `Model version \`${card.version}\` (seed ${card.seed}); ${split}.`, ''];
  for (const [name, entry] of Object.entries(card.models)) {
    const evaluation = typeof entry.extra?.evaluation === 'string' ? ` Evaluated on ${entry.extra.evaluation}.` : '';
    lines.push(`**${name}** (\`${entry.file}\`, ${entry.kind}).${evaluation}`, '', metricsTable(entry), '');
  }
  lines.push(SUMMARY_END);
  return lines.join('\n');
}

/** The text with its marked block replaced by `block`; throws when the markers are missing. */
export function replaceSummary(text: string, block: string): string {
  const begin = text.indexOf(SUMMARY_BEGIN);
  const end = text.indexOf(SUMMARY_END);
  if (begin < 0 || end < begin) throw new Error('the model-card markers are missing');
  return text.slice(0, begin) + block + text.slice(end + SUMMARY_END.length);
}

/** Rewrites the marked block of each file (a file's other text stays as it is). */
export function writeSummaries(card: ModelCard, files: readonly string[]): void {
  const block = renderSummary(card);
  for (const file of files) writeFileSync(file, replaceSummary(readFileSync(file, 'utf8'), block));
}
