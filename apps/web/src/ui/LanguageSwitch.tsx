import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';

const LANGUAGES: { value: Language; label: string }[] = [
  { value: 'vi', label: 'Tiếng Việt' },
  { value: 'en', label: 'English' },
];

/**
 * Tiếng Việt / English, remembered on this browser; in the header and on the sign-in page. Two
 * buttons, not a SegmentedControl: that one measures its own layout while rendering (a forced
 * layout of the whole page, the largest single cost of the shell's first render).
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Button.Group aria-label={t('nav.language')}>
      {LANGUAGES.map((l) => (
        <Button
          key={l.value}
          size="xs"
          variant={i18n.language === l.value ? 'filled' : 'default'}
          aria-pressed={i18n.language === l.value}
          onClick={() => setLanguage(l.value)}
        >
          {l.label}
        </Button>
      ))}
    </Button.Group>
  );
}
