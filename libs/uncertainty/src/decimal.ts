/**
 * Minimal exact decimal arithmetic for the reporting step only.
 *
 * Why: rounding binary doubles with Math.round(x * 10^n) / 10^n leaks binary noise
 * (0.0031000000000000003) and mis-rounds ties (1.005 → 1.00). We instead round the
 * shortest decimal string that round-trips to the double (ECMAScript Number::toString),
 * i.e. the decimal the caller actually meant, using BigInt so no precision is lost.
 * Internal module — not exported from index.ts.
 */

/** value = (negative ? −1 : 1) · coefficient · 10^(−scale); scale may be negative. */
export interface Decimal {
  readonly negative: boolean;
  readonly coefficient: bigint;
  readonly scale: number;
}

/** 'half_up' = ties away from zero; 'up' = away from zero whenever anything is discarded. */
export type DecimalRounding = 'half_up' | 'up';

const NUMBER_PATTERN = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

export function decimalFromNumber(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`cannot represent ${x} as a decimal`);
  const match = NUMBER_PATTERN.exec(String(Math.abs(x)));
  if (match === null) throw new RangeError(`unexpected number format for ${x}`);
  const integerDigits = match[1] ?? '0';
  const fractionDigits = match[2] ?? '';
  const exponent = match[3] === undefined ? 0 : Number.parseInt(match[3], 10);
  const coefficient = BigInt(integerDigits + fractionDigits);
  return normalise(x < 0 && coefficient !== 0n, coefficient, fractionDigits.length - exponent);
}

function normalise(negative: boolean, coefficient: bigint, scale: number): Decimal {
  // Keep scale ≥ 0 for parsed inputs so later arithmetic only ever divides.
  if (scale < 0) return { negative, coefficient: coefficient * 10n ** BigInt(-scale), scale: 0 };
  return { negative, coefficient, scale };
}

export function isZero(d: Decimal): boolean {
  return d.coefficient === 0n;
}

/** Exponent e of the leading significant digit: 10^e ≤ |d| < 10^(e+1). Undefined for zero. */
export function leadingExponent(d: Decimal): number {
  if (d.coefficient === 0n) throw new RangeError('zero has no leading digit');
  return d.coefficient.toString().length - 1 - d.scale;
}

/**
 * Round to `places` digits after the decimal point (negative places round to tens, hundreds, …).
 * Shorter inputs are zero-padded so 10.00025 at 6 places prints "10.000250": the stated digits
 * must reach the place of the uncertainty.
 */
export function roundToPlaces(d: Decimal, places: number, mode: DecimalRounding): Decimal {
  if (d.scale <= places) {
    return { negative: d.negative, coefficient: d.coefficient * 10n ** BigInt(places - d.scale), scale: places };
  }
  const divisor = 10n ** BigInt(d.scale - places);
  let quotient = d.coefficient / divisor;
  const remainder = d.coefficient % divisor;
  const bump = mode === 'half_up' ? 2n * remainder >= divisor : remainder > 0n;
  if (bump) quotient += 1n;
  // A result that rounds to zero must not print as "-0.0".
  return { negative: d.negative && quotient !== 0n, coefficient: quotient, scale: places };
}

/** Fixed-point text with exactly max(scale, 0) decimals, never exponent notation. */
export function formatDecimal(d: Decimal): string {
  const sign = d.negative ? '-' : '';
  if (d.scale <= 0) {
    const digits = d.coefficient === 0n ? '0' : d.coefficient.toString() + '0'.repeat(-d.scale);
    return sign + digits;
  }
  const padded = d.coefficient.toString().padStart(d.scale + 1, '0');
  return `${sign}${padded.slice(0, -d.scale)}.${padded.slice(-d.scale)}`;
}

/** Compare a·|x| with b·|y| exactly (magnitudes only; used for the 5 % rounding rule). */
export function compareScaledMagnitudes(x: Decimal, a: bigint, y: Decimal, b: bigint): -1 | 0 | 1 {
  const scale = Math.max(x.scale, y.scale);
  const left = a * x.coefficient * 10n ** BigInt(scale - x.scale);
  const right = b * y.coefficient * 10n ** BigInt(scale - y.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}
