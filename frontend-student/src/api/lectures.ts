import type { Lecture, Major, Page, Section, SectionQuery, Term } from '@goorm/contracts';
import { lectures } from './client.ts';

/** The search filters and page the app sends (every one optional; the server fills the defaults). */
export type SectionSearch = Partial<Omit<SectionQuery, 'termId' | 'sort' | 'order'>>;

export function searchSections(query: SectionSearch, signal?: AbortSignal): Promise<Page<Section>> {
  return lectures.searchSections({ query, signal });
}

export function getSection(id: number): Promise<Section> {
  return lectures.getSection({ params: { id } });
}

export async function listMajors(): Promise<Major[]> {
  return (await lectures.listMajors()).items;
}

/** One lecture with its syllabus text (`description`, 강의계획서). */
export function getLecture(id: number): Promise<Lecture> {
  return lectures.getLecture({ params: { id } });
}

export async function listTerms(): Promise<Term[]> {
  return (await lectures.listTerms()).items;
}
