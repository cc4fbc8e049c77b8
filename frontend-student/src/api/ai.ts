import { MAX_FORECAST_SECTIONS, type Recommendations, type SectionForecast } from '@goorm/contracts';
import { ai } from './client.ts';

/** My recommended sections of the current term, best first (GET /api/ai/recommendations). */
export function getRecommendations(limit: number, signal?: AbortSignal): Promise<Recommendations> {
  return ai.recommendations({ query: { limit }, signal });
}

/**
 * The seat-competition forecast of these sections (GET /api/ai/forecast): one call per 100 distinct ids
 * (the contract's most), in parallel; the forecasts in the order asked, unknown sections left out.
 */
export async function getForecasts(sectionIds: readonly number[]): Promise<SectionForecast[]> {
  const ids = [...new Set(sectionIds)];
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += MAX_FORECAST_SECTIONS) chunks.push(ids.slice(i, i + MAX_FORECAST_SECTIONS));
  const answers = await Promise.all(chunks.map((chunk) => ai.forecast({ query: { sectionIds: chunk } })));
  return answers.flatMap((a) => a.items);
}
