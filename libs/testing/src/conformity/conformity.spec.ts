import { evaluate, judge, overall, type DecisionRuleInput, type EvaluationRow } from './conformity.js';
import { ResultInputError, UnconfirmedLimitError } from './errors.js';
import { displayReported, reportResult, type MethodSpec, type ParameterSpec } from './result.js';
import { inSeason, selectLimit, type LimitSpec } from './selection.js';

const QCVN = { code: 'QCVN 01:2022/BKHCN', inForceFrom: '2023-02-01', inForceTo: null };
const OLD = { code: 'QCVN 1:2015/BKHCN', inForceFrom: null, inForceTo: '2023-01-31' };
const SIMPLE: DecisionRuleInput = { kind: 'simple' };

let n = 0;
function limit(over: Partial<LimitSpec>): LimitSpec {
  return {
    id: `limit-${++n}`,
    parameterCode: 'x',
    regulation: QCVN,
    level: null,
    grade: null,
    season: null,
    seasonFrom: null,
    seasonTo: null,
    kind: 'max',
    min: null,
    max: null,
    allowedValues: null,
    limitText: null,
    confidence: 'VERIFIED',
    usable: true,
    ...over,
  };
}
const numeric = (code = 'x', over: Partial<ParameterSpec> = {}): ParameterSpec => ({
  code,
  nameVi: code,
  unit: 'mg/kg',
  resultType: 'numeric_with_qualifier',
  allowedValues: null,
  ...over,
});
const method = (loq: string | null, lod: string | null = null): MethodSpec => ({ code: 'M', loq, lod });

/** One value judged against one limit. */
function verdict(l: LimitSpec, replicates: string[], m?: MethodSpec, rule = SIMPLE, u?: string) {
  const p = numeric();
  return judge(p, reportResult(p, m, { replicates }), l, null, rule, u).conformity;
}

describe('limit kinds at their edges (simple acceptance: on the limit conforms)', () => {
  it('max: equal passes, above fails', () => {
    const l = limit({ kind: 'max', max: '10' });
    expect(verdict(l, ['10.0'])).toBe('pass');
    expect(verdict(l, ['10'])).toBe('pass');
    expect(verdict(l, ['10.1'])).toBe('fail');
    expect(verdict(l, ['10.4'])).toBe('fail');
  });

  it('min: equal passes, below fails (RON 95: 94.8 fails)', () => {
    const l = limit({ kind: 'min', min: '95' });
    expect(verdict(l, ['95.0'])).toBe('pass');
    expect(verdict(l, ['94.8'])).toBe('fail');
  });

  it('range: both bounds inclusive (viscosity 2.0–4.5)', () => {
    const l = limit({ kind: 'range', min: '2.0', max: '4.5' });
    expect(verdict(l, ['2.0'])).toBe('pass');
    expect(verdict(l, ['4.5'])).toBe('pass');
    expect(verdict(l, ['1.99'])).toBe('fail');
    expect(verdict(l, ['4.51'])).toBe('fail');
  });

  it('a negative value against a maximum (pour point −6 °C ≤ +3)', () => {
    expect(verdict(limit({ kind: 'max', max: '3' }), ['-6'])).toBe('pass');
    expect(verdict(limit({ kind: 'max', max: '3' }), ['3.1'])).toBe('fail');
  });

  it('categorical set: in the set passes, off it fails, off the scale is refused', () => {
    const p: ParameterSpec = { ...numeric('copper'), resultType: 'categorical', allowedValues: ['1a', '1b', '2a'] };
    const l = limit({ kind: 'categorical_set', allowedValues: ['1a', '1b'] });
    expect(judge(p, reportResult(p, undefined, { value: '1b' }), l, null, SIMPLE).conformity).toBe('pass');
    expect(judge(p, reportResult(p, undefined, { value: '2A' }), l, null, SIMPLE).conformity).toBe('fail');
    expect(() => reportResult(p, undefined, { value: '5' })).toThrow(ResultInputError);
  });

  it('none: listed without a value, never judged', () => {
    const j = judge(
      numeric(),
      { kind: 'value', value: '1', replicates: 1 },
      limit({ kind: 'none', limitText: 'limit NOT read' }),
      null,
      SIMPLE,
    );
    expect(j).toMatchObject({ conformity: 'not_judged', reason: 'no limit value: limit NOT read' });
  });

  it('report-only rows are never judged, whatever the limit', () => {
    const p = numeric('ibp', { resultType: 'report_only' });
    expect(
      judge(p, reportResult(p, undefined, { replicates: ['35'] }), limit({ kind: 'max', max: '1' }), null, SIMPLE)
        .conformity,
    ).toBe('not_judged');
  });
});

