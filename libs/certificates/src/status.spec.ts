import { certificateStatus, currentAmong, standingOf } from './status.js';

describe('certificateStatus', () => {
  const today = '2026-03-12';
  const base = { kind: 'verification' as const, revokedAt: null, superseded: false, validUntil: null };

  it('is valid without an end date (calibration) or until the end date, inclusive', () => {
    expect(certificateStatus(base, today)).toBe('valid');
    expect(certificateStatus({ ...base, validUntil: '2026-03-12' }, today)).toBe('valid');
    expect(certificateStatus({ ...base, validUntil: '2027-03-11' }, today)).toBe('valid');
  });

  it('is expired the day after its end date', () => {
    expect(certificateStatus({ ...base, validUntil: '2026-03-11' }, today)).toBe('expired');
  });

  it('reports the strongest reason: revoked, then superseded, then expired', () => {
    const expiredAndSuperseded = { ...base, validUntil: '2020-01-01', superseded: true };
    expect(certificateStatus(expiredAndSuperseded, today)).toBe('superseded');
    expect(certificateStatus({ ...expiredAndSuperseded, revokedAt: new Date() }, today)).toBe('revoked');
  });

  it('says not passed for a standing failure notice, never valid; revoked and superseded still outrank it', () => {
    const notice = { ...base, kind: 'verification_failure' as const };
    expect(certificateStatus(notice, today)).toBe('not_passed');
    expect(certificateStatus({ ...notice, superseded: true }, today)).toBe('superseded');
    expect(certificateStatus({ ...notice, revokedAt: new Date() }, today)).toBe('revoked');
  });
});

describe('standingOf and currentAmong', () => {
  const cert = (id: string, replacesId: string | null, revokedAt: Date | null = null) => ({
    id,
    replacesId,
    revokedAt,
  });

  it('is current unless revoked or superseded; revoked outranks superseded', () => {
    expect(standingOf({ revokedAt: null, superseded: false })).toBe('current');
    expect(standingOf({ revokedAt: null, superseded: true })).toBe('superseded');
    expect(standingOf({ revokedAt: new Date(), superseded: true })).toBe('revoked');
  });

  it('finds the end of an amendment chain, or none when it was revoked', () => {
    const chain = [cert('a', null), cert('b', 'a'), cert('c', 'b')];
    expect(currentAmong(chain)?.id).toBe('c');
    expect(currentAmong([cert('a', null), cert('b', 'a', new Date())])).toBeUndefined();
    expect(currentAmong([])).toBeUndefined();
  });
});
