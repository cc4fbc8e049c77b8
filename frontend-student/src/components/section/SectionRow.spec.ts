import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/vue';
import { defineComponent, h, type PropType } from 'vue';
import { describe, expect, it } from 'vitest';
import type { Major } from '@goorm/contracts';
import type { StudentUser } from '../../api/auth.ts';
import type { ListedSection } from '../../domain/eligibility.ts';
import { cartItemOf, makeSection } from '../../testing/fixtures.ts';
import { renderWithApp } from '../../testing/render.ts';
import SectionRow from './SectionRow.vue';

/** A row only lives inside a table body. */
const InTable = defineComponent({
  props: {
    section: { type: Object as PropType<ListedSection>, required: true },
    student: { type: Object as PropType<StudentUser>, default: undefined },
    inCart: Boolean,
    enrolled: Boolean,
    majors: { type: Array as PropType<Major[]>, default: undefined },
  },
  emits: ['add', 'remove', 'register'],
  setup(props, { emit }) {
    return () =>
      h('table', [
        h('tbody', [
          h(SectionRow, {
            ...props,
            onAdd: (s: ListedSection) => emit('add', s),
            onRemove: (s: ListedSection) => emit('remove', s),
            onRegister: (s: ListedSection) => emit('register', s),
          }),
        ]),
      ]);
  },
});

const student: StudentUser = { id: 7, role: 'student', studentNo: '20240001', name: '김구름', majorId: 1, grade: 3, maxCredits: 18 };

