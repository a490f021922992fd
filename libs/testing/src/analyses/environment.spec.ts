import { checkEnvironment } from './environment.js';

const sulphur = { code: 'TCVN 6701', environmentLimits: { temperature: { min: '15', max: '30' } } };
const density = {
  code: 'TCVN 6594',
  environmentLimits: { temperature: { min: '18', max: null }, humidity: { min: null, max: '75' } },
};
const none = { code: 'TCVN 2698', environmentLimits: {} };

describe('a revision’s environment against its methods’ limits', () => {
  it('accepts what is within, bounds included', () => {
    expect(checkEnvironment({ temperature: { value: '15', unit: '°C' } }, [sulphur])).toEqual([]);
    expect(checkEnvironment({ temperature: { value: '30', unit: '°C' } }, [sulphur])).toEqual([]);
    expect(checkEnvironment(undefined, [none])).toEqual([]);
  });

  it('refuses a value outside, naming environment.<quantity> and the method', () => {
    const [p] = checkEnvironment({ temperature: { value: '30.1', unit: '°C' } }, [sulphur]);
    expect(p).toEqual({
      field: 'environment.temperature',
      message: "temperature 30.1 °C is outside method TCVN 6701's limits (15 to 30 °C)",
    });
    expect(checkEnvironment({ temperature: { value: '14,9', unit: '°C' } }, [sulphur])[0]!.field).toBe(
      'environment.temperature',
    );
  });

  it('needs every quantity a method limits to be recorded', () => {
    const problems = checkEnvironment({ temperature: { value: '25', unit: '°C' } }, [sulphur, density]);
    expect(problems).toEqual([
      {
        field: 'environment.humidity',
        message: 'humidity must be recorded: method TCVN 6594 limits it to −∞ to 75 %RH',
      },
    ]);
    expect(checkEnvironment(undefined, [sulphur])[0]!.field).toBe('environment.temperature');
  });

  it('checks against every method of the rows (the tightest wins)', () => {
    const problems = checkEnvironment(
      { temperature: { value: '16', unit: '°C' }, humidity: { value: '60', unit: '%RH' } },
      [sulphur, density],
    );
    expect(problems.map((p) => p.message)).toEqual([
      "temperature 16 °C is outside method TCVN 6594's limits (18 to +∞ °C)",
    ]);
  });

  it('converts a temperature recorded in another unit, and refuses one of another dimension', () => {
    expect(checkEnvironment({ temperature: { value: '298.15', unit: 'K' } }, [sulphur])).toEqual([]);
    expect(checkEnvironment({ temperature: { value: '95', unit: '°F' } }, [sulphur])[0]!.field).toBe(
      'environment.temperature',
    );
    expect(checkEnvironment({ humidity: { value: '60', unit: 'kPa' } }, [density])).toEqual([
      { field: 'environment.humidity.unit', message: 'humidity is recorded in %RH (got kPa)' },
    ]);
  });
});
