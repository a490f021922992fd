import { ConflictError, UnprocessableError } from '#libs/core';
import type { CustodyEventKind } from './sample.entity.js';

/**
 * The chain of custody's rules (ISO/IEC 17025 7.4): pure, no I/O. The service folds the recorded
 * steps into the current state of the sample and of each portion, asks whether a new step is
 * allowed, and writes it.
 *
 * A sample is `awaiting_receipt` until its request item is received; then `held` by the centre. A held
 * sample (or portion) may be stored (moved, still held), sent to a named subcontractor (and come back),
 * returned to the customer, or disposed; a held sample may be split into portions, each of which then
 * lives on its own (the whole sample is `split` and takes no further step). Returned and disposed are
 * final: no step after them. A subcontracted sample or portion may be disposed there (consumed).
 */
export const CUSTODY_STATES = ['awaiting_receipt', 'held', 'split', 'subcontracted', 'returned', 'disposed'] as const;
export type CustodyState = (typeof CUSTODY_STATES)[number];

/** Where each step leads, from each state it is allowed in. */
const STEPS: { readonly [K in CustodyEventKind]: Partial<Record<CustodyState, CustodyState>> } = {
  split: { held: 'split' },
  stored: { held: 'held' },
  subcontracted: { held: 'subcontracted' },
  returned_from_subcontractor: { subcontracted: 'held' },
  returned_to_customer: { held: 'returned' },
  disposed: { held: 'disposed', subcontracted: 'disposed' },
};

export const FINAL_CUSTODY_STATES: readonly CustodyState[] = ['returned', 'disposed'];

/** A recorded step, as the fold needs it. */
export interface CustodyStep {
  kind: CustodyEventKind;
  /** null: the whole sample. */
  portionId: string | null;
  occurredAt: Date;
  /** split only: the portions it made. */
  portionIds?: readonly string[];
}

/** The state of the sample and of each of its portions, and when each was last touched. */
export interface CustodyFold {
  sample: CustodyState;
  portions: Map<string, CustodyState>;
  /** The time of the last step of the whole sample (its receipt at first) and of each portion. */
  lastAt: Map<string | null, Date>;
}

/** A recorded row as a step: a split's portions are in its details (`portionIds`). */
export function asCustodyStep(row: {
  kind: CustodyEventKind;
  portionId: string | null;
  occurredAt: Date;
  details: Record<string, unknown> | null;
}): CustodyStep {
  const made = row.details?.['portionIds'];
  return {
    kind: row.kind,
    portionId: row.portionId,
    occurredAt: row.occurredAt,
    ...(Array.isArray(made) ? { portionIds: made.filter((id): id is string => typeof id === 'string') } : {}),
  };
}

/** The steps that may be taken from a state (for views and the 409's `allowed`). */
export function allowedCustodySteps(state: CustodyState, subject: 'sample' | 'portion'): CustodyEventKind[] {
  return (Object.keys(STEPS) as CustodyEventKind[]).filter(
    (k) => STEPS[k][state] !== undefined && !(k === 'split' && subject === 'portion'),
  );
}

/** Folds the recorded steps (oldest first) from the receipt (null: not received yet). */
export function foldCustody(receivedAt: Date | null, steps: readonly CustodyStep[]): CustodyFold {
  const fold: CustodyFold = {
    sample: receivedAt ? 'held' : 'awaiting_receipt',
    portions: new Map(),
    lastAt: new Map(receivedAt ? [[null, receivedAt]] : []),
  };
  for (const step of steps) {
    const from = step.portionId === null ? fold.sample : fold.portions.get(step.portionId);
    const to = from === undefined ? undefined : STEPS[step.kind][from];
    if (to === undefined) continue; // the database holds only checked steps; an unknown one changes nothing
    if (step.portionId === null) fold.sample = to;
    else fold.portions.set(step.portionId, to);
    fold.lastAt.set(step.portionId, step.occurredAt);
    for (const id of step.portionIds ?? []) {
      fold.portions.set(id, 'held');
      fold.lastAt.set(id, step.occurredAt);
    }
  }
  return fold;
}

/** What a new step is checked against besides the state. */
export interface StepContext {
  /** The sample's retention date (YYYY-MM-DD); no disposal before it. */
  retainUntil: string | null;
  /** The day the step happened, in Viet Nam (YYYY-MM-DD). */
  occurredOn: string;
  now: Date;
}

/**
 * Refuses a step the chain does not allow: 409 `custody.not_received` before receipt, 409
 * `custody.step_not_allowed` (with `from`, `step`, `allowed`) from the wrong state — after disposal
 * or return nothing, on a split sample only its portions; 422 `custody.out_of_order` when it is dated
 * in the future or before the subject's previous step; 422 `custody.retention_not_over` to dispose
 * before the retention date. Returns the state it leads to.
 */
export function checkCustodyStep(fold: CustodyFold, step: CustodyStep, ctx: StepContext): CustodyState {
  if (fold.sample === 'awaiting_receipt')
    throw new ConflictError(
      'custody.not_received',
      'The sample has not been received: its chain of custody starts at receipt',
    );
  const subject = step.portionId === null ? 'sample' : 'portion';
  const from = step.portionId === null ? fold.sample : fold.portions.get(step.portionId)!;
  const to = STEPS[step.kind][from];
  if (to === undefined || (step.kind === 'split' && subject === 'portion')) {
    const allowed = allowedCustodySteps(from, subject);
    throw new ConflictError(
      'custody.step_not_allowed',
      `A ${subject} that is ${from} cannot be ${step.kind.replaceAll('_', ' ')}` +
        (allowed.length
          ? `; it can be: ${allowed.join(', ')}`
          : from === 'split'
            ? '; record steps of its portions'
            : '; it is final'),
      { from, step: step.kind, allowed },
    );
  }
  checkTime(fold.lastAt.get(step.portionId) ?? fold.lastAt.get(null)!, step.occurredAt, ctx.now);
  if (step.kind === 'disposed' && ctx.retainUntil !== null && ctx.occurredOn < ctx.retainUntil) {
    throw new UnprocessableError(
      'custody.retention_not_over',
      `The sample is retained until ${ctx.retainUntil}: it cannot be disposed before`,
      { errors: [{ field: 'occurredAt', message: `the sample is retained until ${ctx.retainUntil}` }] },
    );
  }
  return to;
}

function checkTime(previous: Date, at: Date, now: Date): void {
  const problem =
    at.getTime() > now.getTime()
      ? 'occurredAt is in the future'
      : at.getTime() < previous.getTime()
        ? `occurredAt is before the previous step (${previous.toISOString()})`
        : null;
  if (problem)
    throw new UnprocessableError('custody.out_of_order', `The step cannot be dated so: ${problem}`, {
      errors: [{ field: 'occurredAt', message: problem }],
    });
}

/** Portion suffixes in splitting order: A…Z, then AA, AB, … */
export function portionSuffix(index: number): string {
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}
