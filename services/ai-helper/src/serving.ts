/**
 * Answers of the AI helper: candidates filtered in code, features built here from the cached
 * catalog and the caller's own rows, one batched `session.run` per request.
 */
import * as ort from 'onnxruntime-node';
import { AppError, overloaded, type Knex } from '@goorm/common';
import {
  competitionLevelOf,
  DAYS,
  maskToGrades,
  type Forecast,
  type Recommendation,
  type RecommendationReason,
  type Recommendations,
  type SectionForecast,
} from '@goorm/contracts';
import type { Histogram } from 'prom-client';
import type { CatalogCache, CatalogView } from './catalog.ts';
import {
  blockOf,
  candidateSections,
  DAY_NAMES,
  FORECAST_BIN_EDGES,
  FORECAST_FEATURES,
  forecastFeatures,
  FORECAST_HORIZON_MINUTES,
  openingGradeOf,
  ownCounts,
  RECOMMEND_FEATURES,
  recommendFeatures,
  summariseSurvival,
  type CatalogSection,
  type RecommendFeature,
} from './features.ts';
import type { LoadedModels, ModelStore } from './models.ts';

export interface ServingDeps {
  db: Knex;
  catalog: CatalogCache;
  models: ModelStore;
  inference: Histogram<'model'>;
  /** The carts service's CART_CREDIT_LIMIT: a recommendation must still fit in the cart. */
  cartCreditLimit: number;
}

function modelsOrUnavailable(store: ModelStore): LoadedModels {
  const state = store.current;
  if (state.status === 'loaded') return state.models;
  throw overloaded(state.status === 'error' ? `The AI models are not available: ${state.error}` : 'The AI models are still loading', undefined, 5);
}

async function catalogOrUnavailable(cache: CatalogCache): Promise<CatalogView> {
  const view = await cache.get();
  if (!view) throw new AppError('SERVICE_UNAVAILABLE', { detail: 'There is no current term.' });
  return view;
}

async function run(session: ort.InferenceSession, rows: number[][], width: number, hist: Histogram<'model'>, model: string): Promise<Float32Array> {
  const data = new Float32Array(rows.length * width);
  rows.forEach((r, i) => data.set(r, i * width));
  const end = hist.startTimer({ model });
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, [rows.length, width]) });
  end();
  return out[session.outputNames[0]!]!.data as Float32Array;
}

const sectionCore = (view: CatalogView, s: CatalogSection) => {
  const lecture = view.stats.snapshot.lectures.get(s.lectureId)!;
  const info = view.lectureInfo.get(s.lectureId);
  const professor = view.professors.get(s.professorId) ?? { name: '', nameEn: '' };
  const where = view.sectionInfo.get(s.id) ?? { sectionNo: 1, room: '' };
  return {
    id: s.id,
    termId: view.termId,
    lectureId: s.lectureId,
    sectionNo: where.sectionNo,
    professorId: s.professorId,
    capacity: s.capacity,
    enrolled: s.enrolled,
    cartCount: view.stats.sectionCarts.get(s.id) ?? 0,
    room: where.room,
    grades: maskToGrades(s.gradeMask),
    allowedMajorIds: [...s.allowedMajorIds],
    meetings: s.meetings.map((m) => ({ ...m })),
    lecture: { id: lecture.id, code: info?.code ?? '', title: lecture.title, titleEn: info?.titleEn ?? '', credits: lecture.credits, category: lecture.category, majorId: lecture.majorId },
    professor: { id: s.professorId, name: professor.name, nameEn: professor.nameEn },
    seatsLeft: Math.max(0, s.capacity - s.enrolled),
  };
};

const BLOCK_NAMES = { AM: '오전', PM: '오후', EV: '저녁' } as const;
/** "화·목 오후": the days and the part of day of a section's meetings. */
export function slotPhrase(section: CatalogSection): string {
  const days = DAYS.filter((d) => section.meetings.some((m) => m.day === d))
    .map((d) => DAY_NAMES[d])
    .join('·');
  const blocks = (['AM', 'PM', 'EV'] as const)
    .filter((b) => section.meetings.some((m) => blockOf(m.startPeriod) === b))
    .map((b) => BLOCK_NAMES[b])
    .join('·');
  return `${days} ${blocks}`.trim();
}

