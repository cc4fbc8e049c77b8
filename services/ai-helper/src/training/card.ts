/** The model card as Markdown (committed beside the .onnx files as MODEL_CARD.md; the README quotes its tables). */
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
    if (entry.extra) lines.push('```json', JSON.stringify(entry.extra, null, 2), '```', '');
  }
  return `${lines.join('\n')}\n`;
}
