import i18n from '../i18n';
import { decimalSeparatorOf, significantText } from './numbers';

/** The locale of numbers and dates: vi-VN (decimal comma) or en-GB (dd/MM/yyyy too). */
export function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'vi-VN';
}

const language = () => (i18n.language === 'en' ? 'en' : 'vi');

/** Date formatters by locale and options, made once (a construction costs ~0.1 ms, the first far more). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale()} ${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale(), options)));
  return f;
}

function decimalSeparator(): string {
  return decimalSeparatorOf(language());
}

/**
 * A decimal string from the API shown with the locale's separator, every digit kept (measured values
 * are exact decimals: never through a float). null/undefined → '—'.
 */
export function decimal(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return value.replace('-', '−').replace('.', decimalSeparator());
}

/**
 * A decimal string from the API as a person would type it in the active language (20.04 → "20,04" in
 * Vietnamese), for an input that shows a recorded value to be edited; parseDecimal reads it back.
 * Unlike decimal(): the minus stays '-', and empty stays empty.
 */
export function decimalInput(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return value.replace('.', decimalSeparator());
}

export { parseDecimal } from './parse-decimal';

/** A calendar date (2026-03-10) or a timestamp as dd/MM/yyyy. */
export function date(value: string | null | undefined): string {
  if (!value) return '—';
  const calendar = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return dateTimeFormat({
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: calendar ? 'UTC' : 'Asia/Ho_Chi_Minh',
  }).format(calendar ? new Date(`${value}T00:00:00Z`) : new Date(value));
}

/** A timestamp as dd/MM/yyyy HH:mm in Viet Nam's time (the audit trail, key use). */
export function dateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return dateTimeFormat({
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(value));
}

export { todayIso } from './today';

/** A computed quantity shown to a few significant digits (k, U/MPE): display only, the API keeps it exact. */
export function significant(value: string | null | undefined, digits = 3): string {
  if (value === null || value === undefined || value === '') return '—';
  return significantText(Number(value), digits, language());
}
