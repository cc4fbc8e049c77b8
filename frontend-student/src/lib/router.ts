/**
 * A small, API-compatible subset of vue-router 4: `createRouter`, `createWebHistory`,
 * `createMemoryHistory`, `useRouter`, `useRoute`, `RouterView`, `RouterLink`, navigation guards
 * (`beforeEach`) and lazy route components (route-level code splitting).
 *
 * Why it exists: the `vue-router` package is not installed in this workspace. The app imports
 * routing from here only, so moving to the real package is a change of this file.
 */
import {
  computed,
  defineAsyncComponent,
  defineComponent,
  h,
  inject,
  shallowRef,
  type App,
  type Component,
  type InjectionKey,
  type PropType,
  type ShallowRef,
} from 'vue';

type Lazy = () => Promise<{ default: Component }>;

export interface RouteRecordRaw<N extends string = string> {
  path: string;
  name: N;
  component: Component | Lazy;
  meta?: RouteMeta;
}

export interface RouteMeta {
  /** Needs a signed-in student. */
  requiresAuth?: boolean;
  /** i18n key of the page title. */
  title?: string;
}

export interface RouteLocation<N extends string = string> {
  name: N;
  path: string;
  fullPath: string;
  params: Record<string, string>;
  query: Record<string, string>;
  meta: RouteMeta;
}

export type RouteLocationRaw<N extends string = string> =
  | string
  | { name: N; params?: Record<string, string | number>; query?: Record<string, string | number | boolean | undefined> };

export interface RouterHistory {
  readonly base: string;
  /** Current path + search, without the base. */
  location(): string;
  push(to: string): void;
  replace(to: string): void;
  listen(cb: (to: string) => void): () => void;
}

type Guard<N extends string> = (
  to: RouteLocation<N>,
  from: RouteLocation<N> | undefined,
) => void | boolean | RouteLocationRaw<N> | Promise<void | boolean | RouteLocationRaw<N>>;

export interface Router<N extends string = string> {
  readonly currentRoute: ShallowRef<RouteLocation<N>>;
  readonly routes: readonly RouteRecordRaw<N>[];
  resolve(to: RouteLocationRaw<N>): RouteLocation<N>;
  push(to: RouteLocationRaw<N>): Promise<void>;
  replace(to: RouteLocationRaw<N>): Promise<void>;
  beforeEach(guard: Guard<N>): () => void;
  isReady(): Promise<void>;
  install(app: App): void;
}

function stripBase(base: string, path: string): string {
  return base !== '/' && path.startsWith(base) ? path.slice(base.length - 1) || '/' : path;
}

export function createWebHistory(base = '/'): RouterHistory {
  const b = base.endsWith('/') ? base : `${base}/`;
  const join = (to: string) => (b === '/' ? to : b.slice(0, -1) + to);
  return {
    base: b,
    location: () => stripBase(b, window.location.pathname) + window.location.search,
    push: (to) => window.history.pushState({}, '', join(to)),
    replace: (to) => window.history.replaceState({}, '', join(to)),
    listen(cb) {
      const onPop = () => cb(stripBase(b, window.location.pathname) + window.location.search);
      window.addEventListener('popstate', onPop);
      return () => window.removeEventListener('popstate', onPop);
    },
  };
}

/** History kept in memory (tests, server-side). */
export function createMemoryHistory(start = '/'): RouterHistory {
  const stack = [start];
  return {
    base: '/',
    location: () => stack[stack.length - 1] ?? '/',
    push: (to) => void stack.push(to),
    replace: (to) => void (stack[stack.length - 1] = to),
    listen: () => () => undefined,
  };
}

interface Compiled<N extends string> {
  record: RouteRecordRaw<N>;
  regex: RegExp;
  keys: string[];
  view: Component;
}

