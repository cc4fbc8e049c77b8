import { http, HttpResponse } from 'msw';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Cart, Student, StudentPage, Timetable } from '@goorm/contracts';
import { problem, server } from '../../../testing/server.ts';
import { cart, student, studentPage, timetable } from '../fixtures.ts';
import { useRosterStore } from './roster.ts';
import { useStudentRecordStore } from './studentRecord.ts';
import { useStudentsStore } from './students.ts';

beforeEach(() => setActivePinia(createPinia()));

describe('students store', () => {
  it('goes from idle through loading to done, and to error with the refusal', async () => {
    server.use(http.get('*/api/auth/students', () => HttpResponse.json(studentPage() satisfies StudentPage)));
    const store = useStudentsStore();
    expect(store.status).toBe('idle');
    const loading = store.load(1);
    expect(store.status).toBe('loading');
    await loading;
    expect(store.status).toBe('done');
    expect(store.page.items).toHaveLength(1);

    server.use(http.get('*/api/auth/students', () => problem(503, 'SERVICE_UNAVAILABLE')));
    await store.load(1);
    expect(store.status).toBe('error');
    expect(store.error?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('after deleting the last row of a page, shows the page before', async () => {
    const pages: string[] = [];
    server.use(
      http.get('*/api/auth/students', ({ request }) => {
        const page = new URL(request.url).searchParams.get('page')!;
        pages.push(page);
        return HttpResponse.json(studentPage([student({ id: Number(page) })], { page: Number(page), total: 21 }) satisfies StudentPage);
      }),
      http.delete('*/api/auth/students/2', () => new HttpResponse(null, { status: 204 })),
    );
    const store = useStudentsStore();
    await store.load(2);
    const out = await store.remove(2);
    expect(out.ok).toBe(true);
    expect(pages).toEqual(['2', '1']);
  });

  it('keeps the field messages of a refused create', async () => {
    server.use(http.post('*/api/auth/students', () => problem(409, 'DUPLICATE', { field: 'studentNo', errors: [{ field: 'body.studentNo', message: 'is already taken' }] })));
    const out = await useStudentsStore().create({ studentNo: '20240001', name: 'x', majorId: 1, grade: 1, password: 'password123' });
    expect(out).toMatchObject({ ok: false, fields: { studentNo: 'is already taken' } });
  });
});

describe('student record store', () => {
  beforeEach(() => {
    server.use(
      http.get('*/api/auth/students/7', () => HttpResponse.json(student() satisfies Student)),
      http.get('*/api/enrollments/students/7', () => HttpResponse.json(timetable() satisfies Timetable)),
      http.get('*/api/carts/students/7', () => HttpResponse.json(cart() satisfies Cart)),
    );
  });

  it('loads the profile, the timetable and the cart, each with its own state', async () => {
    server.use(http.get('*/api/carts/students/7', () => problem(404, 'NOT_FOUND')));
    const store = useStudentRecordStore();
    await store.load(7);
    expect(store.student.status).toBe('done');
    expect(store.timetable.value?.totalCredits).toBe(3);
    expect(store.cart).toMatchObject({ status: 'error', value: undefined });
    expect(store.cart.error?.code).toBe('NOT_FOUND');
  });

  it('sends no override with a blank reason', async () => {
    let sent = 0;
    server.use(
      http.post('*/api/enrollments', () => {
        sent++;
        return problem(500, 'INTERNAL');
      }),
      http.delete('*/api/enrollments/42', () => {
        sent++;
        return problem(500, 'INTERNAL');
      }),
    );
    const store = useStudentRecordStore();
    await store.load(7);
    expect(await store.overrideEnroll({ sectionId: 42, reason: ' \n ', allowOverCapacity: true })).toBe('reasonRequired');
    expect(await store.overrideDrop(42, '')).toBe('reasonRequired');
    expect(sent).toBe(0);
  });
});

describe('roster store', () => {
  it('answers the CSV text the client core returns for text/csv', async () => {
    server.use(http.get('*/api/enrollments/sections/9/roster', () => new HttpResponse('studentId\n7\n', { headers: { 'Content-Type': 'text/csv' } })));
    const file = await useRosterStore().csv(9);
    expect(file).toEqual({ text: 'studentId\n7\n', fileName: 'roster-9.csv' });
  });
});
