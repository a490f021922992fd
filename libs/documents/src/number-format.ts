/**
 * Every number a certificate or notice prints goes through here: one place decides digits, the
 * decimal sign and the minus sign. Values arrive as decimal strings and are rounded on exact
 * decimals (BigInt), never through a JS number.
 *
 * Choices, for the reader of a legal document:
 * - Vietnamese uses the decimal comma ("30,5 °C"), English the point. Table cells are shared by both
 *   languages and use the Vietnamese comma: the document is a Vietnamese administrative document with
 *   English as the courtesy translation.
 * - No digit grouping: Vietnamese groups with "." and English with ",", so any grouping in a shared
 *   cell would read as a decimal sign in the other language. Values here rarely exceed 6 digits.
 * - The minus sign is U+2212 ("−"), not a hyphen.
 * - No printed number carries more than MAX_SIGNIFICANT_DIGITS significant digits.
 */

export type NumberLocale = 'vi' | 'en';

/** More would be noise on a certificate (a 20-digit mean, a 54-digit ν_eff). */
export const MAX_SIGNIFICANT_DIGITS = 8;

const MINUS = '\u2212';

/** An exact decimal: (−1)^negative · coefficient · 10^(−scale), scale ≥ 0. */
export interface ExactDecimal {
  negative: boolean;
  coefficient: bigint;
  scale: number;
}

const NUMBER = /^([+\-\u2212]?)(\d*)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * "1.2000", "−0,0040", "1.2E-3", "+5" → exact decimal; anything else → undefined. Both decimal signs
 * are accepted (the stored form uses the point; fixtures and hand-made models may use the comma);
 * there are never thousands separators.
 */
