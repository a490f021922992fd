import { dictionary } from '@zxcvbn-ts/language-common';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { PASSWORD_MIN_LENGTH } from './passwords.js';

/**
 * What makes a password unacceptable besides its length (NIST SP 800-63B 5.1.1.2: refuse values
 * known to be commonly used, repetitive or sequential). The list is zxcvbn-ts's common-password
 * list (@zxcvbn-ts/language-common, MIT: 49,233 passwords ranked by frequency in leaked password
 * sets), shipped with the package, so nothing is fetched at run time. Only that one list is used:
 * zxcvbn's full estimator (and its English word lists) would also refuse passphrases of common words,
 * which length already makes strong.
 */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** The shortest unit the text repeats (`abcabcabc` → `abc`), or the text itself. */
function repeatedUnit(text: string): string {
  for (let size = 1; size <= text.length / 2; size++) {
    if (text.length % size === 0 && text.slice(0, size).repeat(text.length / size) === text) return text.slice(0, size);
  }
  return text;
}

/** Why the password is too easy to guess, or undefined when it is acceptable. */
export function passwordWeakness(password: string): string | undefined {
  const chars = [...password];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (Math.max(...counts.values()) * 2 > chars.length || counts.size < 5)
    return 'is mostly one character (or too few different characters)';
  const lower = password.toLowerCase();
  // `Password2024!`, `qwertyuiop123`, `iloveyou!!!!`: a common password with digits or symbols around it.
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unit = repeatedUnit(lower);
  if (COMMON.has(lower) || COMMON.has(core) || COMMON.has(unit) || (unit !== lower && unit.length < 6))
    return 'is a commonly used password, or one with only digits or symbols added, or a repeated word';
  return undefined;
}

/** class-validator rule: the property is a password acceptable to passwordWeakness(). */
export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        // A short one is the length rule's to refuse: one message, not two.
        validate: (value: unknown) =>
          typeof value !== 'string' || value.length < PASSWORD_MIN_LENGTH || passwordWeakness(value) === undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'password'} ${passwordWeakness(String(args?.value)) ?? 'is not acceptable'}`,
      },
    });
}
