import '@mantine/dates/styles.css';
import 'dayjs/locale/vi';
import { DateInput, DatesProvider, type DateInputProps } from '@mantine/dates';
import { useTranslation } from 'react-i18next';

/** 'dd/MM/yyyy' (also with '.' or '-', one-digit day and month) as the API's 'yyyy-MM-dd'; null if no such day. */
export function parseDayMonthYear(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

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
