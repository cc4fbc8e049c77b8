import { createRouter, createWebHistory, useRouter, type RouteRecordRaw, type Router, type RouterHistory } from '../lib/router.ts';
import { useSessionStore } from '../stores/session.ts';

export type RouteName = 'login' | 'search' | 'section' | 'cart' | 'timetable' | 'waiting-room' | 'not-found';

/** Every page is its own chunk (route-level code splitting). */
export const routes: RouteRecordRaw<RouteName>[] = [
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
  { path: '*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue'), meta: { title: 'app.notFound' } },
];

export function createAppRouter(history: RouterHistory = createWebHistory('/')): Router<RouteName> {
  const router = createRouter<RouteName>({ history, routes });
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

/** The app's router with its route names typed. */
export const useAppRouter = () => useRouter<RouteName>();