function compile<N extends string>(record: RouteRecordRaw<N>): Compiled<N> {
  const keys: string[] = [];
  const pattern =
    record.path === '*'
      ? '.*'
      : record.path
          .split('/')
          .map((seg) => (seg.startsWith(':') ? (keys.push(seg.slice(1)), '([^/]+)') : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('/');
  const isLazy = typeof record.component === 'function' && !('setup' in record.component) && !('render' in record.component);
  const view = isLazy ? defineAsyncComponent(record.component as Lazy) : (record.component as Component);
  return { record, regex: new RegExp(`^${pattern}/?$`), keys, view };
}

function parseQuery(search: string): Record<string, string> {
  const q: Record<string, string> = {};
  new URLSearchParams(search).forEach((v, k) => (q[k] = v));
  return q;
}

function buildQuery(query: Record<string, string | number | boolean | undefined> | undefined): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

const routerKey: InjectionKey<Router> = Symbol('router');

export function createRouter<N extends string>(options: { history: RouterHistory; routes: RouteRecordRaw<N>[] }): Router<N> {
  const compiled = options.routes.map(compile);
  const guards: Guard<N>[] = [];
  const views = new Map<N, Component>(compiled.map((c) => [c.record.name, c.view]));

  function match(fullPath: string): RouteLocation<N> {
    const [pathPart = '/', search = ''] = fullPath.split('?');
    const path = decodeURI(pathPart) || '/';
    for (const c of compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
      return { name: c.record.name, path, fullPath, params, query: parseQuery(search), meta: c.record.meta ?? {} };
    }
    throw new Error(`[router] no route matches ${fullPath}`);
  }

  function resolve(to: RouteLocationRaw<N>): RouteLocation<N> {
    if (typeof to === 'string') return match(to);
    const c = compiled.find((x) => x.record.name === to.name);
    if (!c) throw new Error(`[router] no route named ${to.name}`);
    const path = c.record.path.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(String(to.params?.[k] ?? '')));
    return match(path + buildQuery(to.query));
  }

  const currentRoute = shallowRef<RouteLocation<N>>(match(options.history.location()));
  let ready: Promise<void> = Promise.resolve();
  let navId = 0;

  async function navigate(to: RouteLocationRaw<N>, mode: 'push' | 'replace' | 'pop', depth = 0): Promise<void> {
    const id = ++navId;
    const target = resolve(to);
    const from = currentRoute.value;
    for (const guard of guards) {
      const r = await guard(target, from);
      if (id !== navId) return; // a newer navigation won
      if (r === false) return;
      if (r !== undefined && r !== true) {
        if (depth > 5) throw new Error('[router] too many redirects');
        return navigate(r, mode === 'pop' ? 'replace' : mode, depth + 1);
      }
    }
    if (mode === 'push' && target.fullPath !== from.fullPath) options.history.push(target.fullPath);
    else if (mode !== 'pop' || target.fullPath !== options.history.location()) options.history.replace(target.fullPath);
    currentRoute.value = target;
  }

  const router: Router<N> = {
    currentRoute,
    routes: options.routes,
    resolve,
    push: (to) => navigate(to, 'push'),
    replace: (to) => navigate(to, 'replace'),
    beforeEach(guard) {
      guards.push(guard);
      return () => void guards.splice(guards.indexOf(guard), 1);
    },
    isReady: () => ready,
    install(app) {
      app.provide(routerKey, router as unknown as Router);
      app.provide(viewsKey, views as Map<string, Component>);
      options.history.listen((loc) => void navigate(loc, 'pop'));
      ready = navigate(options.history.location(), 'replace');
    },
  };
  return router;
}

const viewsKey: InjectionKey<Map<string, Component>> = Symbol('router-views');

export function useRouter<N extends string = string>(): Router<N> {
  const r = inject(routerKey);
  if (!r) throw new Error('[router] useRouter() outside an app with a router');
  return r as unknown as Router<N>;
}

export function useRoute<N extends string = string>(): RouteLocation<N> {
  const router = useRouter<N>();
  return new Proxy({} as RouteLocation<N>, {
    get: (_, key) => router.currentRoute.value[key as keyof RouteLocation<N>],
  });
}

export const RouterView = defineComponent({
  name: 'RouterView',
  setup() {
    const router = useRouter();
    const views = inject(viewsKey)!;
    return () => {
      const route = router.currentRoute.value;
      const view = views.get(route.name);
      return view ? h(view, { key: route.name }) : null;
    };
  },
});

export const RouterLink = defineComponent({
  name: 'RouterLink',
  props: {
    to: { type: [String, Object] as PropType<RouteLocationRaw>, required: true },
    activeClass: { type: String, default: 'router-link-active' },
  },
  setup(props, { slots, attrs }) {
    const router = useRouter();
    const target = computed(() => router.resolve(props.to));
    const active = computed(() => router.currentRoute.value.name === target.value.name);
    return () =>
      h(
        'a',
        {
          ...attrs,
          href: target.value.fullPath,
          class: active.value ? props.activeClass : undefined,
          'aria-current': active.value ? 'page' : undefined,
          onClick: (e: MouseEvent) => {
            if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            void router.push(props.to);
          },
        },
        slots.default?.(),
      );
  },
});
