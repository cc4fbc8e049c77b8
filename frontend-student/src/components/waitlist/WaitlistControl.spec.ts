import userEvent from '@testing-library/user-event';
import { screen } from '@testing-library/vue';
import { describe, expect, it } from 'vitest';
import { makeSection } from '../../testing/fixtures.ts';
import { renderWithApp } from '../../testing/render.ts';
import WaitlistControl from './WaitlistControl.vue';

const full = makeSection({ sectionNo: 1, capacity: 30, enrolled: 30 });

describe('WaitlistControl', () => {
  it('offers 대기 신청, named after the section, when the section is full and the student neither holds nor waits on it', async () => {
    const user = userEvent.setup();
    const { emitted } = await renderWithApp(WaitlistControl, { props: { section: full } });

    await user.click(screen.getByRole('button', { name: '자료구조 1분반 대기 신청' }));

    expect(emitted().join).toHaveLength(1);
  });

  it.each([
    ['a seat is free', { section: makeSection({ capacity: 30, enrolled: 29 }) }],
    ['the student holds it', { section: full, enrolled: true }],
    ['the student may not take it', { section: full, blocked: true }],
  ])('offers nothing when %s', async (_, props) => {
    await renderWithApp(WaitlistControl, { props });

    expect(screen.queryByRole('button')).toBeNull();
  });

  it('when the student waits, shows 대기 N번 with how many wait, and 대기 취소 instead of 대기 신청', async () => {
    const user = userEvent.setup();
    const { emitted } = await renderWithApp(WaitlistControl, {
      props: { section: full, place: { sectionId: full.id, position: 2, waiting: 5, lastSkip: null } },
    });

    expect(screen.getByText('대기 2번')).toBeInTheDocument();
    expect(screen.getByText('5명 대기 중')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /대기 신청/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: '자료구조 1분반 대기 취소' }));
    expect(emitted().leave).toHaveLength(1);
  });

  it('speaks English when the student switched', async () => {
    await renderWithApp(WaitlistControl, { props: { section: full, place: { sectionId: full.id, position: 1, waiting: 1, lastSkip: null } }, locale: 'en' });

    expect(screen.getByText('Waitlist no. 1')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Leave waitlist of Data Structures sec. 1' })).toBeInTheDocument();
  });
});
