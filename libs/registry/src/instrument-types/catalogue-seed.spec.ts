import {
  canonicalJson,
  loadShippedCatalogue,
  parseProcedures,
  parseVerificationTypes,
  readCatalogueSeed,
} from './catalogue-seed.js';

describe('reading the catalogue CSV', () => {
  it('maps verification kinds and type approval, ignoring remarks in brackets', () => {
    expect(parseVerificationTypes('PDM; ban đầu; định kỳ; bất thường/sau sửa chữa')).toEqual({
      services: ['verification_initial', 'verification_periodic', 'verification_after_repair'],
      typeApprovalRequired: true,
    });
    expect(parseVerificationTypes('PDM; ban đầu (periodic not shown in excerpt)')).toEqual({
      services: ['verification_initial'],
      typeApprovalRequired: true,
    });
    expect(parseVerificationTypes('REMOVED from list by TT 03/2024').services).toBeNull();
  });

  it('reads procedure codes with their edition and remarks', () => {
    expect(parseProcedures('ĐLVN 01:2019 (UNCERTAIN); ĐLVN 118:2020 is the type-testing procedure')).toEqual([
      { code: 'ĐLVN 01', version: '2019', note: 'UNCERTAIN' },
      { code: 'ĐLVN 118', version: '2020', note: 'is the type-testing procedure' },
    ]);
    expect(parseProcedures('ĐLVN 30:2019 / ĐLVN 30:2021')).toEqual([
      { code: 'ĐLVN 30', version: '2019' },
      { code: 'ĐLVN 30', version: '2021' },
    ]);
    expect(parseProcedures('ĐLVN 16 (UNCERTAIN edition)')).toEqual([{ code: 'ĐLVN 16', note: 'UNCERTAIN edition' }]);
    expect(parseProcedures('')).toEqual([]);
    expect(() => parseProcedures('OIML R 117')).toThrow(/not of the form/);
  });

  it('refuses an overlay whose latest cycle contradicts the CSV, or that misses a row', () => {
    const csv =
      'name_vi,name_en,measured_quantity,verification_types,cycle_months,procedure_code,source\nTaximet,Taximeter,fare,ban đầu; định kỳ,18,,VERIFIED\n';
    const overlay = (months: number) =>
      JSON.stringify({
        types: {
          Taximeter: {
            code: 'TAXIMETER',
            unit: 'km',
            cycles: [{ months, from: '2024-10-15', quality: 'confirmed', basis: 'x' }],
          },
        },
      });
    expect(readCatalogueSeed(csv, overlay(18))[0]).toMatchObject({
      code: 'TAXIMETER',
      dataQuality: 'confirmed',
      typeApprovalRequired: false,
    });
    expect(() => readCatalogueSeed(csv, overlay(12))).toThrow(/latest cycle \(12\) is not the CSV's \(18\)/);
    expect(() => readCatalogueSeed(csv, JSON.stringify({ types: {} }))).toThrow(
      /no entry in instrument-types.overlay.json/,
    );
  });
});

describe('the shipped catalogue', () => {
  const seed = loadShippedCatalogue();
  const byCode = new Map(seed.map((t) => [t.code, t]));

  it('has every row of the CSV, with unique codes', () => {
    expect(seed).toHaveLength(29);
    expect(byCode.size).toBe(29);
  });

  it('keeps the taximeter history: 12 months from 2013-11-15 (uncertain), 18 from 2024-10-15 (confirmed)', () => {
    expect(byCode.get('TAXIMETER')!.cycles).toEqual([
      expect.objectContaining({ cycleMonths: 12, effectiveFrom: '2013-11-15', dataQuality: 'uncertain' }),
      expect.objectContaining({ cycleMonths: 18, effectiveFrom: '2024-10-15', dataQuality: 'confirmed' }),
    ]);
  });

  it('keeps UNCERTAIN visible and the source note with it', () => {
    const fuel = byCode.get('FUEL_DISPENSER')!;
    expect(fuel.dataQuality).toBe('uncertain');
    expect(fuel.sourceNote).toMatch(/^UNCERTAIN cycle/);
    expect(fuel.procedures).toEqual([{ code: 'ĐLVN 10', version: '2017' }]);
    expect(byCode.get('TOTAL_STATION')!.dataQuality).toBe('confirmed');
    // The taximeter's cycle is confirmed, its procedure code is not: the type says uncertain.
    expect(byCode.get('TAXIMETER')!.dataQuality).toBe('uncertain');
  });

  it('seeds no cycle where the CSV gives none but lists periodic verification', () => {
    expect(byCode.get('SCALE_PLATFORM')!.cycles).toEqual([]);
    expect(byCode.get('MEASURING_TAPE')!.cycles).toEqual([expect.objectContaining({ cycleMonths: null })]);
  });

  it('marks the type removed by TT 03/2024 inactive', () => {
    expect(byCode.get('ENERGY_METER_INDUCTION_1P')).toMatchObject({ active: false, services: [] });
  });
});

describe('canonicalJson', () => {
  it('ignores key order, not array order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 1, x: 2 }] })).toBe(canonicalJson({ a: [{ x: 2, y: 1 }], b: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
