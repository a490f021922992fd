import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';

/** Tiếng Việt / English, remembered on this browser; in the header and on the sign-in page. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      aria-label={t('nav.language')}
      size="xs"
      value={i18n.language}
      onChange={(v) => setLanguage(v as Language)}
      data={[
        { value: 'vi', label: 'Tiếng Việt' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
}
