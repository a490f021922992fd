import { reportNumeric } from '../conformity/result.js';
import { convertReplicates, unitProblem } from './replicates.js';

describe('replicates in another unit', () => {
  it('converts numbers and qualified bounds with mathjs, and leaves KPH alone', () => {
    expect(convertReplicates(['0.18', '<0.0002', 'KPH'], 'g/kg', 'mg/kg')).toEqual(['180', '<0.2', 'KPH']);
    expect(convertReplicates(['12,5'], 'mL', 'L')).toEqual(['0.0125']);
    expect(convertReplicates(['35.2'], undefined, 'degC')).toEqual(['35.2']);
  });

  it('converts offsets of temperature (an absolute value, not a difference)', () => {
    expect(convertReplicates(['308.35'], 'K', '°C')).toEqual(['35.2']);
  });

  it('refuses a unit of another dimension, or one mathjs does not know', () => {
    expect(unitProblem('mg/kg', 'mg/kg')).toBeNull();
    expect(unitProblem('g/kg', 'mg/kg')).toBeNull();
    expect(unitProblem('mL', 'mg/kg')).toMatch(/does not measure/);
    expect(unitProblem('ppm', '% thể tích')).toMatch(/enter the result in % thể tích/);
  });

  it('a converted "< LOQ" replicate counts LOQ/2 in the mean and a mean below the LOQ is "< LOQ", never 0', () => {
    const param = {
      code: 'benzene',
      nameVi: 'Benzen',
      unit: 'mg/kg',
      resultType: 'numeric' as const,
      allowedValues: null,
    };
    const method = { code: 'TCVN 6703', lod: '0.1', loq: '0.2' };
    const reps = convertReplicates(['<0.0002', '0.0004'], 'g/kg', 'mg/kg');
    // (0.1 + 0.4) / 2 = 0.25 ≥ LOQ: a value, with the LOQ/2 substitution stated by the engine's rule.
    expect(reportNumeric(param, method, { replicates: reps })).toEqual({ kind: 'value', value: '0.3', replicates: 2 });
    expect(
      reportNumeric(param, method, { replicates: convertReplicates(['<0.0002', 'KPH'], 'g/kg', 'mg/kg') }),
    ).toEqual({
      kind: 'below',
      bound: '0.2',
      basis: 'loq',
    });
  });
});
