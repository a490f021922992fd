import { decideConformity, type DecisionOutcome } from '#libs/uncertainty';
import { vi } from './decimal.js';
import { ResultInputError, UnconfirmedLimitError, type UnconfirmedLimit } from './errors.js';
import {
  displayReported,
  reportResult,
  type MethodSpec,
  type ParameterSpec,
  type Reported,
  type ResultInput,
} from './result.js';
import { selectLimit, type LimitSpec, type SelectionContext } from './selection.js';

export type Conformity = 'pass' | 'fail' | 'conditional' | 'not_judged';

/** Simple acceptance (ILAC-G8 4.2.1, w = 0) by default; guarded (w = r·U) where a result gives U. */
export type DecisionRuleInput = { kind: 'simple' } | { kind: 'guarded'; guardBandFactor?: number };

export interface Judgement {
  conformity: Conformity;
  /** The ILAC-G8 outcome behind a numeric judgement (conditional_pass / conditional_fail under a guard band). */
  decision: DecisionOutcome | null;
  /** Why a row is not judged, or what the judgement rests on. */
  reason: string | null;
}

export const CONFORMITY_LABELS: Record<Conformity | DecisionOutcome, { vi: string; en: string }> = {
  pass: { vi: 'Đạt', en: 'Pass' },
  fail: { vi: 'Không đạt', en: 'Fail' },
  conditional: { vi: 'Có điều kiện', en: 'Conditional' },
  conditional_pass: { vi: 'Đạt có điều kiện', en: 'Conditional pass' },
  conditional_fail: { vi: 'Không đạt có điều kiện', en: 'Conditional fail' },
  not_judged: { vi: 'Không đánh giá', en: 'Not judged' },
};

const judged = (conformity: Conformity, reason: string | null = null, decision: DecisionOutcome | null = null) => ({
  conformity,
  decision,
  reason,
});

/** The limit as "Mức quy định" prints it: "≤ 150", "≥ 95", "2,0 – 4,5", "1a, 1b", or its words. */
export function displayLimit(l: Pick<LimitSpec, 'kind' | 'min' | 'max' | 'allowedValues' | 'limitText'>): string {
  switch (l.kind) {
    case 'min':
      return `≥ ${vi(l.min!)}`;
    case 'max':
      return `≤ ${vi(l.max!)}`;
    case 'range':
      return `${vi(l.min!)} – ${vi(l.max!)}`;
    case 'categorical_set':
      return l.limitText ?? l.allowedValues!.join(', ');
    case 'none':
      return l.limitText ?? '—';
  }
}

const bounds = (l: LimitSpec): { lower: number; upper: number } => ({
  lower: l.min === null ? -Infinity : Number(l.min),
  upper: l.max === null ? Infinity : Number(l.max),
});

/** A value known only to lie below (or above) a bound: judged only when every value on that side decides. */
function judgeBound(r: Reported & { kind: 'below' | 'above' | 'not_detected' }, l: LimitSpec): Judgement {
  const { lower, upper } = bounds(l);
  if (r.kind === 'not_detected' && r.lod === null)
    return judged('not_judged', 'not detected, and the method has no LOD recorded: cannot judge');
  const b = Number(r.kind === 'not_detected' ? r.lod : r.bound);
  const what = r.kind === 'not_detected' ? 'LOD' : r.kind === 'below' && r.basis === 'loq' ? 'LOQ' : 'bound';
  if (r.kind === 'above') {
    if (b >= upper) return judged('fail', `above ${r.bound}, at or above the maximum`);
    if (b >= lower && upper === Infinity) return judged('pass', `above ${r.bound}, at or above the minimum`);
    return judged('not_judged', `"> ${r.bound}" does not decide against ${displayLimit(l)}: cannot judge`);
  }
  // Below b: the true value is in [0, b) (or below b).
  if (b <= lower) return judged('fail', `below the ${what} ${b}, which is at or below the minimum`);
  if (b <= upper && lower === -Infinity) return judged('pass', `below the ${what} ${b}, within the maximum`);
  return judged('not_judged', `the ${what} (${b}) is above the limit ${displayLimit(l)}: cannot judge`);
}

function judgeValue(
  param: ParameterSpec,
  value: string,
  l: LimitSpec,
  rule: DecisionRuleInput,
  u: string | undefined,
): Judgement {
  const guarded = rule.kind === 'guarded';
  if (guarded && u === undefined)
    throw new ResultInputError(param.code, 'expandedUncertainty', 'the guarded decision rule needs U');
  const decision = decideConformity({
    measuredValue: Number(value),
    expandedUncertainty: u === undefined ? undefined : Number(u),
    limits: { kind: 'asymmetric', ...bounds(l) },
    rule: guarded ? { kind: 'guarded', guardBandFactor: rule.guardBandFactor } : { kind: 'simple' },
  }).outcome;
  const conformity: Conformity = decision === 'pass' || decision === 'fail' ? decision : 'conditional';
  return judged(conformity, guarded ? `ILAC-G8 guarded acceptance, U = ${u}` : 'simple acceptance', decision);
}

