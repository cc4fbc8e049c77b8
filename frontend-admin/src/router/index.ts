import { createRouter, createWebHistory, type RouteRecordInfo, type RouteRecordRaw, type Router, type RouterHistory } from 'vue-router';
import { useSessionStore } from '../stores/session.ts';

type NoParams = Record<never, never>;
type Id = { id: string | number };
type IdRaw = { id: string };

/** Every route by name, with its path and params: vue-router types `push({ name })` and `route.name` from it. */
export interface RouteNamedMap {
  login: RouteRecordInfo<'login', '/login', NoParams, NoParams>;
  dashboard: RouteRecordInfo<'dashboard', '/', NoParams, NoParams>;
  queue: RouteRecordInfo<'queue', '/queue', NoParams, NoParams>;
  windows: RouteRecordInfo<'windows', '/windows', NoParams, NoParams>;
  terms: RouteRecordInfo<'terms', '/catalog/terms', NoParams, NoParams>;
  majors: RouteRecordInfo<'majors', '/catalog/majors', NoParams, NoParams>;
  professors: RouteRecordInfo<'professors', '/catalog/professors', NoParams, NoParams>;
  lectures: RouteRecordInfo<'lectures', '/catalog/lectures', NoParams, NoParams>;
  sections: RouteRecordInfo<'sections', '/catalog/sections', NoParams, NoParams>;
  'section-new': RouteRecordInfo<'section-new', '/catalog/sections/new', NoParams, NoParams>;
  'section-import': RouteRecordInfo<'section-import', '/catalog/sections/import', NoParams, NoParams>;
  'section-edit': RouteRecordInfo<'section-edit', '/catalog/sections/:id', Id, IdRaw>;
  roster: RouteRecordInfo<'roster', '/catalog/sections/:id/roster', Id, IdRaw>;
  waitlist: RouteRecordInfo<'waitlist', '/catalog/sections/:id/waitlist', Id, IdRaw>;
  waitlists: RouteRecordInfo<'waitlists', '/waitlists', NoParams, NoParams>;
  'auto-enroll': RouteRecordInfo<'auto-enroll', '/auto-enroll', NoParams, NoParams>;
  students: RouteRecordInfo<'students', '/students', NoParams, NoParams>;
  student: RouteRecordInfo<'student', '/students/:id', Id, IdRaw>;
  staff: RouteRecordInfo<'staff', '/staff', NoParams, NoParams>;
  audit: RouteRecordInfo<'audit', '/audit', NoParams, NoParams>;
  'not-found': RouteRecordInfo<'not-found', '/:pathMatch(.*)*', { pathMatch: string | string[] }, { pathMatch: string[] }>;
}

export type RouteName = keyof RouteNamedMap;

declare module 'vue-router' {
  interface TypesConfig {
    RouteNamedMap: RouteNamedMap;
  }
  interface RouteMeta {
    /** Needs a signed-in staff member (every screen but sign-in). */
    requiresAuth?: boolean;
    /** i18n key of the page title. */
    title?: string;
  }
}

const staffOnly = (title: string) => ({ requiresAuth: true, title });

/** Every screen is its own chunk (route-level code splitting); the features own their pages. */
export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('../pages/LoginPage.vue'), meta: { title: 'login.title' } },
  { path: '/', name: 'dashboard', component: () => import('../features/dashboard/DashboardPage.vue'), meta: staffOnly('dashboard.title') },
  { path: '/queue', name: 'queue', component: () => import('../features/queue/QueueControlPage.vue'), meta: staffOnly('queue.title') },
  { path: '/windows', name: 'windows', component: () => import('../features/windows/WindowsPage.vue'), meta: staffOnly('windows.title') },
  { path: '/catalog/terms', name: 'terms', component: () => import('../features/catalog/TermsPage.vue'), meta: staffOnly('catalog.terms.title') },
  { path: '/catalog/majors', name: 'majors', component: () => import('../features/catalog/MajorsPage.vue'), meta: staffOnly('catalog.majors.title') },
  {
    path: '/catalog/professors',
    name: 'professors',
    component: () => import('../features/catalog/ProfessorsPage.vue'),
    meta: staffOnly('catalog.professors.title'),
  },
  { path: '/catalog/lectures', name: 'lectures', component: () => import('../features/catalog/LecturesPage.vue'), meta: staffOnly('catalog.lectures.title') },
  { path: '/catalog/sections', name: 'sections', component: () => import('../features/catalog/SectionsPage.vue'), meta: staffOnly('catalog.sections.title') },
  {
    path: '/catalog/sections/new',
    name: 'section-new',
    component: () => import('../features/catalog/SectionFormPage.vue'),
    meta: staffOnly('catalog.sectionForm.newTitle'),
  },
  {
    path: '/catalog/sections/import',
    name: 'section-import',
    component: () => import('../features/catalog/SectionImportPage.vue'),
    meta: staffOnly('catalog.import.title'),
  },
  {
    path: '/catalog/sections/:id(\\d+)',
    name: 'section-edit',
    component: () => import('../features/catalog/SectionFormPage.vue'),
    meta: staffOnly('catalog.sectionForm.editTitle'),
  },
  {
    path: '/catalog/sections/:id(\\d+)/roster',
    name: 'roster',
    component: () => import('../features/people/RosterPage.vue'),
    meta: staffOnly('people.roster.title'),
  },
  {
    path: '/catalog/sections/:id(\\d+)/waitlist',
    name: 'waitlist',
    component: () => import('../features/waitlist/SectionWaitlistPage.vue'),
    meta: staffOnly('waitlist.section.title'),
  },
  { path: '/waitlists', name: 'waitlists', component: () => import('../features/waitlist/WaitlistsPage.vue'), meta: staffOnly('waitlist.overview.title') },
  { path: '/auto-enroll', name: 'auto-enroll', component: () => import('../features/autoenroll/AutoEnrollPage.vue'), meta: staffOnly('autoEnroll.title') },
  { path: '/students', name: 'students', component: () => import('../features/people/StudentsPage.vue'), meta: staffOnly('people.students.title') },
  { path: '/students/:id(\\d+)', name: 'student', component: () => import('../features/people/StudentPage.vue'), meta: staffOnly('people.student.title') },
  { path: '/staff', name: 'staff', component: () => import('../features/people/StaffPage.vue'), meta: staffOnly('people.staff.title') },
  { path: '/audit', name: 'audit', component: () => import('../features/people/AuditPage.vue'), meta: staffOnly('people.audit.title') },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue'), meta: { title: 'notFound.title' } },
];

/** The app's router: signed-out visitors go to sign-in (and come back), signed-in staff skip it. */
export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)): Router {
  const router = createRouter({ history, routes });
  router.beforeEach((to) => {
    const session = useSessionStore();
    if (to.meta.requiresAuth && !session.isAuthenticated) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (to.name === 'login' && session.isAuthenticated) return { name: 'dashboard' };
    return true;
  });
  return router;
}
