/** Evaluation metrics: ranking (Recall@k, NDCG@k, MRR@k) and probability (AUC, Brier, calibration, MAE). */

/** `ranked`: candidate ids best first; `relevant`: the ids the student actually carted. */
export function rankingMetrics(ranked: readonly number[], relevant: ReadonlySet<number>, k = 10) {
  const top = ranked.slice(0, k);
  let hits = 0;
  let dcg = 0;
  let rr = 0;
  top.forEach((id, i) => {
    if (!relevant.has(id)) return;
    hits++;
    dcg += 1 / Math.log2(i + 2);
    if (rr === 0) rr = 1 / (i + 1);
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) idcg += 1 / Math.log2(i + 2);
  return { recall: relevant.size ? hits / relevant.size : 0, ndcg: idcg ? dcg / idcg : 0, mrr: rr };
}

export class MeanOf<K extends string> {
  private sums = new Map<K, number>();
  private n = 0;
  add(values: Record<K, number>) {
    this.n++;
    for (const [k, v] of Object.entries(values) as [K, number][]) this.sums.set(k, (this.sums.get(k) ?? 0) + v);
  }
  result(): Record<K, number> {
    return Object.fromEntries([...this.sums].map(([k, v]) => [k, round(v / Math.max(1, this.n))])) as Record<K, number>;
  }
}

export const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/** Area under the ROC curve (ties counted half). */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const pairs = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < pairs.length; ) {
    let j = i;
    while (j < pairs.length && pairs[j]![0] === pairs[i]![0]) j++;
    const avgRank = (i + j + 1) / 2;
    for (let t = i; t < j; t++) {
      if (pairs[t]![1] !== 1) continue;
      rankSum += avgRank;
      positives++;
    }
    i = j;
  }
  const negatives = pairs.length - positives;
  if (!positives || !negatives) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export const brier = (p: readonly number[], y: readonly number[]) => p.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / p.length;

/** Predicted vs observed rate in ten bins of the predicted probability. */
export function calibration(p: readonly number[], y: readonly number[], bins = 10) {
  const rows = Array.from({ length: bins }, (_, b) => ({ from: b / bins, to: (b + 1) / bins, n: 0, predicted: 0, observed: 0 }));
  p.forEach((v, i) => {
    const row = rows[Math.min(bins - 1, Math.floor(v * bins))]!;
    row.n++;
    row.predicted += v;
    row.observed += y[i]!;
  });
  return rows.filter((r) => r.n > 0).map((r) => ({ from: r.from, to: r.to, n: r.n, predicted: round(r.predicted / r.n, 3), observed: round(r.observed / r.n, 3) }));
}

export const mae = (predicted: readonly number[], actual: readonly number[]) =>
  predicted.length ? predicted.reduce((s, v, i) => s + Math.abs(v - actual[i]!), 0) / predicted.length : 0;

/** Share of the gap from the best baseline to the oracle that the model closes (1: reaches the oracle; < 0: below the baseline). */
export function gapClosed(model: number, baselines: readonly number[], oracle: number, better: 'higher' | 'lower'): number {
  const best = better === 'higher' ? Math.max(...baselines) : Math.min(...baselines);
  const gap = oracle - best;
  if (Math.abs(gap) < 1e-12) return model === oracle ? 1 : 0;
  return round((model - best) / gap, 3);
}
