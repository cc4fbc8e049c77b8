import { screen } from '@testing-library/vue';
import { describe, expect, it } from 'vitest';
import { makeSection } from '../../testing/fixtures.ts';
import { renderWithApp } from '../../testing/render.ts';
import TimetableGrid from './TimetableGrid.vue';

const dataStructures = makeSection({
  id: 1,
  sectionNo: 1,
  room: '공학관 301',
  meetings: [
    { day: 'MON', startPeriod: 1, endPeriod: 2 },
    { day: 'WED', startPeriod: 3, endPeriod: 3 },
  ],
});
const algorithms = makeSection({
  id: 2,
  sectionNo: 2,
  room: '공학관 402',
  lecture: { id: 11, code: 'CSE3010', title: '알고리즘' },
  meetings: [{ day: 'FRI', startPeriod: 5, endPeriod: 7 }],
});
const clashing = makeSection({
  id: 3,
  sectionNo: 1,
  room: '인문관 101',
  lecture: { id: 12, code: 'GEN1001', title: '글쓰기' },
  meetings: [{ day: 'MON', startPeriod: 2, endPeriod: 3 }],
});

describe('TimetableGrid', () => {
  it('places each meeting of an enrolled section in its day column across its periods', async () => {
    await renderWithApp(TimetableGrid, { props: { enrolled: [dataStructures, algorithms] } });

    const mon = screen.getByRole('article', { name: '자료구조 1분반, 월 1–2교시 (09:00–10:50), 공학관 301' });
    expect(mon.style.gridColumn).toBe('2'); // column 1 holds the period labels
    expect(mon.style.gridRow).toBe('2 / 4'); // row 1 holds the day names
    const wed = screen.getByRole('article', { name: '자료구조 1분반, 수 3교시 (11:00–11:50), 공학관 301' });
    expect(wed.style.gridColumn).toBe('4');
    expect(wed.style.gridRow).toBe('4 / 5');
    const fri = screen.getByRole('article', { name: '알고리즘 2분반, 금 5–7교시 (13:00–15:50), 공학관 402' });
    expect(fri.style.gridColumn).toBe('6');
    expect(fri.style.gridRow).toBe('6 / 9');
    expect(screen.getAllByRole('article')).toHaveLength(3);
    expect(screen.queryByText('시간 중복')).toBeNull();
  });

  it('shows cart sections as ghosts, labelled as not registered yet', async () => {
    await renderWithApp(TimetableGrid, { props: { enrolled: [dataStructures], ghosts: [algorithms] } });

    const ghost = screen.getByRole('article', { name: /알고리즘 2분반, 금 5–7/ });
    expect(ghost).toHaveAccessibleName('알고리즘 2분반, 금 5–7교시 (13:00–15:50), 공학관 402, 장바구니, 아직 신청 전');
    expect(ghost).toHaveAttribute('data-kind', 'ghost');
    expect(ghost).toHaveTextContent('장바구니');
  });

  it('does not draw a ghost for a cart section that is already enrolled', async () => {
    await renderWithApp(TimetableGrid, { props: { enrolled: [dataStructures], ghosts: [dataStructures] } });

    expect(screen.getAllByRole('article')).toHaveLength(2);
    expect(screen.queryByText('장바구니')).toBeNull();
  });

  it('highlights both sides of a clash with words, not only colour', async () => {
    await renderWithApp(TimetableGrid, { props: { enrolled: [dataStructures], ghosts: [clashing, algorithms] } });

    const enrolledMon = screen.getByRole('article', { name: /자료구조 1분반, 월 1–2/ });
    const ghost = screen.getByRole('article', { name: /글쓰기 1분반, 월 2–3/ });
    for (const block of [enrolledMon, ghost]) {
      expect(block).toHaveAttribute('data-conflict', 'true');
      expect(block).toHaveTextContent('시간 중복');
      expect(block.getAttribute('aria-label')).toContain('다른 과목과 시간 중복');
    }
    expect(screen.getByRole('article', { name: /자료구조 1분반, 수 3/ })).not.toHaveAttribute('data-conflict');
    expect(screen.getByRole('article', { name: /알고리즘/ })).not.toHaveAttribute('data-conflict');
  });

  it('has a labelled, keyboard-scrollable region with the six days and fifteen periods', async () => {
    const { container } = await renderWithApp(TimetableGrid, { props: { enrolled: [] } });

    const region = screen.getByRole('region', { name: '주간 시간표 (월–토, 1–15교시)' });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(container.querySelectorAll('.timetable__day')).toHaveLength(6);
    expect(container.querySelectorAll('.timetable__period')).toHaveLength(15);
  });

  it('shows the clock time beside each period, from the period table', async () => {
    const periodTable = [
      { no: 1, start: '08:30', end: '09:45' },
      { no: 2, start: '10:00', end: '11:15' },
    ];
    await renderWithApp(TimetableGrid, { props: { enrolled: [makeSection({ meetings: [{ day: 'TUE', startPeriod: 1, endPeriod: 2 }] })], periodTable } });

    expect(screen.getByRole('article', { name: '자료구조 1분반, 화 1–2교시 (08:30–11:15), 공학관 301' })).toBeInTheDocument();
    const labels = [...document.querySelectorAll('.timetable__period')].map((el) => [...el.children].map((c) => c.textContent?.trim()));
    expect(labels).toEqual([
      ['1교시', '08:30'],
      ['2교시', '10:00'],
    ]);
    expect(screen.getByRole('region', { name: '주간 시간표 (월–토, 1–2교시)' })).toBeInTheDocument();
  });
});
