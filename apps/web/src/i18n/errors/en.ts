/**
 * The API's problems in English: its own texts are English, so only what reads better than them
 * (the code's meaning as the alert's title instead of the HTTP status phrase). Loaded only when the
 * screen is in English (./load.ts); anything not here is shown as the API wrote it.
 */
export const errorsEn = {
  codes: {
    validation_failed: 'Some fields are not valid',
  } as Record<string, string>,
  validation: {} as Record<string, string>,
};