/** One parameter's result against its limit (null: none applies, `why` says so). */
export function judge(
  param: ParameterSpec,
  reported: Reported,
  limit: LimitSpec | null,
  why: string | null,
  rule: DecisionRuleInput,
  u?: string,
): Judgement {
  if (param.resultType === 'report_only') return judged('not_judged', 'report only (Báo cáo): never judged');
  if (!limit) return judged('not_judged', why ?? 'no limit applies');
  if (limit.kind === 'none') return judged('not_judged', `no limit value: ${limit.limitText ?? 'none stated'}`);
  if (limit.kind === 'categorical_set') {
    if (reported.kind !== 'category') return judged('not_judged', 'a categorical limit needs a categorical result');
    return limit.allowedValues!.includes(reported.value) ? judged('pass') : judged('fail');
  }
  switch (reported.kind) {
    case 'value':
      return judgeValue(param, reported.value, limit, rule, u);
    case 'below':
    case 'above':
    case 'not_detected':
      return judgeBound(reported, limit);
    case 'category':
    case 'text':
      return judged('not_judged', 'a numeric limit needs a numeric result');
  }
}

export interface EvaluationRow {
  parameter: ParameterSpec;
  method?: MethodSpec;
  limits: readonly LimitSpec[];
  input: ResultInput;
}

export interface EvaluatedRow {
  parameter: string;
  reportOnly: boolean;
  method: string | null;
  reported: Reported;
  display: string;
  limit: LimitSpec | null;
  limitDisplay: string | null;
  judgement: Judgement;
}

export interface Evaluation {
  rows: EvaluatedRow[];
  /** null when not every judged row has a limit or some row cannot be judged (`overallReason` says why). */
  overall: Conformity | null;
  overallReason: string | null;
}

const unconfirmed = (param: ParameterSpec, l: LimitSpec): UnconfirmedLimit => ({
  limitId: l.id,
  parameter: param.code,
  regulation: l.regulation.code,
  confidence: l.confidence,
  label: `${param.nameVi} (${param.code}), ${l.regulation.code}${l.level ? `, mức ${l.level}` : ''}${l.grade ? `, ${l.grade}` : ''}${l.season ? `, ${l.season}` : ''}`,
});

/** Overall: any fail → fail; otherwise only when every row that is not report-only has been judged. */
export function overall(rows: readonly EvaluatedRow[]): Pick<Evaluation, 'overall' | 'overallReason'> {
  const judgedRows = rows.filter((r) => !r.reportOnly);
  const missing = judgedRows.filter((r) => !r.limit || r.limit.kind === 'none');
  if (missing.length)
    return { overall: null, overallReason: `no limit for ${missing.map((r) => r.parameter).join(', ')}` };
  if (judgedRows.some((r) => r.judgement.conformity === 'fail')) return { overall: 'fail', overallReason: null };
  const open = judgedRows.filter((r) => r.judgement.conformity === 'not_judged');
  if (open.length) return { overall: null, overallReason: `cannot judge ${open.map((r) => r.parameter).join(', ')}` };
  if (judgedRows.length === 0) return { overall: null, overallReason: 'no parameter is judged' };
  const conditional = judgedRows.some((r) => r.judgement.conformity === 'conditional');
  return { overall: conditional ? 'conditional' : 'pass', overallReason: null };
}

/**
 * The conformity engine: each result is read (replicates → mean, "< LOQ", "KPH"), the limit in force
 * selected (regulation edition on the test date, level, grade, season) and judged under the rule.
 * Throws UnconfirmedLimitError naming every selected limit not yet usable (SECONDARY / UNCERTAIN, unconfirmed).
 */
export function evaluate(rows: readonly EvaluationRow[], ctx: SelectionContext, rule: DecisionRuleInput): Evaluation {
  const selected = rows.map((row) => ({ row, selection: selectLimit(row.limits, ctx) }));
  const refused = selected.flatMap(({ row, selection: s }) =>
    s.limit && s.limit.kind !== 'none' && row.parameter.resultType !== 'report_only' && !s.limit.usable
      ? [unconfirmed(row.parameter, s.limit)]
      : [],
  );
  if (refused.length) throw new UnconfirmedLimitError(refused);
  const out = selected.map(({ row, selection }): EvaluatedRow => {
    const reported = reportResult(row.parameter, row.method, row.input);
    const limit = selection.limit;
    const why = limit ? null : selection.why;
    return {
      parameter: row.parameter.code,
      reportOnly: row.parameter.resultType === 'report_only',
      method: row.method?.code ?? null,
      reported,
      display: displayReported(reported),
      limit,
      limitDisplay: limit ? displayLimit(limit) : null,
      judgement: judge(row.parameter, reported, limit, why, rule, row.input.expandedUncertainty),
    };
  });
  return { rows: out, ...overall(out) };
}
