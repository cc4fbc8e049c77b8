import { ref } from 'vue';
import { defineStore } from 'pinia';
import * as lecturesApi from '../api/lectures.ts';
import type { LectureDetail, LectureSummary, Section } from '../api/types.ts';

/**
 * Lectures by id, fetched once per session: the syllabus for the detail page, and the English
 * titles that the cart and timetable answers lack (they carry the Korean title only).
 */
export const useLecturesStore = defineStore('lectures', () => {
  const details = ref(new Map<number, LectureDetail>());
  /** English titles known from any answer (a search page, a lecture), by lecture id. */
  const titlesEn = ref(new Map<number, string>());
  const inFlight = new Map<number, Promise<LectureDetail | undefined>>();

  function remember(lectures: readonly LectureSummary[]) {
    for (const l of lectures) if (l.id && l.titleEn) titlesEn.value.set(l.id, l.titleEn);
  }

  /** The lecture and its syllabus (cached; one request per lecture even when asked twice at once). */
  async function get(id: number): Promise<LectureDetail> {
    const known = details.value.get(id);
    if (known) return known;
    const detail = await lecturesApi.getLecture(id);
    details.value.set(id, detail);
    remember([detail]);
    return detail;
  }

  function quietly(id: number): Promise<LectureDetail | undefined> {
    let p = inFlight.get(id);
    if (!p) {
      p = get(id).catch(() => undefined);
      inFlight.set(id, p);
      void p.finally(() => inFlight.delete(id));
    }
    return p;
  }

  /** The sections with `lecture.titleEn` filled in where the answer left it empty (unknown titles are fetched; failures leave the Korean title). */
  async function withTitles<S extends Pick<Section, 'lecture'>>(sections: S[]): Promise<S[]> {
    const missing = [...new Set(sections.filter((s) => !s.lecture.titleEn && s.lecture.id && !titlesEn.value.has(s.lecture.id)).map((s) => s.lecture.id))];
    await Promise.all(missing.map(quietly));
    return sections.map((s) => {
      const titleEn = s.lecture.titleEn || titlesEn.value.get(s.lecture.id) || '';
      return titleEn === s.lecture.titleEn ? s : { ...s, lecture: { ...s.lecture, titleEn } };
    });
  }

  return { details, titlesEn, remember, get, withTitles };
});
