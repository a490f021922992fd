import {
  UncertaintyInputError,
  requireDegreesOfFreedom,
  requireFinite,
  requireNonNegative,
  requirePositive,
} from './errors.js';

/** Fields shared by every input quantity (đại lượng đầu vào) of the budget. */
interface ComponentCommon {
  /** Unique row name in the budget; correlations refer to components by this name. */
  name: string;
  /** hệ số độ nhạy — sensitivity coefficient cᵢ = ∂f/∂xᵢ (GUM 5.1.3). Default 1. */
  sensitivityCoefficient?: number;
  /** Unit of u(xᵢ) (before multiplying by cᵢ). Informational only. */
  unit?: string;
  description?: string;
}

interface EstimateField {
  /** ước lượng đầu vào — input estimate xᵢ. Informational only; the budget does not evaluate f. */
  estimate?: number;
}

/** Type A from repeated readings (GUM 4.2): mean, s(qₖ), u = s/√n, ν = n − 1. */
export interface TypeAReadingsComponent extends ComponentCommon {
  kind: 'type_a_readings';
  readings: readonly number[];
  /**
   * Pooled standard deviation from a prior, well-characterised evaluation (GUM 4.2.4),
   * used instead of the scatter of these few readings; then u = s_p/√n, ν = ν_p and n ≥ 1.
   */
  pooledStandardDeviation?: { standardDeviation: number; degreesOfFreedom: number };
}

/** Type A given directly: standard uncertainty and its degrees of freedom. */
export interface TypeAStandardComponent extends ComponentCommon, EstimateField {
  kind: 'type_a';
  standardUncertainty: number;
  degreesOfFreedom: number;
}

interface TypeBCommon extends ComponentCommon, EstimateField {
  /** Degrees of freedom of a Type B evaluation (GUM G.4.2); default Infinity (u exactly known). */
  degreesOfFreedom?: number;
}

/** Type B quoted as expanded uncertainty U with coverage factor k (e.g. a certificate): u = U/k (GUM 4.3.3). */
export interface TypeBExpandedComponent extends TypeBCommon {
  kind: 'type_b_expanded';
  expandedUncertainty: number;
  coverageFactor: number;
}

/** phân bố — distributions for bounds ±a (GUM 4.3.7, 4.3.9; EA-4/02 §3). */
export type LimitDistribution = 'rectangular' | 'triangular' | 'u_shaped';

/** Type B from half-width a: rectangular a/√3, triangular a/√6, U-shaped (arcsine) a/√2. */
export interface TypeBLimitsComponent extends TypeBCommon {
  kind: 'type_b_limits';
  halfWidth: number;
  distribution: LimitDistribution;
}

/** Type B from half-width a taken as k standard deviations of a normal distribution: u = a/k (GUM 4.3.4). */
export interface TypeBNormalLimitsComponent extends TypeBCommon {
  kind: 'type_b_limits';
  halfWidth: number;
  distribution: 'normal';
  coverageFactor: number;
}

/** Type B from the resolution d of a digital indication: rectangular with a = d/2 (GUM F.2.2.1). */
export interface TypeBResolutionComponent extends TypeBCommon {
  kind: 'type_b_resolution';
  resolution: number;
}

/** Type B standard uncertainty given directly (e.g. the u_c of a sub-budget). */
export interface TypeBStandardComponent extends TypeBCommon {
  kind: 'type_b_standard';
  standardUncertainty: number;
}

export type UncertaintyComponentInput =
  | TypeAReadingsComponent
  | TypeAStandardComponent
  | TypeBExpandedComponent
  | TypeBLimitsComponent
  | TypeBNormalLimitsComponent
  | TypeBResolutionComponent
  | TypeBStandardComponent;

export type ComponentKind = UncertaintyComponentInput['kind'];

