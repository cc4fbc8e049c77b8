import { config } from '../config.ts';
import { createI18n } from '../lib/i18n.ts';
import en from './en.ts';
import ko from './ko.ts';

export type Locale = 'ko' | 'en';
export const LOCALES: readonly Locale[] = ['ko', 'en'];
const STORAGE_KEY = 'goorm.student.locale';

function storedLocale(): Locale {
  const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return v === 'en' || v === 'ko' ? v : config.defaultLocale;
}

/** One i18n instance per app; Korean unless the student chose English before. */
export function createAppI18n(locale: Locale = storedLocale()) {
  const i18n = createI18n<Locale>({ legacy: false, locale, fallbackLocale: 'ko', messages: { ko, en } });
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
