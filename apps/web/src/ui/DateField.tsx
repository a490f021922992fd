import '@mantine/dates/styles.css';
import 'dayjs/locale/vi';
import { DateInput, DatesProvider, type DateInputProps } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { parseDayMonthYear } from './day-month-year';

type Props = Omit<DateInputProps, 'value' | 'onChange' | 'valueFormat' | 'dateParser'> & {
  /** The API's calendar date, 'yyyy-MM-dd', or '' when empty. */
  value: string;
  onChange: (value: string) => void;
};

/**
 * A calendar date shown and typed as dd/MM/yyyy whatever the browser's locale (a native date input
 * follows it: Chromium in en-US shows MM/dd/yyyy), with a calendar in Vietnamese or English, weeks
 * from Monday. The value stays the API's 'yyyy-MM-dd'.
 */
export function DateField({ value, onChange, ...props }: Props) {
  const { i18n } = useTranslation();
  return (
    <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'vi', firstDayOfWeek: 1 }}>
      <DateInput
        {...props}
        value={value || null}
        onChange={(v) => onChange(v ?? '')}
        valueFormat="DD/MM/YYYY"
        dateParser={parseDayMonthYear}
        placeholder="dd/mm/yyyy"
      />
    </DatesProvider>
  );
}