describe('replicates, means and the LOQ', () => {
  const p = numeric();

  it('the mean carries the decimals of the most precise replicate, computed exactly', () => {
    expect(reportResult(p, undefined, { replicates: ['0.1', '0.2'] })).toEqual({
      kind: 'value',
      value: '0.2',
      replicates: 2,
    });
    expect(reportResult(p, undefined, { replicates: ['162', '165'] })).toMatchObject({ value: '164' });
    expect(reportResult(p, undefined, { replicates: ['10.05', '10.0'] })).toMatchObject({ value: '10.03' });
    expect(reportResult(p, undefined, { replicates: ['-6', '-7'] })).toMatchObject({ value: '-7' });
  });

  it('a result below the LOQ is reported "< LOQ", never 0', () => {
    const r = reportResult(p, method('0.2'), { replicates: ['0.05'] });
    expect(r).toEqual({ kind: 'below', bound: '0.2', basis: 'loq' });
    expect(displayReported(r)).toBe('< 0,2');
    expect(displayReported(reportResult(p, method('0.2'), { replicates: ['0'] }))).toBe('< 0,2');
    expect(displayReported(reportResult(p, method('0.2'), { replicates: ['<0.2', '<0.2'] }))).toBe('< 0,2');
  });

  it('below-LOQ replicates count LOQ/2 in a mean (EU 2009/90/EC Art. 5)', () => {
    // (0.10 + 0.30) / 2 = 0.20 ≥ LOQ: a value. Counting the "<0.2" as 0 would give 0.15, "< LOQ".
    expect(reportResult(p, method('0.2'), { replicates: ['<0.2', '0.30'] })).toMatchObject({ value: '0.20' });
    // 0.1 is below the LOQ, so it counts 0.10: (0.10 + 0.25) / 2 = 0.175 < LOQ → "< 0.2", not a mean of 0.18.
    expect(reportResult(p, method('0.2'), { replicates: ['0.1', '0.25'] })).toEqual({
      kind: 'below',
      bound: '0.2',
      basis: 'loq',
    });
  });

  it('all "KPH" is not detected; "KPH" among values needs the LOQ', () => {
    expect(displayReported(reportResult(p, method('0.2', '0.05'), { replicates: ['KPH', 'KPH'] }))).toBe('KPH');
    expect(() => reportResult(p, undefined, { replicates: ['KPH', '1.0'] })).toThrow(/needs the method’s LOQ/);
    expect(() => reportResult(p, undefined, { replicates: ['abc'] })).toThrow(ResultInputError);
    expect(() => reportResult(p, undefined, { replicates: ['1e-99999999'] })).toThrow(ResultInputError);
    expect(() => reportResult(p, undefined, { replicates: ['<1e400'] })).toThrow(ResultInputError);
    expect(reportResult(p, undefined, { replicates: ['2,5'] })).toMatchObject({ value: '2.5' });
  });
});

describe('"< LOQ" and "KPH" in conformity', () => {
  it('LOQ at or below a maximum: passes; LOQ above it: cannot judge, and says why', () => {
    expect(verdict(limit({ kind: 'max', max: '10' }), ['<1'], method('1'))).toBe('pass');
    expect(verdict(limit({ kind: 'max', max: '10' }), ['0.5'], method('10'))).toBe('pass');
    const p = numeric();
    const j = judge(
      p,
      reportResult(p, method('20'), { replicates: ['5'] }),
      limit({ kind: 'max', max: '10' }),
      null,
      SIMPLE,
    );
    expect(j.conformity).toBe('not_judged');
    expect(j.reason).toMatch(/LOQ \(20\) is above the limit ≤ 10: cannot judge/);
  });

  it('below the LOQ against a minimum: fails when the LOQ is at or below it, else cannot judge', () => {
    expect(verdict(limit({ kind: 'min', min: '46' }), ['<40'])).toBe('fail');
    expect(verdict(limit({ kind: 'min', min: '46' }), ['<50'])).toBe('not_judged');
    expect(verdict(limit({ kind: 'range', min: '4', max: '5' }), ['<4'])).toBe('fail');
    expect(verdict(limit({ kind: 'range', min: '4', max: '5' }), ['<4.5'])).toBe('not_judged');
  });

  it('"> x" decides only at or beyond the limit', () => {
    expect(verdict(limit({ kind: 'max', max: '40' }), ['>40'])).toBe('fail');
    expect(verdict(limit({ kind: 'max', max: '40' }), ['>30'])).toBe('not_judged');
    expect(verdict(limit({ kind: 'min', min: '480' }), ['>480'])).toBe('pass');
  });

  it('not detected passes a maximum at or above the LOD; without an LOD it cannot be judged', () => {
    expect(verdict(limit({ kind: 'max', max: '10' }), ['KPH'], method(null, '0.5'))).toBe('pass');
    expect(verdict(limit({ kind: 'max', max: '10' }), ['KPH'], method(null, null))).toBe('not_judged');
  });
});

