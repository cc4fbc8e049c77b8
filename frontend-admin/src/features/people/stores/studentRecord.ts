import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Cart, Dropped, Enrolled, Section, Student, Timetable } from '@goorm/contracts';
import { ApiError, auth, carts, enrollment, lectures } from '../../../api/client.ts';
import type { AsyncStatus } from '../../../stores/async.ts';
import { attempt, type Outcome } from './outcome.ts';

/** One part of the page that loads on its own (the profile, the timetable, the cart). */
interface Part<T> {
  status: AsyncStatus;
  value: T | undefined;
  error: ApiError | undefined;
}
const idle = <T>(): Part<T> => ({ status: 'idle', value: undefined, error: undefined });

async function fill<T>(part: { value: Part<T> }, read: () => Promise<T>, still: () => boolean): Promise<void> {
  part.value = { ...part.value, status: 'loading', error: undefined };
  try {
    const value = await read();
    if (still()) part.value = { status: 'done', value, error: undefined };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (still()) part.value = { status: 'error', value: undefined, error: e };
  }
}

export interface OverrideEnrollInput {
  sectionId: number;
  reason: string;
  allowOverCapacity: boolean;
}

/**
 * A student's page: the profile, the timetable (their enrollments this term, total credits), their
 * cart (the staff view of it), and the staff override of enroll and drop, each with a required reason.
 */
export const useStudentRecordStore = defineStore('studentRecord', () => {
  const studentId = ref<number | undefined>();
  const student = ref<Part<Student>>(idle());
  const timetable = ref<Part<Timetable>>(idle());
  const cart = ref<Part<Cart>>(idle());
  const found = ref<Part<Section[]>>(idle());
  let seq = 0;
  let findSeq = 0;

  async function load(id: number): Promise<void> {
    const mine = ++seq;
    const still = () => mine === seq;
    if (studentId.value !== id) {
      student.value = idle();
      timetable.value = idle();
      cart.value = idle();
      found.value = idle();
    }
    studentId.value = id;
    await Promise.all([
      fill(student, () => auth.getStudent({ params: { id } }), still),
      fill(timetable, () => enrollment.studentTimetable({ params: { studentId: id } }), still),
      fill(cart, () => carts.studentCart({ params: { studentId: id } }), still),
    ]);
  }

  /** Re-reads what an override changes (the timetable, and the cart's seat counts). */
  async function refresh(): Promise<void> {
    const id = studentId.value;
    if (id === undefined) return;
    const mine = seq;
    const still = () => mine === seq;
    await Promise.all([
      fill(timetable, () => enrollment.studentTimetable({ params: { studentId: id } }), still),
      fill(cart, () => carts.studentCart({ params: { studentId: id } }), still),
    ]);
  }

  /** Sections of the current term to pick for an override (the catalog search). */
  async function findSections(q: string): Promise<void> {
    const mine = ++findSeq;
    await fill(found, async () => (await lectures.searchSections({ query: { q: q.trim() || undefined, size: 20 } })).items, () => mine === findSeq);
  }

  /** Staff enroll the student: a reason is required (checked here before anything is sent). */
  async function overrideEnroll(input: OverrideEnrollInput): Promise<Outcome<Enrolled> | 'reasonRequired'> {
    const id = studentId.value;
    const reason = input.reason.trim();
    if (id === undefined) throw new Error('no student loaded');
    if (!reason) return 'reasonRequired';
    const out = await attempt(() =>
      enrollment.enroll({
        body: { sectionId: input.sectionId, studentId: id, reason, ...(input.allowOverCapacity ? { allowOverCapacity: true } : {}) },
      }),
    );
    if (out.ok) await refresh();
    return out;
  }

  /** Staff drop one of the student's sections: a reason is required. */
  async function overrideDrop(sectionId: number, reasonText: string): Promise<Outcome<Dropped> | 'reasonRequired'> {
    const id = studentId.value;
    const reason = reasonText.trim();
    if (id === undefined) throw new Error('no student loaded');
    if (!reason) return 'reasonRequired';
    const out = await attempt(() => enrollment.drop({ params: { sectionId }, query: { studentId: id, reason } }));
    if (out.ok) await refresh();
    return out;
  }

  return { studentId, student, timetable, cart, found, load, refresh, findSections, overrideEnroll, overrideDrop };
});
