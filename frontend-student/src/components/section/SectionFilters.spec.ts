import userEvent from '@testing-library/user-event';
import { screen } from '@testing-library/vue';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../testing/render.ts';
import SectionFilters from './SectionFilters.vue';

const majors = [
  { id: 1, code: 'CSE', name: '컴퓨터공학과', nameEn: 'Computer Science', isGeneralEducation: false },
  { id: 9, code: 'GEN', name: '교양학부', nameEn: 'General Education', isGeneralEducation: true },
];

describe('SectionFilters', () => {
  it('turns every labelled filter into typed search parameters', async () => {
    const user = userEvent.setup();
    const { emitted } = await renderWithApp(SectionFilters, { props: { initial: {}, majors } });

    await user.type(screen.getByLabelText('검색어'), ' 자료구조 ');
    await user.selectOptions(screen.getByLabelText('전공'), '컴퓨터공학과');
    await user.selectOptions(screen.getByLabelText('이수구분'), '전공필수');
    await user.selectOptions(screen.getByLabelText('학점'), '3학점');
    await user.selectOptions(screen.getByLabelText('요일'), '월요일');
    await user.selectOptions(screen.getByLabelText('교시'), '2교시 (10:00~)');
    await user.selectOptions(screen.getByLabelText('학년'), '3학년');
    await user.type(screen.getByLabelText('교수'), '김');
    await user.click(screen.getByRole('button', { name: '검색' }));

    expect(emitted().search).toEqual([
      [{ q: '자료구조', majorId: 1, generalEducation: undefined, category: 'MAJOR_REQUIRED', credits: 3, day: 'MON', period: 2, grade: 3, professor: '김' }],
    ]);
  });

  it('for general education only, leaves out major and category and says how many detailed filters are set', async () => {
    const user = userEvent.setup();
    const { emitted } = await renderWithApp(SectionFilters, { props: { initial: {}, majors } });

    await user.click(screen.getByLabelText('교양 과목만'));

    expect(screen.getByLabelText('전공')).toBeDisabled();
    expect(screen.getByLabelText('이수구분')).toBeDisabled();
    expect(screen.getByRole('button', { name: '상세 조건 (1)' })).toHaveAttribute('aria-expanded', 'false');
    await user.click(screen.getByRole('button', { name: '검색' }));
    expect(emitted().search?.[0]).toEqual([expect.objectContaining({ generalEducation: true, majorId: undefined, category: undefined })]);
  });

  it('offers only department majors, not the general-education department, in the major list', async () => {
    await renderWithApp(SectionFilters, { props: { initial: {}, majors } });

    expect(screen.getByRole('option', { name: '컴퓨터공학과' })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: '교양학부' })).toBeNull();
  });
});
