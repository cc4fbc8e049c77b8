import { request } from './http.ts';
import { arr, num, obj, str, toLecture, toSection } from './normalize.ts';
import type { Category, Day, LectureDetail, Major, Page, Section, Term } from './types.ts';

export interface SectionSearch {
  q?: string;
  lectureId?: number;
  majorId?: number;
  /** Only general education (교양) lectures. */
  generalEducation?: boolean;
  category?: Category;
  credits?: number;
  day?: Day;
  period?: number;
  grade?: number;
  professor?: string;
  page?: number;
  size?: number;
}

export async function searchSections(params: SectionSearch, signal?: AbortSignal): Promise<Page<Section>> {
  const { generalEducation, ...rest } = params;
  const query = { ...rest, ...(generalEducation ? { generalEducation: true } : {}) };
  const raw = obj(await request<unknown>('/api/lectures/sections', { query, signal }));
  const items = arr(raw.items).map(toSection);
  return { items, total: num(raw.total) ?? items.length, page: num(raw.page) ?? params.page ?? 1, size: num(raw.size) ?? params.size ?? 20 };
}

export async function getSection(id: number): Promise<Section> {
  return toSection(await request<unknown>(`/api/lectures/sections/${id}`));
}

export async function listMajors(): Promise<Major[]> {
  const raw = await request<unknown>('/api/lectures/majors');
  const items = Array.isArray(raw) ? raw : arr(obj(raw).items);
  return items.map((m) => {
    const r = obj(m);
    return {
      id: num(r.id) ?? 0,
      code: str(r.code) ?? '',
      name: str(r.name) ?? '',
      nameEn: str(r.nameEn, r.name) ?? '',
      isGeneralEducation: r.isGeneralEducation === true || r.isGeneralEducation === 1,
    };
  });
}

/** One lecture with its syllabus text (`description`, 강의계획서). */
export async function getLecture(id: number): Promise<LectureDetail> {
  const raw = obj(await request<unknown>(`/api/lectures/lectures/${id}`));
  return { ...toLecture({ lecture: raw }), description: str(raw.description) };
}

export async function listTerms(): Promise<Term[]> {
  const raw = await request<unknown>('/api/lectures/terms');
  const items = Array.isArray(raw) ? raw : arr(obj(raw).items);
  return items.map((t) => {
    const r = obj(t);
    return {
      id: num(r.id) ?? 0,
      code: str(r.code) ?? '',
      name: str(r.name) ?? '',
      startsOn: str(r.startsOn) ?? '',
      endsOn: str(r.endsOn) ?? '',
      isCurrent: r.isCurrent === true || r.isCurrent === 1,
    };
  });
}
