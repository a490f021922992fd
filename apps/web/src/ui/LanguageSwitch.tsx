import { Chip, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';

const LANGUAGES: { value: Language; label: string }[] = [
  { value: 'vi', label: 'Tiếng Việt' },
  { value: 'en', label: 'English' },
];

/**
 * Tiếng Việt / English, remembered on this browser; in the header and on the sign-in page. Two
 * chips (radio inputs, as before), not a SegmentedControl: that one measures its own layout while
 * rendering (a forced layout of the whole page, the largest single cost of the shell's first render).
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Chip.Group value={i18n.language} onChange={(v) => setLanguage(v as Language)}>
      <Group gap={4} role="radiogroup" aria-label={t('nav.language')}>
        {LANGUAGES.map((l) => (
          <Chip key={l.value} value={l.value} size="xs">
            {l.label}
          </Chip>
        ))}
      </Group>
    </Chip.Group>
  );
}
