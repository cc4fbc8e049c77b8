import { createRouter, createWebHistory, type RouteRecordInfo, type RouteRecordRaw, type Router, type RouterHistory } from 'vue-router';
import { useSessionStore } from '../stores/session.ts';

type NoParams = Record<never, never>;

/** Every route by name, with its path and params: vue-router types `push({ name })`, `useRoute(name)` and `route.name` from it. */
export interface RouteNamedMap {
  login: RouteRecordInfo<'login', '/login', NoParams, NoParams>;
  search: RouteRecordInfo<'search', '/', NoParams, NoParams>;
  section: RouteRecordInfo<'section', '/sections/:id', { id: string | number }, { id: string }>;
  cart: RouteRecordInfo<'cart', '/cart', NoParams, NoParams>;
  timetable: RouteRecordInfo<'timetable', '/timetable', NoParams, NoParams>;
  'waiting-room': RouteRecordInfo<'waiting-room', '/waiting-room', NoParams, NoParams>;
  'not-found': RouteRecordInfo<'not-found', '/:pathMatch(.*)*', { pathMatch: string | string[] }, { pathMatch: string[] }>;
}

export type RouteName = keyof RouteNamedMap;

declare module 'vue-router' {
  interface TypesConfig {
    RouteNamedMap: RouteNamedMap;
  }
  interface RouteMeta {
    /** Needs a signed-in student. */
    requiresAuth?: boolean;
    /** i18n key of the page title. */
    title?: string;
  }
}

/** Every page is its own chunk (route-level code splitting). */
export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('../pages/LoginPage.vue'), meta: { title: 'login.title' } },
  { path: '/', name: 'search', component: () => import('../pages/SearchPage.vue'), meta: { requiresAuth: true, title: 'search.title' } },
  {
    path: '/sections/:id',
    name: 'section',
    component: () => import('../pages/SectionDetailPage.vue'),
    meta: { requiresAuth: true, title: 'sectionDetail.title' },
  },
  { path: '/cart', name: 'cart', component: () => import('../pages/CartPage.vue'), meta: { requiresAuth: true, title: 'cart.title' } },
  {
    path: '/timetable',
    name: 'timetable',
    component: () => import('../pages/TimetablePage.vue'),
    meta: { requiresAuth: true, title: 'timetable.title' },
  },
  {
    path: '/waiting-room',
    name: 'waiting-room',
    component: () => import('../pages/WaitingRoomPage.vue'),
    meta: { requiresAuth: true, title: 'queue.title' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../pages/NotFoundPage.vue'),
    meta: { title: 'app.notFound' },
  },
] satisfies (RouteRecordRaw & { name: RouteName })[];

/**
 * The app's router: signed-out students go to login (and come back), signed-in ones skip it; when a
 * session expires (the session store's one 401 hook), the student is taken to login with a message.
 * Created once Pinia is active (main.ts installs it first).
 */
export function createAppRouter(history: RouterHistory = createWebHistory('/')): Router {
  const router = createRouter({ history, routes });
  useSessionStore().$onAction(({ name, after }) => {
    if (name !== 'expire') return;
    after(() => {
      if (router.currentRoute.value.name !== 'login') void router.push({ name: 'login', query: { reason: 'expired' } });
    });
  });
  router.beforeEach((to) => {
    const session = useSessionStore();
    if (to.meta.requiresAuth && !session.isAuthenticated) {
      return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
    }
    if (to.name === 'login' && session.isAuthenticated) return { name: 'search' };
    return true;
  });
  return router;
}
