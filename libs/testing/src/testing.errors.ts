import type { ErrorList } from '#libs/core';

/**
 * Every problem code the testing library throws: the HTTP status it maps to and what it means.
 * Merged into core's `ErrorCodes` below; `npm run check:errors` proves the list complete.
 */
export const TESTING_ERRORS = {
  'test_product.not_found': { status: 404, meaning: 'no test product has this id' },
  'test_method.not_found': { status: 404, meaning: 'no test method has this id' },
  'spec_limit.not_found': { status: 404, meaning: 'no specification limit has this id' },
  'spec_limit.already_confirmed': { status: 409, meaning: 'the specification limit is confirmed already' },
  'spec_limit.confirmation_not_needed': {
    status: 409,
    meaning: 'the limit’s confidence (VERIFIED, CENTRE) gives conformity statements without confirmation',
  },
  'spec_limit.unconfirmed': {
    status: 422,
    meaning: 'a limit the statement needs is SECONDARY or UNCERTAIN and not confirmed by an admin (`limits` names it)',
  },
  'conformity.invalid_sample': {
    status: 422,
    meaning: 'the level, grade or regulation given is not one the product has',
  },
  'conformity.invalid_result': {
    status: 422,
    meaning:
      'a result cannot be read for its parameter (unknown parameter or method, malformed replicate, category off the scale)',
  },
  'test_sample.not_found': { status: 404, meaning: 'no test sample has this id (or it is another organization’s)' },
  'test_sample.invalid': {
    status: 422,
    meaning:
      'a sample cannot be submitted as given (unknown product, level or grade not the product’s, an inspector’s sample from a business key)',
  },
  'test_sample.not_inspection': {
    status: 409,
    meaning: 'only an inspector’s sample has results withheld from its owner, and so something to release',
  },
  'test_sample.already_released': { status: 409, meaning: 'the results were released to the owner already' },
  'test_sample_portion.not_found': { status: 404, meaning: 'the sample has no portion with this id' },
  'test_sample_portion.code_taken': {
    status: 409,
    meaning: 'a portion code derived from the sample code is taken already',
  },
  'custody.not_received': { status: 409, meaning: 'the sample has not been received: its chain starts at receipt' },
  'custody.step_not_allowed': {
    status: 409,
    meaning: 'the step cannot follow the state of the sample or portion (`from`, `step`, `allowed`)',
  },
  'custody.out_of_order': { status: 422, meaning: 'the step is dated in the future or before the previous step' },
  'custody.retention_not_over': { status: 422, meaning: 'the sample cannot be disposed before its retention date' },
  'test_result.not_found': { status: 404, meaning: 'the sample has no results yet, or no revision with this number' },
  'analysis.invalid_selection': {
    status: 422,
    meaning: 'a chosen parameter or method is not the product’s, or is chosen twice (`errors` names it)',
  },
  'analysis.no_authorised_analyst': {
    status: 422,
    meaning: 'no analyst is authorised for testing on the day: contract review cannot accept the work',
  },
  'analysis.locked': { status: 409, meaning: 'results exist for the sample: its analyses can no longer be changed' },
  'analysis.item_not_open': {
    status: 409,
    meaning: 'the sample’s request item is not in a state that allows this (status in `itemStatus`)',
  },
  'analysis.none': { status: 422, meaning: 'no analyses were chosen for the sample at contract review' },
  'test_result.not_authorised': {
    status: 403,
    meaning: 'the person is not authorised (staff authorisation, service testing) to perform or approve tests that day',
  },
  'test_result.self_approval': { status: 403, meaning: 'the reviewer recorded a revision of these results' },
  'test_result.not_performer': { status: 403, meaning: 'only the analyst who recorded a revision submits it' },
  'test_result.invalid_transition': { status: 409, meaning: 'the revision’s status does not allow this review step' },
  'test_result.revision_not_current': { status: 409, meaning: 'a later revision exists; review the latest one' },
  'test_result.under_review': {
    status: 409,
    meaning: 'the current revision is submitted: it is reviewed before a new one',
  },
  'test_result.invalid_row': {
    status: 422,
    meaning:
      'a row names no analysis of the sample, a unit of another dimension, an uncertainty libs/uncertainty cannot evaluate or one given for a result that is not a value, or is missing (`errors` names it)',
  },
  'test_result.environment_out_of_limits': {
    status: 422,
    meaning:
      'the environment recorded is missing or outside the limits a method of the rows sets (`errors` names `environment.<quantity>`)',
  },
  'test_result.equipment_unusable': {
    status: 422,
    meaning: 'equipment named is unknown or not usable on the test date (`errors` names each, with why)',
  },
} as const satisfies ErrorList;

export type TestingErrorCode = keyof typeof TESTING_ERRORS;

type TestingErrorList = typeof TESTING_ERRORS;
declare module '#libs/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface ErrorCodes extends TestingErrorList {}
}
