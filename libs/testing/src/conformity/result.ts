import type { ExactDecimal } from '#libs/documents';
import type { ResultType } from '../catalogue/catalogue.entity.js';
import { compareDecimal, decimal, decimalText, halfOf, meanOf, vi } from './decimal.js';
import { ResultInputError } from './errors.js';

/** The parameter and method a result was obtained for (plain data). */
export interface ParameterSpec {
  code: string;
  nameVi: string;
  unit: string;
  resultType: ResultType;
  allowedValues: string[] | null;
}

export interface MethodSpec {
  code: string;
  lod: string | null;
  loq: string | null;
}

/** A posted result: replicates ("12.3", "<0.2" below a bound, "KPH" not detected), or a category / text. */
export interface ResultInput {
  replicates?: readonly string[];
  value?: string;
  /** Expanded uncertainty U of the mean, in the parameter's unit; used by the guarded decision rule. */
  expandedUncertainty?: string;
}

/** What is reported for a parameter. Numbers are canonical decimal strings. */
export type Reported =
  | { kind: 'value'; value: string; replicates: number }
  /** The true value is below `bound` (the LOQ, or the bound a "<" qualifier gave). */
  | { kind: 'below'; bound: string; basis: 'loq' | 'qualifier' }
  /** ">" qualifier: above `bound`. */
  | { kind: 'above'; bound: string }
  /** Not detected (KPH, không phát hiện): below the LOD when one is recorded. */
  | { kind: 'not_detected'; lod: string | null }
  | { kind: 'category'; value: string }
  | { kind: 'text'; value: string };

type Replicate = { measured: ExactDecimal } | { below: ExactDecimal } | { above: ExactDecimal } | { kpH: true };

const QUALIFIED = /^([<>])\s*(.+)$/;
/** Written out, with the point or the comma: no exponent (a "1e-99999999" would cost unbounded BigInt work). */
const PLAIN_DECIMAL = /^-?\d{1,15}([.,]\d{1,12})?$/;

function readReplicate(text: string, param: ParameterSpec, i: number): Replicate {
  const t = text.trim();
  const field = `replicates[${i}]`;
  if (/^(KPH|ND)$/i.test(t)) return { kpH: true };
  const q = QUALIFIED.exec(t);
  const number = (q ? q[2]! : t).trim();
  const d = PLAIN_DECIMAL.test(number) ? decimal(number) : undefined;
  if (!d) throw new ResultInputError(param.code, field, `"${text}" is not a number, "<number", ">number" or "KPH"`);
  if (!q) return { measured: d };
  if (q[1] === '>' && param.resultType !== 'numeric_with_qualifier')
    throw new ResultInputError(param.code, field, 'a ">" result needs a parameter reported with a qualifier');
  return q[1] === '<' ? { below: d } : { above: d };
}

/**
 * Replicates → the reported result. Below the LOQ a replicate counts LOQ/2 in the mean (EU Directive
 * 2009/90/EC Art. 5); a mean below the LOQ is reported "< LOQ", never 0. All "KPH" is "not detected".
 * The mean carries the decimals of the most precise replicate.
 */
export function reportNumeric(param: ParameterSpec, method: MethodSpec | undefined, input: ResultInput): Reported {
  const texts = input.replicates ?? [];
  if (texts.length === 0) throw new ResultInputError(param.code, 'replicates', 'at least one replicate is required');
  const reps = texts.map((t, i) => readReplicate(t, param, i));
  if (reps.every((r) => 'kpH' in r)) return { kind: 'not_detected', lod: method?.lod ?? null };
  const above = reps.find((r): r is { above: ExactDecimal } => 'above' in r);
  if (above) {
    if (reps.length > 1) throw new ResultInputError(param.code, 'replicates', 'a ">" result stands alone');
    return { kind: 'above', bound: decimalText(above.above) };
  }
  const loq = decimal(method?.loq);
  const bounds = reps.flatMap((r) => ('below' in r ? [r.below] : []));
  // The reporting threshold: the LOQ, or a "<" bound above it (a value known only to be below it).
  const threshold = [...(loq ? [loq] : []), ...bounds].sort((a, b) => compareDecimal(b, a))[0];
  const censoredAt = (r: Replicate): ExactDecimal | undefined => {
    if ('kpH' in r) return loq ?? threshold;
    if ('below' in r) return r.below;
    if ('measured' in r && loq && compareDecimal(r.measured, loq) < 0) return loq;
    return undefined;
  };
  if (reps.some((r) => 'kpH' in r) && !threshold)
    throw new ResultInputError(param.code, 'replicates', '"KPH" among measured replicates needs the method’s LOQ');
  const values = reps.map((r) => {
    const c = censoredAt(r);
    return c ? halfOf(c) : (r as { measured: ExactDecimal }).measured;
  });
  const measured = reps.flatMap((r) => ('measured' in r ? [r.measured] : []));
  const precise = meanOf(values, Math.max(...values.map((v) => v.scale)) + 2);
  if (threshold && (measured.length === 0 || compareDecimal(precise, threshold) < 0))
    return {
      kind: 'below',
      bound: decimalText(threshold),
      basis: loq && compareDecimal(threshold, loq) === 0 ? 'loq' : 'qualifier',
    };
  const scale = Math.max(...measured.map((m) => m.scale));
  return { kind: 'value', value: decimalText(meanOf(values, scale)), replicates: reps.length };
}

/** A posted result read for its parameter's result type. */
export function reportResult(param: ParameterSpec, method: MethodSpec | undefined, input: ResultInput): Reported {
  switch (param.resultType) {
    case 'numeric':
    case 'numeric_with_qualifier':
      return reportNumeric(param, method, input);
    case 'categorical': {
      const v = input.value?.trim();
      const scale = param.allowedValues ?? [];
      const found = scale.find((s) => s.toLowerCase() === v?.toLowerCase());
      if (!found) throw new ResultInputError(param.code, 'value', `must be one of ${scale.join(', ')}`);
      return { kind: 'category', value: found };
    }
    case 'text':
    case 'report_only':
      if (input.value !== undefined && input.value.trim() !== '') return { kind: 'text', value: input.value.trim() };
      if (input.replicates?.length && param.resultType === 'report_only') return reportNumeric(param, method, input);
      throw new ResultInputError(param.code, 'value', 'a value is required');
  }
}

/** The result as the report prints it ("12,3", "< 0,2", "KPH"). */
export function displayReported(r: Reported): string {
  switch (r.kind) {
    case 'value':
      return vi(r.value);
    case 'below':
      return `< ${vi(r.bound)}`;
    case 'above':
      return `> ${vi(r.bound)}`;
    case 'not_detected':
      return 'KPH';
    case 'category':
    case 'text':
      return r.value;
  }
}
