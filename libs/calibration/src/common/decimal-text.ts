/**
 * Exact decimal arithmetic on decimal strings, for the few sums the technical record must state
 * exactly (mean of readings, corrections, error). The uncertainty maths works in doubles; an error
 * of "0.002" should not be stored as 0.0019999999999997797 because 1.002 − 1 is not exact in binary.
 */

const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d+))?$/;

/** value = coefficient · 10^(−scale), scale ≥ 0. */
interface Scaled {
  coefficient: bigint;
  scale: number;
}

function parse(text: string): Scaled {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
  const fraction = m[3] ?? '';
  const coefficient = BigInt((m[2] ?? '0') + fraction);
  return { coefficient: m[1] ? -coefficient : coefficient, scale: fraction.length };
}

function align(a: Scaled, scale: number): bigint {
  return a.coefficient * 10n ** BigInt(scale - a.scale);
}

function format({ coefficient, scale }: Scaled): string {
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Drops trailing fractional zeros: "1.2300" → "1.23", "5.000" → "5". */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Σ of decimal strings, exact. */
export function sumDecimals(values: readonly string[]): string {
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  return format({ coefficient: parsed.reduce((s, p) => s + align(p, scale), 0n), scale });
}

/** a − b, exact. */
export function subtractDecimals(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  return format({ coefficient: align(x, scale) - align(y, scale), scale });
}

/**
 * Arithmetic mean, exact when it terminates within `maxScale` decimals (3.006 / 3 = 1.002), otherwise
 * rounded half away from zero at `maxScale` places — far below any instrument's resolution.
 */
export function meanOfDecimals(values: readonly string[], maxScale = 20): string {
  if (values.length === 0) throw new RangeError('mean of no values');
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  const total = parsed.reduce((s, p) => s + align(p, scale), 0n);
  const n = BigInt(values.length);
  const target = Math.max(scale, maxScale);
  const scaled = total * 10n ** BigInt(target - scale);
  let quotient = scaled / n;
  const remainder = scaled % n;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  if (twice >= n) quotient += scaled < 0n ? -1n : 1n;
  return trimDecimal(format({ coefficient: quotient, scale: target }));
}

/**
 * A double as fixed-point decimal text, never exponent notation: the shortest string that reads back
 * as the same double (ECMAScript Number::toString), with its exponent expanded. 1e-7 → "0.0000001".
 */
export function numberToDecimal(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} as a decimal`);
  const text = String(x);
  const m = /^(-)?(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const point = (m[2] ?? '').length + Number(m[4]);
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (m[1] ?? '') + trimDecimal(out);
}

/** Degrees of freedom at the API edge: JSON has no Infinity, so ν = ∞ is `null` with a flag beside it. */
export function dofToText(nu: number): string | null {
  return Number.isFinite(nu) ? numberToDecimal(nu) : null;
}
