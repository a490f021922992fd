import { UncertaintyInputError, requireFinite } from './errors.js';

/** What the combination step needs from each input quantity. */
export interface WeightedUncertainty {
  name: string;
  /** u(xᵢ) */
  standardUncertainty: number;
  /** cᵢ */
  sensitivityCoefficient: number;
  /** νᵢ; Infinity when exactly known */
  degreesOfFreedom: number;
}

/** hệ số tương quan — correlation coefficient r(xᵢ, xⱼ) between two named components (GUM 5.2.2). */
export interface CorrelationInput {
  first: string;
  second: string;
  coefficient: number;
}

/**
 * Validate correlation entries and return them as a symmetric lookup keyed by component index.
 * Unlisted pairs are uncorrelated (r = 0).
 */
export function correlationMatrix(
  names: readonly string[],
  correlations: readonly CorrelationInput[] = [],
): Map<number, Map<number, number>> {
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    // Names are the only handle a correlation has on a component, so they must be unambiguous.
    if (correlations.length > 0 && index.has(name)) {
      throw new UncertaintyInputError(`components[${i}].name`, `duplicate component name ${JSON.stringify(name)}`);
    }
    index.set(name, i);
  });
  const matrix = new Map<number, Map<number, number>>();
  const set = (i: number, j: number, r: number): void => {
    let row = matrix.get(i);
    if (row === undefined) {
      row = new Map();
      matrix.set(i, row);
    }
    row.set(j, r);
  };
  correlations.forEach((entry, n) => {
    const path = `correlations[${n}]`;
    const i = index.get(entry.first);
    const j = index.get(entry.second);
    if (i === undefined)
      throw new UncertaintyInputError(`${path}.first`, `no component named ${JSON.stringify(entry.first)}`);
    if (j === undefined)
      throw new UncertaintyInputError(`${path}.second`, `no component named ${JSON.stringify(entry.second)}`);
    if (i === j) throw new UncertaintyInputError(`${path}.second`, 'a component cannot be correlated with itself');
    const r = requireFinite(entry.coefficient, `${path}.coefficient`);
    if (r < -1 || r > 1) throw new UncertaintyInputError(`${path}.coefficient`, 'must lie in [-1, 1]');
    if (matrix.get(i)?.has(j) === true) {
      throw new UncertaintyInputError(path, `correlation between ${entry.first} and ${entry.second} given twice`);
    }
    set(i, j, r);
    set(j, i, r);
  });
  return matrix;
}

/**
 * độ không đảm bảo đo chuẩn tổng hợp — combined standard uncertainty u_c(y).
 * GUM eq. (10) for uncorrelated inputs, eq. (16) when correlations are given:
 *   u_c² = Σ (cᵢuᵢ)² + 2 Σᵢ<ⱼ cᵢcⱼ uᵢuⱼ r(xᵢ,xⱼ)
 */
export function combinedStandardUncertainty(
  items: readonly WeightedUncertainty[],
  correlations: readonly CorrelationInput[] = [],
): number {
  if (items.length === 0) throw new UncertaintyInputError('components', 'at least one component is required');
  const contributions = items.map((item) => item.sensitivityCoefficient * item.standardUncertainty);
  const matrix = correlationMatrix(
    items.map((item) => item.name),
    correlations,
  );

  let variance = 0;
  // Magnitude of all terms, to tell rounding noise from a genuinely negative variance.
  let magnitude = 0;
  for (const ci of contributions) {
    variance += ci * ci;
    magnitude += ci * ci;
  }
  for (const [i, row] of matrix) {
    for (const [j, r] of row) {
      if (j <= i) continue;
      const term = 2 * (contributions[i] ?? 0) * (contributions[j] ?? 0) * r;
      variance += term;
      magnitude += Math.abs(term);
    }
  }
  if (variance < 0) {
    // r = −1 between equal contributions legitimately cancels to ±noise; anything more
    // negative means the coefficients do not form a valid (positive semi-definite) matrix.
    if (variance < -1e-12 * magnitude) {
      throw new UncertaintyInputError(
        'correlations',
        'correlation coefficients are mutually inconsistent (negative combined variance)',
      );
    }
    variance = 0;
  }
  return Math.sqrt(variance);
}

/**
 * bậc tự do hiệu dụng — effective degrees of freedom by the Welch–Satterthwaite formula (GUM G.4.1, eq. G.2b):
 *   ν_eff = u_c⁴ / Σ (cᵢuᵢ)⁴/νᵢ
 * Components with zero contribution (or one below double-precision noise in u_c²) are ignored; Infinity when every contributing νᵢ is infinite
 * (or nothing contributes).
 *
 * `combined` defaults to the uncorrelated u_c. Welch–Satterthwaite is derived for independent
 * inputs only; when correlations are present the caller may pass the eq. (16) u_c, which is a
 * common practical approximation but not part of the GUM.
 */
export function welchSatterthwaite(items: readonly WeightedUncertainty[], combined?: number): number {
  if (items.length === 0) throw new UncertaintyInputError('components', 'at least one component is required');
  const uc = combined ?? combinedStandardUncertainty(items);
  if (uc === 0) return Infinity;
  let denominator = 0;
  for (const item of items) {
    const contribution = Math.abs(item.sensitivityCoefficient * item.standardUncertainty);
    if (contribution === 0 || item.degreesOfFreedom === Infinity) continue;
    // A term too small to change u_c² in double precision cannot set ν_eff either (it would only turn
    // rounding noise into ν_eff ≈ 10³⁰): it counts as contributing nothing.
    if ((contribution / uc) ** 2 < Number.EPSILON) continue;
    // Ratio form (cᵢuᵢ/u_c)⁴ avoids overflow/underflow of fourth powers in SI base units.
    denominator += (contribution / uc) ** 4 / item.degreesOfFreedom;
  }
  return denominator === 0 ? Infinity : 1 / denominator;
}

/**
 * Estimated correlation coefficient of two means from simultaneous paired readings (GUM 5.2.3, eqs. 14 and 17):
 *   r(q̄, r̄) = s(q̄, r̄) / (s(q̄) s(r̄))
 */
export function correlationFromReadings(first: readonly number[], second: readonly number[]): number {
  if (first.length !== second.length) {
    throw new UncertaintyInputError('second', 'paired readings must have the same length');
  }
  if (first.length < 2) throw new UncertaintyInputError('first', 'at least 2 paired readings are required');
  first.forEach((x, i) => requireFinite(x, `first[${i}]`));
  second.forEach((x, i) => requireFinite(x, `second[${i}]`));
  const n = first.length;
  const meanA = first.reduce((s, x) => s + x, 0) / n;
  const meanB = second.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    const da = (first[k] ?? 0) - meanA;
    const db = (second[k] ?? 0) - meanB;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) {
    throw new UncertaintyInputError(
      saa === 0 ? 'first' : 'second',
      'readings have no scatter; correlation is undefined',
    );
  }
  // The 1/(n(n−1)) factors of eq. (17) cancel; clamp rounding excursions beyond ±1.
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}
