import { decodeCursor, InvalidInputError, isCalendarDate } from '#libs/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHECKS = {
  uuid: (v: unknown) => typeof v === 'string' && UUID.test(v),
  date: (v: unknown) => isCalendarDate(v),
  text: (v: unknown) => typeof v === 'string',
  dateOrNull: (v: unknown) => v === null || isCalendarDate(v),
} as const;

/** decodeCursor, plus a check of each value's kind: a forged cursor is a 400, never a failed SQL cast. */
export function decodeTypedCursor<K extends keyof typeof CHECKS>(cursor: string, kinds: K[]): string[] {
  const values = decodeCursor(cursor, kinds.length);
  if (!kinds.every((k, i) => CHECKS[k](values[i]))) {
    throw new InvalidInputError([{ field: 'cursor', message: 'cursor is not one this API gave out' }]);
  }
  return values as string[];
}
