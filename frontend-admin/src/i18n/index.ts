import { createI18n } from 'vue-i18n';
import { config } from '../config.ts';
import catalog from '../features/catalog/i18n.ts';
import dashboard from '../features/dashboard/i18n.ts';
import people from '../features/people/i18n.ts';
import queue from '../features/queue/i18n.ts';
import waitlist from '../features/waitlist/i18n.ts';
import windows from '../features/windows/i18n.ts';
import autoEnroll from '../features/autoenroll/i18n.ts';
import shellEn from './en.ts';
import shellKo from './ko.ts';

export type Locale = 'ko' | 'en';
export const LOCALES: readonly Locale[] = ['ko', 'en'];
const STORAGE_KEY = 'goorm.admin.locale';

/** One catalogue per language: the shell's keys and each feature's under its own name. */
const ko = { ...shellKo, dashboard: dashboard.ko, queue: queue.ko, windows: windows.ko, catalog: catalog.ko, people: people.ko, waitlist: waitlist.ko, autoEnroll: autoEnroll.ko };
const en: typeof ko = { ...shellEn, dashboard: dashboard.en, queue: queue.en, windows: windows.en, catalog: catalog.en, people: people.en, waitlist: waitlist.en, autoEnroll: autoEnroll.en };
export type MessageSchema = typeof ko;

declare module 'vue-i18n' {
  /** `useI18n().t` knows the catalogue's keys (for completion; dynamic keys stay allowed). */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

function storedLocale(): Locale {
  const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return v === 'en' || v === 'ko' ? v : config.defaultLocale;
}

/** One vue-i18n instance per app (Composition API mode); Korean unless the user chose English before. */
export function createAppI18n(locale: Locale = storedLocale()) {
  const i18n = createI18n<[MessageSchema], Locale, false>({ legacy: false, locale, fallbackLocale: 'ko', messages: { ko, en } });
  syncDocumentLang(locale);
  return i18n;
}

export function persistLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  syncDocumentLang(locale);
}

function syncDocumentLang(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
