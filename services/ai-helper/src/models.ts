/**
 * The loaded models: model-card.json, recommender.onnx and forecast.onnx from MODEL_DIR, checked
 * (the card's schema, its feature lists equal the code's, both graphs load and answer a probe row)
 * and swapped in as one object, so a request sees either the old set or the new one. The directory
 * is polled; a changed card loads the new set without a restart. A missing or broken set makes
 * `/readyz` fail and is logged once per change; it never falls back silently.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelCardSchema, type ModelCard, type ModelInfo } from '@goorm/contracts';
import type { Logger } from '@goorm/common';
import { FORECAST_BIN_EDGES, FORECAST_FEATURES, RECOMMEND_FEATURES } from './features.ts';

export interface LoadedModels {
  card: ModelCard;
  recommender: ort.InferenceSession;
  forecast: ort.InferenceSession;
  /** d(logit)/d(standardised feature) per recommender feature, from the card. */
  directions: number[];
  standardiser: { mean: number[]; std: number[] };
  info: ModelInfo;
}

export type ModelState = { status: 'loaded'; models: LoadedModels } | { status: 'error'; error: string } | { status: 'loading' };

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

async function loadModels(dir: string): Promise<LoadedModels> {
  const cardPath = path.join(dir, 'model-card.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(cardPath, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${cardPath}: ${(err as Error).message}`);
  }
  const parsed = modelCardSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${cardPath} is not a model card: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const card = parsed.data;
  const rec = card.models.recommender;
  const fc = card.models.forecast;
  if (!rec || !fc) throw new Error(`${cardPath} must describe "recommender" and "forecast"`);
  if (!sameList(rec.features, RECOMMEND_FEATURES)) throw new Error(`recommender features ${rec.features.join(',')} differ from this service's ${RECOMMEND_FEATURES.join(',')}`);
  if (!sameList(fc.features, FORECAST_FEATURES)) throw new Error(`forecast features ${fc.features.join(',')} differ from this service's ${FORECAST_FEATURES.join(',')}`);
  const files: ModelInfo['files'] = {};
  const session = async (name: string, file: string, features: number, outputs: number) => {
    const bytes = readFileSync(path.join(dir, file));
    files[name] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    let s: ort.InferenceSession;
    try {
      s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    } catch (err) {
      throw new Error(`${file} does not load in onnxruntime: ${(err as Error).message}`);
    }
    // A probe row: the graph must take [1, F] and answer [1, outputs] of finite numbers.
    const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', new Float32Array(features), [1, features]) });
    const data = out[s.outputNames[0]!]!.data as Float32Array;
    if (data.length !== outputs || ![...data].every(Number.isFinite)) throw new Error(`${file} answers ${data.length} values for one row (expected ${outputs} finite)`);
    return s;
  };
  const recommender = await session('recommender', rec.file, RECOMMEND_FEATURES.length, 1);
  const forecast = await session('forecast', fc.file, FORECAST_FEATURES.length, FORECAST_BIN_EDGES.length);
  const directions = (rec.extra?.featureDirections as number[] | undefined) ?? [];
  if (directions.length !== RECOMMEND_FEATURES.length) throw new Error(`${cardPath}: models.recommender.extra.featureDirections must list ${RECOMMEND_FEATURES.length} numbers`);
  const standardiser = rec.extra?.standardiser as { mean: number[]; std: number[] } | undefined;
  if (!standardiser || standardiser.mean.length !== RECOMMEND_FEATURES.length) throw new Error(`${cardPath}: models.recommender.extra.standardiser is missing`);
  return { card, recommender, forecast, directions, standardiser, info: { card, files, loadedAt: new Date().toISOString() } };
}

export class ModelStore {
  private state: ModelState = { status: 'loading' };
  private signature = '';
  private timer: NodeJS.Timeout | undefined;
  private onLoaded: Array<(m: LoadedModels) => void> = [];

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {}

  get current(): ModelState {
    return this.state;
  }

  onLoad(fn: (m: LoadedModels) => void) {
    this.onLoaded.push(fn);
  }

  /** What identifies the directory's content: the card's size and mtime, and the .onnx files'. */
  private currentSignature(): string {
    return ['model-card.json', 'recommender.onnx', 'forecast.onnx']
      .map((f) => {
        try {
          const s = statSync(path.join(this.dir, f));
          return `${f}:${s.size}:${s.mtimeMs}`;
        } catch {
          return `${f}:missing`;
        }
      })
      .join('|');
  }

  /** Loads the directory if it changed since the last look. */
  async reload(force = false): Promise<ModelState> {
    const signature = this.currentSignature();
    if (!force && signature === this.signature) return this.state;
    this.signature = signature;
    try {
      const models = await loadModels(this.dir);
      const previous = this.state.status === 'loaded' ? this.state.models.card.version : undefined;
      this.state = { status: 'loaded', models };
      this.logger.info({ modelDir: this.dir, version: models.card.version, previous }, previous ? 'models swapped' : 'models loaded');
      for (const fn of this.onLoaded) fn(models);
    } catch (err) {
      this.state = { status: 'error', error: (err as Error).message };
      this.logger.error({ modelDir: this.dir, err: (err as Error).message }, `models unusable: ${(err as Error).message}`);
    }
    return this.state;
  }

  watch(intervalMs: number) {
    this.timer = setInterval(() => void this.reload(), intervalMs);
    this.timer.unref();
  }

  close() {
    if (this.timer) clearInterval(this.timer);
  }
}
