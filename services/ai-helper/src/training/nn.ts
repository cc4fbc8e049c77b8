/**
 * Two small trainers in plain TypeScript (Float64, deterministic with a seed, no native code):
 *  - a binary scorer: standardised inputs → optional hidden ReLU layer → one sigmoid output;
 *  - a discrete-time hazard model: standardised inputs → one logit per time bin (x·W + b), trained on
 *    the bins each section was at risk in (censored sections contribute "not filled" for every bin).
 * Both are exported to ONNX by ./onnx.ts with the same arithmetic (forward passes here are the reference).
 */
import { Random } from '@goorm/demo-data';

export interface Standardiser {
  mean: number[];
  std: number[];
}

export function fitStandardiser(rows: readonly number[][]): Standardiser {
  const f = rows[0]!.length;
  const mean = new Array<number>(f).fill(0);
  const sq = new Array<number>(f).fill(0);
  for (const r of rows) for (let j = 0; j < f; j++) mean[j]! += r[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < f; j++) sq[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
  // Fixed-precision constants: what float32 ONNX initialisers will hold exactly.
  return { mean: mean.map(Math.fround), std: sq.map((v) => Math.fround(Math.sqrt(v) > 1e-6 ? Math.sqrt(v) : 1)) };
}

const standardise = (s: Standardiser, x: readonly number[]) => x.map((v, j) => (v - s.mean[j]!) / s.std[j]!);
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Adam on a flat parameter vector. */
class Adam {
  private m: Float64Array;
  private v: Float64Array;
  private t = 0;
  constructor(
    size: number,
    private lr: number,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }
  step(params: Float64Array, grad: Float64Array) {
    this.t++;
    const b1 = 0.9;
    const b2 = 0.999;
    for (let i = 0; i < params.length; i++) {
      this.m[i] = b1 * this.m[i]! + (1 - b1) * grad[i]!;
      this.v[i] = b2 * this.v[i]! + (1 - b2) * grad[i]! ** 2;
      const mh = this.m[i]! / (1 - b1 ** this.t);
      const vh = this.v[i]! / (1 - b2 ** this.t);
      params[i]! -= (this.lr * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
}

export interface ScorerParams {
  kind: 'logistic' | 'mlp';
  standardiser: Standardiser;
  /** hidden × inputs (empty for logistic). */
  w1: number[][];
  b1: number[];
  /** 1 × (hidden or inputs). */
  w2: number[];
  b2: number;
}

export interface ScorerOptions {
  hidden: number;
  epochs: number;
  batch: number;
  lr: number;
  l2: number;
  seed: number;
}

export function scorerForward(p: ScorerParams, x: readonly number[]): number {
  const z = standardise(p.standardiser, x);
  const h = p.kind === 'mlp' ? p.w1.map((row, i) => Math.max(0, row.reduce((s, w, j) => s + w * z[j]!, p.b1[i]!))) : z;
  return sigmoid(p.w2.reduce((s, w, j) => s + w * h[j]!, p.b2));
}

/** Logistic regression (hidden = 0) or a one-hidden-layer MLP, minibatch Adam on cross-entropy with L2. */
export function trainScorer(rows: readonly number[][], labels: readonly number[], o: ScorerOptions): ScorerParams {
  const rng = new Random(o.seed);
  const standardiser = fitStandardiser(rows);
  const X = rows.map((r) => standardise(standardiser, r));
  const f = X[0]!.length;
  const h = o.hidden;
  const width = h > 0 ? h : f;
  // Flat layout: [w1 (h×f), b1 (h), w2 (width), b2]
  const size = (h > 0 ? h * f + h : 0) + width + 1;
  const params = new Float64Array(size);
  const scale = Math.sqrt(2 / f);
  if (h > 0) for (let i = 0; i < h * f; i++) params[i] = (rng.next() * 2 - 1) * scale;
  const w2Off = h > 0 ? h * f + h : 0;
  if (h > 0) for (let i = 0; i < width; i++) params[w2Off + i] = (rng.next() * 2 - 1) * Math.sqrt(1 / width);
  const adam = new Adam(size, o.lr);
  const order = X.map((_, i) => i);
  const grad = new Float64Array(size);
  const hidden = new Float64Array(width);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start < order.length; start += o.batch) {
      grad.fill(0);
      const end = Math.min(order.length, start + o.batch);
      for (let bi = start; bi < end; bi++) {
        const x = X[order[bi]!]!;
        const y = labels[order[bi]!]!;
        if (h > 0) {
          for (let i = 0; i < h; i++) {
            let s = params[h * f + i]!;
            for (let j = 0; j < f; j++) s += params[i * f + j]! * x[j]!;
            hidden[i] = Math.max(0, s);
          }
        } else for (let j = 0; j < f; j++) hidden[j] = x[j]!;
        let z = params[w2Off + width]!;
        for (let j = 0; j < width; j++) z += params[w2Off + j]! * hidden[j]!;
        const d = sigmoid(z) - y; // dLoss/dz
        for (let j = 0; j < width; j++) grad[w2Off + j]! += d * hidden[j]!;
        grad[w2Off + width]! += d;
        if (h > 0) {
          for (let i = 0; i < h; i++) {
            if (hidden[i]! <= 0) continue;
            const dh = d * params[w2Off + i]!;
            for (let j = 0; j < f; j++) grad[i * f + j]! += dh * x[j]!;
            grad[h * f + i]! += dh;
          }
        }
      }
      const n = end - start;
      for (let i = 0; i < size; i++) grad[i] = grad[i]! / n + (i === w2Off + width || (h > 0 && i >= h * f && i < h * f + h) ? 0 : o.l2 * params[i]!);
      adam.step(params, grad);
    }
  }
  const r = (v: number) => Math.fround(v);
  return {
    kind: h > 0 ? 'mlp' : 'logistic',
    standardiser,
    w1: h > 0 ? Array.from({ length: h }, (_, i) => Array.from({ length: f }, (_, j) => r(params[i * f + j]!))) : [],
    b1: h > 0 ? Array.from({ length: h }, (_, i) => r(params[h * f + i]!)) : [],
    w2: Array.from({ length: width }, (_, j) => r(params[w2Off + j]!)),
    b2: r(params[w2Off + width]!),
  };
}

export interface HazardParams {
  standardiser: Standardiser;
  /** inputs × bins */
  w: number[][];
  /** bins */
  b: number[];
}

/** Survival S(edge_k) = Π_{j≤k} (1 - h_j), h = sigmoid(x·W + b): the reference forward pass of the ONNX graph. */
export function hazardForward(p: HazardParams, x: readonly number[]): number[] {
  const z = standardise(p.standardiser, x);
  const out: number[] = [];
  let logS = 0;
  for (let k = 0; k < p.b.length; k++) {
    let logit = p.b[k]!;
    for (let j = 0; j < z.length; j++) logit += z[j]! * p.w[j]![k]!;
    // log(1 - sigmoid(l)) = -softplus(l)
    logS -= logit > 0 ? logit + Math.log1p(Math.exp(-logit)) : Math.log1p(Math.exp(logit));
    out.push(Math.exp(logS));
  }
  return out;
}

export interface HazardOptions {
  epochs: number;
  lr: number;
  l2: number;
  /** Smoothness penalty on neighbouring bins' weights (keeps sparse bins sensible). */
  smooth: number;
}

/** Full-batch Adam on the discrete-time likelihood. `events[i]`: the bin section i filled in, or null (censored at the horizon). */
export function trainHazard(rows: readonly number[][], events: readonly (number | null)[], bins: number, o: HazardOptions): HazardParams {
  const standardiser = fitStandardiser(rows);
  const X = rows.map((r) => standardise(standardiser, r));
  const f = X[0]!.length;
  const size = f * bins + bins;
  const params = new Float64Array(size);
  // Start the intercepts at the empirical hazard of each bin.
  for (let k = 0; k < bins; k++) {
    const atRisk = events.filter((e) => e === null || e >= k).length;
    const fill = events.filter((e) => e === k).length;
    const h = Math.min(0.99, Math.max(1e-3, fill / Math.max(1, atRisk)));
    params[f * bins + k] = Math.log(h / (1 - h));
  }
  const adam = new Adam(size, o.lr);
  const grad = new Float64Array(size);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    grad.fill(0);
    for (let i = 0; i < X.length; i++) {
      const x = X[i]!;
      const last = events[i] ?? bins - 1;
      for (let k = 0; k <= last; k++) {
        let logit = params[f * bins + k]!;
        for (let j = 0; j < f; j++) logit += x[j]! * params[j * bins + k]!;
        const d = sigmoid(logit) - (events[i] === k ? 1 : 0);
        for (let j = 0; j < f; j++) grad[j * bins + k]! += d * x[j]!;
        grad[f * bins + k]! += d;
      }
    }
    for (let i = 0; i < size; i++) grad[i] = grad[i]! / X.length;
    for (let j = 0; j < f; j++) {
      for (let k = 0; k < bins; k++) {
        const idx = j * bins + k;
        grad[idx]! += o.l2 * params[idx]!;
        if (k > 0) grad[idx]! += o.smooth * (params[idx]! - params[idx - 1]!);
        if (k < bins - 1) grad[idx]! += o.smooth * (params[idx]! - params[idx + 1]!);
      }
    }
    adam.step(params, grad);
  }
  const r = (v: number) => Math.fround(v);
  return {
    standardiser,
    w: Array.from({ length: f }, (_, j) => Array.from({ length: bins }, (_, k) => r(params[j * bins + k]!))),
    b: Array.from({ length: bins }, (_, k) => r(params[f * bins + k]!)),
  };
}

/** The mean gradient of the logit with respect to each standardised input over `rows`: the direction each feature pushes the score (for reasons). */
export function scorerDirections(p: ScorerParams, rows: readonly number[][]): number[] {
  if (p.kind === 'logistic') return p.w2.map((w) => Math.fround(w));
  const f = p.standardiser.mean.length;
  const sum = new Array<number>(f).fill(0);
  for (const x of rows) {
    const z = standardise(p.standardiser, x);
    p.w1.forEach((row, i) => {
      const pre = row.reduce((s, w, j) => s + w * z[j]!, p.b1[i]!);
      if (pre <= 0) return;
      for (let j = 0; j < f; j++) sum[j]! += (p.w2[i]! * row[j]!) / rows.length;
    });
  }
  return sum.map((v) => Math.fround(v));
}
