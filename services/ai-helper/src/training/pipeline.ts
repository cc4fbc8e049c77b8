/**
 * The training pipeline: simulate → features → train → evaluate on the latest term (temporal split)
 * against the baselines and the simulator's oracle → export ONNX and the model card.
 */
import { Random } from '@goorm/demo-data';
import type { ModelCard } from '@goorm/contracts';
import {
  binOf,
  buildTermStats,
  candidateSections,
  fillMinutesFromEvents,
  FORECAST_BIN_EDGES,
  FORECAST_FEATURES,
  forecastFeatures,
  FORECAST_HORIZON_MINUTES,
  ownCounts,
  RECOMMEND_FEATURES,
  recommendFeatures,
  summariseSurvival,
  type CatalogSection,
  type FillHistory,
  type TermStats,
} from '../features.ts';
import { auc, brier, calibration, gapClosed, mae, MeanOf, rankingMetrics, round } from './metrics.ts';
import { exportHazard, exportScorer } from './onnx.ts';
import { hazardForward, scorerDirections, scorerForward, trainHazard, trainScorer, type HazardParams, type ScorerOptions, type ScorerParams } from './nn.ts';
import { simulate, type SimulatedTerm, type Simulation, type SimulationOptions } from './simulate.ts';

export interface PipelineOptions {
  simulation: SimulationOptions;
  /** Students per term used for training rows / for evaluation. */
  trainStudentsPerTerm: number;
  evalStudents: number;
  negativesPerStudent: number;
  scorer: Omit<ScorerOptions, 'hidden' | 'seed'> & { hiddenCandidates: number[] };
  hazard: { epochs: number; lr: number; l2: number; smooth: number };
  version: string;
  trainedAt: string;
}

export interface PipelineResult {
  card: ModelCard;
  recommender: ScorerParams;
  forecast: HazardParams;
  files: { 'recommender.onnx': Uint8Array; 'forecast.onnx': Uint8Array };
  /** Held-out feature rows (a sample) for checking the exported graphs against the trainer's forward pass. */
  samples: { recommender: number[][]; forecast: number[][] };
}

interface StudentCase {
  stats: TermStats;
  candidates: CatalogSection[];
  targets: Set<number>;
  rows: number[][];
  contextLectures: number[];
  studentId: number;
  term: SimulatedTerm;
}

/** One student's case in a term: half of the cart is known (context), the other half is to be found among the candidates. */
function studentCases(sim: Simulation, term: SimulatedTerm, stats: TermStats, rng: Random, count: number): StudentCase[] {
  const cartOf = new Map<number, CatalogSection[]>();
  for (const c of term.cartItems) {
    const list = cartOf.get(c.student_id) ?? [];
    list.push(stats.sectionById.get(c.section_id)!);
    cartOf.set(c.student_id, list);
  }
  const students = rng.shuffle(sim.students.filter((s) => (cartOf.get(s.id)?.length ?? 0) >= 2)).slice(0, count);
  return students.map((student) => {
    const cart = rng.shuffle([...cartOf.get(student.id)!]);
    const context = cart.slice(0, Math.ceil(cart.length / 2));
    const targets = new Set(cart.slice(context.length).map((s) => s.id));
    const contextCredits = context.reduce((sum, s) => sum + sim.lectures.get(s.lectureId)!.credits, 0);
    const candidates = candidateSections(stats, { student, heldSections: context, remainingCredits: 24 - contextCredits, seatsLeft: false });
    const own = ownCounts(stats, cart.map((s) => s.id));
    const contextLectures = context.map((s) => s.lectureId);
    const ctx = { student, ownSectionIds: cart.map((s) => s.id), contextLectureIds: contextLectures };
    return { stats, candidates, targets, rows: candidates.map((s) => recommendFeatures(stats, ctx, s, own)), contextLectures, studentId: student.id, term };
  });
}

/** Fill times as the service computes them: from the term's enrollment_window rows and OK enrollment_event rows. */
const fillsCache = new WeakMap<SimulatedTerm, Map<number, number | null>>();
export function recordedFills(term: SimulatedTerm): Map<number, number | null> {
  let fills = fillsCache.get(term);
  if (!fills) {
    fills = fillMinutesFromEvents(
      term.sections,
      term.events.filter((e) => e.outcome === 'OK'),
      term.windows,
    );
    fillsCache.set(term, fills);
  }
  return fills;
}

