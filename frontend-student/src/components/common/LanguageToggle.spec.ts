import userEvent from '@testing-library/user-event';
import { screen } from '@testing-library/vue';
import { defineComponent, h } from 'vue';
import { describe, expect, it } from 'vitest';
import { useI18n } from 'vue-i18n';
import { renderWithApp } from '../../testing/render.ts';
import LanguageToggle from './LanguageToggle.vue';

const WithHeading = defineComponent({
  setup() {
    const { t } = useI18n();
    return () => h('div', [h('h1', t('search.title')), h(LanguageToggle)]);
  },
});

describe('LanguageToggle', () => {
  it('is Korean by default and switches the whole page to English, and back', async () => {
    const user = userEvent.setup();
    await renderWithApp(WithHeading);

    expect(screen.getByRole('heading', { name: '강의 검색' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'English' }));

    expect(screen.getByRole('heading', { name: 'Course search' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('en');
    await user.click(screen.getByRole('button', { name: '한국어' }));
    expect(screen.getByRole('heading', { name: '강의 검색' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('ko');
  });

  it('remembers the choice for the next visit', async () => {
    const user = userEvent.setup();
    const first = await renderWithApp(WithHeading);
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(localStorage.getItem('goorm.student.locale')).toBe('en');
    first.unmount();

    const { createAppI18n } = await import('../../i18n/index.ts');
    expect(createAppI18n().global.locale.value).toBe('en');
  });

  it('marks its label with the language it switches to, for screen readers', async () => {
    await renderWithApp(WithHeading);

    expect(screen.getByRole('button', { name: 'English' })).toHaveAttribute('lang', 'en');
  });
});