/** An input quantity reduced to what the combination step needs (all in the input's own unit). */
export interface ResolvedComponent {
  name: string;
  kind: ComponentKind;
  /** độ không đảm bảo đo chuẩn — standard uncertainty u(xᵢ) */
  standardUncertainty: number;
  sensitivityCoefficient: number;
  /** bậc tự do — degrees of freedom νᵢ (Infinity when exactly known) */
  degreesOfFreedom: number;
  estimate?: number;
  /** Type A readings only: experimental standard deviation s(qₖ) (or the pooled s_p). */
  experimentalStandardDeviation?: number;
  /** Type A readings only: number of readings n. */
  observations?: number;
  unit?: string;
  description?: string;
}

const SQRT3 = Math.sqrt(3);
const SQRT6 = Math.sqrt(6);
const SQRT2 = Math.SQRT2;

/** Arithmetic mean and experimental standard deviation s(qₖ) (GUM eqs. 3 and 4). */
export function meanAndStandardDeviation(readings: readonly number[]): { mean: number; standardDeviation: number } {
  const n = readings.length;
  let sum = 0;
  for (const x of readings) sum += x;
  const mean = sum / n;
  // Two-pass form: calibration readings share many leading digits (10.000025 kg …),
  // where the one-pass Σx² − n·x̄² cancels catastrophically.
  // Identical readings have no scatter: s = 0 exactly, not the ~1e-17 that x − x̄ leaves when x̄ is
  // not representable (3 × 0.1 / 3), which would give ν_eff ≈ 10⁵⁴ instead of ∞.
  if (readings.every((x) => x === readings[0])) return { mean: readings[0] ?? mean, standardDeviation: 0 };
  let squares = 0;
  for (const x of readings) squares += (x - mean) ** 2;
  return { mean, standardDeviation: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
}

function requireReadings(value: unknown, field: string, minimum: number): readonly number[] {
  if (!Array.isArray(value)) throw new UncertaintyInputError(field, 'must be an array of numbers');
  if (value.length < minimum) {
    throw new UncertaintyInputError(
      field,
      minimum === 2
        ? `at least 2 readings are needed for a Type A evaluation (got ${value.length})`
        : `at least ${minimum} reading is needed (got ${value.length})`,
    );
  }
  value.forEach((x, i) => requireFinite(x, `${field}[${i}]`));
  return value as readonly number[];
}

function optionalDof(value: unknown, field: string): number {
  return value === undefined ? Infinity : requireDegreesOfFreedom(value, field);
}

/**
 * Validate one input quantity and convert it to its standard uncertainty.
 * `path` prefixes error fields, e.g. `components[2]`.
 */
export function resolveComponent(input: UncertaintyComponentInput, path = 'component'): ResolvedComponent {
  if (typeof input !== 'object' || input === null) {
    throw new UncertaintyInputError(path, 'must be an object');
  }
  if (typeof input.name !== 'string' || input.name.trim() === '') {
    throw new UncertaintyInputError(`${path}.name`, 'must be a non-empty string');
  }
  const sensitivityCoefficient =
    input.sensitivityCoefficient === undefined
      ? 1
      : requireFinite(input.sensitivityCoefficient, `${path}.sensitivityCoefficient`);

  const base = {
    name: input.name,
    kind: input.kind,
    sensitivityCoefficient,
    ...(input.unit === undefined ? {} : { unit: input.unit }),
    ...(input.description === undefined ? {} : { description: input.description }),
  };
  const withEstimate = (estimate: number | undefined): { estimate?: number } =>
    estimate === undefined ? {} : { estimate: requireFinite(estimate, `${path}.estimate`) };

  switch (input.kind) {
    case 'type_a_readings': {
      const pooled = input.pooledStandardDeviation;
      const readings = requireReadings(input.readings, `${path}.readings`, pooled === undefined ? 2 : 1);
      const n = readings.length;
      const { mean, standardDeviation } = meanAndStandardDeviation(readings);
      if (pooled !== undefined) {
        const sp = requireNonNegative(pooled.standardDeviation, `${path}.pooledStandardDeviation.standardDeviation`);
        const nu = requireDegreesOfFreedom(pooled.degreesOfFreedom, `${path}.pooledStandardDeviation.degreesOfFreedom`);
        return {
          ...base,
          estimate: mean,
          experimentalStandardDeviation: sp,
          observations: n,
          standardUncertainty: sp / Math.sqrt(n),
          degreesOfFreedom: nu,
        };
      }
      return {
        ...base,
        estimate: mean,
        experimentalStandardDeviation: standardDeviation,
        observations: n,
        standardUncertainty: standardDeviation / Math.sqrt(n),
        degreesOfFreedom: n - 1,
      };
    }
    case 'type_a':
      return {
        ...base,
        ...withEstimate(input.estimate),
        standardUncertainty: requireNonNegative(input.standardUncertainty, `${path}.standardUncertainty`),
        degreesOfFreedom: requireDegreesOfFreedom(input.degreesOfFreedom, `${path}.degreesOfFreedom`),
      };
    case 'type_b_expanded': {
      const U = requireNonNegative(input.expandedUncertainty, `${path}.expandedUncertainty`);
      const k = requirePositive(input.coverageFactor, `${path}.coverageFactor`);
      return {
        ...base,
        ...withEstimate(input.estimate),
        standardUncertainty: U / k,
        degreesOfFreedom: optionalDof(input.degreesOfFreedom, `${path}.degreesOfFreedom`),
      };
    }
    case 'type_b_limits': {
      const a = requireNonNegative(input.halfWidth, `${path}.halfWidth`);
      let u: number;
      switch (input.distribution) {
        case 'rectangular':
          u = a / SQRT3;
          break;
        case 'triangular':
          u = a / SQRT6;
          break;
        case 'u_shaped':
          u = a / SQRT2;
          break;
        case 'normal':
          u = a / requirePositive(input.coverageFactor, `${path}.coverageFactor`);
          break;
        default:
          throw new UncertaintyInputError(
            `${path}.distribution`,
            "must be one of 'rectangular', 'triangular', 'u_shaped', 'normal'",
          );
      }
      return {
        ...base,
        ...withEstimate(input.estimate),
        standardUncertainty: u,
        degreesOfFreedom: optionalDof(input.degreesOfFreedom, `${path}.degreesOfFreedom`),
      };
    }
    case 'type_b_resolution': {
      const d = requireNonNegative(input.resolution, `${path}.resolution`);
      return {
        ...base,
        ...withEstimate(input.estimate),
        standardUncertainty: d / 2 / SQRT3,
        degreesOfFreedom: optionalDof(input.degreesOfFreedom, `${path}.degreesOfFreedom`),
      };
    }
    case 'type_b_standard':
      return {
        ...base,
        ...withEstimate(input.estimate),
        standardUncertainty: requireNonNegative(input.standardUncertainty, `${path}.standardUncertainty`),
        degreesOfFreedom: optionalDof(input.degreesOfFreedom, `${path}.degreesOfFreedom`),
      };
    default: {
      // Reached only with untyped (JSON) input; keeps the switch exhaustive for the compiler.
      const unknownKind: unknown = (input as { kind?: unknown }).kind;
      throw new UncertaintyInputError(`${path}.kind`, `unknown component kind ${JSON.stringify(unknownKind)}`);
    }
  }
}

/**
 * Degrees of freedom of a Type B standard uncertainty from its judged relative reliability
 * Δu/u (GUM G.4.2, eq. G.3): ν ≈ ½ (Δu/u)⁻². E.g. "reliable to 25 %" → ν = 8.
 */
export function degreesOfFreedomFromReliability(relativeUncertaintyOfU: number): number {
  const r = requirePositive(relativeUncertaintyOfU, 'relativeUncertaintyOfU');
  // ½·(1/r)² rather than 0.5/(r·r): 1/0.1 is exactly 10, so "10 %" yields exactly 50, not 49.999….
  return 0.5 * (1 / r) ** 2;
}