interface StudentRow {
  id: number;
  majorId: number;
  grade: number;
  maxCredits: number;
}

/** Reasons from the features that pushed this score up the most (standardised value × the model's direction), then the free time slot. */
function reasonsFor(
  view: CatalogView,
  models: LoadedModels,
  student: StudentRow,
  section: CatalogSection,
  x: number[],
  contextLectureIds: readonly number[],
): RecommendationReason[] {
  const lecture = view.stats.snapshot.lectures.get(section.lectureId)!;
  const major = view.majors.get(student.majorId);
  const majorName = major?.name ?? '같은 학과';
  const feature = (name: RecommendFeature) => RECOMMEND_FEATURES.indexOf(name);
  const push = (j: number) => ((x[j]! - models.standardiser.mean[j]!) / models.standardiser.std[j]!) * models.directions[j]!;
  const text = (name: RecommendFeature): RecommendationReason | undefined => {
    switch (name) {
      case 'major_grade_share':
        return { code: 'MAJOR_GRADE_POPULAR', text: `${majorName} ${student.grade}학년 학생들이 많이 담은 강의` };
      case 'required_for_me':
        return { code: 'REQUIRED_FOR_YOU', text: `${majorName} ${student.grade}학년 전공필수` };
      case 'same_major':
      case 'level_match':
        return lecture.majorId === student.majorId ? { code: 'YOUR_LEVEL', text: `${majorName} ${lecture.level}학년 전공 강의` } : undefined;
      case 'college_share':
        return { code: 'COLLEGE_POPULAR', text: `${major?.college ?? '같은 단과대학'} 학생들이 많이 담은 강의` };
      case 'carted_together': {
        let best: { title: string; share: number } | undefined;
        for (const y of contextLectureIds) {
          const both = view.stats.coCarts.get(y)?.get(section.lectureId) ?? 0;
          const share = both / Math.max(1, view.stats.lectureCarts.get(y) ?? 0);
          if (!best || share > best.share) best = { title: view.stats.snapshot.lectures.get(y)?.title ?? '', share };
        }
        return best && best.share > 0 ? { code: 'CARTED_TOGETHER', text: `‘${best.title}’을(를) 담은 학생들이 함께 담은 강의` } : undefined;
      }
      case 'professor_demand': {
        const name = view.professors.get(section.professorId)?.name;
        return name ? { code: 'POPULAR_PROFESSOR', text: `신청이 몰리는 ${name} 교수님 강의` } : undefined;
      }
      case 'general_education':
        return lecture.category === 'GENERAL' ? { code: 'GENERAL_EDUCATION', text: '교양 강의' } : undefined;
      case 'section_demand':
      case 'major_share':
        return { code: 'POPULAR_SECTION', text: '많은 학생이 담은 분반' };
      default:
        return undefined;
    }
  };
  const ranked = RECOMMEND_FEATURES.map((name) => ({ name, push: push(feature(name)) }))
    .filter((r) => r.push > 0.15)
    .sort((a, b) => b.push - a.push);
  const reasons: RecommendationReason[] = [];
  for (const r of ranked) {
    const reason = text(r.name);
    // One reason per code; "your year's required course" already says "your level".
    const redundant = reason?.code === 'YOUR_LEVEL' && reasons.some((x) => x.code === 'REQUIRED_FOR_YOU');
    if (reason && !redundant && !reasons.some((x) => x.code === reason.code)) reasons.push(reason);
    if (reasons.length === 2) break;
  }
  if (section.meetings.length) reasons.push({ code: 'FREE_TIME', text: `비어 있는 ${slotPhrase(section)} 시간` });
  if (!reasons.length) reasons.push({ code: 'POPULAR_SECTION', text: '많은 학생이 담은 분반' });
  return reasons;
}

