import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common } from './common';
import { signIn } from '../features/sign-in/i18n';
import { reception } from '../features/reception/i18n';
import { worklist } from '../features/worklist/i18n';
import { worksheet } from '../features/worksheet/i18n';
import { review } from '../features/review/i18n';
import { certificates } from '../features/certificates/i18n';

/** Vietnamese first; English on the switch in the header (remembered in localStorage). */
export type Language = 'vi' | 'en';
const bundles = { common, signIn, reception, worklist, worksheet, review, certificates };

function resources(lang: Language) {
  return Object.fromEntries(Object.entries(bundles).map(([ns, b]) => [ns, b[lang]]));
}

export const initialLanguage: Language = localStorage.getItem('tdc.lang') === 'en' ? 'en' : 'vi';
document.documentElement.lang = initialLanguage;

void i18n.use(initReactI18next).init({
  resources: { vi: resources('vi'), en: resources('en') },
  lng: initialLanguage,
  fallbackLng: 'vi',
  defaultNS: 'common',
  interpolation: { escapeValue: false },
});

/**
 * A screen loaded on demand brings its own texts: its module registers them when it loads, so the
 * first load carries only the shell's and the sign-in's.
 */
export function registerBundle(ns: string, bundle: Record<Language, object>): void {
  for (const lang of ['vi', 'en'] as const) i18n.addResourceBundle(lang, ns, bundle[lang], true, true);
}

export function setLanguage(lang: Language): void {
  localStorage.setItem('tdc.lang', lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export default i18n;
