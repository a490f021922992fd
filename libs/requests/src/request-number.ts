/**
 * Request numbers (số phiếu yêu cầu): `YC-2026-000123`, one gapless series per year in Viet Nam,
 * taken in the transaction that creates the request (core's takeNextInSeries). What reception reads
 * over the phone; the id stays the key.
 */

export const REQUEST_NUMBER_PREFIX = 'YC';
/** The request series' kind in `request_series`. */
export const REQUEST_SERIES_KIND = 'request';

const DIGITS = 6;
const MAX_SEQUENCE = 2_147_483_647;

export function formatRequestNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 2999) throw new RangeError(`year ${year} is out of range`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE)
    throw new RangeError(`sequence ${sequence} must be an integer from 1 to ${MAX_SEQUENCE}`);
  return `${REQUEST_NUMBER_PREFIX}-${year}-${String(sequence).padStart(DIGITS, '0')}`;
}

const SHAPE = /^YC[-‐‑‒–—\s]+(\d{4})[-‐‑‒–—\s]+(\d{1,10})$/u;

/** A request number as typed (`yc-2026-123`, `YC 2026 000123`) in its canonical form, or undefined. */
export function canonicalRequestNumber(text: string): string | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const m = SHAPE.exec(text.normalize('NFC').trim().toUpperCase());
  if (!m) return undefined;
  const year = Number(m[1]);
  const sequence = Number(m[2]);
  if (year < 2000 || year > 2999 || sequence < 1 || sequence > MAX_SEQUENCE) return undefined;
  return formatRequestNumber(year, sequence);
}
