import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Lecture } from '@goorm/contracts';
import * as lecturesApi from '../api/lectures.ts';

/** Lectures by id with their syllabus (강의계획서), read once per session for the section page. */
export const useLecturesStore = defineStore('lectures', () => {
  const details = ref(new Map<number, Lecture>());
  const inFlight = new Map<number, Promise<Lecture>>();

  /** The lecture and its syllabus (cached; one request per lecture even when asked twice at once). */
  function get(id: number): Promise<Lecture> {
    const known = details.value.get(id);
    if (known) return Promise.resolve(known);
    let p = inFlight.get(id);
    if (!p) {
      p = lecturesApi.getLecture(id).then((lecture) => {
        details.value.set(id, lecture);
        return lecture;
      });
      inFlight.set(id, p);
      void p.finally(() => inFlight.delete(id)).catch(() => undefined);
    }
    return p;
  }

  return { details, get };
});
