import i18n from '../i18n';

/** The locale of numbers and dates: vi-VN (decimal comma) or en-GB (dd/MM/yyyy too). */
export function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'vi-VN';
}

function decimalSeparator(): string {
  return new Intl.NumberFormat(locale()).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/**
 * A decimal string from the API shown with the locale's separator, every digit kept (measured values
 * are exact decimals: never through a float). null/undefined → '—'.
 */
export function decimal(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return value.replace('-', '−').replace('.', decimalSeparator());
}

export { parseDecimal } from './parse-decimal';

/** A calendar date (2026-03-10) or a timestamp as dd/MM/yyyy. */
export function date(value: string | null | undefined): string {
  if (!value) return '—';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(locale(), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'UTC' : 'Asia/Ho_Chi_Minh',
  }).format(d);
}

/** A timestamp as dd/MM/yyyy HH:mm in Viet Nam's time (the audit trail, key use). */
export function dateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(locale(), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(value));
}

/** Today in Viet Nam as the API's calendar date. */
export function todayIso(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

/** A computed quantity shown to a few significant digits (k, U/MPE): display only, the API keeps it exact. */
export function significant(value: string | null | undefined, digits = 3): string {
  if (value === null || value === undefined || value === '') return '—';
  return new Intl.NumberFormat(locale(), { maximumSignificantDigits: digits }).format(Number(value));
}
