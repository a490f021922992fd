/// <reference types="jest" />
import type { components } from '../../api/schema';
import { newTerm, toBody, toDraft, type Decimals } from './draft';

// The screen's conversions in Vietnamese: a decimal comma shown, either separator typed.
const vi: Decimals = { show: (v) => v.replace('.', ','), parse: (v) => v.trim().replace(',', '.') };
const type = { unit: 'L', procedures: [{ code: 'ĐLVN 10' }] };

const saved = {
  id: 't1',
  instrumentTypeId: 'type-1',
  name: 'Cột đo xăng dầu',
  active: true,
  services: ['verification_periodic'],
  procedure: { code: 'ĐLVN 10', version: '2017' },
  unit: 'L',
  coverageProbability: '0.9545',
  points: [
    { nominal: '20', readings: 3 },
    { nominal: '2.5', readings: 2, unit: 'L' },
  ],
  components: [
    { kind: 'type_a_readings', name: 'repeatability' },
    { kind: 'reference_standard', name: 'proving can', description: 'bình chuẩn 20 L', standardId: 's1' },
    { kind: 'type_b_limits', name: 'temperature', distribution: 'triangular', halfWidth: '0.0008' },
  ],
  standardIds: ['s1'],
  environmentLimits: { temperature: { min: '5', max: '40' } },
  decisionRule: { kind: 'guarded', guardBandFactor: '0.5' },
  createdAt: '',
  createdBy: null,
  updatedAt: '',
} as unknown as components['schemas']['TemplateView'];

describe('template form ↔ API body', () => {
  it('gives back what it was given when nothing is changed, decimals through the comma', () => {
    const d = toDraft(vi, saved, type);
    expect(d.points.map((p) => p.nominal)).toEqual(['20', '2,5']);
    expect(d.env.temperature).toEqual({ min: '5', max: '40' });
    expect(d.guardBandFactor).toBe('0,5');
    const body = toBody(vi, d, 'type-1');
    expect(body).toEqual({
      instrumentTypeId: 'type-1',
      name: 'Cột đo xăng dầu',
      active: true,
      services: ['verification_periodic'],
      procedureCode: 'ĐLVN 10',
      unit: 'L',
      coverageProbability: '0.9545',
      points: [
        { nominal: '20', readings: 3 },
        { nominal: '2.5', readings: 2, unit: 'L' },
      ],
      components: saved.components,
      standardIds: ['s1'],
      environmentLimits: { temperature: { min: '5', max: '40' } },
      decisionRule: { kind: 'guarded', guardBandFactor: '0.5' },
    });
  });

  it('starts a new template from the type: its unit, its only procedure, repeatability and the standard', () => {
    const d = toDraft(vi, undefined, type);
    expect(d).toMatchObject({ unit: 'L', procedureCode: 'ĐLVN 10', coverageProbability: '0,9545', rule: 'simple' });
    expect(d.terms.map((x) => x.kind)).toEqual(['type_a_readings', 'reference_standard']);
    expect(toDraft(vi, undefined, { unit: 'kg', procedures: [{ code: 'A' }, { code: 'B' }] }).procedureCode).toBe('');
  });

  it('leaves out empty limits and a kind’s fields when the row changes kind', () => {
    const d = toDraft(vi, undefined, type);
    d.env.humidity = { min: '', max: '80' };
    d.points = [{ key: 1, nominal: '20,0', readings: '3', unit: '' }];
    // A row that was a reference standard with a description becomes limits: the old fields go.
    const old = newTerm(vi, 'reference_standard', { kind: 'reference_standard', name: 'x', description: 'gone' });
    d.terms = [{ ...newTerm(vi, 'type_b_limits'), name: 'nhiệt độ', base: old.base, numbers: { halfWidth: '0,2' } }];
    const body = toBody(vi, d, 'type-1');
    expect(body.environmentLimits).toEqual({ humidity: { min: null, max: '80' } });
    expect(body.points).toEqual([{ nominal: '20.0', readings: 3 }]);
    expect(body.components).toEqual([
      { kind: 'type_b_limits', name: 'nhiệt độ', distribution: 'rectangular', halfWidth: '0.2' },
    ]);
    expect(body.decisionRule).toEqual({ kind: 'simple' });
  });
});
