/**
 * AI helper (AI 도우미), under /api/ai: section recommendations for the signed-in student and the
 * seat-competition forecast at the opening, both served from ONNX models the project trains itself
 * (services/ai-helper), plus the model card.
 */
import { z } from 'zod';
import { endpoint, serviceContract } from './endpoint.ts';
import { sectionCoreSchema } from './sections.ts';

export const MAX_RECOMMENDATIONS = 50;
export const MAX_FORECAST_SECTIONS = 100;

export const recommendationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_RECOMMENDATIONS).default(10),
});

/** `1,2,3`: 1 to 100 distinct positive section ids, comma-separated. */
export const sectionIdList = z
  .string()
  .regex(/^[1-9]\d{0,9}(,[1-9]\d{0,9})*$/, 'comma-separated positive section ids, e.g. 12,40,41')
  .transform((s) => [...new Set(s.split(',').map(Number))])
  .refine((ids) => ids.length <= MAX_FORECAST_SECTIONS, `at most ${MAX_FORECAST_SECTIONS} sections`);

export const forecastQuery = z.object({ sectionIds: sectionIdList });

/** Why a section was recommended: the features that drove its score, most important first. */
export const RECOMMENDATION_REASONS = [
  'MAJOR_GRADE_POPULAR',
  'REQUIRED_FOR_YOU',
  'YOUR_LEVEL',
  'CARTED_TOGETHER',
  'COLLEGE_POPULAR',
  'POPULAR_PROFESSOR',
  'FREE_TIME',
  'GENERAL_EDUCATION',
  'POPULAR_SECTION',
] as const;
export const recommendationReasonSchema = z.object({
  code: z.enum(RECOMMENDATION_REASONS),
  /** Korean, ready to show: "컴퓨터공학과 3학년 학생들이 많이 담은 강의". */
  text: z.string(),
});
export type RecommendationReason = z.infer<typeof recommendationReasonSchema>;