export function parseDecimal(text: string): ExactDecimal | undefined {
  const m = NUMBER.exec(text.trim());
  if (!m) return undefined;
  const [, sign, whole = '', fraction = '', exponent] = m;
  if (whole === '' && fraction === '') return undefined;
  let scale = fraction.length - (exponent ? Number(exponent) : 0);
  let coefficient = BigInt((whole + fraction).replace(/^0+(?=\d)/, '') || '0');
  if (scale < 0) {
    coefficient *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { negative: (sign === '-' || sign === MINUS) && coefficient !== 0n, coefficient, scale };
}

function digitCount(n: bigint): number {
  return n === 0n ? 1 : n.toString().length;
}

/** Significant digits as recorded: "0.0040" → 2, "1.2000" → 5, "100" → 3, "0" → 1. */
export function significantDigits(d: ExactDecimal): number {
  return digitCount(d.coefficient);
}

/** Power of ten of the leading digit: 0.0040 → −3, 123.4 → 2 (0 → 0). */
function leadingExponent(d: ExactDecimal): number {
  return digitCount(d.coefficient) - 1 - d.scale;
}

export type RoundingMode = 'half_up' | 'up';

/**
 * To `places` decimals (negative: tens, hundreds); pads with zeros when the value has fewer.
 * half_up: ties away from zero; up: away from zero (magnitude never decreases).
 */
export function roundDecimal(d: ExactDecimal, places: number, mode: RoundingMode = 'half_up'): ExactDecimal {
  if (places >= d.scale) {
    return { ...d, coefficient: d.coefficient * 10n ** BigInt(places - d.scale), scale: places };
  }
  const drop = 10n ** BigInt(d.scale - places);
  let kept = d.coefficient / drop;
  const rest = d.coefficient % drop;
  if (rest !== 0n && (mode === 'up' || 2n * rest >= drop)) kept += 1n;
  const coefficient = places < 0 ? kept * 10n ** BigInt(-places) : kept;
  const scale = Math.max(places, 0);
  return { negative: d.negative && coefficient !== 0n, coefficient, scale };
}

/** To `n` significant digits at most; never adds digits a value does not have. */
export function roundSignificant(d: ExactDecimal, n: number, mode: RoundingMode = 'half_up'): ExactDecimal {
  if (significantDigits(d) <= n) return d;
  const rounded = roundDecimal(d, n - 1 - leadingExponent(d), mode);
  // A carry (9.99 → 10.0) can leave one digit too many: the last one is then a zero, so this is exact.
  return significantDigits(rounded) > n ? roundDecimal(rounded, rounded.scale - 1, mode) : rounded;
}

/** Decimal places shown by a value as written: "1.2000" → 4, "100" → 0. */
export function decimalPlacesOf(text: string): number | undefined {
  return parseDecimal(text)?.scale;
}

/**
 * The decimal place a resolution (độ phân giải) fixes: "0.01" → 2, "0.0001" → 4, "0.5" → 1, "1" and
 * "10" → 0, "0.010" → 2 (trailing zeros of a stored numeric say nothing). undefined when unknown or 0.
 */
export function resolutionDecimals(resolution: string | undefined | null): number | undefined {
  if (!resolution) return undefined;
  const d = parseDecimal(resolution);
  if (!d || d.coefficient === 0n) return undefined;
  let { coefficient, scale } = d;
  while (scale > 0 && coefficient % 10n === 0n) {
    coefficient /= 10n;
    scale -= 1;
  }
  return scale;
}

/** Text of an exact decimal in a locale; at most MAX_SIGNIFICANT_DIGITS are kept (rounded half up). */
export function printDecimal(d: ExactDecimal, locale: NumberLocale): string {
  const v = roundSignificant(d, MAX_SIGNIFICANT_DIGITS);
  const digits = v.coefficient.toString().padStart(v.scale + 1, '0');
  const whole = digits.slice(0, digits.length - v.scale);
  const fraction = digits.slice(digits.length - v.scale);
  const sep = locale === 'vi' ? ',' : '.';
  return `${v.negative ? MINUS : ''}${whole}${v.scale > 0 ? sep + fraction : ''}`;
}

/**
 * A value printed with the digits it was recorded with (capped at 8 significant digits), in the
 * locale's decimal sign. Text that is not a number ("KPH", "< LOQ") is returned unchanged.
 */
export function formatNumber(text: string, locale: NumberLocale): string {
  const d = parseDecimal(text);
  return d ? printDecimal(d, locale) : text;
}

export interface ReadingOptions {
  /** The instrument's resolution as a decimal string ("0.01"); unknown: the value as recorded. */
  resolution?: string | null;
  /** The procedure lets means carry one digit beyond the resolution. */
  extraDigit?: boolean;
}

/** A reading or a mean of readings, to the instrument's resolution: "1.2" at 0.0001 → "1,2000"; "0.40666…" at 0.01 → "0,41". */
export function formatReading(text: string, locale: NumberLocale, options: ReadingOptions = {}): string {
  const d = parseDecimal(text);
  if (!d) return text;
  const places = resolutionDecimals(options.resolution);
  if (places === undefined) return printDecimal(d, locale);
  return printDecimal(roundDecimal(d, places + (options.extraDigit ? 1 : 0)), locale);
}

/**
 * An expanded uncertainty U: at most two significant digits (GUM 7.2.6). Upstream has already
 * rounded it (libs/uncertainty roundExpandedUncertainty); a value that still has more digits is
 * rounded up here, since an uncertainty is never printed smaller than it is.
 */
export function formatUncertainty(text: string, locale: NumberLocale): string {
  const d = parseDecimal(text);
  return d ? printDecimal(roundSignificant(d, 2, 'up'), locale) : text;
}

/** A result to the decimal place of its (rounded) uncertainty: 100.0147 with U "0.13" → "100,01". */
export function formatToUncertainty(text: string, uncertainty: string, locale: NumberLocale): string {
  const d = parseDecimal(text);
  const u = parseDecimal(uncertainty);
  if (!d) return text;
  if (!u) return printDecimal(d, locale);
  return printDecimal(roundDecimal(d, roundSignificant(u, 2, 'up').scale), locale);
}

/** Leading signs a limit may carry: "±0.05", "≤ 0,5", "≥ 40", "< 0.1". */
const LIMIT = /^\s*([±≤≥<>]|\+\/-|\+-)?\s*(.*?)\s*$/;

export interface LimitOptions {
  /** Decimal places of the instrument's resolution; the limit is printed to one place more at most. */
  resolutionDecimals?: number;
}

/**
 * A maximum permissible error or a requirement, with its sign ("±0.10025" → "±0,101" at resolution
 * 0.01). The choice (issue 9): at most one decimal place beyond the instrument's resolution — a
 * mean may carry that digit, so the limit is shown as finely as anything compared with it — and,
 * with no resolution known, three significant digits (two could loosen a limit by up to 10 %).
 * A limit with fewer digits prints as stated (±0,5 stays ±0,5).
 * Rounding is outward (away from zero): a printed legal limit is never tighter than the law's,
 * so an instrument shown inside the printed limit is never one the law allowed and the table
 * seems to refuse; the decision itself was made upstream on the exact limit.
 */
export function formatLimit(text: string, locale: NumberLocale, options: LimitOptions = {}): string {
  const m = LIMIT.exec(text)!;
  const sign = m[1] === '+/-' || m[1] === '+-' ? '±' : (m[1] ?? '');
  const d = parseDecimal(m[2]);
  if (!d) return text;
  let stripped = d;
  while (stripped.scale > 0 && stripped.coefficient % 10n === 0n && stripped.coefficient !== 0n)
    stripped = { ...stripped, coefficient: stripped.coefficient / 10n, scale: stripped.scale - 1 };
  const rounded =
    options.resolutionDecimals !== undefined
      ? stripped.scale > options.resolutionDecimals + 1
        ? roundDecimal(stripped, options.resolutionDecimals + 1, 'up')
        : stripped
      : roundSignificant(stripped, 3, 'up');
  const spaced = sign === '≤' || sign === '≥' || sign === '<' || sign === '>' ? `${sign} ` : sign;
  return `${spaced}${printDecimal(rounded, locale)}`;
}
