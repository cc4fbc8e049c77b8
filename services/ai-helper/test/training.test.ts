import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORECAST_BIN_EDGES, FORECAST_FEATURES, RECOMMEND_FEATURES } from '../src/features.ts';
import { hazardForward, scorerForward } from '../src/training/nn.ts';
import { recordedFills, type PipelineResult } from '../src/training/pipeline.ts';
import { simulate, SMALL_SIMULATION } from '../src/training/simulate.ts';
import { trainToDirectory } from '../src/training/train.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ai-train-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('training a small model end to end', () => {
  let result: PipelineResult;
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    result = trainToDirectory(dir, true);
  });

  it('the exported ONNX graphs give the trainer forward pass within 1e-5 in onnxruntime-node', async () => {
    const rec = await ort.InferenceSession.create(readFileSync(path.join(dir, 'recommender.onnx')));
    const rows = result.samples.recommender;
    const f = RECOMMEND_FEATURES.length;
    const out = await rec.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, f]) });
    const scores = out.score!.data as Float32Array;
    expect(scores.length).toBe(rows.length);
    rows.forEach((x, i) => expect(Math.abs(scores[i]! - scorerForward(result.recommender, x.map(Math.fround)))).toBeLessThan(1e-5));

    const fc = await ort.InferenceSession.create(readFileSync(path.join(dir, 'forecast.onnx')));
    const frows = result.samples.forecast;
    const k = FORECAST_BIN_EDGES.length;
    const fout = await fc.run({ features: new ort.Tensor('float32', Float32Array.from(frows.flat()), [frows.length, FORECAST_FEATURES.length]) });
    const survival = fout.survival!.data as Float32Array;
    expect(survival.length).toBe(frows.length * k);
    frows.forEach((x, i) => {
      const expected = hazardForward(result.forecast, x.map(Math.fround));
      expected.forEach((s, j) => expect(Math.abs(survival[i * k + j]! - s)).toBeLessThan(1e-5));
    });
  });

  it('both models beat every baseline on every metric of the held-out term', () => {
    for (const [name, entry] of Object.entries(result.card.models)) {
      for (const [metric, better] of Object.entries(entry.better)) {
        for (const [baseline, values] of Object.entries(entry.metrics.baselines)) {
          const model = entry.metrics.model[metric]!;
          const base = values[metric]!;
          expect(better === 'higher' ? model > base : model < base, `${name} ${metric}: model ${model} vs ${baseline} ${base}`).toBe(true);
        }
      }
    }
  });

  it('the card describes the split, the features and where the model stands between the best baseline and the oracle', () => {
    const card = JSON.parse(readFileSync(path.join(dir, 'model-card.json'), 'utf8'));
    expect(card.version).toBe(result.card.version);
    expect(card.data.split).toMatch(/^train on .* test on 2026-1$/);
    expect(card.models.recommender.features).toEqual([...RECOMMEND_FEATURES]);
    expect(card.models.forecast.features).toEqual([...FORECAST_FEATURES]);
    expect(Object.keys(card.models.recommender.metrics.baselines)).toEqual(['random', 'popularity', 'majorGradePopularity', 'coEnrollment']);
    expect(card.models.recommender.gapClosed['ndcg@10']).toBeGreaterThan(0);
    expect(readFileSync(path.join(dir, 'MODEL_CARD.md'), 'utf8')).toContain('| **model**');
  });

  it('training twice with the same seed gives byte-identical .onnx files', () => {
    const again = tempDir();
    trainToDirectory(again, true);
    for (const f of ['recommender.onnx', 'forecast.onnx']) {
      expect(readFileSync(path.join(again, f)).equals(readFileSync(path.join(dir, f))), f).toBe(true);
    }
  });
});

describe('the simulator', () => {
  const sim = simulate({ ...SMALL_SIMULATION, terms: 2, oracleReplays: 3 });

  it('records registration as the enrollment service does: every enrollment has its OK event, refusals are events too, timestamps inside the windows', () => {
    const term = sim.terms.at(-1)!;
    const ok = term.events.filter((e) => e.outcome === 'OK');
    expect(ok.length).toBe(term.enrollments.length);
    expect(term.events.some((e) => e.outcome === 'SECTION_FULL')).toBe(true);
    const firstOpen = Math.min(...term.windows.filter((w) => w.phase === 'REGISTRATION').map((w) => w.opens_at.getTime()));
    expect(term.events.every((e) => e.created_at.getTime() >= firstOpen)).toBe(true);
    const seats = new Map<number, number>();
    for (const e of term.enrollments) seats.set(e.section_id, (seats.get(e.section_id) ?? 0) + 1);
    for (const s of term.sections) expect(seats.get(s.id) ?? 0).toBeLessThanOrEqual(s.capacity);
  });

  it('fill times computed from the recorded rows (as the service does) equal the simulator own (rows keep milliseconds)', () => {
    for (const term of sim.terms) {
      const fromRows = recordedFills(term);
      let filled = 0;
      for (const s of term.sections) {
        const truth = term.fillMinutes.get(s.id) ?? null;
        const seen = fromRows.get(s.id) ?? null;
        if (truth === null) {
          expect(seen).toBeNull();
          continue;
        }
        expect(seen).not.toBeNull();
        expect(Math.abs(seen! - truth)).toBeLessThan(1e-4);
        filled++;
      }
      expect(filled).toBeGreaterThan(0);
    }
  });

  it('keeps its truth: a utility for every pair and, for the last term, fill times over several replays', () => {
    const last = sim.terms.at(-1)!;
    expect(last.oracleFills!.size).toBe(last.sections.length);
    expect([...last.oracleFills!.values()].every((r) => r.length === 3)).toBe(true);
    expect(Number.isFinite(last.utility(sim.students[0]!.id, last.sections[0]!.id))).toBe(true);
  });
});
