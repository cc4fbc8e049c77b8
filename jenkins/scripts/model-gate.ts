/**
 * The AI model gate: stops the pipeline when the newly trained models do not earn their place.
 *
 *   tsx jenkins/scripts/model-gate.ts --candidate services/ai-helper/models/model-card.json \
 *       --production prod-model-card.json|https://…|none [--tolerance 0.02]
 *
 * For every model in the candidate card, on every metric its `better` lists:
 * 1. the model beats every baseline (strictly: higher or lower as `better` says);
 * 2. it is not worse than the same model in the production card by more than the tolerance
 *    (relative to the production value; 0.02 = 2 %), so noise between seeds passes and a regression does not.
 * A model in production that is missing from the candidate fails (it would vanish on deploy).
 * `--production none` (the very first release) checks the baselines only, and says so.
 * Exit code 0 when every check passes, 1 otherwise; the report goes to stdout either way.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

export type Direction = 'higher' | 'lower';
type Metrics = Record<string, number>;
export interface ModelCard {
  version: string;
  seed: number;
  trainedAt: string;
  models: Record<
    string,
    {
      file: string;
      better: Record<string, Direction>;
      metrics: { model: Metrics; baselines: Record<string, Metrics>; oracle?: Metrics };
    }
  >;
}

export interface Check {
  model: string;
  metric: string;
  against: string;
  value: number | undefined;
  reference: number | undefined;
  ok: boolean;
  note: string;
}

export interface GateResult {
  ok: boolean;
  checks: Check[];
  /** Problems with the cards themselves (missing metric, missing model, bad shape). */
  errors: string[];
}

export function parseCard(raw: unknown, where: string): ModelCard {
  const fail = (what: string) => {
    throw new Error(`${where}: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('not a JSON object');
  const card = raw as Partial<ModelCard>;
  if (typeof card.version !== 'string') fail('version missing');
  if (typeof card.models !== 'object' || card.models === null || Object.keys(card.models).length === 0) fail('no models');
  for (const [name, m] of Object.entries(card.models ?? {})) {
    if (!m || typeof m.better !== 'object' || Object.keys(m.better).length === 0) fail(`models.${name}.better missing or empty`);
    for (const [metric, dir] of Object.entries(m.better)) if (dir !== 'higher' && dir !== 'lower') fail(`models.${name}.better.${metric}: ${String(dir)}`);
    if (!m.metrics || typeof m.metrics.model !== 'object' || typeof m.metrics.baselines !== 'object') fail(`models.${name}.metrics missing`);
    if (Object.keys(m.metrics.baselines).length === 0) fail(`models.${name}.metrics.baselines is empty: nothing to beat`);
  }
  return card as ModelCard;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function gate(candidate: ModelCard, production: ModelCard | null, tolerance = 0.02): GateResult {
  const checks: Check[] = [];
  const errors: string[] = [];
  for (const [name, model] of Object.entries(candidate.models)) {
    for (const [metric, direction] of Object.entries(model.better)) {
      const value = model.metrics.model[metric];
      if (!isNum(value)) {
        errors.push(`${name}: metric ${metric} is listed in better but has no value`);
        continue;
      }
      const beats = (ref: number) => (direction === 'higher' ? value > ref : value < ref);
      for (const [baseline, metrics] of Object.entries(model.metrics.baselines)) {
        const reference = metrics[metric];
        if (!isNum(reference)) {
          errors.push(`${name}: baseline ${baseline} has no ${metric}`);
          continue;
        }
        checks.push({ model: name, metric, against: `baseline ${baseline}`, value, reference, ok: beats(reference), note: `must be ${direction} than ${reference}` });
      }
      const prod = production?.models[name]?.metrics.model[metric];
      if (production && isNum(prod)) {
        const slack = Math.abs(prod) * tolerance;
        const ok = direction === 'higher' ? value >= prod - slack : value <= prod + slack;
        checks.push({
          model: name,
          metric,
          against: `production ${production.version}`,
          value,
          reference: prod,
          ok,
          note: `may be at most ${(tolerance * 100).toFixed(1)} % ${direction === 'higher' ? 'lower' : 'higher'} than ${prod}`,
        });
      }
    }
  }
  for (const name of Object.keys(production?.models ?? {})) {
    if (!candidate.models[name]) errors.push(`model ${name} is in production but not in the candidate card`);
  }
  return { ok: errors.length === 0 && checks.every((c) => c.ok), checks, errors };
}

export function report(result: GateResult, candidate: ModelCard, production: ModelCard | null): string {
  const lines = [
    `model gate: candidate ${candidate.version} (seed ${candidate.seed}, trained ${candidate.trainedAt}) vs ${production ? `production ${production.version}` : 'no production card (first release: baselines only)'}`,
  ];
  for (const c of result.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.model} ${c.metric} = ${c.value} against ${c.against}: ${c.note}`);
  for (const e of result.errors) lines.push(`  FAIL ${e}`);
  lines.push(result.ok ? 'model gate: PASSED' : 'model gate: FAILED (the pipeline stops here)');
  return `${lines.join('\n')}\n`;
}

async function load(source: string): Promise<unknown> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${source}: HTTP ${res.status}`);
    return res.json();
  }
  return JSON.parse(await readFile(source, 'utf8'));
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { candidate: { type: 'string' }, production: { type: 'string' }, tolerance: { type: 'string', default: '0.02' } },
  });
  if (!values.candidate || !values.production) {
    process.stderr.write('usage: model-gate --candidate <card.json> --production <card.json|url|none> [--tolerance 0.02]\n');
    return 2;
  }
  const tolerance = Number(values.tolerance);
  if (!(tolerance >= 0 && tolerance < 1)) throw new Error(`--tolerance ${values.tolerance}: expected a fraction in [0, 1)`);
  const candidate = parseCard(await load(values.candidate), values.candidate);
  const production = values.production === 'none' ? null : parseCard(await load(values.production), values.production);
  const result = gate(candidate, production, tolerance);
  process.stdout.write(report(result, candidate, production));
  return result.ok ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`model gate: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
