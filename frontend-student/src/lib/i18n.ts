/**
 * A small, API-compatible subset of vue-i18n 11 in composition mode: `createI18n({ locale,
 * fallbackLocale, messages })`, `i18n.global.locale` (a ref), `i18n.global.t`, and `useI18n()`
 * returning `{ t, locale }`. Named interpolation (`{name}`) and `a | b` plurals by count.
 *
 * Why it exists: the `vue-i18n` package is not installed in this workspace. Components import
 * translation from here only, so moving to the real package is a change of this file.
 */
import { inject, ref, type App, type InjectionKey, type Ref } from 'vue';

type Messages = { [key: string]: string | Messages };
export type Params = Record<string, string | number>;

export interface Composer<L extends string = string> {
  locale: Ref<L>;
  readonly availableLocales: readonly L[];
  t(key: string, params?: Params): string;
  t(key: string, count: number, params?: Params): string;
  te(key: string): boolean;
}

export interface I18n<L extends string = string> {
  readonly global: Composer<L>;
  install(app: App): void;
}

const i18nKey: InjectionKey<Composer> = Symbol('i18n');

function lookup(messages: Messages | undefined, key: string): string | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

function format(template: string, params: Params | undefined, count: number | undefined): string {
  let msg = template;
  if (count !== undefined && msg.includes(' | ')) {
    const forms = msg.split(' | ');
    msg = (forms.length === 2 ? forms[count === 1 ? 0 : 1] : forms[Math.min(count, forms.length - 1)]) ?? msg;
  }
  const all: Params = { ...(count !== undefined ? { n: count, count } : {}), ...params };
  return msg.replace(/\{(\w+)\}/g, (whole, name: string) => (name in all ? String(all[name]) : whole));
}

export function createI18n<L extends string>(options: {
  legacy?: false;
  locale: L;
  fallbackLocale?: L;
  messages: Record<L, Messages>;
}): I18n<L> {
  const locale = ref(options.locale) as Ref<L>;
  const resolve = (key: string) =>
    lookup(options.messages[locale.value], key) ??
    (options.fallbackLocale ? lookup(options.messages[options.fallbackLocale], key) : undefined);
  function t(key: string, a?: Params | number, b?: Params): string {
    const template = resolve(key);
    if (template === undefined) return key;
    return typeof a === 'number' ? format(template, b, a) : format(template, a, undefined);
  }
  const global: Composer<L> = {
    locale,
    availableLocales: Object.keys(options.messages) as L[],
    t,
    te: (key) => resolve(key) !== undefined,
  };
  return {
    global,
    install(app) {
      app.provide(i18nKey, global as unknown as Composer);
      app.config.globalProperties.$t = t;
    },
  };
}

export function useI18n<L extends string = string>(): Composer<L> {
  const c = inject(i18nKey);
  if (!c) throw new Error('[i18n] useI18n() outside an app with i18n installed');
  return c as unknown as Composer<L>;
}

declare module 'vue' {
  interface ComponentCustomProperties {
    $t: (key: string, a?: Params | number, b?: Params) => string;
  }
}
