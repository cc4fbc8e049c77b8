/** Renders a component the way the app mounts it: a fresh Pinia, the app's router (in memory) and vue-i18n. */
import { render, type RenderOptions } from '@testing-library/vue';
import { createPinia, setActivePinia } from 'pinia';
import type { Component } from 'vue';
import { createMemoryHistory } from 'vue-router';
import { createAppI18n, type Locale } from '../i18n/index.ts';
import { createAppRouter } from '../router/index.ts';
import type { StaffSession } from '../stores/session.ts';

export interface AppRenderOptions {
  props?: Record<string, unknown>;
  route?: string;
  locale?: Locale;
  /** Signed in as this staff member (written where the session store reads it). */
  session?: StaffSession;
  slots?: RenderOptions<unknown>['slots'];
}

export const staffSession = (): StaffSession => ({
  accessToken: 'staff-token',
  tokenType: 'Bearer',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id: 1, role: 'staff', loginId: 'admin', name: '관리자' },
});

export async function renderWithApp(component: Component, opts: AppRenderOptions = {}) {
  if (opts.session) localStorage.setItem('goorm.admin.session', JSON.stringify(opts.session));
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createAppRouter(createMemoryHistory());
  await router.push(opts.route ?? '/login');
  await router.isReady();
  const i18n = createAppI18n(opts.locale ?? 'ko');
  const result = render(component, { props: opts.props, slots: opts.slots, global: { plugins: [pinia, router, i18n] } });
  return { ...result, router, pinia, i18n };
}
