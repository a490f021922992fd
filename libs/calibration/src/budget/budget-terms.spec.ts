import { DomainError } from '#libs/core';
import {
  certificateUncertaintyAt,
  resolveTerm,
  toComponentInput,
  type CertificateValue,
  type TermContext,
} from './budget-terms.js';

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
  it("takes the reference standard's U and k as stated where the certificate has the point's nominal", () => {
    const r = resolveTerm(
      { kind: 'reference_standard', name: 'ref' },
      { ...point, nominal: '1.0' },
      ctx,
      'points[0].budget[0]',
    );
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

  it("interpolates the standard's U between its calibrated points, never the nearest value, and says which", () => {
    // 0.9 MPa lies 4/5 of the way from 0.5 (U 0.0010) to 1 (U 0.0016): U = 0.00148, not the nearest 0.0016.
    const r = resolveTerm({ kind: 'reference_standard', name: 'ref' }, point, ctx, 'points[0].budget[0]');
    expect(r.input).toEqual({
      kind: 'type_b_expanded',
      name: 'ref',
      expandedUncertainty: '0.00148',
      coverageFactor: '2',
    });
    expect(r.source).toEqual({
      kind: 'standard_certificate_interpolated',
      standardId: 's1',
      standardCode: 'P-01',
      certificateId: 'c1',
      certificateNumber: 'V08.123/24',
      interpolatedBetween: [
        { nominal: '0.5', expandedUncertainty: '0.0010', coverageFactor: '2' },
        { nominal: '1', expandedUncertainty: '0.0016', coverageFactor: '2' },
      ],
    });
  });

  it('interpolates u = U/k where the two points state different k, and states it with the larger k', () => {
    const values: CertificateValue[] = [
      { nominal: '10', unit: 'g', expandedUncertainty: '0.02', coverageFactor: '2' },
      { nominal: '20', unit: 'g', expandedUncertainty: '0.06', coverageFactor: '3' },
    ];
    // u: 0.01 at 10 g, 0.02 at 20 g → 0.015 at 15 g → U = 0.045 with k = 3 (u = U/k = 0.015 exactly).
    expect(certificateUncertaintyAt(values, '15', 'g')).toMatchObject({
      kind: 'interpolated',
      expandedUncertainty: '0.045',
      coverageFactor: '3',
    });
    // Certificate values need not be listed in order.
    expect(certificateUncertaintyAt([values[1]!, values[0]!], '12.5', 'g')).toMatchObject({
      kind: 'interpolated',
      expandedUncertainty: '0.0375',
    });
  });

  it('refuses a point outside the calibrated points, naming the row, the standard and its range', () => {
    expect(certificateUncertaintyAt(ctx.standards[0]!.certificate!.values, '1.2', 'MPa')).toEqual({
      kind: 'outside',
      range: { min: '0.1', max: '1' }, // 1 bar is 0.1 MPa: a calibrated point of the same quantity
    });
    for (const nominal of ['0.05', '1.2']) {
      expect(() =>
        resolveTerm({ kind: 'reference_standard', name: 'ref' }, { ...point, nominal }, ctx, 'points[3].budget[1]'),
      ).toThrow(
        expect.objectContaining({
          code: 'result.standard_outside_calibrated_range',
          details: {
            errors: [
              {
                field: 'points[3].budget[1]',
                message: expect.stringContaining('standard P-01 (0.1 to 1 MPa)') as string,
              },
            ],
          },
        }) as DomainError,
      );
    }
    // A single calibrated point is a range of one value.
    expect(certificateUncertaintyAt(ctx.standards[0]!.certificate!.values, '20', 'bar').kind).toBe('outside');
    expect(certificateUncertaintyAt(ctx.standards[0]!.certificate!.values, '1', 'kg').kind).toBe('none');
  });

  it("falls back to the standard's stated U when the certificate has nothing in the point's unit", () => {
    const r = resolveTerm(
      { kind: 'reference_standard', name: 'ref' },
      { ...point, unit: '%FS' },
      {
        ...ctx,
        standards: [{ ...ctx.standards[0]!, unit: '%FS' }],
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

describe('a standard calibrated in another unit of the same quantity', () => {
  const grams: CertificateValue[] = [
    { nominal: '1000', unit: 'g', expandedUncertainty: '0.5', coverageFactor: '2' },
    { nominal: '5000', unit: 'g', expandedUncertainty: '2.5', coverageFactor: '2' },
  ];

  it('is converted to the point unit: nominal as a value, U as a difference', () => {
    expect(certificateUncertaintyAt(grams, '1', 'kg')).toMatchObject({
      kind: 'exact',
      expandedUncertainty: '0.0005',
      coverageFactor: '2',
    });
    expect(certificateUncertaintyAt(grams, '3', 'kg')).toMatchObject({
      kind: 'interpolated',
      expandedUncertainty: '0.0015',
    });
    expect(certificateUncertaintyAt(grams, '6', 'kg')).toMatchObject({
      kind: 'outside',
      range: { min: '1', max: '5' },
    });
  });

  it('keeps °C offsets off the uncertainty and on the nominal', () => {
    const kelvin: CertificateValue[] = [
      { nominal: '303.15', unit: 'K', expandedUncertainty: '0.05', coverageFactor: '2' },
    ];
    expect(certificateUncertaintyAt(kelvin, '30', '°C')).toMatchObject({ kind: 'exact', expandedUncertainty: '0.05' });
  });

  it('ignores values of another quantity', () => {
    expect(certificateUncertaintyAt(grams, '1', 'L')).toEqual({ kind: 'none' });
  });
});
