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
} as const satisfies ErrorList;

export type TestingErrorCode = keyof typeof TESTING_ERRORS;

type TestingErrorList = typeof TESTING_ERRORS;
declare module '#libs/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface ErrorCodes extends TestingErrorList {}
}
