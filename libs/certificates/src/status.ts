import type { CertificateKind } from '#libs/documents';

/**
 * What a certificate's status is, as the public check reports it. Derived, never stored: revocation
 * and amendment are recorded facts, expiry is the calendar's. A notice of failed verification is
 * never `valid`: while it stands (not revoked, not superseded) it says `not_passed` — the instrument
 * failed and may not be used.
 */
export const CERTIFICATE_STATUSES = ['valid', 'expired', 'revoked', 'superseded', 'not_passed'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/**
 * Whether a certificate still stands — the one home of "is this certificate current": not revoked,
 * and no later certificate names it as the one it replaces. Revoked outranks superseded.
 */
export type Standing = 'current' | 'revoked' | 'superseded';

export interface StandingFacts {
  revokedAt: Date | null;
  /** A later certificate names this one as the one it replaces. */
  superseded: boolean;
}

export function standingOf(facts: StandingFacts): Standing {
  if (facts.revokedAt) return 'revoked';
  if (facts.superseded) return 'superseded';
  return 'current';
}

/** The current certificate among all of one result (an amendment chain never leaves its result), if any. */
export function currentAmong<C extends { id: string; revokedAt: Date | null; replacesId: string | null }>(
  certificates: C[],
): C | undefined {
  return certificates.find(
    (c) =>
      standingOf({ revokedAt: c.revokedAt, superseded: certificates.some((s) => s.replacesId === c.id) }) === 'current',
  );
}

export interface StatusFacts extends StandingFacts {
  kind: CertificateKind;
  validUntil: string | null;
}

/** Revoked outranks superseded, which outranks not passed and expired: the strongest reason not to rely on it. */
export function certificateStatus(facts: StatusFacts, today: string): CertificateStatus {
  const standing = standingOf(facts);
  if (standing !== 'current') return standing;
  if (facts.kind === 'verification_failure') return 'not_passed';
  if (facts.validUntil !== null && facts.validUntil < today) return 'expired';
  return 'valid';
}

/**
 * The same rule in SQL, for list filters; `c` is the certificate's alias and `$today` a parameter
 * placeholder for the Vietnamese calendar date.
 */
export function statusCondition(status: CertificateStatus, today: string): string {
  const superseded = `EXISTS (SELECT 1 FROM certificate s WHERE s.replaces_id = c.id)`;
  // standingOf in SQL.
  const current = `c.revoked_at IS NULL AND NOT ${superseded}`;
  const notice = `c.kind = 'verification_failure'`;
  switch (status) {
    case 'revoked':
      return 'c.revoked_at IS NOT NULL';
    case 'superseded':
      return `c.revoked_at IS NULL AND ${superseded}`;
    case 'not_passed':
      return `${current} AND ${notice}`;
    case 'expired':
      return `${current} AND NOT ${notice} AND c.valid_until < ${today}`;
    case 'valid':
      return `${current} AND NOT ${notice} AND (c.valid_until IS NULL OR c.valid_until >= ${today})`;
  }
}