function fillHistoryBefore(terms: readonly SimulatedTerm[]): FillHistory {
  const lecture = new Map<number, (number | null)[]>();
  const professor = new Map<number, (number | null)[]>();
  for (const term of terms) {
    for (const s of term.sections) {
      const m = recordedFills(term).get(s.id) ?? null;
      lecture.set(s.lectureId, [...(lecture.get(s.lectureId) ?? []), m]);
      professor.set(s.professorId, [...(professor.get(s.professorId) ?? []), m]);
    }
  }
  return { lecture, professor };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export function runPipeline(o: PipelineOptions): PipelineResult {
  const sim = simulate(o.simulation);
  const rng = new Random(o.simulation.seed ^ 0x5eed);
  const trainTerms = sim.terms.slice(0, -1);
  const testTerm = sim.terms.at(-1)!;
  const statsOf = new Map(sim.terms.map((t) => [t.id, buildTermStats(t.snapshot)]));

  // ---------------- Recommendations ----------------
  const trainingCases = trainTerms.flatMap((t) => studentCases(sim, t, statsOf.get(t.id)!, rng.fork(`train-${t.id}`), o.trainStudentsPerTerm));
  const toRows = (cases: StudentCase[]) => {
    const rows: number[][] = [];
    const labels: number[] = [];
    for (const c of cases) {
      const negatives = rng.shuffle(c.candidates.map((s, i) => i).filter((i) => !c.targets.has(c.candidates[i]!.id))).slice(0, o.negativesPerStudent);
      const add = (i: number, label: number) => {
        rows.push(c.rows[i]!);
        labels.push(label);
      };
      c.candidates.forEach((s, i) => {
        if (c.targets.has(s.id)) add(i, 1);
      });
      for (const i of negatives) add(i, 0);
    }
    return { rows, labels };
  };
  // Model choice on a validation term (the last training term), never on the test term.
  const validationTermId = trainTerms.at(-1)!.id;
  const fitCases = trainingCases.filter((c) => c.term.id !== validationTermId);
  const validationCases = trainingCases.filter((c) => c.term.id === validationTermId);
  const fitData = toRows(fitCases);
  const evaluateScorer = (cases: StudentCase[], score: (c: StudentCase, i: number) => number) => {
    const m = new MeanOf<'recall@10' | 'ndcg@10' | 'mrr@10'>();
    for (const c of cases) {
      const scored = c.candidates.map((s, i) => ({ id: s.id, score: score(c, i), tie: i }));
      scored.sort((a, b) => b.score - a.score || a.tie - b.tie);
      const r = rankingMetrics(
        scored.map((s) => s.id),
        c.targets,
      );
      m.add({ 'recall@10': r.recall, 'ndcg@10': r.ndcg, 'mrr@10': r.mrr });
    }
    return m.result();
  };
  const validation: Record<string, Record<string, number>> = {};
  let bestHidden = 0;
  let bestNdcg = -1;
  for (const hidden of o.scorer.hiddenCandidates) {
    const p = trainScorer(fitData.rows, fitData.labels, { ...o.scorer, hidden, seed: o.simulation.seed });
    const metrics = evaluateScorer(validationCases, (c, i) => scorerForward(p, c.rows[i]!));
    validation[hidden === 0 ? 'logistic' : `mlp-${hidden}`] = metrics;
    if (metrics['ndcg@10'] > bestNdcg + 1e-4) [bestNdcg, bestHidden] = [metrics['ndcg@10'], hidden];
  }
  const allData = toRows(trainingCases);
  const recommender = trainScorer(allData.rows, allData.labels, { ...o.scorer, hidden: bestHidden, seed: o.simulation.seed });

  const testStats = statsOf.get(testTerm.id)!;
  const testCases = studentCases(sim, testTerm, testStats, rng.fork('test'), o.evalStudents);
  const feature = (name: (typeof RECOMMEND_FEATURES)[number]) => RECOMMEND_FEATURES.indexOf(name);
  const randomRng = rng.fork('random-baseline');
  const popularity = (c: StudentCase, i: number) => c.rows[i]![feature('section_demand')]!;
  const recMetrics = {
    model: evaluateScorer(testCases, (c, i) => scorerForward(recommender, c.rows[i]!)),
    baselines: {
      random: evaluateScorer(testCases, () => randomRng.next()),
      popularity: evaluateScorer(testCases, popularity),
      majorGradePopularity: evaluateScorer(testCases, (c, i) => c.rows[i]![feature('major_grade_share')]! + 1e-3 * popularity(c, i)),
      coEnrollment: evaluateScorer(testCases, (c, i) => c.rows[i]![feature('carted_together')]! + 1e-3 * popularity(c, i)),
    },
    oracle: evaluateScorer(testCases, (c, i) => c.term.utility(c.studentId, c.candidates[i]!.id)),
  };

  // ---------------- Forecast ----------------
  const forecastRows = (term: SimulatedTerm, history: FillHistory) =>
    term.sections.map((s) => {
      const minutes = recordedFills(term).get(s.id) ?? null;
      return { section: s, x: forecastFeatures(statsOf.get(term.id)!, history, s), event: binOf(minutes), minutes };
    });
  const trainForecast = trainTerms.flatMap((t, i) => forecastRows(t, fillHistoryBefore(trainTerms.slice(0, i))));
  const testForecast = forecastRows(testTerm, fillHistoryBefore(trainTerms));
  const forecast = trainHazard(
    trainForecast.map((r) => r.x),
    trainForecast.map((r) => r.event),
    FORECAST_BIN_EDGES.length,
    o.hazard,
  );
  const T10 = FORECAST_BIN_EDGES.indexOf(10);
  const modelPred = testForecast.map((r) => summariseSurvival(hazardForward(forecast, r.x)));
  // Baseline: the cart-count/capacity ratio, binned into deciles on the training terms, with each bin's observed rates.
  const ratioIndex = FORECAST_FEATURES.indexOf('cart_ratio');
  const edges = [...trainForecast.map((r) => r.x[ratioIndex]!)].sort((a, b) => a - b).filter((_, i, a) => i % Math.ceil(a.length / 10) === 0);
  const bucketOf = (ratio: number) => edges.filter((e) => ratio >= e).length;
  const buckets = new Map<number, { n: number; fill: number; fill10: number; minutes: number[] }>();
  for (const r of trainForecast) {
    const b = bucketOf(r.x[ratioIndex]!);
    const row = buckets.get(b) ?? { n: 0, fill: 0, fill10: 0, minutes: [] };
    row.n++;
    if (r.event !== null) {
      row.fill++;
      row.minutes.push(r.minutes!);
    }
    if (r.event !== null && r.event <= T10) row.fill10++;
    buckets.set(b, row);
  }
  const baselinePred = testForecast.map((r) => {
    const row = buckets.get(bucketOf(r.x[ratioIndex]!)) ?? { n: 1, fill: 0, fill10: 0, minutes: [] };
    return { pFill: row.fill / row.n, pFill10: row.fill10 / row.n, minutes: row.minutes.length ? mean(row.minutes) : FORECAST_HORIZON_MINUTES };
  });
  const oraclePred = testForecast.map((r) => {
    const fills = testTerm.oracleFills!.get(r.section.id)!;
    const filled = fills.filter((m): m is number => m !== null);
    return { pFill: filled.length / fills.length, pFill10: filled.filter((m) => m <= 10).length / fills.length, minutes: filled.length ? mean(filled) : FORECAST_HORIZON_MINUTES };
  });
  const yFill = testForecast.map((r) => (r.event !== null ? 1 : 0));
  const y10 = testForecast.map((r) => (r.event !== null && r.event <= T10 ? 1 : 0));
  const filledIdx = testForecast.map((r, i) => (r.minutes !== null ? i : -1)).filter((i) => i >= 0);
  const forecastMetricsOf = (pFill: number[], pFill10: number[], minutes: number[]) => ({
    auc: round(auc(pFill, yFill)),
    brier: round(brier(pFill, yFill)),
    'auc@10m': round(auc(pFill10, y10)),
    'brier@10m': round(brier(pFill10, y10)),
    maeMinutes: round(
      mae(
        filledIdx.map((i) => minutes[i]!),
        filledIdx.map((i) => testForecast[i]!.minutes!),
      ),
      1,
    ),
  });
  const fcMetrics = {
    model: forecastMetricsOf(
      modelPred.map((p) => p.pFill),
      modelPred.map((p) => p.pFillWithin['10']!),
      modelPred.map((p) => p.expectedFillMinutes ?? FORECAST_HORIZON_MINUTES),
    ),
    baselines: {
      cartRatio: forecastMetricsOf(
        baselinePred.map((p) => p.pFill),
        baselinePred.map((p) => p.pFill10),
        baselinePred.map((p) => p.minutes),
      ),
    },
    oracle: forecastMetricsOf(
      oraclePred.map((p) => p.pFill),
      oraclePred.map((p) => p.pFill10),
      oraclePred.map((p) => p.minutes),
    ),
  };

  const recBetter = { 'recall@10': 'higher', 'ndcg@10': 'higher', 'mrr@10': 'higher' } as const;
  const fcBetter = { auc: 'higher', brier: 'lower', 'auc@10m': 'higher', 'brier@10m': 'lower', maeMinutes: 'lower' } as const;
  const gaps = <M extends string>(m: { model: Record<M, number>; baselines: Record<string, Record<M, number>>; oracle: Record<M, number> }, better: Record<M, 'higher' | 'lower'>) =>
    Object.fromEntries(
      (Object.keys(better) as M[]).map((k) => [
        k,
        gapClosed(
          m.model[k],
          Object.values(m.baselines).map((b) => b[k]),
          m.oracle[k],
          better[k],
        ),
      ]),
    );

  const sim0 = sim.options;
  const card: ModelCard = {
    version: o.version,
    seed: sim0.seed,
    trainedAt: o.trainedAt,
    data: {
      simulator: 'services/ai-helper/src/training/simulate.ts (assumptions: services/ai-helper/SIMULATION.md)',
      terms: sim.terms.map((t) => ({ code: t.code, carts: t.cartItems.length, enrollments: t.enrollments.length, events: t.events.length, sectionsFilled: [...t.fillMinutes.values()].filter((m) => m !== null).length })),
      split: `train on ${trainTerms.map((t) => t.code).join(', ')} (model choice on ${trainTerms.at(-1)!.code}); test on ${testTerm.code}`,
      university: { majors: sim0.majors, lectures: sim0.lectures, sections: sim0.sections, students: sim0.students, professors: sim0.professors },
      oracleReplays: sim0.oracleReplays,
    },
    models: {
      recommender: {
        file: 'recommender.onnx',
        kind: recommender.kind === 'mlp' ? `mlp (one hidden ReLU layer of ${recommender.w1.length}) + sigmoid` : 'logistic regression',
        better: recBetter,
        metrics: recMetrics,
        gapClosed: gaps(recMetrics, recBetter),
        features: [...RECOMMEND_FEATURES],
        extra: {
          evaluation: `${testCases.length} students of ${testTerm.code}: half of each cart known, the other half to find among the filtered candidates (mean ${round(mean(testCases.map((c) => c.candidates.length)), 1)})`,
          validation,
          trainingRows: allData.rows.length,
          /** Mean d(logit)/d(standardised feature): the service builds each result's reasons from it. */
          standardiser: recommender.standardiser,
          featureDirections: scorerDirections(recommender, allData.rows.filter((_, i) => i % 50 === 0)),
        },
      },
      forecast: {
        file: 'forecast.onnx',
        kind: `discrete-time hazard, ${FORECAST_BIN_EDGES.length} bins (logit per bin = x·w_k + b_k)`,
        better: fcBetter,
        metrics: fcMetrics,
        gapClosed: gaps(fcMetrics, fcBetter),
        features: [...FORECAST_FEATURES],
        extra: {
          binEdgesMinutes: [...FORECAST_BIN_EDGES],
          horizonMinutes: FORECAST_HORIZON_MINUTES,
          evaluation: `${testForecast.length} sections of ${testTerm.code}; auc/brier: P(full before registration ends); @10m: within 10 registration minutes; maeMinutes over the ${filledIdx.length} sections that filled`,
          calibration: calibration(
            modelPred.map((p) => p.pFill),
            yFill,
          ),
          trainingSections: trainForecast.length,
        },
      },
    },
  };

  const sampleRows = <T>(xs: T[], n: number) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0).slice(0, n);
  return {
    card,
    recommender,
    forecast,
    files: { 'recommender.onnx': exportScorer(recommender, RECOMMEND_FEATURES), 'forecast.onnx': exportHazard(forecast, FORECAST_FEATURES) },
    samples: {
      recommender: sampleRows(
        testCases.flatMap((c) => c.rows),
        64,
      ),
      forecast: sampleRows(
        testForecast.map((r) => r.x),
        64,
      ),
    },
  };
}
