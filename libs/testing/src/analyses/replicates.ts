import { convertValue, isPhysicalUnit, sameDimension } from '#libs/core';

/** A replicate as the engine reads it ("12.3", "<0.2", ">5", "KPH") with its number in another unit. */
const QUALIFIED = /^\s*([<>])?\s*(-?\d+(?:[.,]\d+)?)\s*$/;

/** A number written out in full (no exponent, which the conformity engine refuses), at most 12 decimals. */
function plain(x: number): string {
  return x.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 12 });
}

/** Why a unit cannot be used for a parameter, or null. */
export function unitProblem(entered: string, parameterUnit: string): string | null {
  if (entered.trim() === parameterUnit.trim()) return null;
  if (!isPhysicalUnit(entered) || !isPhysicalUnit(parameterUnit))
    return `${entered} cannot be converted to ${parameterUnit}: enter the result in ${parameterUnit}`;
  if (!sameDimension(entered, parameterUnit)) return `${entered} does not measure what ${parameterUnit} measures`;
  return null;
}

/**
 * Replicates entered in `from` expressed in the parameter's unit `to`, through core's units (mathjs):
 * numbers and the bound of a "<" or ">" qualifier are converted; "KPH" (not detected) stays as it is.
 * The caller has checked the unit with unitProblem.
 */
export function convertReplicates(replicates: readonly string[], from: string | undefined, to: string): string[] {
  if (from === undefined || from.trim() === to.trim()) return [...replicates];
  return replicates.map((text) => {
    const m = QUALIFIED.exec(text);
    if (!m) return text; // "KPH", or text the engine will refuse naming the replicate
    const value = convertValue(Number(m[2]!.replace(',', '.')), from, to);
    return `${m[1] ?? ''}${plain(value)}`;
  });
}