describe('ILAC-G8 guarded acceptance (w = U)', () => {
  const l = limit({ kind: 'max', max: '10' });
  const guarded: DecisionRuleInput = { kind: 'guarded' };
  it('pass / conditional / fail by the guard band', () => {
    expect(verdict(l, ['9.0'], undefined, guarded, '0.5')).toBe('pass');
    expect(verdict(l, ['9.8'], undefined, guarded, '0.5')).toBe('conditional');
    expect(verdict(l, ['10.3'], undefined, guarded, '0.5')).toBe('conditional');
    expect(verdict(l, ['10.6'], undefined, guarded, '0.5')).toBe('fail');
  });
  it('needs U', () => {
    expect(() => verdict(l, ['9.0'], undefined, guarded)).toThrow(/guarded decision rule needs U/);
  });
});

describe('which limit applies', () => {
  const ctx = { testDate: '2026-01-15', level: '3', grade: '95', regulations: [QCVN.code, OLD.code] };

  it('the declared grade at the level: RON 95 at mức 3 → ≥ 95', () => {
    const rows = [
      limit({ level: '3', grade: '92', kind: 'min', min: '92' }),
      limit({ level: '3', grade: '95', kind: 'min', min: '95' }),
      limit({ level: '2', grade: '95', kind: 'min', min: '95.5' }),
    ];
    expect(selectLimit(rows, ctx)).toMatchObject({ limit: { min: '95', level: '3', grade: '95' } });
    expect(selectLimit(rows, { ...ctx, grade: undefined })).toEqual({
      limit: null,
      why: 'the limit depends on the declared grade; none was given',
    });
  });

  it('the season of the test date: diesel pour point +3 in winter, +12 in summer', () => {
    const rows = [
      limit({ season: 'summer', seasonFrom: '04-01', seasonTo: '10-31', max: '12' }),
      limit({ season: 'winter', seasonFrom: '11-01', seasonTo: '03-31', max: '3' }),
    ];
    expect(selectLimit(rows, { ...ctx, testDate: '2026-01-15' })).toMatchObject({ limit: { max: '3' } });
    expect(selectLimit(rows, { ...ctx, testDate: '2025-11-01' })).toMatchObject({ limit: { max: '3' } });
    expect(selectLimit(rows, { ...ctx, testDate: '2026-03-31' })).toMatchObject({ limit: { max: '3' } });
    expect(selectLimit(rows, { ...ctx, testDate: '2026-04-01' })).toMatchObject({ limit: { max: '12' } });
    expect(inSeason('11-01', '03-31', '2026-10-31')).toBe(false);
  });

  it('the regulation edition in force on the test date', () => {
    const rows = [limit({ regulation: OLD, max: '3.7' })];
    expect(selectLimit(rows, { ...ctx, testDate: '2023-01-31' })).toMatchObject({ limit: { max: '3.7' } });
    expect(selectLimit(rows, { ...ctx, testDate: '2023-02-01' })).toEqual({
      limit: null,
      why: 'no regulation edition with a limit is in force on 2023-02-01 (QCVN 1:2015/BKHCN)',
    });
  });

  it('a level-specific limit over a general one', () => {
    const rows = [limit({ max: '500' }), limit({ level: '3', max: '150' })];
    expect(selectLimit(rows, ctx)).toMatchObject({ limit: { max: '150' } });
  });
});

