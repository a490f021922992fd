import type { CertificateData, CertificatePoint } from './calibration-result-reader.js';
import { asPercent, toCertificateDraft } from './certificate-draft.js';

const point = (
  series: 'as_found' | 'as_left',
  error: string,
  decision: CertificatePoint['decision'],
): CertificatePoint => ({
  ordinal: series === 'as_found' ? 1 : 2,
  series,
  nominal: '1',
  unit: 'MPa',
  referenceValue: '1.0000',
  indicatedMean: '1.014',
  error,
  errorUnrounded: error,
  expandedUncertainty: '0.0012',
  expandedUncertaintyUnrounded: '0.00118',
  coverageFactor: '2.00',
  coverageFactorUnrounded: '2',
  effectiveDegreesOfFreedom: null,
  mpe: '0.01',
  decision,
});

const data = (over: Partial<CertificateData> = {}): CertificateData => ({
  resultId: 'r',
  resultRevisionId: 'rv',
  revision: 1,
  revisionReason: null,
  requestItemId: 'i',
  request: {
    id: 'q',
    itemOrdinal: 0,
    place: 'lab',
    siteAddress: null,
    labelId: 'L',
    receivedAt: '2025-03-09T20:00:00.000Z',
    conditionOnReceipt: 'ok',
  },
  service: 'calibration',
  serviceKind: 'calibration',
  procedure: { code: 'ĐLVN 08', version: '2011' },
  measuredOn: '2025-03-10',
  place: 'Lab',
  environment: {
    temperature: '23',
    humidity: null,
    pressure: null,
    units: { temperature: '°C', humidity: '%RH', pressure: 'kPa' },
  },
  instrument: {
    id: 'ins',
    typeCode: 'G',
    typeNameVi: 'Áp kế',
    typeNameEn: 'Gauge',
    manufacturer: 'Wika',
    model: null,
    serialNumber: 'S1',
    accuracyClass: '1',
    rangeMin: '0',
    rangeMax: '1',
    rangeUnit: 'MPa',
    resolution: '0.001',
    resolutionUnit: 'MPa',
    placeOfUse: null,
  },
  customer: {
    id: 'org',
    name: 'Công ty A',
    taxCode: '1',
    streetAddress: '1 Trần Phú',
    ward: null,
    district: 'Nha Trang',
    province: 'Khánh Hòa',
    contacts: [],
  },
  standards: [],
  technician: { id: 't', name: 'T' },
  reviewer: { id: 'v', name: 'V' },
  approvedAt: '2025-03-11T00:00:00.000Z',
  coverageProbability: '0.9545',
  conformityRequested: true,
  decisionRule: { kind: 'simple', guardBandFactor: null, source: 'request' },
  overallOutcome: 'pass',
  adjusted: true,
  reportedSeries: 'as_left',
  asFoundOutcome: 'fail',
  points: [point('as_found', '0.0140', 'fail'), point('as_left', '0.0010', 'pass')],
  asFound: [point('as_found', '0.0140', 'fail')],
  asLeft: [point('as_left', '0.0010', 'pass')],
  ...over,
});

describe('certificate draft', () => {
  it('prints a probability as a percentage without floats', () => {
    expect(asPercent('0.9545')).toBe('95.45');
    expect(asPercent('0.95')).toBe('95');
    expect(asPercent('0.5')).toBe('50');
    expect(asPercent('0.99730')).toBe('99.73');
  });

  it('reports as left as the results and as found separately for an adjusted instrument', () => {
    const d = toCertificateDraft(data(), null);
    expect(d.content.results[0]!.rows).toEqual([
      expect.objectContaining({ error: '0.0010', mpe: '±0.01', decision: 'pass' }),
    ]);
    expect(d.content.asFound?.[0]!.rows).toEqual([expect.objectContaining({ error: '0.0140', decision: 'fail' })]);
    expect(d.content).toMatchObject({
      receiptDate: '2025-03-10', // 20:00 UTC is the next day in Viet Nam
      customer: { address: '1 Trần Phú, Nha Trang, Khánh Hòa' },
      item: { range: '0 – 1 MPa', accuracyClass: '1' },
      uncertainty: { coverageProbability: '95.45', coverageFactor: '2.00' },
      decisionRule: { rule: 'simple' },
      conformity: { decision: 'pass' },
    });
    // The renderer prints means to this resolution (libs/documents number-format.ts).
    expect(d.content.results[0]).toMatchObject({ resolution: '0.001' });
  });

  it('gives the table the resolution in the readings’ unit, and prints the item’s resolution with its unit', () => {
    const base = data();
    // A gauge resolving 1 kPa, read in MPa: means to 0.001 MPa, not to whole MPa.
    const kPa = toCertificateDraft(
      { ...base, instrument: { ...base.instrument, resolution: '1', resolutionUnit: 'kPa' } },
      null,
    );
    expect(kPa.content.results[0]).toMatchObject({ unit: 'MPa', resolution: '0.001' });
    expect(kPa.content.item.resolution).toBe('1 kPa');
    // A resolution of another quantity says nothing of the readings' digits: printed as recorded.
    const other = toCertificateDraft(
      { ...base, instrument: { ...base.instrument, resolution: '1', resolutionUnit: 'L/min' } },
      null,
    );
    expect(other.content.results[0]!.resolution).toBeUndefined();
  });

  it('states what the item was judged against in both languages, with each decimal sign', () => {
    const base = data();
    const d = toCertificateDraft(
      { ...base, instrument: { ...base.instrument, accuracyClass: '1.6', rangeMin: '0.5', rangeMax: '1600' } },
      null,
    );
    expect(d.content.conformity?.specification).toMatch(/, cấp chính xác 1,6$/);
    expect(d.content.conformity?.specificationEn).toMatch(/, accuracy class 1\.6$/);
    expect(d.content.item.range).toBe('0,5 – 1600 MPa');
  });

  it('states no MPE, decision or conformity for a calibration without a statement of conformity', () => {
    const d = toCertificateDraft(
      data({ adjusted: false, decisionRule: null, overallOutcome: null, conformityRequested: false, asLeft: [] }),
      null,
    );
    expect(d.content.results[0]!.rows[0]).not.toHaveProperty('mpe');
    expect(d.content.results[0]!.rows[0]).not.toHaveProperty('decision');
    expect(d.content).not.toHaveProperty('conformity');
    expect(d.content).not.toHaveProperty('decisionRule');
    expect(d.content).not.toHaveProperty('asFound');
  });
});
