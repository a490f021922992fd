import type { JobState } from 'bullmq';
import type { OutboxOutcome } from './outbox-message.entity.js';

/** What the reconciliation does with one dispatched, unsettled outbox message. */
export type Reconciliation =
  | { action: 'settle'; outcome: OutboxOutcome }
  /** The queue lost the job and its effect is not there: enqueue it again, same job id. */
  | { action: 'requeue' }
  /** The queue has it in hand (waiting, delayed, active…): look again next time. */
  | { action: 'wait' };

export interface Observed {
  /** A newer message carries the same job id (e.g. an admin's retry): that one is followed instead. */
  superseded: boolean;
  /** The job's state in the queue, read before `effectDone`; `unknown` when the queue has no such job. */
  jobState: JobState | 'unknown';
  /** The job's effect is in the database already (its handler's alreadyDone). */
  effectDone: boolean;
}

/**
 * The rule, in one place. The job's state is read first and the effect second: a job that finished
 * between the two reads shows its effect, so a job missing from the queue with no effect was lost
 * (never run to the end), and enqueueing it again is right. A failed job is left failed (for an admin
 * to retry), never enqueued again automatically: it failed for a reason.
 */
export function reconcile(o: Observed): Reconciliation {
  if (o.superseded) return { action: 'settle', outcome: 'superseded' };
  if (o.effectDone) return { action: 'settle', outcome: 'done' };
  switch (o.jobState) {
    case 'completed':
      return { action: 'settle', outcome: 'completed' };
    case 'failed':
      return { action: 'settle', outcome: 'failed' };
    case 'unknown':
      return { action: 'requeue' };
    case 'waiting':
    case 'waiting-children':
    case 'delayed':
    case 'prioritized':
    case 'active':
      return { action: 'wait' };
  }
}
