import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { makeSection } from '../testing/fixtures.ts';
import { useLecturesStore } from './lectures.ts';

vi.mock('../api/lectures.ts', () => ({
  getLecture: vi.fn(async (id: number) => ({
    id,
    code: 'CSE2010',
    title: '자료구조',
    titleEn: 'Data Structures',
    credits: 3,
    category: 'MAJOR_REQUIRED',
    majorId: 1,
    description: '자료구조의 기본 개념을 배운다.',
  })),
}));
const api = await import('../api/lectures.ts');

describe('useLecturesStore', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.getLecture).mockClear();
  });

  it('fills the English titles the cart and timetable answers lack, asking once per lecture', async () => {
    const store = useLecturesStore();
    const bare = (id: number) => makeSection({ id, lecture: { id: 10, titleEn: '' } });

    const filled = await store.withTitles([bare(1), bare(2)]);

    expect(filled.map((s) => s.lecture.titleEn)).toEqual(['Data Structures', 'Data Structures']);
    expect(api.getLecture).toHaveBeenCalledTimes(1);
    await store.withTitles([bare(3)]);
    expect(api.getLecture).toHaveBeenCalledTimes(1);
  });

  it('uses titles already seen in a search, and keeps the Korean title when the lecture cannot be read', async () => {
    const store = useLecturesStore();
    store.remember([{ id: 11, code: 'CSE3010', title: '알고리즘', titleEn: 'Algorithms', credits: 3, category: 'MAJOR_ELECTIVE', majorId: 1 }]);
    vi.mocked(api.getLecture).mockRejectedValueOnce(new Error('offline'));

    const [known, unknown] = await store.withTitles([
      makeSection({ lecture: { id: 11, title: '알고리즘', titleEn: '' } }),
      makeSection({ lecture: { id: 12, title: '글쓰기', titleEn: '' } }),
    ]);

    expect(known!.lecture.titleEn).toBe('Algorithms');
    expect(unknown!.lecture).toMatchObject({ title: '글쓰기', titleEn: '' });
    expect(api.getLecture).toHaveBeenCalledTimes(1);
  });
});
