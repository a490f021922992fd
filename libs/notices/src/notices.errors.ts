import type { ErrorList } from '#libs/core';

/** Every problem code the notices library throws (merged into core's ErrorCodes). */
export const NOTICES_ERRORS = {
  'notice.not_found': { status: 404, meaning: 'no notice has this id (or it is another organization’s)' },
  'standard_finding.not_found': { status: 404, meaning: 'no out-of-tolerance finding has this id' },
  'finding_certificate.not_found': { status: 404, meaning: 'the finding does not name this certificate' },
  'standard_finding.bad_evidence': {
    status: 422,
    meaning: 'the evidence is not a failed intermediate check or a calibration of this standard',
  },
  'standard_finding.duplicate': { status: 409, meaning: 'a finding on this evidence is recorded already' },
} as const satisfies ErrorList;

type NoticesErrorList = typeof NOTICES_ERRORS;
declare module '#libs/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface ErrorCodes extends NoticesErrorList {}
}
