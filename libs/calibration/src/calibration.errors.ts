import type { ErrorList } from '#libs/core';
import type { UNCERTAINTY_ERRORS } from '#libs/uncertainty';

/**
 * Every problem code the calibration library throws: the HTTP status it maps to and what it means. Merged into
 * core's `ErrorCodes` below, so a code not listed here does not compile (libs/core/src/errors/error-codes.ts);
 * `npm run check:errors` proves the list complete and free of dead codes.
 */
export const CALIBRATION_ERRORS = {
  'calibration_result.not_found': { status: 404, meaning: 'no calibration result has this id' },
  'calibration_result_revision.not_found': { status: 404, meaning: 'no revision of the result has this id or number' },
  'calibration_template.not_found': { status: 404, meaning: 'no calibration template has this id' },
  'result.exists_for_item': {
    status: 409,
    meaning: 'the request item has a result already; correct it with a new revision',
  },
  'result.item_not_ready': { status: 409, meaning: 'results are recorded for an item that is received or in progress' },
  'result.item_not_in_progress': { status: 409, meaning: 'a result is approved while its item is in progress' },
  'result.revision_approved': {
    status: 409,
    meaning: 'an approved revision never changes; a correction is a new revision',
  },
  'result.revision_immutable': {
    status: 409,
    meaning: 'technical records are never overwritten; a correction is a new revision',
  },
  'result.revision_not_current': { status: 409, meaning: 'the revision has been superseded; review the latest one' },
  'result.revision_not_approved': { status: 409, meaning: 'certificates are issued from approved revisions only' },
  'result.invalid_transition': {
    status: 409,
    meaning: 'the revision’s status does not allow submit, approve or return',
  },
  'result.outcome_already_recorded': {
    status: 409,
    meaning: 'an earlier approved revision put another outcome in the instrument’s history',
  },
  'result.not_performer': { status: 403, meaning: 'a revision is submitted by the technician who recorded it' },
  'result.self_approval': { status: 403, meaning: 'the person who measured may not review the result' },
  'result.not_authorised': {
    status: 403,
    meaning: 'the technician is not authorised for this service and type on that date',
  },
  'result.not_authorised_to_approve': {
    status: 403,
    meaning: 'the reviewer is not authorised to approve this service and type on that date',
  },
  'result.bad_reference': { status: 422, meaning: 'no request item has this id' },
  'result.item_mismatch': { status: 422, meaning: 'the result does not match its request item' },
  'result.measured_in_future': { status: 422, meaning: 'a measurement cannot be dated in the future' },
  'result.measured_before_receipt': { status: 422, meaning: 'the measurement is dated before the item was received' },
  'result.procedure_required': { status: 422, meaning: 'the procedure must be one of the instrument type’s' },
  'result.environment_out_of_limits': {
    status: 422,
    meaning: 'the environmental conditions do not meet the procedure',
  },
  'result.unit_mismatch': { status: 422, meaning: 'a unit does not measure what the instrument type measures' },
  'result.too_few_readings': { status: 422, meaning: 'a point has fewer readings than the procedure asks for' },
  'result.capability_insufficient': {
    status: 422,
    meaning: 'U is too large against the MPE for a verdict (capability divisor)',
  },
  'result.standards_required': { status: 422, meaning: 'no measurement standard is named' },
  'result.standard_unknown': { status: 422, meaning: 'a named standard does not exist' },
  'result.standard_unusable': { status: 422, meaning: 'a named standard was not usable on the measurement date' },
  'result.standard_outside_calibrated_range': {
    status: 422,
    meaning: 'a point lies outside the range a standard is calibrated over',
  },
  'result.budget_incomplete': {
    status: 422,
    meaning: 'the uncertainty budget cannot be built from the template and standards',
  },
  'result.mpe_rule_unconfirmed': { status: 422, meaning: 'the MPE rule is unconfirmed seed data and gives no verdict' },
  'result.mpe_unknown': { status: 422, meaning: 'a decision is needed but the MPE cannot be determined' },
  'result.decision_rule_required': { status: 422, meaning: 'a statement of conformity needs a decision rule' },
  'result.service_not_supported': {
    status: 422,
    meaning: 'the calibration library records no results for this service',
  },
  'result.template_unusable': { status: 422, meaning: 'the template cannot be used for this instrument and date' },
  'result.series_missing': { status: 422, meaning: 'an adjusted instrument needs as-found and as-left points' },
  'result.not_certifiable': { status: 422, meaning: 'the approved verification could not be put on a certificate' },
  'template.name_taken': { status: 409, meaning: 'the instrument type has a template with this name' },
  'template.bad_reference': { status: 422, meaning: 'no instrument type has this id' },
  'template.invalid': { status: 422, meaning: 'the template does not fit its instrument type or the registry' },
  'template.wrong_instrument_type': { status: 422, meaning: 'the template is for another instrument type' },
} as const satisfies ErrorList;

export type CalibrationErrorCode = keyof typeof CALIBRATION_ERRORS;

type CalibrationErrorList = typeof CALIBRATION_ERRORS;
/** The maths library imports nothing: calibration, which maps its errors to HTTP, merges its codes. */
type UncertaintyErrorList = typeof UNCERTAINTY_ERRORS;
declare module '#libs/core' {
  interface ErrorCodes extends CalibrationErrorList, UncertaintyErrorList {}
}
