/**
 * A small, API-compatible subset of Pinia (setup stores only): `createPinia`, `setActivePinia`,
 * `defineStore(id, setup)` and `storeToRefs`.
 *
 * Why it exists: the `pinia` package is not installed in this workspace. Every store imports
 * from this file only, so switching to the real package is a change of this file to
 * `export { createPinia, defineStore, setActivePinia, storeToRefs } from 'pinia'`.
 */
import {
  effectScope,
  getCurrentInstance,
  inject,
  isReactive,
  isRef,
  markRaw,
  reactive,
  toRaw,
  toRef,
  type App,
  type EffectScope,
  type InjectionKey,
  type Ref,
  type UnwrapNestedRefs,
} from 'vue';

export interface Pinia {
  install(app: App): void;
  readonly _stores: Map<string, unknown>;
  readonly _scope: EffectScope;
}

const piniaKey: InjectionKey<Pinia> = Symbol('pinia');
let activePinia: Pinia | undefined;

export function createPinia(): Pinia {
  const pinia: Pinia = markRaw({
    _stores: new Map<string, unknown>(),
    _scope: effectScope(true),
    install(app: App) {
      setActivePinia(pinia);
      app.provide(piniaKey, pinia);
    },
  });
  return pinia;
}

export function setActivePinia(pinia: Pinia | undefined): void {
  activePinia = pinia;
}

export type Store<Id extends string, SS extends object> = UnwrapNestedRefs<SS> & { readonly $id: Id };

export interface StoreDefinition<Id extends string, SS extends object> {
  (): Store<Id, SS>;
  readonly $id: Id;
}

export function defineStore<Id extends string, SS extends object>(id: Id, setup: () => SS): StoreDefinition<Id, SS> {
  const useStore = () => {
    const pinia = (getCurrentInstance() ? inject(piniaKey, undefined) : undefined) ?? activePinia;
    if (!pinia) throw new Error(`[store] "${id}" used before a Pinia was installed (app.use(createPinia()))`);
    let store = pinia._stores.get(id) as Store<Id, SS> | undefined;
    if (!store) {
      const state = pinia._scope.run(() => effectScope().run(setup)) as SS;
      store = reactive(Object.assign(state, { $id: id })) as Store<Id, SS>;
      pinia._stores.set(id, store);
    }
    return store;
  };
  return Object.assign(useStore, { $id: id });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => unknown;

/** The store's state and getters as refs (actions left out), like Pinia's `storeToRefs`. */
export type StoreRefs<S> = { [K in keyof S as S[K] extends Fn ? never : K extends '$id' ? never : K]: Ref<S[K]> };

export function storeToRefs<S extends object>(store: S): StoreRefs<S> {
  const raw = toRaw(store) as Record<string, unknown>;
  const refs: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (isRef(value) || isReactive(value)) refs[key] = toRef(store as Record<string, unknown>, key);
  }
  return refs as StoreRefs<S>;
}
