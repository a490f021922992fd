import { createRequire } from 'node:module';
import type { Unit } from 'mathjs';

type MathUnit = (value: number, name: string) => Unit;
let loaded: MathUnit | undefined;
/**
 * mathjs is loaded on first use, not at import: it takes about a second to load, and every process
 * imports core at start-up (a process refusing a bad PORT should say so at once).
 */
function mathUnit(value: number, name: string): Unit {
  loaded ??= (createRequire(import.meta.url)('mathjs') as { unit: MathUnit }).unit;
  return loaded(value, name);
}

/**
 * Units of measurement through mathjs (a maintained units library: SI prefixes, dimensions, offset
 * temperatures), so that no conversion table is written by hand here. Only the spelling people and
 * our seed data use is mapped to mathjs' names ("°C" → "degC", "m³" → "m^3", "Ω" → "ohm").
 * A symbol mathjs does not know ("%RH", "e", "vòng") is opaque: it agrees only with itself.
 */

const SPELLING: Readonly<Record<string, string>> = {
  '°C': 'degC',
  '℃': 'degC',
  '°F': 'degF',
  Ω: 'ohm',
  kΩ: 'kohm',
  MΩ: 'Mohm',
  mΩ: 'mohm',
  'm³': 'm^3',
  m3: 'm^3',
  'dm³': 'dm^3',
  'cm³': 'cm^3',
  'm³/h': 'm^3/h',
  'm3/h': 'm^3/h',
  l: 'L',
  ml: 'mL',
  'l/min': 'L/min',
  'l/h': 'L/h',
};

/** Why two quantities cannot be compared. */
export class UnitMismatchError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`${from} cannot be converted to ${to}: they measure different quantities`);
    this.name = 'UnitMismatchError';
  }
}

const cache = new Map<string, Unit | null>();

/** The mathjs unit of a symbol, or null when mathjs does not know it (an opaque unit). */
function physical(symbol: string): Unit | null {
  const key = symbol.trim();
  if (cache.has(key)) return cache.get(key)!;
  let parsed: Unit | null = null;
  const name = SPELLING[key] ?? key;
  if (name !== '' && !/[%\s]/.test(name)) {
    try {
      parsed = mathUnit(1, name);
    } catch {
      parsed = null;
    }
  }
  if (cache.size < 1000) cache.set(key, parsed);
  return parsed;
}

/** True when mathjs knows the symbol as a physical unit. */
export function isPhysicalUnit(symbol: string): boolean {
  return physical(symbol) !== null;
}

/** Whether values in `a` and `b` can be compared: same dimension, or the same opaque symbol. */
export function sameDimension(a: string, b: string): boolean {
  if (a.trim() === b.trim()) return true;
  const x = physical(a);
  const y = physical(b);
  return x !== null && y !== null && x.equalBase(y);
}

function nameOf(symbol: string): string {
  const key = symbol.trim();
  return SPELLING[key] ?? key;
}

/** Far beyond any instrument's digits, far above binary noise: 1600 kPa is 1.6 MPa, not 1.6000000000000001. */
const SIGNIFICANT = 12;
const tidy = (x: number): number => (x === 0 ? 0 : Number(x.toPrecision(SIGNIFICANT)));

/** An absolute value (a reading, a range limit): offsets apply (30 °C → 303.15 K). */
export function convertValue(value: number, from: string, to: string): number {
  if (from.trim() === to.trim()) return value;
  if (!sameDimension(from, to)) throw new UnitMismatchError(from, to);
  return tidy(mathUnit(value, nameOf(from)).toNumber(nameOf(to)));
}

/**
 * A difference (an error, an MPE, an uncertainty, a resolution): no offset (0.5 °C of error is 0.5 K),
 * only the scale.
 */
export function convertDifference(value: number, from: string, to: string): number {
  if (from.trim() === to.trim()) return value;
  if (!sameDimension(from, to)) throw new UnitMismatchError(from, to);
  const zero = mathUnit(0, nameOf(from)).toNumber(nameOf(to));
  return tidy(mathUnit(value, nameOf(from)).toNumber(nameOf(to)) - zero);
}
