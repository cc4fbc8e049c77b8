/** Renders a component the way the app mounts it: a fresh Pinia, the app's router (in memory) and vue-i18n. */
import { render, type RenderOptions } from '@testing-library/vue';
import { createPinia, setActivePinia } from 'pinia';
import type { Component } from 'vue';
import { createMemoryHistory } from 'vue-router';
import type { StudentSession } from '../api/auth.ts';
import { createAppI18n, type Locale } from '../i18n/index.ts';
import { createAppRouter } from '../router/index.ts';

export interface AppRenderOptions {
  props?: Record<string, unknown>;
  route?: string;
  locale?: Locale;
  /** Signed in as this student (written where the session store reads it). */
  session?: StudentSession;
  slots?: RenderOptions<unknown>['slots'];
}

export const demoSession = (over: Partial<StudentSession['user']> = {}): StudentSession => ({
  accessToken: 'test-token',
  tokenType: 'Bearer',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id: 7, role: 'student', studentNo: '20240001', name: '김구름', majorId: 1, grade: 3, maxCredits: 18, ...over },
});

export async function renderWithApp(component: Component, opts: AppRenderOptions = {}) {
  if (opts.session) localStorage.setItem('goorm.student.session', JSON.stringify(opts.session));
  const pinia = createPinia();
  setActivePinia(pinia);
  // The same routes and guards as the app (createRouter({ history: createMemoryHistory(), routes })), already at the
  // route asked for when the component mounts, as main.ts mounts only once the router is ready.
  const router = createAppRouter(createMemoryHistory());
  await router.push(opts.route ?? '/login');
  await router.isReady();
  const i18n = createAppI18n(opts.locale ?? 'ko');
  const result = render(component, { props: opts.props, slots: opts.slots, global: { plugins: [pinia, router, i18n] } });
  return { ...result, router, pinia, i18n };
}
