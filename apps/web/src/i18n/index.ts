import i18n from 'i18next';
import { useSyncExternalStore } from 'react';
import { initReactI18next } from 'react-i18next';
import { common } from './common';
import { signIn } from '../features/sign-in/i18n';
import { reception } from '../features/reception/i18n';
import { worklist } from '../features/worklist/i18n';
import { worksheet } from '../features/worksheet/i18n';
import { review } from '../features/review/i18n';
import { certificates } from '../features/certificates/i18n';
import { fieldMessage, type ErrorTexts } from '../ui/problem-text';
import { setFieldWording } from '../ui/problem';
import { loadErrorTexts } from './errors/load';

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
 * The API's problems in the active language (./errors): a code's or constraint's text, or null when
 * that language has none (the API's own text is shown then; no fallback to the other language).
 */
export const errorTexts: ErrorTexts = (key, values = {}) => {
  const [group, ...rest] = key.split('.');
  const bundle = i18n.getResourceBundle(i18n.language, 'errors') as Record<string, Record<string, string>> | undefined;
  const text = bundle?.[group!]?.[rest.join('.')];
  return text === undefined ? null : text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
};
setFieldWording((e) => fieldMessage(e, errorTexts));

let errorTextsAsked = false;
/**
 * Loads the active language's error texts, once. Not on the first load's path (at idle they were
 * fetched and evaluated while the screen still waited for its data): on the first pointer or key
 * press, since an error follows something done, or when a problem is shown before that.
 */
export function needErrorTexts(): void {
  if (errorTextsAsked) return;
  errorTextsAsked = true;
  loadErrorTexts(i18n, i18n.language === 'en' ? 'en' : 'vi').catch(() => (errorTextsAsked = false)); // asked again next time
}
for (const type of ['pointerdown', 'keydown'])
  window.addEventListener(type, needErrorTexts, { capture: true, once: true, passive: true });

/** Re-renders when the error texts arrive (a problem shown before that is in the API's words meanwhile). */
export function useErrorTexts(): ErrorTexts {
  useSyncExternalStore(
    (changed) => {
      const onAdded = (_lng: string, ns: string) => ns === 'errors' && changed();
      i18n.store.on('added', onAdded);
      return () => i18n.store.off('added', onAdded);
    },
    () => i18n.hasResourceBundle(i18n.language, 'errors'),
  );
  return errorTexts;
}

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
  void loadErrorTexts(i18n, lang).finally(() => i18n.changeLanguage(lang));
}

export default i18n;
