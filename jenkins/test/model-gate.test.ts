import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gate, parseCard } from '../scripts/model-gate.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => join(here, 'fixtures', `model-card.${name}.json`);
const card = (name: string) => parseCard(JSON.parse(readFileSync(fixture(name), 'utf8')), name);
const tsx = join(here, '..', '..', 'node_modules', '.bin', 'tsx');
const script = join(here, '..', 'scripts', 'model-gate.ts');

function run(args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(tsx, [script, ...args], { encoding: 'utf8' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

describe('model gate', () => {
  it('passes a candidate that beats every baseline and is within tolerance of production', () => {
    const result = gate(card('candidate-good'), card('production'));
    expect(result.errors).toEqual([]);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    // 2 models × 2 metrics × (their baselines + production)
    expect(result.checks).toHaveLength(2 * 3 + 2 * 2);
  });

  it('fails a candidate that loses to a baseline on one metric', () => {
    const result = gate(card('candidate-below-baseline'), card('production'));
    expect(result.ok).toBe(false);
    expect(result.checks.filter((c) => !c.ok).map((c) => `${c.model} ${c.metric} ${c.against}`)).toEqual([
      'recommender ndcg@10 baseline popularity',
      'recommender ndcg@10 production v-prod',
    ]);
  });

  it('fails a candidate worse than production beyond the tolerance, in the direction `better` gives', () => {
    const result = gate(card('candidate-regressed'), card('production'));
    expect(result.ok).toBe(false);
    expect(result.checks.filter((c) => !c.ok).map((c) => `${c.model} ${c.metric}`)).toEqual(['forecast brier']);
    // a 30 % tolerance lets the same regression through
    expect(gate(card('candidate-regressed'), card('production'), 0.3).ok).toBe(true);
  });

  it('fails when a production model is missing or a listed metric has no value', () => {
    const candidate = card('candidate-good');
    delete (candidate.models as Record<string, unknown>).forecast;
    candidate.models.recommender!.better['mrr@10'] = 'higher';
    const result = gate(candidate, card('production'));
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(['recommender: metric mrr@10 is listed in better but has no value', 'model forecast is in production but not in the candidate card']);
  });

  it('checks baselines only on a first release (no production card)', () => {
    const result = gate(card('candidate-good'), null);
    expect(result.ok).toBe(true);
    expect(result.checks.every((c) => c.against.startsWith('baseline'))).toBe(true);
  });

  it('rejects a malformed card', () => {
    expect(() => parseCard({ version: 'x', models: { m: { better: { a: 'up' }, metrics: { model: {}, baselines: {} } } } }, 'bad')).toThrow(/better\.a/);
  });

  it('runs as the CLI the Jenkinsfile calls: exit 0 when it passes, 1 with the failing lines when it does not', () => {
    const pass = run(['--candidate', fixture('candidate-good'), '--production', fixture('production')]);
    expect(pass.code).toBe(0);
    expect(pass.out).toContain('model gate: PASSED');
    const fail = run(['--candidate', fixture('candidate-regressed'), '--production', fixture('production')]);
    expect(fail.code).toBe(1);
    expect(fail.out).toMatch(/FAIL forecast brier = 0\.15 against production v-prod/);
    expect(fail.out).toContain('model gate: FAILED');
  });

  const real = join(here, '..', '..', 'services', 'ai-helper', 'models', 'model-card.json');
  it.skipIf(!existsSync(real))('reads the model card ai-helper writes (shape only; its numbers are the lead\'s)', () => {
    const parsed = parseCard(JSON.parse(readFileSync(real, 'utf8')), real);
    expect(Object.keys(parsed.models).length).toBeGreaterThan(0);
    expect(gate(parsed, parsed).errors).toEqual([]);
  });
});
