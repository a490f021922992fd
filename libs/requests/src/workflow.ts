import { ConflictError, InvalidInputError, type FieldError } from '#libs/core';

/**
 * The life of one item of a service request (một phương tiện đo trong yêu cầu dịch vụ). Pure: no I/O,
 * no Nest; the services load the row, ask this module whether the change is allowed, and write it.
 */
export const ITEM_STATUSES = [
  'submitted',
  'accepted',
  'rejected',
  'scheduled',
  'received',
  'in_progress',
  'results_approved',
  'certificate_issued',
  'returned',
  'closed',
  'cancelled',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/**
 * Every allowed move. scheduled → scheduled is a reschedule (another technician or date). Work done on
 * site has nothing to hand back, so a certificate may be followed by closed directly. rejected,
 * closed and cancelled are final.
 */
export const ITEM_TRANSITIONS: { readonly [S in ItemStatus]: readonly ItemStatus[] } = {
  submitted: ['accepted', 'rejected', 'cancelled'],
  accepted: ['scheduled', 'cancelled'],
  rejected: [],
  scheduled: ['scheduled', 'received'],
  received: ['in_progress'],
  in_progress: ['results_approved'],
  results_approved: ['certificate_issued'],
  certificate_issued: ['returned', 'closed'],
  returned: ['closed'],
  closed: [],
  cancelled: [],
};

export const FINAL_ITEM_STATUSES: readonly ItemStatus[] = ['rejected', 'closed', 'cancelled'];

/**
 * Made only by other libraries through RequestItemWorkflow (calibration approves results,
 * certificates issues them), never by staff over HTTP.
 */
export const INTERNAL_ITEM_STATUSES: readonly ItemStatus[] = ['results_approved', 'certificate_issued'];

/** What a move needs besides the target: the reason, the technician and date, the receipt. */
export type ItemTransition =
  | { to: 'accepted' }
  | { to: 'rejected'; reason: string }
  | { to: 'cancelled'; reason?: string | null }
  | { to: 'scheduled'; technicianId: string; date: string }
  | { to: 'received'; labelId: string; condition: string }
  | { to: 'in_progress' }
  | { to: 'results_approved' }
  | { to: 'certificate_issued' }
  | { to: 'returned' }
  | { to: 'closed' };

export function allowedItemTransitions(from: ItemStatus): readonly ItemStatus[] {
  return ITEM_TRANSITIONS[from];
}

const blank = (s: string | null | undefined): boolean => s === undefined || s === null || s.trim() === '';

/** 409 naming the allowed moves, when the workflow has no move from `from` to `to`. */
export function assertItemTransitionAllowed(from: ItemStatus, to: ItemStatus): void {
  const allowed = ITEM_TRANSITIONS[from];
  if (allowed.includes(to)) return;
  throw new ConflictError(
    'request_item.transition_not_allowed',
    `An item that is ${from} cannot become ${to}` +
      (allowed.length ? `; it can become: ${allowed.join(', ')}` : '; it is final'),
    { from, to, allowed: [...allowed] },
  );
}

/**
 * Refuses a move the workflow does not allow (409, naming the allowed ones) or one that lacks what it
 * needs (400, naming the field). Returns the reason to record, if any.
 */
export function checkItemTransition(from: ItemStatus, move: ItemTransition): string | null {
  assertItemTransitionAllowed(from, move.to);
  const errors: FieldError[] = [];
  switch (move.to) {
    case 'rejected':
      if (blank(move.reason)) errors.push({ field: 'reason', message: 'a rejection needs a reason' });
      break;
    case 'scheduled':
      if (blank(move.technicianId)) errors.push({ field: 'technicianId', message: 'technicianId is required' });
      if (blank(move.date)) errors.push({ field: 'date', message: 'date is required' });
      break;
    case 'received':
      if (blank(move.labelId)) errors.push({ field: 'labelId', message: 'labelId is required' });
      if (blank(move.condition)) errors.push({ field: 'condition', message: 'condition on receipt is required' });
      break;
    case 'accepted':
    case 'cancelled':
    case 'in_progress':
    case 'results_approved':
    case 'certificate_issued':
    case 'returned':
    case 'closed':
      break;
  }
  if (errors.length) throw new InvalidInputError(errors);
  return 'reason' in move ? (move.reason?.trim() ?? null) : null;
}

/** The request's own status: derived from its items (see deriveRequestStatus), never set directly. */
export const REQUEST_STATUSES = [
  'submitted',
  'accepted',
  'scheduled',
  'in_progress',
  'completed',
  'rejected',
  'cancelled',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

const STARTED: readonly ItemStatus[] = ['in_progress', 'results_approved', 'certificate_issued', 'returned', 'closed'];
const DONE: readonly ItemStatus[] = ['returned', 'closed'];
const PLANNED: readonly ItemStatus[] = ['scheduled', 'received'];

/**
 * A request's status from its items' (rejected and cancelled items no longer count, except when
 * nothing else is left):
 * 1. no item left to do: rejected if every item was rejected, else cancelled;
 * 2. every remaining item returned or closed: completed;
 * 3. work has started on any remaining item: in_progress;
 * 4. any item still awaits contract review: submitted;
 * 5. scheduling has begun (any remaining item scheduled or received): scheduled;
 * 6. otherwise (every remaining item accepted): accepted — so a request-level cancel from accepted
 *    withdraws everything left, and one from scheduled is refused (items are cancelled one by one).
 */
export function deriveRequestStatus(items: Iterable<ItemStatus>): RequestStatus {
  let total = 0;
  let rejected = 0;
  let cancelled = 0;
  let started = 0;
  let done = 0;
  let submitted = 0;
  let planned = 0;
  for (const s of items) {
    total++;
    if (s === 'rejected') rejected++;
    else if (s === 'cancelled') cancelled++;
    else if (s === 'submitted') submitted++;
    if (STARTED.includes(s)) started++;
    if (DONE.includes(s)) done++;
    if (PLANNED.includes(s)) planned++;
  }
  const remaining = total - rejected - cancelled;
  if (total === 0) return 'submitted';
  if (remaining === 0) return rejected === total ? 'rejected' : 'cancelled';
  if (done === remaining) return 'completed';
  if (started > 0) return 'in_progress';
  if (submitted > 0) return 'submitted';
  if (planned > 0) return 'scheduled';
  return 'accepted';
}

/**
 * What can be done to a whole request at once; everything else happens item by item. accept runs the
 * contract review over the items still submitted; reject refuses them all; cancel withdraws every
 * item left (all of them submitted or accepted, given the statuses it is allowed from).
 */
export const REQUEST_ACTIONS = ['accept', 'reject', 'cancel'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

const ACTION_TARGET: { readonly [A in RequestAction]: RequestStatus } = {
  accept: 'accepted',
  reject: 'rejected',
  cancel: 'cancelled',
};

/** Request statuses from which each request-level action may be taken. */
export const REQUEST_ACTION_FROM: { readonly [A in RequestAction]: readonly RequestStatus[] } = {
  accept: ['submitted'],
  reject: ['submitted'],
  cancel: ['submitted', 'accepted'],
};

/** The request-level moves open from this status, named by their target status. */
export function allowedRequestTransitions(from: RequestStatus): RequestStatus[] {
  return REQUEST_ACTIONS.filter((a) => REQUEST_ACTION_FROM[a].includes(from)).map((a) => ACTION_TARGET[a]);
}

export function checkRequestAction(from: RequestStatus, action: RequestAction): void {
  if (REQUEST_ACTION_FROM[action].includes(from)) return;
  const allowed = allowedRequestTransitions(from);
  throw new ConflictError(
    'service_request.transition_not_allowed',
    `A request that is ${from} cannot become ${ACTION_TARGET[action]}` +
      (allowed.length ? `; it can become: ${allowed.join(', ')}` : '; its items move one by one now'),
    { from, to: ACTION_TARGET[action], allowed },
  );
}

/** The items a request-level action moves: accept and reject take the submitted ones, cancel every one still cancellable. */
export function itemsMovedBy(action: RequestAction): readonly ItemStatus[] {
  return action === 'cancel' ? ['submitted', 'accepted'] : ['submitted'];
}
