import { formatNumber, parseDecimal, type ExactDecimal } from '#libs/documents';

/**
 * Exact decimal arithmetic for results: replicates arrive as decimal strings and their mean is
 * computed on BigInt, so "0.1" + "0.2" is 0.3 and a printed mean has the digits its replicates had.
 */

const signed = (d: ExactDecimal): bigint => (d.negative ? -d.coefficient : d.coefficient);

/** The value at a larger scale (more decimal places); exact. */
export function atScale(d: ExactDecimal, scale: number): bigint {
  return signed(d) * 10n ** BigInt(scale - d.scale);
}

/** numerator / denominator (denominator > 0), rounded half away from zero to an integer. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const q = (2n * magnitude + denominator) / (2n * denominator);
  return negative ? -q : q;
}

export function fromScaled(value: bigint, scale: number): ExactDecimal {
  return { negative: value < 0n, coefficient: value < 0n ? -value : value, scale };
}

/** Mean of exact decimals to `scale` decimal places (half away from zero). */
export function meanOf(values: readonly ExactDecimal[], scale: number): ExactDecimal {
  const work = Math.max(scale, ...values.map((v) => v.scale));
  const sum = values.reduce((acc, v) => acc + atScale(v, work), 0n);
  const mean = divideRounded(sum * 10n ** BigInt(scale), BigInt(values.length) * 10n ** BigInt(work));
  return fromScaled(mean, scale);
}

/** Half of a decimal, exact (one more decimal place). */
export function halfOf(d: ExactDecimal): ExactDecimal {
  return fromScaled((signed(d) * 10n) / 2n, d.scale + 1);
}

/** Canonical text ("-6.0", "0.25"): the API's decimal string, point and hyphen-minus. */
export function decimalText(d: ExactDecimal): string {
  const digits = d.coefficient.toString().padStart(d.scale + 1, '0');
  const whole = digits.slice(0, digits.length - d.scale);
  const fraction = digits.slice(digits.length - d.scale);
  return `${d.negative && d.coefficient !== 0n ? '-' : ''}${whole}${d.scale > 0 ? `.${fraction}` : ''}`;
}

export function compareDecimal(a: ExactDecimal, b: ExactDecimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = atScale(a, scale);
  const y = atScale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A decimal string, or undefined when it is not one. */
export function decimal(text: string | null | undefined): ExactDecimal | undefined {
  return text === null || text === undefined ? undefined : parseDecimal(text);
}

/** As printed on a Vietnamese report: decimal comma, U+2212 minus (libs/documents number-format). */
export const vi = (text: string): string => formatNumber(text, 'vi');
