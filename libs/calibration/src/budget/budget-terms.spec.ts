import { DomainError } from '#libs/core';
import { nearestCertificateValue, resolveTerm, toComponentInput, type TermContext } from './budget-terms.js';

const ctx: TermContext = {
  instrumentResolution: '0.005',
  standards: [
    {
      id: 's1',
      code: 'P-01',
      unit: 'MPa',
      certificate: {
        id: 'c1',
        certificateNumber: 'V08.123/24',
        values: [
          { nominal: '0.5', unit: 'MPa', expandedUncertainty: '0.0010', coverageFactor: '2' },
          { nominal: '1', unit: 'MPa', expandedUncertainty: '0.0016', coverageFactor: '2' },
          { nominal: '1', unit: 'bar', expandedUncertainty: '0.016', coverageFactor: '2' },
        ],
      },
      statedUncertainty: { expandedUncertainty: '0.002', coverageFactor: '2' },
    },
  ],
};
const point = { nominal: '0.9', unit: 'MPa', readings: ['0.902', '0.903'] };

describe('budget rows', () => {
  it("takes the reference standard's U and k from the certificate value nearest the point, in its unit", () => {
    expect(nearestCertificateValue(ctx.standards[0]!.certificate!.values, '0.7', 'MPa')?.nominal).toBe('0.5');
    const r = resolveTerm({ kind: 'reference_standard', name: 'ref' }, point, ctx, 'points[0].budget[0]');
    expect(r.input).toEqual({
      kind: 'type_b_expanded',
      name: 'ref',
      expandedUncertainty: '0.0016',
      coverageFactor: '2',
    });
    expect(r.source).toMatchObject({
      kind: 'standard_certificate',
      certificateNumber: 'V08.123/24',
      statedAtNominal: '1',
    });
  });

  it("falls back to the standard's stated U when the certificate has nothing in the point's unit", () => {
    const r = resolveTerm(
      { kind: 'reference_standard', name: 'ref' },
      { ...point, unit: 'kPa' },
      {
        ...ctx,
        standards: [{ ...ctx.standards[0]!, unit: 'kPa' }],
      },
      'p',
    );
    expect(r.input).toMatchObject({ expandedUncertainty: '0.002', coverageFactor: '2' });
    expect(r.source.kind).toBe('standard_stated');
  });

  it("uses the instrument's resolution unless the row gives one, and refuses when neither exists", () => {
    expect(resolveTerm({ kind: 'type_b_resolution', name: 'd' }, point, ctx, 'p').input).toMatchObject({
      resolution: '0.005',
    });
    expect(resolveTerm({ kind: 'type_b_resolution', name: 'd', resolution: '0.01' }, point, ctx, 'p').source.kind).toBe(
      'given',
    );
    expect(() =>
      resolveTerm(
        { kind: 'type_b_resolution', name: 'd' },
        point,
        { ...ctx, instrumentResolution: null },
        'points[1].budget[2]',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'result.budget_incomplete',
        details: { errors: [expect.objectContaining({ field: 'points[1].budget[2].resolution' })] },
      }) as DomainError,
    );
  });

  it('refuses a reference standard that is not among those used', () => {
    expect(() =>
      resolveTerm({ kind: 'reference_standard', name: 'ref', standardId: 'other' }, point, ctx, 'x'),
    ).toThrow(DomainError);
    expect(() =>
      resolveTerm({ kind: 'reference_standard', name: 'ref' }, point, { ...ctx, standards: [] }, 'x'),
    ).toThrow(DomainError);
  });

  it("turns the stored text into the maths library's numbers, readings from the point", () => {
    const r = resolveTerm({ kind: 'type_a_readings', name: 'rep', sensitivityCoefficient: '-1' }, point, ctx, 'p');
    expect(toComponentInput(r)).toEqual({
      kind: 'type_a_readings',
      name: 'rep',
      sensitivityCoefficient: -1,
      readings: [0.902, 0.903],
    });
    const l = resolveTerm(
      { kind: 'type_b_limits', name: 't', halfWidth: '0.0008', distribution: 'rectangular', degreesOfFreedom: '50' },
      point,
      ctx,
      'p',
    );
    expect(toComponentInput(l)).toEqual({
      kind: 'type_b_limits',
      name: 't',
      halfWidth: 0.0008,
      distribution: 'rectangular',
      degreesOfFreedom: 50,
    });
  });
});
