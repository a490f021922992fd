import type {
  CertificateKind,
  CertificateModel,
  ConformityDecision,
  LaboratoryInfo,
  VerificationType,
} from '#libs/documents';
import type { ServiceKind } from '#libs/registry';

/**
 * What a certificate prints, as the result workflow knows it at approval: the CertificateModel
 * without what only issuing decides (number, issue date, the verification URL, the amendment, the
 * stamp, the validity date) and without the laboratory, which comes from configuration unless given.
 */
export type CertificateContent = Omit<
  CertificateModel,
  'kind' | 'number' | 'issueDate' | 'verificationUrl' | 'amendment' | 'verification' | 'laboratory'
> & { laboratory?: LaboratoryInfo };

/** Everything needed to issue the certificate of one approved result revision. */
export interface CertificateDraft {
  resultRevisionId: string;
  /** The result across its revisions: when an earlier revision already has a certificate, a new one amends it. */
  resultId: string;
  /** The customer: who may download the certificate and whose webhooks hear of it. */
  organizationId: string;
  /** The instrument verified or calibrated; null for a test report on a sample. */
  instrumentId: string | null;
  requestItemId: string | null;
  service: ServiceKind;
  /** The overall conformity decision, when one is stated (always for a verification). */
  outcome: ConformityDecision | null;
  /** The (last) day of measurement: the service date recorded on the instrument. */
  measurementDate: string;
  /**
   * Verification that passed: the next due date from the cycle in force. The registry's next due
   * date of the instrument wins when it was computed from this very verification (see issuing).
   */
  validUntil: string | null;
  content: CertificateContent;
  /**
   * Withheld from the owner until released (an inspector's sample, libs/testing): the certificate is
   * issued and numbered, staff and the public lookup by number see it, but the owner's reads do not
   * and its `certificate.issued` webhook waits for the `certificate.release_to_owner` job. Absent: false.
   */
  withheldFromOwner?: boolean;
}

/**
 * Where certificates come from: implemented by the result workflow (libs/calibration) and provided
 * under CERTIFICATE_SOURCE. `load` throws CertificateSourceError when the revision does not exist or
 * is not approved; anything else it throws is treated as transient and the issue is retried.
 */
export interface CertificateSource {
  load(resultRevisionId: string): Promise<CertificateDraft>;
}

export const CERTIFICATE_SOURCE = Symbol('CERTIFICATE_SOURCE');

/** The revision cannot give a certificate, now or later (unknown, not approved): no retry. */
export class CertificateSourceError extends Error {
  constructor(
    readonly resultRevisionId: string,
    readonly reason: 'not_found' | 'not_approved' | 'incomplete',
    message: string,
  ) {
    super(message);
    this.name = 'CertificateSourceError';
  }
}

/**
 * Several libraries' sources behind the one port: each is asked in turn, and the first that knows the
 * revision (does not answer `not_found`) gives the draft or the refusal. Revision ids are UUIDs, so
 * two libraries never know the same one. The application builds it (libs/platform).
 */
export class FirstKnownCertificateSource implements CertificateSource {
  constructor(private readonly sources: readonly CertificateSource[]) {}

  async load(resultRevisionId: string): Promise<CertificateDraft> {
    for (const source of this.sources) {
      try {
        return await source.load(resultRevisionId);
      } catch (e) {
        if (e instanceof CertificateSourceError && e.reason === 'not_found') continue;
        throw e;
      }
    }
    throw new CertificateSourceError(
      resultRevisionId,
      'not_found',
      `result revision ${resultRevisionId} was not found`,
    );
  }
}

/** verification_* → a verification certificate; calibration → calibration certificate; testing → test report. */
export function certificateKindOf(service: ServiceKind): CertificateKind {
  switch (service) {
    case 'verification_initial':
    case 'verification_periodic':
    case 'verification_after_repair':
      return 'verification';
    case 'calibration':
      return 'calibration';
    case 'testing':
      return 'test_report';
  }
}

export function verificationTypeOf(service: ServiceKind): VerificationType | undefined {
  switch (service) {
    case 'verification_initial':
      return 'initial';
    case 'verification_periodic':
      return 'periodic';
    case 'verification_after_repair':
      return 'after_repair';
    case 'calibration':
    case 'testing':
      return undefined;
  }
}