describe('evaluate', () => {
  const ctx = { testDate: '2026-01-15', level: '3', grade: '95', regulations: [QCVN.code] };
  const row = (
    code: string,
    limits: LimitSpec[],
    replicates: string[],
    over: Partial<ParameterSpec> = {},
    m?: MethodSpec,
  ): EvaluationRow => ({
    parameter: numeric(code, over),
    method: m,
    limits,
    input: { replicates },
  });

  it('refuses an UNCERTAIN limit until confirmed, naming it', () => {
    const uncertain = limit({ kind: 'range', min: '43', max: '75', confidence: 'UNCERTAIN', usable: false });
    let error: unknown;
    try {
      evaluate([row('vapour_pressure', [uncertain], ['60'])], ctx, SIMPLE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnconfirmedLimitError);
    expect((error as UnconfirmedLimitError).limits).toEqual([
      expect.objectContaining({ limitId: uncertain.id, parameter: 'vapour_pressure', confidence: 'UNCERTAIN' }),
    ]);
    expect((error as Error).message).toContain(uncertain.id);
    const confirmed = evaluate([row('vapour_pressure', [{ ...uncertain, usable: true }], ['60'])], ctx, SIMPLE);
    expect(confirmed.rows[0]!.judgement.conformity).toBe('pass');
  });

  it('overall: a fail fails; report-only rows are left out; a row without a limit withholds the statement', () => {
    const sulphur = row('sulphur', [limit({ level: '3', max: '150' })], ['180']);
    const benzene = row('benzene', [limit({ level: '3', max: '2.5' })], ['0.1'], {}, method('0.2'));
    const ibp = row('ibp', [limit({ kind: 'none', limitText: 'Báo cáo' })], ['35'], { resultType: 'report_only' });
    const failed = evaluate([sulphur, benzene, ibp], ctx, SIMPLE);
    expect(failed.rows.map((r) => [r.parameter, r.display, r.judgement.conformity])).toEqual([
      ['sulphur', '180', 'fail'],
      ['benzene', '< 0,2', 'pass'],
      ['ibp', '35', 'not_judged'],
    ]);
    expect(failed.overall).toBe('fail');
    const passed = evaluate([row('sulphur', [limit({ level: '3', max: '150' })], ['120']), benzene, ibp], ctx, SIMPLE);
    expect(passed.overall).toBe('pass');
    const missing = evaluate(
      [row('sulphur', [limit({ level: '3', max: '150' })], ['120']), row('mystery', [], ['1'])],
      ctx,
      SIMPLE,
    );
    expect(missing).toMatchObject({ overall: null, overallReason: 'no limit for mystery' });
    expect(overall([])).toEqual({ overall: null, overallReason: 'no parameter is judged' });
  });
});

describe('edges of the reported mean (part B: what the report prints is what is judged)', () => {
  const loq = method('0.2');

  it('a mean rounded onto a maximum passes; rounded above it fails', () => {
    const l = limit({ kind: 'max', max: '10' });
    expect(verdict(l, ['9.9', '10.1'])).toBe('pass'); // 10.0
    expect(verdict(l, ['10.0', '10.1'])).toBe('fail'); // 10.05 → 10.1 (half away from zero)
    expect(verdict(l, ['10.04', '10.05'])).toBe('fail'); // 10.045 → 10.05
  });

  it('a mean rounded onto a minimum passes; rounded below it fails', () => {
    const l = limit({ kind: 'min', min: '95' });
    expect(verdict(l, ['94.9', '95.1'])).toBe('pass');
    expect(verdict(l, ['94.9', '95.0'])).toBe('pass'); // 94.95 → 95.0: on the minimum
    expect(verdict(l, ['94.8', '95.0'])).toBe('fail'); // 94.9
  });

  it('a range is inclusive at both ends for a mean too', () => {
    const l = limit({ kind: 'range', min: '2.0', max: '4.5' });
    expect(verdict(l, ['1.9', '2.1'])).toBe('pass');
    expect(verdict(l, ['4.4', '4.6'])).toBe('pass');
    expect(verdict(l, ['4.5', '4.7'])).toBe('fail');
    expect(verdict(l, ['1.8', '2.0'])).toBe('fail');
  });

  it('"< LOQ" in a mean: LOQ/2 counts; a mean landing on the LOQ is a value, just under it is "< LOQ"', () => {
    const p = numeric();
    expect(reportResult(p, loq, { replicates: ['<0.2', '0.30'] })).toEqual({
      kind: 'value',
      value: '0.20',
      replicates: 2,
    });
    expect(reportResult(p, loq, { replicates: ['<0.2', '0.29'] })).toEqual({
      kind: 'below',
      bound: '0.2',
      basis: 'loq',
    });
    expect(displayReported(reportResult(p, loq, { replicates: ['<0.2', '0.29'] }))).toBe('< 0,2');
    // A measured replicate under the LOQ is censored like a "<" one.
    expect(reportResult(p, loq, { replicates: ['0.15', '0.35'] })).toEqual({
      kind: 'value',
      value: '0.23',
      replicates: 2,
    });
  });

  it('"< LOQ" against each limit kind: decided only where every value below the LOQ decides alike', () => {
    expect(verdict(limit({ kind: 'max', max: '0.2' }), ['<0.2'], loq)).toBe('pass'); // LOQ on the maximum
    expect(verdict(limit({ kind: 'max', max: '0.19' }), ['<0.2'], loq)).toBe('not_judged');
    expect(verdict(limit({ kind: 'min', min: '0.2' }), ['<0.2'], loq)).toBe('fail'); // every value below the minimum
    expect(verdict(limit({ kind: 'min', min: '0.1' }), ['<0.2'], loq)).toBe('not_judged');
    expect(verdict(limit({ kind: 'range', min: '0', max: '0.5' }), ['<0.2'], loq)).toBe('not_judged');
    expect(verdict(limit({ kind: 'none', limitText: 'Báo cáo' }), ['<0.2'], loq)).toBe('not_judged');
  });
});
