/**
 * Problem codes for the maths library's errors, with the HTTP status and meaning they have at the API.
 * This library imports nothing, so calibration, which maps these errors to HTTP, merges the list into
 * core's `ErrorCodes` (libs/calibration/src/calibration.errors.ts); `npm run check:errors` keeps it complete.
 */
export const UNCERTAINTY_ERRORS = {
  'uncertainty.invalid_input': {
    status: 422,
    meaning: 'an UncertaintyInputError: the budget cannot be evaluated as given',
  },
  'uncertainty.welch_satterthwaite_not_applicable': {
    status: 422,
    meaning: 'Welch–Satterthwaite gives no coverage factor; ask for the k = 2 fallback',
  },
} as const;

export type UncertaintyErrorCode = keyof typeof UNCERTAINTY_ERRORS;
