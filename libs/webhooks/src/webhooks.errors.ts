import type { ErrorList } from '#libs/core';

/**
 * Every problem code the webhooks library throws: the HTTP status it maps to and what it means. Merged into
 * core's `ErrorCodes` below, so a code not listed here does not compile (libs/core/src/errors/error-codes.ts);
 * `npm run check:errors` proves the list complete and free of dead codes.
 */
export const WEBHOOKS_ERRORS = {
  'webhook.not_found': { status: 404, meaning: 'no webhook of this organization has this id' },
  'webhook delivery.not_found': {
    status: 404,
    meaning: 'no delivery of this webhook has this id (code kept as is: it has a space)',
  },
  'webhook.url_refused': {
    status: 422,
    meaning:
      'the egress policy refuses the URL: `reason` is scheme, https_required, no_address or address_class (then `addressClass` names it: loopback, private, linkLocal, …)',
  },
} as const satisfies ErrorList;

export type WebhooksErrorCode = keyof typeof WEBHOOKS_ERRORS;

type WebhooksErrorList = typeof WEBHOOKS_ERRORS;
declare module '#libs/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface ErrorCodes extends WebhooksErrorList {}
}
