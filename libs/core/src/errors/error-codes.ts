/**
 * Problem codes as types. Each library lists the codes it throws in one const object in
 * `libs/<lib>/src/<lib>.errors.ts` (`code → { status, meaning }`) and adds them to `ErrorCodes` by
 * declaration merging:
 *
 *   declare module '#libs/core' { interface ErrorCodes extends RegistryErrorList {} }
 *
 * The domain error constructors take `ErrorCode`, the keys of the merged interface, so a code that
 * no library lists does not compile, and core imports no library. A code listed twice with two
 * meanings does not compile either (the interface cannot extend both). `npm run check:errors` proves
 * the lists complete and free of dead codes.
 */
import type { CORE_ERRORS } from '../core.errors.js';

/** One listed code: the HTTP status its error maps to, and what it means, in one line. */
export interface ErrorCodeEntry {
  readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503;
  readonly meaning: string;
}

/** A library's list of codes; write it `{ … } as const satisfies ErrorList`. */
export type ErrorList = Readonly<Record<string, ErrorCodeEntry>>;

type CoreErrorList = typeof CORE_ERRORS;

/** Every problem code of every library, merged from each library's `<lib>.errors.ts`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ErrorCodes extends CoreErrorList {}

/** A listed problem code, e.g. `instrument.duplicate`. */
export type ErrorCode = keyof ErrorCodes & string;

/** `x` for every listed `x.not_found`: what `NotFoundError` takes. */
export type NotFoundEntity = ErrorCode extends infer C ? (C extends `${infer E}.not_found` ? E : never) : never;