export const recommendationSchema = z.object({
  sectionId: z.number().int(),
  /** The model's score in 0..1 (higher: more likely to be wanted); only the order is meaningful. */
  score: z.number(),
  reasons: z.array(recommendationReasonSchema).min(1),
  section: sectionCoreSchema.extend({ seatsLeft: z.number().int() }),
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const recommendationsSchema = z.object({
  items: z.array(recommendationSchema),
  /** How many sections passed the filters (offered, eligible, not held or carted, no clash, credits fit, seats left). */
  candidates: z.number().int(),
  modelVersion: z.string(),
});
export type Recommendations = z.infer<typeof recommendationsSchema>;

/** 매우 치열 / 치열 / 여유: from the probability that the section is full before registration ends. */
export const COMPETITION_LEVELS = ['VERY_HIGH', 'HIGH', 'LOW'] as const;
export const competitionLevelSchema = z.enum(COMPETITION_LEVELS);
export type CompetitionLevel = z.infer<typeof competitionLevelSchema>;
export const COMPETITION_LABELS: Record<CompetitionLevel, string> = { VERY_HIGH: '매우 치열', HIGH: '치열', LOW: '여유' };
/** P(full before registration ends) at or above these: VERY_HIGH, HIGH; below: LOW. */
export const COMPETITION_THRESHOLDS = { VERY_HIGH: 0.7, HIGH: 0.3 } as const;
export const competitionLevelOf = (pFill: number): CompetitionLevel =>
  pFill >= COMPETITION_THRESHOLDS.VERY_HIGH ? 'VERY_HIGH' : pFill >= COMPETITION_THRESHOLDS.HIGH ? 'HIGH' : 'LOW';

/**
 * The forecast's clock, "registration minutes": minutes counted only while a REGISTRATION window is open,
 * four windows of 480 minutes by grade, seniors first. Minute 0 is the grade-4 opening, 480 grade 3's,
 * 960 grade 2's, 1,440 grade 1's.
 */
export const REGISTRATION_WINDOW_MINUTES = 480;
export const WINDOW_GRADE_ORDER = [4, 3, 2, 1] as const;

/** Which window a registration minute falls in (index in WINDOW_GRADE_ORDER, its grade) and how far into it; past the horizon: the last window. */
export function registrationWindowOf(minutes: number): { index: number; grade: number; within: number } {
  const index = Math.min(WINDOW_GRADE_ORDER.length - 1, Math.max(0, Math.floor(minutes / REGISTRATION_WINDOW_MINUTES)));
  return { index, grade: WINDOW_GRADE_ORDER[index]!, within: Math.max(0, minutes - index * REGISTRATION_WINDOW_MINUTES) };
}

export const sectionForecastSchema = z.object({
  sectionId: z.number().int(),
  /**
   * P(the section is full within T registration minutes of its opening), T as the key ("1", "5", "10", "30", "60").
   * Registration minutes count only while a window is open: four 8-hour windows by grade, seniors first,
   * so minute 480 is the next grade's opening.
   */
  pFillWithin: z.record(z.string(), z.number()),
  /** P(it is full before registration ends). */
  pFill: z.number(),
  /** Expected registration minutes from the opening until it is full, given that it fills; null when it is unlikely to fill (pFill < 0.05). */
  expectedFillMinutes: z.number().nullable(),
  level: competitionLevelSchema,
  capacity: z.number().int(),
  cartCount: z.number().int(),
  /** The grade whose registration window opens first for this section (seniors first). */
  openingGrade: z.number().int(),
});
export type SectionForecast = z.infer<typeof sectionForecastSchema>;

/** P(full within 10 registration minutes), when the forecast has that horizon (the key "10"). */
export const pFillWithin10 = (f: SectionForecast): number | undefined => f.pFillWithin['10'];

/** A span of registration minutes rounded to the minute, in the parts a sentence needs (`약 1시간 24분`). */
export type SpanParts = { kind: 'underMinute' } | { kind: 'minutes'; m: number } | { kind: 'hours'; h: number } | { kind: 'hoursMinutes'; h: number; m: number };
export function spanParts(minutes: number): SpanParts {
  const m = Math.round(minutes);
  if (m < 1) return { kind: 'underMinute' };
  if (m < 60) return { kind: 'minutes', m };
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? { kind: 'hours', h } : { kind: 'hoursMinutes', h, m: m % 60 };
}

/**
 * A probability as a whole percentage: `value` n (0–100), or `under` 1 below 0.5 % and `over` 99 above
 * 99.5 %, so what is nearly impossible or nearly certain never reads as 0 % or 100 % unless it is.
 */
export function percentParts(p: number): { kind: 'under' | 'over' | 'value'; n: number } {
  if (p > 0 && p < 0.005) return { kind: 'under', n: 1 };
  if (p < 1 && p > 0.995) return { kind: 'over', n: 99 };
  return { kind: 'value', n: Math.round(p * 100) };
}

export const forecastSchema = z.object({
  items: z.array(sectionForecastSchema),
  /** Requested ids that are not sections of the current term. */
  unknownSectionIds: z.array(z.number().int()),
  /** The registration minutes the model forecasts over (four windows of 480). */
  horizonMinutes: z.number().int(),
  modelVersion: z.string(),
});
export type Forecast = z.infer<typeof forecastSchema>;

const metricTable = z.record(z.string(), z.number());
export const modelCardEntrySchema = z.object({
  file: z.string(),
  kind: z.string(),
  /** Which way each metric is better. */
  better: z.record(z.string(), z.enum(['higher', 'lower'])),
  metrics: z.object({
    model: metricTable,
    baselines: z.record(z.string(), metricTable),
    oracle: metricTable,
  }),
  /** Share of the gap between the best baseline and the oracle the model closes, per metric (1 = reaches the oracle). */
  gapClosed: metricTable,
  features: z.array(z.string()),
  extra: z.record(z.string(), z.unknown()).optional(),
});
export const modelCardSchema = z.object({
  version: z.string(),
  seed: z.number().int(),
  trainedAt: z.string(),
  data: z.record(z.string(), z.unknown()),
  models: z.record(z.string(), modelCardEntrySchema),
});
export type ModelCard = z.infer<typeof modelCardSchema>;

export const modelInfoSchema = z.object({
  card: modelCardSchema,
  /** sha256 of each loaded .onnx file, by model name. */
  files: z.record(z.string(), z.object({ sha256: z.string(), bytes: z.number().int() })),
  loadedAt: z.string(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

const tags = ['ai'];

export const aiApi = serviceContract('/api/ai', {
  recommendations: endpoint({
    method: 'get',
    path: '/recommendations',
    summary:
      'My recommended sections of the current term: offered, eligible, not held or carted, no time clash, credits fit, seats left; ranked by the model, each with its reasons',
    tags,
    access: 'student',
    query: recommendationsQuery,
    responses: { 200: { description: 'Recommendations, best first', schema: recommendationsSchema } },
    errors: ['SERVICE_UNAVAILABLE'],
  }),
  forecast: endpoint({
    method: 'get',
    path: '/forecast',
    summary: 'Seat competition at the opening for up to 100 sections: P(full within T minutes), expected time to fill, a level',
    tags,
    access: 'authenticated',
    query: forecastQuery,
    responses: { 200: { description: 'One forecast per known section, in the order asked', schema: forecastSchema } },
    errors: ['SERVICE_UNAVAILABLE'],
  }),
  model: endpoint({
    method: 'get',
    path: '/model',
    summary: 'The model card (data, features, metrics against baselines and the oracle, version, seed) and the loaded files',
    tags,
    access: 'authenticated',
    responses: { 200: { description: 'The loaded models', schema: modelInfoSchema } },
    errors: ['SERVICE_UNAVAILABLE'],
  }),
});
