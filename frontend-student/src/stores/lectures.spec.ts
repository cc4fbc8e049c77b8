import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { http, HttpResponse } from 'msw';
import { makeLecture } from '../testing/fixtures.ts';
import { server } from '../testing/server.ts';
import { useLecturesStore } from './lectures.ts';

describe('useLecturesStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('reads a lecture and its syllabus once, even when asked twice at once', async () => {
    const asked: string[] = [];
    server.use(
      http.get('/api/lectures/lectures/:id', ({ params, request }) => {
        asked.push(`${String(params.id)} ${request.headers.get('Authorization') ?? ''}`);
        return HttpResponse.json(makeLecture({ id: Number(params.id), description: '자료구조의 기본 개념을 배운다.' }));
      }),
    );
    const store = useLecturesStore();

    const [a, b] = await Promise.all([store.get(10), store.get(10)]);
    const again = await store.get(10);

    expect(a).toMatchObject({ id: 10, titleEn: 'Data Structures', description: '자료구조의 기본 개념을 배운다.' });
    expect(b).toBe(a);
    expect(again).toEqual(a);
    expect(asked).toEqual(['10 ']);
  });

  it('asks again after a failure (nothing wrong is cached)', async () => {
    let calls = 0;
    server.use(
      http.get('/api/lectures/lectures/:id', () => {
        calls += 1;
        return calls === 1 ? HttpResponse.error() : HttpResponse.json(makeLecture({ id: 12, title: '글쓰기' }));
      }),
    );
    const store = useLecturesStore();

    await expect(store.get(12)).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(store.get(12)).resolves.toMatchObject({ title: '글쓰기' });
    expect(calls).toBe(2);
  });
});
