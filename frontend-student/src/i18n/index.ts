import { createI18n } from 'vue-i18n';
import { config } from '../config.ts';
import en from './en.ts';
import ko, { type MessageSchema } from './ko.ts';

export type Locale = 'ko' | 'en';
export const LOCALES: readonly Locale[] = ['ko', 'en'];
const STORAGE_KEY = 'goorm.student.locale';

declare module 'vue-i18n' {
  /** `useI18n().t` knows the catalogue's keys (for completion; dynamic keys stay allowed). */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

function storedLocale(): Locale {
  const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return v === 'en' || v === 'ko' ? v : config.defaultLocale;
}

/** One vue-i18n instance per app (Composition API mode); Korean unless the student chose English before. */
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
