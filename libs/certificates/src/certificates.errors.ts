import type { ErrorList } from '#libs/core';

/**
 * Every problem code the certificates library throws: the HTTP status it maps to and what it means. Merged into
 * core's `ErrorCodes` below, so a code not listed here does not compile (libs/core/src/errors/error-codes.ts);
 * `npm run check:errors` proves the list complete and free of dead codes.
 */
export const CERTIFICATES_ERRORS = {
  'certificate.not_found': { status: 404, meaning: 'no certificate has this id (or it is another organization’s)' },
  'result revision.not_found': {
    status: 404,
    meaning: 'no approved result revision of this organization has this id (code kept as is: it has a space)',
  },
  'approved result revision.not_found': {
    status: 404,
    meaning: 'no approved result revision has this id (code kept as is: it has spaces)',
  },
  'certificate.already_issued': { status: 409, meaning: 'the revision has its certificate already' },
  'certificate.issue_pending': { status: 409, meaning: 'the revision’s certificate is still on the queue' },
  'certificate.amendment_required': { status: 409, meaning: 'another certificate is current for the result: amend it' },
  'certificate.already_revoked': { status: 409, meaning: 'the certificate was revoked already' },
  'certificate.superseded': {
    status: 409,
    meaning: 'the certificate is superseded; revoke its successor if that is wrong',
  },
  'certificate.not_current': { status: 409, meaning: 'only the current certificate of a result is amended' },
  'certificate.revision_unusable': { status: 422, meaning: 'the revision cannot be put on a certificate' },
  'certificate.amend_other_result': { status: 422, meaning: 'the amendment’s revision is of another result' },
  'certificate.model_invalid': {
    status: 422,
    meaning: 'the certificate’s content breaks a rule of the document model',
  },
  'public.certificate_unknown': {
    status: 404,
    meaning: 'no certificate or failure notice has this number (the problem carries `number`)',
  },
  'public.stamp_unknown': {
    status: 404,
    meaning: 'no verification stamp has this serial (the problem carries `serial`)',
  },
  'public.rate_limited': { status: 429, meaning: 'too many public lookups from this address; `Retry-After` says when' },
} as const satisfies ErrorList;

export type CertificatesErrorCode = keyof typeof CERTIFICATES_ERRORS;

type CertificatesErrorList = typeof CERTIFICATES_ERRORS;
declare module '#libs/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface ErrorCodes extends CertificatesErrorList {}
}
