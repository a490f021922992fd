import { environmentProblems } from './environment-limits.js';

describe('environmentProblems (calibration’s procedure, testing’s methods)', () => {
  const limits = { temperature: { min: '18', max: '28' }, humidity: { min: null, max: '80' } };

  it('accepts values within, bounds included, and ignores unlimited quantities', () => {
    expect(environmentProblems({ temperature: '18', humidity: '80', pressure: '50' }, limits, 'the procedure')).toEqual(
      [],
    );
    expect(environmentProblems({}, { temperature: { min: null, max: null } }, 'the procedure')).toEqual([]);
  });

  it('names the field and whose limits, for a value outside or not recorded', () => {
    expect(environmentProblems({ temperature: '31.5' }, limits, 'the procedure')).toEqual([
      {
        field: 'environment.temperature',
        message: "temperature 31.5 °C is outside the procedure's limits (18 to 28 °C)",
      },
      { field: 'environment.humidity', message: 'humidity must be recorded: the procedure limits it to −∞ to 80 %RH' },
    ]);
    expect(
      environmentProblems({ temperature: 17.99, humidity: '80.01' }, limits, 'method X').map((p) => p.field),
    ).toEqual(['environment.temperature', 'environment.humidity']);
  });
});
