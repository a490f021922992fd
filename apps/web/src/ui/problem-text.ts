import type { Problem } from './problem';

/** Looks a text up in the active language's error texts: null when there is none. */
export type ErrorTexts = (key: string, values?: Record<string, string>) => string | null;

type FieldProblem = NonNullable<Problem['errors']>[number] & { constraint?: string };

/**
 * class-validator's default message for each constraint the API's DTOs use, after the property
 * name (and an optional "each value in"), with the values the translation needs. A message that
 * does not match is a DTO's own wording (more specific than the default): it is kept as it is.
 */
const DEFAULTS: Record<string, { pattern: RegExp; values?: string[]; key?: (m: RegExpMatchArray) => string }> = {
  isNotEmpty: { pattern: /should not be empty$/ },
  isString: { pattern: /must be a string$/ },
  isUuid: { pattern: /must be a UUID$/ },
  maxLength: { pattern: /must be shorter than or equal to (\d+) characters$/, values: ['max'] },
  minLength: { pattern: /must be longer than or equal to (\d+) characters$/, values: ['min'] },
  isIn: { pattern: /must be one of the following values: (.*)$/, values: ['values'] },
  isEnum: { pattern: /must be one of the following values: (.*)$/, values: ['values'] },
  isArray: { pattern: /must be an array$/ },
  arrayMinSize: { pattern: /must contain at least (\d+) elements$/, values: ['min'] },
  arrayMaxSize: { pattern: /must contain no more than (\d+) elements$/, values: ['max'] },
  arrayUnique: { pattern: /'s elements must be unique$/ },
  min: { pattern: /must not be less than (\S+)$/, values: ['min'] },
  max: { pattern: /must not be greater than (\S+)$/, values: ['max'] },
  isNumber: { pattern: /must be a number conforming to the specified constraints$/ },
  isInt: { pattern: /must be an integer number$/ },
  isPositive: { pattern: /must be a positive number$/ },
  isBoolean: { pattern: /must be a boolean value$/ },
  isEmail: { pattern: /must be an email$/ },
  isUrl: { pattern: /must be a URL address$/ },
  isObject: { pattern: /must be an object$/ },
  isCalendarDate: { pattern: /must be a calendar date YYYY-MM-DD$/ },
  isDecimalString: {
    pattern: /must be a decimal number written as a string, e\.g\. "12\.5"(, greater than 0)?$/,
    key: (m) => (m[1] ? 'isDecimalStringPositive' : 'isDecimalString'),
  },
  matches: { pattern: /must match .* regular expression$/ },
  whitelistValidation: { pattern: /^property (\S+) should not exist$/, values: ['name'] },
  nestedValidation: { pattern: /must be either object or array$/ },
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A domain rule's field error (a 422's `readiness.no_cycle`) worded with its values, dates dd/MM/yyyy
 * (what format.ts's date() gives in both languages; not called here: format.ts loads the i18n module,
 * which loads this one).
 */
function domainMessage(e: FieldProblem, texts: ErrorTexts): string | null {
  if (!e.constraint?.includes('.')) return null;
  const values = Object.fromEntries(
    Object.entries(e.values ?? {}).map(([name, v]) => [name, v.replace(ISO_DATE, '$3/$2/$1')]),
  );
  return texts(e.constraint, values);
}

/**
 * A field error in the active language: a domain rule's text with its values; the constraint's
 * text when the API sent a class-validator constraint this app words and its message is
 * class-validator's default; else the API's message.
 */
export function fieldMessage(e: FieldProblem, texts: ErrorTexts): string {
  const domain = domainMessage(e, texts);
  if (domain !== null) return domain;
  const known = e.constraint ? DEFAULTS[e.constraint] : undefined;
  const match = known?.pattern.exec(e.message);
  if (!known || !match) return e.message;
  const values = Object.fromEntries((known.values ?? []).map((name, i) => [name, match[i + 1]!]));
  return texts(`validation.${known.key?.(match) ?? e.constraint}`, values) ?? e.message;
}

export interface ProblemText {
  title: string | undefined;
  detail: string | undefined;
  /** Each field error: the field's path, and whether the message was worded here (else the API's). */
  fields: { field: string; message: string; translated: boolean }[];
}

/**
 * A problem in the active language: the code's text as the title (the API's detail then left out:
 * it is the same in English), else the API's title and detail; each field error as `fieldMessage`.
 */
export function problemText(p: Problem, texts: ErrorTexts): ProblemText {
  const title = p.code ? texts(`codes.${p.code}`) : null;
  return {
    title: title ?? p.title,
    detail: title ? undefined : p.detail,
    fields: (p.errors ?? []).map((e) => {
      const message = fieldMessage(e, texts);
      return { field: e.field, message, translated: message !== e.message };
    }),
  };
}
