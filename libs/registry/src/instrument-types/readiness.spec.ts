import type { ServiceKind } from './instrument-type.entity.js';
import { serviceReadiness, typeReadiness } from './readiness.js';

const type = {
  services: ['verification_initial', 'verification_periodic', 'calibration'] as const,
  procedures: [{ code: 'ĐLVN 08', version: '2011' }],
  active: true,
  dataQuality: 'confirmed' as const,
};
const cycles = [{ effectiveFrom: '2013-11-15', cycleMonths: 12, dataQuality: 'confirmed' as const }];
const verified = {
  services: ['verification_initial', 'verification_periodic'] as ServiceKind[],
  confidence: 'VERIFIED' as const,
  confirmedAt: null,
};
const t = { ...type, services: [...type.services] };

describe('readiness of a type for a service', () => {
  it('is ready with a procedure, a cycle in force and a usable rule', () => {
    expect(serviceReadiness(t, cycles, [verified], 'verification_periodic', '2026-12-01')).toEqual({
      service: 'verification_periodic',
      ready: true,
      missing: [],
      warnings: [],
      reasons: [],
    });
  });

  it('names everything that is missing', () => {
    const r = serviceReadiness({ ...t, procedures: [] }, [], [], 'verification_initial', '2026-12-01');
    expect(r.ready).toBe(false);
    expect(r.missing).toEqual([
      'no procedure (quy trình, e.g. ĐLVN) is registered',
      'no verification cycle is in force on 2026-12-01',
      'no MPE rule for verification_initial',
    ]);
  });

  it('gives each reason as a code with the values its sentence names, missing ones first', () => {
    const uncertainType = { ...t, procedures: [], dataQuality: 'uncertain' as const };
    const secondary = { ...verified, confidence: 'SECONDARY' as const };
    const r = serviceReadiness(uncertainType, [], [secondary], 'verification_periodic', '2026-12-01');
    expect(r.reasons).toEqual([
      { code: 'no_procedure', kind: 'missing' },
      { code: 'no_cycle', kind: 'missing', date: '2026-12-01' },
      { code: 'mpe_rule_unconfirmed', kind: 'missing', confidence: 'SECONDARY' },
      { code: 'type_uncertain', kind: 'warning' },
    ]);
    expect(r.missing).toHaveLength(3);
    expect(r.warnings).toEqual(['the type’s procedure or cycle is marked uncertain in the seed data']);
    const months = serviceReadiness(
      t,
      [{ effectiveFrom: '2013-11-15', cycleMonths: 12, dataQuality: 'uncertain' as const }],
      [verified],
      'verification_initial',
      '2026-12-01',
    );
    expect(months.reasons).toEqual([{ code: 'cycle_uncertain', kind: 'warning', cycleMonths: 12 }]);
  });

  it('refuses an unconfirmed SECONDARY or UNCERTAIN rule, and accepts it once confirmed', () => {
    const secondary = { ...verified, confidence: 'SECONDARY' as const };
    expect(serviceReadiness(t, cycles, [secondary], 'verification_initial', '2026-12-01').missing).toEqual([
      'the MPE rule for verification_initial is SECONDARY and has not been confirmed by an admin',
    ]);
    expect(
      serviceReadiness(t, cycles, [{ ...secondary, confirmedAt: new Date() }], 'verification_initial', '2026-12-01')
        .ready,
    ).toBe(true);
  });

  it('takes the rule stated for the verification kind, the centre’s own first', () => {
    const periodicOnlyUncertain = [
      { services: ['verification_initial'] as ServiceKind[], confidence: 'VERIFIED' as const, confirmedAt: null },
      { services: ['verification_periodic'] as ServiceKind[], confidence: 'UNCERTAIN' as const, confirmedAt: null },
    ];
    expect(serviceReadiness(t, cycles, periodicOnlyUncertain, 'verification_initial', '2026-12-01').ready).toBe(true);
    expect(serviceReadiness(t, cycles, periodicOnlyUncertain, 'verification_periodic', '2026-12-01').ready).toBe(false);
    const centre = {
      services: ['verification_periodic'] as ServiceKind[],
      confidence: 'CENTRE' as const,
      confirmedAt: null,
    };
    expect(
      serviceReadiness(t, cycles, [...periodicOnlyUncertain, centre], 'verification_periodic', '2026-12-01').ready,
    ).toBe(true);
  });

  it('needs a cycle with months in force on the date, and warns on uncertain seed data', () => {
    const later = [{ effectiveFrom: '2027-01-01', cycleMonths: 12, dataQuality: 'confirmed' as const }];
    expect(serviceReadiness(t, later, [verified], 'verification_initial', '2026-12-01').missing).toEqual([
      'no verification cycle is in force on 2026-12-01',
    ]);
    const none = [{ effectiveFrom: '2013-11-15', cycleMonths: null, dataQuality: 'confirmed' as const }];
    expect(serviceReadiness(t, none, [verified], 'verification_initial', '2026-12-01').missing[0]).toMatch(/no months/);
    const uncertain = [{ ...cycles[0]!, dataQuality: 'uncertain' as const }];
    expect(serviceReadiness(t, uncertain, [verified], 'verification_initial', '2026-12-01')).toMatchObject({
      ready: true,
      warnings: ['the cycle in force (12 months) is uncertain seed data'],
    });
  });

  it('asks a calibration only for a procedure, and a type is ready for verification when every kind is', () => {
    expect(serviceReadiness(t, [], [], 'calibration', '2026-12-01').ready).toBe(true);
    expect(typeReadiness(t, cycles, [verified], '2026-12-01').readyForVerification).toBe(true);
    expect(
      typeReadiness(t, cycles, [{ ...verified, services: ['verification_initial'] as ServiceKind[] }], '2026-12-01')
        .readyForVerification,
    ).toBe(false);
    expect(
      typeReadiness({ ...t, services: ['calibration'] as ServiceKind[] }, cycles, [], '2026-12-01')
        .readyForVerification,
    ).toBe(false);
  });
});
