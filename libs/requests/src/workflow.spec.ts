import { ConflictError, InvalidInputError } from '#libs/core';
import {
  allowedItemTransitions,
  allowedRequestTransitions,
  checkItemTransition,
  checkRequestAction,
  deriveRequestStatus,
  ITEM_STATUSES,
  REQUEST_ACTIONS,
  REQUEST_STATUSES,
  type ItemStatus,
  type ItemTransition,
  type RequestAction,
  type RequestStatus,
} from './workflow.js';

/** A complete, valid move to each status. */
const MOVE: { [S in ItemStatus]: ItemTransition } = {
  submitted: { to: 'submitted' } as unknown as ItemTransition, // never a target
  accepted: { to: 'accepted' },
  rejected: { to: 'rejected', reason: 'no standard for this range' },
  scheduled: { to: 'scheduled', technicianId: 'u-1', date: '2025-06-02' },
  received: { to: 'received', labelId: 'L-0001', condition: 'seal intact' },
  in_progress: { to: 'in_progress' },
  results_approved: { to: 'results_approved' },
  certificate_issued: { to: 'certificate_issued' },
  returned: { to: 'returned' },
  closed: { to: 'closed' },
  cancelled: { to: 'cancelled' },
};

/** The workflow as the issue states it, written out pair by pair. */
const EXPECTED_ALLOWED: [ItemStatus, ItemStatus][] = [
  ['submitted', 'accepted'],
  ['submitted', 'rejected'],
  ['submitted', 'cancelled'],
  ['accepted', 'scheduled'],
  ['accepted', 'cancelled'],
  ['scheduled', 'scheduled'],
  ['scheduled', 'received'],
  ['received', 'in_progress'],
  ['in_progress', 'results_approved'],
  ['results_approved', 'certificate_issued'],
  ['certificate_issued', 'returned'],
  ['certificate_issued', 'closed'],
  ['returned', 'closed'],
];

const isAllowed = (from: ItemStatus, to: ItemStatus): boolean =>
  EXPECTED_ALLOWED.some(([f, t]) => f === from && t === to);

describe('item workflow', () => {
  const pairs = ITEM_STATUSES.flatMap((from) => ITEM_STATUSES.map((to) => [from, to] as const));

  it.each(pairs.filter(([f, t]) => isAllowed(f, t)))('allows %s → %s', (from, to) => {
    expect(() => checkItemTransition(from, MOVE[to])).not.toThrow();
    expect(allowedItemTransitions(from)).toContain(to);
  });

  it.each(pairs.filter(([f, t]) => !isAllowed(f, t)))('refuses %s → %s with 409 naming the allowed', (from, to) => {
    let thrown: unknown;
    try {
      checkItemTransition(from, MOVE[to]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConflictError);
    expect(thrown).toMatchObject({
      code: 'request_item.transition_not_allowed',
      details: { from, to, allowed: EXPECTED_ALLOWED.filter(([f]) => f === from).map(([, t]) => t) },
    });
  });

  it('has nothing out of rejected, closed and cancelled', () => {
    for (const s of ['rejected', 'closed', 'cancelled'] as const) expect(allowedItemTransitions(s)).toEqual([]);
  });

  it('needs a reason to reject (blank is no reason), and keeps it trimmed', () => {
    for (const reason of ['', '   ', undefined as unknown as string]) {
      expect(() => checkItemTransition('submitted', { to: 'rejected', reason })).toThrow(InvalidInputError);
    }
    expect(checkItemTransition('submitted', { to: 'rejected', reason: '  out of scope ' })).toBe('out of scope');
    expect(checkItemTransition('submitted', { to: 'cancelled' })).toBeNull();
    expect(checkItemTransition('accepted', { to: 'cancelled', reason: 'customer sold it' })).toBe('customer sold it');
  });

  it('needs a technician and a date to schedule, a label and a condition to receive', () => {
    expect(() => checkItemTransition('accepted', { to: 'scheduled', technicianId: '', date: '' })).toThrow(
      expect.objectContaining({
        details: { errors: [{ field: 'technicianId' }, { field: 'date' }].map(expect.objectContaining) },
      }),
    );
    expect(() => checkItemTransition('scheduled', { to: 'received', labelId: ' ', condition: '' })).toThrow(
      InvalidInputError,
    );
  });

  it('checks the state before the data: a refused move is a 409 even without its data', () => {
    expect(() => checkItemTransition('closed', { to: 'rejected', reason: '' })).toThrow(ConflictError);
  });
});

describe('request status derived from its items', () => {
  const cases: [ItemStatus[], RequestStatus][] = [
    [['submitted', 'submitted'], 'submitted'],
    [['submitted', 'rejected'], 'submitted'],
    [['accepted', 'accepted'], 'accepted'],
    [['accepted', 'rejected'], 'accepted'],
    [['accepted', 'scheduled'], 'scheduled'],
    [['scheduled', 'received', 'cancelled'], 'scheduled'],
    [['received', 'in_progress'], 'in_progress'],
    [['accepted', 'in_progress'], 'in_progress'],
    [['results_approved', 'scheduled'], 'in_progress'],
    [['certificate_issued', 'returned'], 'in_progress'],
    [['closed', 'accepted'], 'in_progress'],
    [['returned', 'closed', 'rejected', 'cancelled'], 'completed'],
    [['closed'], 'completed'],
    [['rejected', 'rejected'], 'rejected'],
    [['cancelled', 'cancelled'], 'cancelled'],
    [['rejected', 'cancelled'], 'cancelled'],
    [[], 'submitted'],
  ];
  it.each(cases)('%j → %s', (items, expected) => {
    expect(deriveRequestStatus(items)).toBe(expected);
  });

  it('gives every request status for some mix of items', () => {
    const reached = new Set(cases.map(([, s]) => s));
    expect([...REQUEST_STATUSES].filter((s) => !reached.has(s))).toEqual([]);
  });
});

describe('request-level actions', () => {
  const ALLOWED: Record<RequestAction, RequestStatus[]> = {
    accept: ['submitted'],
    reject: ['submitted'],
    cancel: ['submitted', 'accepted'],
  };
  const pairs = REQUEST_STATUSES.flatMap((from) => REQUEST_ACTIONS.map((a) => [from, a] as const));

  it.each(pairs)('from %s, %s', (from, action) => {
    if (ALLOWED[action].includes(from)) expect(() => checkRequestAction(from, action)).not.toThrow();
    else
      expect(() => checkRequestAction(from, action)).toThrow(
        expect.objectContaining({
          code: 'service_request.transition_not_allowed',
          details: expect.objectContaining({ from, allowed: allowedRequestTransitions(from) }),
        }),
      );
  });

  it('names the open moves by their target status', () => {
    expect(allowedRequestTransitions('submitted')).toEqual(['accepted', 'rejected', 'cancelled']);
    expect(allowedRequestTransitions('accepted')).toEqual(['cancelled']);
    expect(allowedRequestTransitions('in_progress')).toEqual([]);
  });
});
