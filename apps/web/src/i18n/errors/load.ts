import type i18n from 'i18next';
import type { Language } from '../index';

/** The active language's error texts, loaded on their own (only one language's at a time). */
const load = {
  vi: () => import('./vi').then((m) => m.errorsVi),
  en: () => import('./en').then((m) => m.errorsEn),
};

export async function loadErrorTexts(instance: typeof i18n, lang: Language): Promise<void> {
  if (instance.hasResourceBundle(lang, 'errors')) return;
  instance.addResourceBundle(lang, 'errors', await load[lang](), true, true);
}
