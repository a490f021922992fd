import {
  type Decimal,
  compareScaledMagnitudes,
  decimalFromNumber,
  formatDecimal,
  leadingExponent,
  roundToPlaces,
} from './decimal.js';
import { UncertaintyInputError, requireFinite, requirePositive } from './errors.js';

/** A rounded value as both a number and the decimal string that should be stored/printed. */
export interface RoundedValue {
  value: number;
  /** Fixed-point decimal text, e.g. "0.0031", "10.000025", "1230"; never exponent notation. */
  text: string;
  /** Digits after the decimal point; negative when rounded to tens (−1), hundreds (−2), … */
  decimalPlaces: number;
}

/** độ không đảm bảo đo mở rộng đã làm tròn — expanded uncertainty rounded for the certificate. */
export interface RoundedUncertainty extends RoundedValue {
  significantDigits: number;
  /** True when the value was rounded up instead of ordinarily (5 % rule or alwaysRoundUp). */
  roundedUp: boolean;
}

export interface UncertaintyRoundingOptions {
  /** "At most two significant digits" (GUM 7.2.6, EA-4/02 §6); default 2. */
  significantDigits?: 1 | 2;
  /** Some laboratories always round uncertainties up (GUM 7.2.6 allows it). Default false. */
  alwaysRoundUp?: boolean;
}

function toRounded(d: Decimal): RoundedValue {
  const text = formatDecimal(d);
  return { value: Number(text), text, decimalPlaces: d.scale };
}

/** Round |d| to n significant digits; drops the spare trailing zero when a carry adds a digit (0.0996 → "0.10"). */
function roundSignificant(d: Decimal, n: number, mode: 'half_up' | 'up'): Decimal {
  const places = n - 1 - leadingExponent(d);
  const rounded = roundToPlaces(d, places, mode);
  if (leadingExponent(rounded) > leadingExponent(d)) {
    // The carry made e.g. 99 → 100: the last kept digit is now a zero, so this is exact.
    return roundToPlaces(rounded, places - 1, mode);
  }
  return rounded;
}

/**
 * Round an expanded uncertainty U for reporting (GUM 7.2.6; EA-4/02 §6, statement of uncertainty in calibration certificates):
 * ordinary rounding (ties away from zero) to at most `significantDigits` significant digits, but
 * if that lowers U by more than 5 % the rounded-up value is used instead.
 *
 * Why the 5 % branch is dormant at two significant digits: the rounded mantissa m is in [10, 99]
 * and ordinary rounding discards less than half a unit, so the relative lowering is < 0.5/10.5 ≈ 4.76 %
 * (worst case U just below 10.5·10ᵉ). It can only fire with one significant digit (e.g. 0.149 → 0.1 is
 * 33 % lower → 0.2). The comparison "lowered by more than 5 %" ⇔ 19·U > 20·U_rounded is done exactly
 * on the decimal representation, so exactly 5 % keeps ordinary rounding.
 */
export function roundExpandedUncertainty(U: number, options: UncertaintyRoundingOptions = {}): RoundedUncertainty {
  requirePositive(U, 'expandedUncertainty');
  const significantDigits = options.significantDigits ?? 2;
  if (significantDigits !== 1 && significantDigits !== 2) {
    throw new UncertaintyInputError('significantDigits', 'must be 1 or 2');
  }
  const exact = decimalFromNumber(U);
  let rounded = roundSignificant(exact, significantDigits, options.alwaysRoundUp === true ? 'up' : 'half_up');
  let roundedUp = options.alwaysRoundUp === true && compareScaledMagnitudes(rounded, 1n, exact, 1n) > 0;
  if (!roundedUp && compareScaledMagnitudes(exact, 19n, rounded, 20n) > 0) {
    rounded = roundSignificant(exact, significantDigits, 'up');
    roundedUp = true;
  }
  return { ...toRounded(rounded), significantDigits, roundedUp };
}

/**
 * Round a measurement result to the same decimal place as its rounded expanded uncertainty
 * (GUM 7.2.6, EA-4/02 §6): 100.0147 with U = 0.13 → "100.01". Ordinary rounding, ties away from zero.
 */
export function roundResultToUncertainty(
  result: number,
  uncertainty: Pick<RoundedValue, 'decimalPlaces'>,
): RoundedValue {
  requireFinite(result, 'result');
  if (!Number.isInteger(uncertainty.decimalPlaces)) {
    throw new UncertaintyInputError('decimalPlaces', 'must be an integer');
  }
  return toRounded(roundToPlaces(decimalFromNumber(result), uncertainty.decimalPlaces, 'half_up'));
}

/** Round any value to a fixed number of decimal places (ties away from zero), e.g. k to 2 decimals. */
export function roundToDecimalPlaces(value: number, decimalPlaces: number): RoundedValue {
  return roundResultToUncertainty(value, { decimalPlaces });
}
