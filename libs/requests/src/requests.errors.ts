import type { ErrorList } from '#libs/core';

/**
 * Every problem code the requests library throws: the HTTP status it maps to and what it means. Merged into
 * core's `ErrorCodes` below, so a code not listed here does not compile (libs/core/src/errors/error-codes.ts);
 * `npm run check:errors` proves the list complete and free of dead codes.
 */
export const REQUESTS_ERRORS = {
  'service_request.not_found': {
    status: 404,
    meaning: 'no service request has this id (or it is another organization’s)',
  },
  'service_request.transition_not_allowed': { status: 409, meaning: 'the request’s status does not allow this action' },
  'service_request.preferred_date_past': { status: 422, meaning: 'the preferred date has passed' },
  'service_request.bad_organization': {
    status: 422,
    meaning: 'the request is for an unknown or deactivated organization',
  },
  'service_request.invalid_items': {
    status: 422,
    meaning: 'some items cannot be requested as given; `errors[]` names them',
  },
  'request.no_labels': {
    status: 409,
    meaning: 'label sheet: no item of the request (or of those asked for) has been received with a label yet',
  },
  'request.items_not_ready': { status: 422, meaning: 'contract review: the catalogue does not yet allow some items' },
  'request_item.not_found': { status: 404, meaning: 'no request item has this id in this request' },
  'request_item.transition_not_allowed': { status: 409, meaning: 'the item’s status does not allow this move' },
  'request_item.label_taken': { status: 409, meaning: 'the label is on another item already' },
  'request_item.not_assigned': { status: 403, meaning: 'only the technician the item is scheduled for may start it' },
  'request_item.batch_conflict': {
    status: 409,
    meaning:
      'batch action: the state of some items (or a label) does not allow the move; nothing changed; `items[]` gives each refused item’s index, code and reason',
  },
  'request_item.batch_refused': {
    status: 422,
    meaning:
      'batch action: some items cannot be moved as given (not in this request, sent twice, a past date, a technician not authorised); nothing changed; `items[]` and `errors[]` name them',
  },
  'request_item.duplicate_in_batch': { status: 422, meaning: 'batch action: the item appears more than once' },
  'request_item.schedule_in_past': { status: 422, meaning: 'an item cannot be scheduled on a past date' },
  'request_item.technician_not_authorised': {
    status: 422,
    meaning: 'the technician is not authorised for this service and type on that date',
  },
} as const satisfies ErrorList;

export type RequestsErrorCode = keyof typeof REQUESTS_ERRORS;

type RequestsErrorList = typeof REQUESTS_ERRORS;
declare module '#libs/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface ErrorCodes extends RequestsErrorList {}
}
