/// <reference types="jest" />
import { newDraft, technicalValue, toItem, type ItemDraft } from './walk-in';

describe('a walk-in line as the API item', () => {
  it("sends a new instrument's technical data, decimals with '.', and leaves out what was not typed", () => {
    const d = newDraft('new') as Extract<ItemDraft, { kind: 'new' }>;
    const line: ItemDraft = {
      ...d,
      instrumentTypeId: 'type-1',
      manufacturer: ' Tatsuno ',
      serialNumber: 'TS-1',
      service: 'verification_initial',
      accuracyClass: '0,5',
      rangeMin: '0',
      rangeMax: '1 000,5',
      rangeUnit: ' L/min ',
      resolution: '',
    };
    expect(toItem(line)).toEqual({
      instrument: {
        instrumentTypeId: 'type-1',
        manufacturer: ' Tatsuno ',
        serialNumber: 'TS-1',
        model: undefined,
        accuracyClass: '0.5',
        rangeMin: '0',
        rangeMax: '1000.5',
        rangeUnit: 'L/min',
      },
      service: 'verification_initial',
    });
  });

  it('keeps an accuracy class that is not a plain number as typed', () => {
    expect(technicalValue('accuracyClass', ' II ')).toBe('II');
    expect(technicalValue('accuracyClass', 'Class 0,5')).toBe('Class 0,5');
    expect(technicalValue('resolution', '0,01')).toBe('0.01');
  });

  it('sends a registered instrument by id', () => {
    const d = { ...(newDraft('registered') as Extract<ItemDraft, { kind: 'registered' }>), instrumentId: 'i-1' };
    expect(toItem({ ...d, service: 'calibration' })).toEqual({ instrumentId: 'i-1', service: 'calibration' });
  });
});
