import { isCalendarDate } from '../http/calendar-date.js';
import { InvalidInputError } from '../errors/domain-error.js';

/**
 * The one home of list cursors. A cursor is base64url of a JSON array: the sort key of the last item
 * a page showed. Clients treat it as opaque, but it comes back from them, so every value is checked
 * against the type its SQL expects: a forged cursor is a 400 naming `cursor`, never a failed cast.
 */
export type CursorValue = string | number | null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What `Date.prototype.toISOString` gives for years 0001–9999 (PostgreSQL has no year 0). */
const ISO_INSTANT = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BIGINT = /^\d{1,19}$/;
const INT8_MAX = 9223372036854775807n;
const NUMERIC = /^-?\d{1,100}(\.\d{1,100})?$/;

const CHECKS = {
  /** Any string PostgreSQL can hold in `text` (no NUL). */
  text: (v: unknown): v is string => typeof v === 'string' && !v.includes('\u0000'),
  uuid: (v: unknown): v is string => typeof v === 'string' && UUID.test(v),
  /** A calendar day 'YYYY-MM-DD' that exists, year 0001 or later. */
  date: (v: unknown): v is string => isCalendarDate(v) && v.slice(0, 4) !== '0000',
  /** An instant exactly as the API writes it (`toISOString()`, millisecond precision, UTC). */
  timestamptz: (v: unknown): v is string => {
    if (typeof v !== 'string') return false;
    const m = ISO_INSTANT.exec(v);
    if (!m || m[1] === '0000') return false;
    const t = Date.parse(v);
    return !Number.isNaN(t) && new Date(t).toISOString() === v;
  },
  /** A non-negative safe integer as a JSON number, e.g. an offset into a list. */
  int: (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
  /** A non-negative `bigint`/`bigserial` key as PostgreSQL returns it: a decimal string. */
  bigint: (v: unknown): v is string => typeof v === 'string' && BIGINT.test(v) && BigInt(v) <= INT8_MAX,
  /** A decimal string, as `numeric` columns travel at the API edge. */
  numeric: (v: unknown): v is string => typeof v === 'string' && NUMERIC.test(v),
} as const;

export type CursorType = keyof typeof CHECKS;

/** The JS type each cursor type decodes to. */
export type CursorTypeValue<T extends CursorType> = T extends 'int' ? number : string;

export type DecodedCursor<T extends readonly CursorType[]> = { -readonly [I in keyof T]: CursorTypeValue<T[I]> };

export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The 400 a forged or foreign cursor gets (field `cursor`). */
export function invalidCursorError(): InvalidInputError {
  return new InvalidInputError([{ field: 'cursor', message: 'cursor is not one this API gave out' }]);
}

/**
 * Decodes a cursor that `encodeCursor` wrote with values of these types, in this order. Anything
 * else (not base64url, not JSON, not an array, another length, a value of another type) throws
 * InvalidInputError on `cursor`.
 */
export function decodeCursor<const T extends readonly CursorType[]>(cursor: string, types: T): DecodedCursor<T> {
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) throw invalidCursorError();
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursorError();
  }
  if (!Array.isArray(values) || values.length !== types.length) throw invalidCursorError();
  if (!types.every((type, i) => CHECKS[type](values[i]))) throw invalidCursorError();
  return values as DecodedCursor<T>;
}