describe('SectionRow', () => {
  it('shows lecture, section, professor, meetings with their clock times like "월 1–2교시 (09:00–10:50)", room, credits, seats left / capacity and cart competition', async () => {
    const section = makeSection({
      sectionNo: 2,
      capacity: 40,
      enrolled: 28,
      cartCount: 132,
      meetings: [
        { day: 'WED', startPeriod: 3, endPeriod: 3 },
        { day: 'MON', startPeriod: 1, endPeriod: 2 },
      ],
    });
    await renderWithApp(InTable, { props: { section, student } });

    const row = screen.getByRole('row');
    const header = within(row).getByRole('rowheader');
    expect(header).toHaveTextContent('CSE2010');
    expect(within(header).getByRole('link', { name: /자료구조/ })).toHaveAttribute('href', `/sections/${section.id}`);
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent?.trim());
    expect(cells).toEqual([
      '2분반',
      '이교수',
      '월 1–2교시 (09:00–10:50), 수 3교시 (11:00–11:50)',
      '공학관 301',
      '3학점',
      expect.stringContaining('12 / 40'),
      '장바구니 132 / 정원 40',
      expect.stringContaining('신청 가능'),
      expect.any(String),
    ]);
    expect(within(row).getByText('잔여 12석, 정원 40명')).toBeInTheDocument();
  });

  it('when no seat is left, says "마감" in words, not only in colour', async () => {
    await renderWithApp(InTable, { props: { section: makeSection({ capacity: 30, enrolled: 30 }) } });

    expect(screen.getByText('0 / 30')).toBeInTheDocument();
    expect(screen.getByText('마감')).toBeInTheDocument();
  });

  it('tells whether this student is eligible from the grades and majors the section allows', async () => {
    const { unmount } = await renderWithApp(InTable, { props: { section: makeSection({ grades: [1, 2] }), student } });
    expect(screen.getByText('자격 없음')).toBeInTheDocument();
    unmount();

    await renderWithApp(InTable, { props: { section: makeSection({ grades: [1, 2, 3, 4], allowedMajorIds: [] }), student } });
    expect(screen.getByText('신청 가능')).toBeInTheDocument();
  });

  it('when not eligible, disables 신청 and says why next to it (grade restriction), tied to the button', async () => {
    await renderWithApp(InTable, { props: { section: makeSection({ sectionNo: 1, grades: [1, 2] }), student } });

    const register = screen.getByRole('button', { name: '자료구조 1분반 수강신청' });
    expect(register).toBeDisabled();
    expect(register).toHaveAccessibleDescription('신청 불가: 1·2학년만 수강 가능');
    expect(screen.getByText('신청 불가: 1·2학년만 수강 가능')).toBeVisible();
    // Adding to the cart stays possible (the cart is a wish list).
    expect(screen.getByRole('button', { name: '자료구조 1분반 장바구니에 담기' })).toBeEnabled();
  });

  it('names the majors of a major restriction when it knows them, in the language shown', async () => {
    const majors: Major[] = [{ id: 2, code: 'BUS', name: '경영학과', nameEn: 'Business', college: '경영대학', isGeneralEducation: false }];
    const props = { section: makeSection({ grades: [3], allowedMajorIds: [2] }), student, majors };
    const { unmount } = await renderWithApp(InTable, { props });
    expect(screen.getByRole('button', { name: '자료구조 1분반 수강신청' })).toHaveAccessibleDescription('신청 불가: 경영학과 학생만 수강 가능');
    unmount();

    await renderWithApp(InTable, { props, locale: 'en' });
    expect(screen.getByRole('button', { name: 'Register for Data Structures sec. 1' })).toHaveAccessibleDescription('Cannot register: for Business students only');
  });

  it('an eligible section (or one the app cannot judge) keeps 신청 enabled with no reason', async () => {
    const { unmount } = await renderWithApp(InTable, { props: { section: makeSection({ grades: [3], allowedMajorIds: [1] }), student } });
    const register = screen.getByRole('button', { name: '자료구조 1분반 수강신청' });
    expect(register).toBeEnabled();
    expect(register).not.toHaveAttribute('aria-describedby');
    unmount();

    // Nobody signed in: the app cannot judge, and says so.
    await renderWithApp(InTable, { props: { section: makeSection({ grades: [1, 2] }) } });
    expect(screen.getByText('확인 필요')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '자료구조 1분반 수강신청' })).toBeEnabled();
  });

  it('in the cart, shows the server’s word on eligibility (not the app’s guess), with the reason', async () => {
    const gradeBound = makeSection({ sectionNo: 1, grades: [1, 2] });
    const { unmount } = await renderWithApp(InTable, {
      props: { section: cartItemOf(gradeBound, { eligible: false, reason: 'GRADE_RESTRICTED' }).section, student, inCart: true },
    });
    expect(screen.getByText('자격 없음')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '자료구조 1분반 수강신청' })).toHaveAccessibleDescription('신청 불가: 1·2학년만 수강 가능');
    unmount();

    // The server said yes for this caller: shown as such, whatever the app would have computed.
    await renderWithApp(InTable, { props: { section: cartItemOf(gradeBound, { eligible: true }).section, student, inCart: true } });
    expect(screen.getByText('신청 가능')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '자료구조 1분반 수강신청' })).toBeEnabled();
  });

  it('names its buttons after the section, and emits add and register with it', async () => {
    const user = userEvent.setup();
    const section = makeSection({ sectionNo: 1 });
    const { emitted } = await renderWithApp(InTable, { props: { section } });

    await user.click(screen.getByRole('button', { name: '자료구조 1분반 장바구니에 담기' }));
    await user.click(screen.getByRole('button', { name: '자료구조 1분반 수강신청' }));

    expect(emitted().add).toEqual([[section]]);
    expect(emitted().register).toEqual([[section]]);
  });

  it('when the section is in the cart, offers removing it; when enrolled, shows "신청됨" instead of the register button', async () => {
    const user = userEvent.setup();
    const section = makeSection();
    const { emitted } = await renderWithApp(InTable, { props: { section, inCart: true, enrolled: true } });

    await user.click(screen.getByRole('button', { name: '자료구조 1분반 장바구니에서 빼기' }));
    expect(emitted().remove).toEqual([[section]]);
    expect(screen.getByText('신청됨')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /수강신청/ })).toBeNull();
  });

  it('in English, shows the English title and English day names', async () => {
    await renderWithApp(InTable, {
      props: { section: makeSection({ meetings: [{ day: 'TUE', startPeriod: 5, endPeriod: 6 }] }) },
      locale: 'en',
    });

    expect(screen.getByRole('link', { name: /Data Structures/ })).toBeInTheDocument();
    expect(screen.getByText('Tue periods 5–6 (13:00–14:50)')).toBeInTheDocument();
    expect(screen.getByText('In carts 0 / capacity 40')).toBeInTheDocument();
  });
});