export async function recommend(deps: ServingDeps, studentId: number, limit: number): Promise<Recommendations> {
  const models = modelsOrUnavailable(deps.models);
  const view = await catalogOrUnavailable(deps.catalog);
  const [studentRow, held, carted] = await Promise.all([
    deps.db('student').where({ id: studentId }).first('id', 'major_id', 'grade', 'max_credits'),
    deps.db('enrollment').where({ student_id: studentId, term_id: view.termId }).select('section_id'),
    deps.db('cart_item').where({ student_id: studentId }).select('section_id'),
  ]);
  if (!studentRow) throw new AppError('NOT_FOUND', { detail: 'No such student.' });
  const student: StudentRow = { id: studentId, majorId: Number(studentRow.major_id), grade: Number(studentRow.grade), maxCredits: Number(studentRow.max_credits) };
  const sectionOf = (id: number) => view.stats.sectionById.get(id);
  const heldSections = held.map((r) => sectionOf(Number(r.section_id))).filter((s): s is CatalogSection => !!s);
  const cartSections = carted.map((r) => sectionOf(Number(r.section_id))).filter((s): s is CatalogSection => !!s);
  const mine = [...heldSections, ...cartSections.filter((c) => !heldSections.some((h) => h.id === c.id))];
  const creditsOf = (list: CatalogSection[]) => [...new Set(list.map((s) => s.lectureId))].reduce((sum, id) => sum + (view.stats.snapshot.lectures.get(id)?.credits ?? 0), 0);
  // A recommendation must fit both the registration limit (max credits minus what is held) and the cart's own limit.
  const remainingCredits = Math.min(student.maxCredits - creditsOf(heldSections), deps.cartCreditLimit - creditsOf(cartSections));
  const candidates = candidateSections(view.stats, { student, heldSections: mine, remainingCredits, seatsLeft: true });
  if (!candidates.length) return { items: [], candidates: 0, modelVersion: models.card.version };
  const own = ownCounts(
    view.stats,
    mine.map((s) => s.id),
  );
  const ctx = { student, ownSectionIds: mine.map((s) => s.id), contextLectureIds: mine.map((s) => s.lectureId) };
  const rows = candidates.map((s) => recommendFeatures(view.stats, ctx, s, own));
  const scores = await run(models.recommender, rows, RECOMMEND_FEATURES.length, deps.inference, 'recommender');
  const order = candidates.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || candidates[a]!.id - candidates[b]!.id);
  // One section per lecture (the best-scored): a student can hold only one, and the others would only crowd the list.
  const lectures = new Set<number>();
  const best = order.filter((i) => !lectures.has(candidates[i]!.lectureId) && lectures.add(candidates[i]!.lectureId)).slice(0, limit);
  const items: Recommendation[] = best.map((i) => ({
    sectionId: candidates[i]!.id,
    score: Number(scores[i]!.toFixed(6)),
    reasons: reasonsFor(view, models, student, candidates[i]!, rows[i]!, ctx.contextLectureIds),
    section: sectionCore(view, candidates[i]!),
  }));
  return { items, candidates: candidates.length, modelVersion: models.card.version };
}

export async function forecastSections(deps: ServingDeps, sectionIds: readonly number[]): Promise<Forecast> {
  const models = modelsOrUnavailable(deps.models);
  const view = await catalogOrUnavailable(deps.catalog);
  const known = sectionIds.map((id) => view.stats.sectionById.get(id)).filter((s): s is CatalogSection => !!s);
  const unknownSectionIds = sectionIds.filter((id) => !view.stats.sectionById.has(id));
  const base = { unknownSectionIds, horizonMinutes: FORECAST_HORIZON_MINUTES, modelVersion: models.card.version };
  if (!known.length) return { items: [], ...base };
  const rows = known.map((s) => forecastFeatures(view.stats, view.history, s));
  const survival = await run(models.forecast, rows, FORECAST_FEATURES.length, deps.inference, 'forecast');
  const k = FORECAST_BIN_EDGES.length;
  const items: SectionForecast[] = known.map((s, i) => {
    const summary = summariseSurvival(survival.subarray(i * k, (i + 1) * k));
    const round = (v: number) => Number(v.toFixed(4));
    return {
      sectionId: s.id,
      pFillWithin: Object.fromEntries(Object.entries(summary.pFillWithin).map(([t, p]) => [t, round(p)])),
      pFill: round(summary.pFill),
      expectedFillMinutes: summary.expectedFillMinutes === null ? null : Number(summary.expectedFillMinutes.toFixed(1)),
      level: competitionLevelOf(summary.pFill),
      capacity: s.capacity,
      cartCount: view.stats.sectionCarts.get(s.id) ?? 0,
      openingGrade: openingGradeOf(s.gradeMask),
    };
  });
  return { items, ...base };
}
