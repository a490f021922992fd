import {
  rangeCovers,
  reviewDate,
  reviewItem,
  reviewSampleItem,
  sameQuantity,
  type ReviewSubject,
  type StandardOnDate,
} from './contract-review.js';

const subject = (o: Partial<ReviewSubject> = {}): ReviewSubject => ({
  type: {
    code: 'FUEL_DISPENSER',
    measuredQuantity: 'volume',
    unit: 'L',
    services: ['verification_periodic', 'calibration'],
    active: true,
  },
  service: 'verification_periodic',
  instrument: { rangeMax: '60', rangeUnit: 'L/min' },
  ...o,
});

const standard = (o: Partial<StandardOnDate> = {}): StandardOnDate => ({
  id: 's-1',
  code: 'BC-20L',
  quantity: 'Volume ',
  unit: 'L',
  rangeMax: '20',
  usable: true,
  reasons: [],
  ...o,
});

describe('contract review of one item', () => {
  it('can do it with a usable standard of the quantity and an authorised technician', () => {
    expect(reviewItem(subject(), [standard()], ['t-1', 't-2'], '2025-06-02')).toEqual({
      doable: true,
      findings: [],
      standards: ['BC-20L'],
      technicians: 2,
    });
  });

  it('says why it cannot: no standard of the quantity, nobody authorised', () => {
    const r = reviewItem(subject(), [standard({ quantity: 'mass' })], [], '2025-06-02');
    expect(r.doable).toBe(false);
    expect(r.findings.map((f) => f.code)).toEqual(['no_standard', 'no_authorised_technician']);
    expect(r.findings[1]!.message).toMatch(/verification_periodic on FUEL_DISPENSER on 2025-06-02/);
  });

  it('names the unusable standards and why', () => {
    const r = reviewItem(
      subject(),
      [standard({ usable: false, reasons: ['calibration_overdue'] })],
      ['t-1'],
      '2025-06-02',
    );
    expect(r.findings).toEqual([
      {
        code: 'no_usable_standard',
        quantity: 'volume',
        date: '2025-06-02',
        standards: [{ code: 'BC-20L', reasons: ['calibration_overdue'] }],
        message: expect.stringMatching(/BC-20L \(calibration_overdue\)/),
      },
    ]);
  });

  it('refuses a range the standards do not reach, in the same unit', () => {
    const s = subject({ instrument: { rangeMax: '300', rangeUnit: 'L' } });
    expect(reviewItem(s, [standard({ rangeMax: '200' })], ['t-1'], '2025-06-02').findings).toEqual([
      {
        code: 'standard_range_insufficient',
        quantity: 'volume',
        rangeMax: '300',
        unit: 'L',
        message: "no standard of volume reaches the instrument's maximum 300 L",
      },
    ]);
    expect(
      reviewItem(s, [standard({ rangeMax: '200' }), standard({ code: 'BC-500L', rangeMax: '500' })], ['t-1'], 'd'),
    ).toMatchObject({
      doable: true,
      standards: ['BC-500L'],
    });
  });

  it('refuses a service the type does not offer, and a type taken off the catalogue', () => {
    const s = subject({ service: 'testing', type: { ...subject().type, active: false } });
    expect(reviewItem(s, [standard()], ['t-1'], 'd').findings.map((f) => f.code)).toEqual([
      'type_inactive',
      'service_not_offered',
    ]);
  });
});

describe('matching rule', () => {
  it('compares quantities trimmed and without case', () => {
    expect(sameQuantity(' Volume', 'volume')).toBe(true);
    expect(sameQuantity('volume', 'mass')).toBe(false);
  });

  it('compares ranges only in the same unit; an unstated maximum covers', () => {
    expect(rangeCovers({ unit: 'L', rangeMax: '20' }, subject())).toBe(true); // L/min vs L
    const inL = subject({ instrument: { rangeMax: '20.5', rangeUnit: null } }); // the type's unit, L
    expect(rangeCovers({ unit: 'L', rangeMax: '20' }, inL)).toBe(false);
    expect(rangeCovers({ unit: 'l', rangeMax: '20.5' }, inL)).toBe(true);
    expect(rangeCovers({ unit: 'L', rangeMax: null }, inL)).toBe(true);
    expect(
      rangeCovers({ unit: 'L', rangeMax: '1' }, subject({ instrument: { rangeMax: null, rangeUnit: null } })),
    ).toBe(true);
  });

  it('reviews on the preferred date while it is ahead, else today', () => {
    expect(reviewDate('2025-07-01', '2025-06-02')).toBe('2025-07-01');
    expect(reviewDate('2025-05-01', '2025-06-02')).toBe('2025-06-02');
    expect(reviewDate(null, '2025-06-02')).toBe('2025-06-02');
  });

  it('reviews a sample on who may perform testing only', () => {
    expect(reviewSampleItem(['u1'], '2026-12-01')).toEqual({
      doable: true,
      findings: [],
      standards: [],
      technicians: 1,
    });
    expect(reviewSampleItem([], '2026-12-01')).toMatchObject({
      doable: false,
      findings: [
        { code: 'no_authorised_technician', message: 'nobody is authorised to perform testing on 2026-12-01' },
      ],
    });
  });
});
