import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, InvalidInputError, type FieldError } from '../errors/domain-error.js';

/**
 * Input every route refuses before anything reads it: JSON nested deeper than MAX_JSON_DEPTH (a
 * 5,000-level body overflowed class-transformer's stack, a 500) and the NUL character in any string,
 * key, query value or path (PostgreSQL text and jsonb cannot hold U+0000: an encoding error, a 500).
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether the raw JSON nests objects and arrays deeper than `max`, by one pass over the bytes
 * (brackets inside strings skipped): stops at the first bracket too many, so a 2 MB `[[[[…` is
 * refused after 33 bytes, and costs a few milliseconds for a normal 1 MB body.
 */
export function jsonDeeperThan(raw: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** body-parser's `verify` hook for JSON: refuses a body nested too deeply before it is parsed. */
export function refuseDeepJson(_req: IncomingMessage, _res: ServerResponse, raw: Buffer): void {
  if (jsonDeeperThan(raw, MAX_JSON_DEPTH))
    throw new DomainError(
      'invalid',
      'body.too_deep',
      `The JSON body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`,
    );
}

const joinPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/** Field paths (`items[2].serial`, as validation errors name them) of strings and keys holding U+0000. */
export function fieldsWithNul(value: unknown, path = '', out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push(path || '(body)');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => fieldsWithNul(v, joinPath(path, i), out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      const at = joinPath(path, key);
      if (key.includes('\u0000')) out.push(at);
      else fieldsWithNul(v, at, out);
    }
  }
  return out;
}

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/** Express middleware after the body parsers: 400 naming each field, query parameter or the path that holds U+0000. */
export function refuseNulCharacters(req: Request, _res: Response, next: NextFunction): void {
  const errors: FieldError[] = [];
  if (/%00/i.test(req.originalUrl.split('?')[0] ?? ''))
    errors.push({ field: 'path', message: `the path ${NUL_MESSAGE}` });
  for (const field of fieldsWithNul(req.query as unknown)) errors.push({ field, message: `${field} ${NUL_MESSAGE}` });
  for (const field of fieldsWithNul(req.body as unknown)) errors.push({ field, message: `${field} ${NUL_MESSAGE}` });
  next(errors.length > 0 ? new InvalidInputError(errors) : undefined);
}
