import { reconcile, type Observed } from './reconciliation.js';

const open: Observed = { superseded: false, jobState: 'unknown', effectDone: false };

describe('outbox reconciliation rule', () => {
  it('enqueues again a job the queue lost whose effect is not there', () => {
    expect(reconcile(open)).toEqual({ action: 'requeue' });
  });

  it('never enqueues again when the effect is there, whatever the queue says', () => {
    for (const jobState of ['unknown', 'waiting', 'active', 'completed', 'failed'] as const) {
      expect(reconcile({ ...open, jobState, effectDone: true })).toEqual({ action: 'settle', outcome: 'done' });
    }
  });

  it('waits while the queue has the job in hand', () => {
    for (const jobState of ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'] as const) {
      expect(reconcile({ ...open, jobState })).toEqual({ action: 'wait' });
    }
  });

  it('settles a finished job: completed, or failed for good (left to an admin, not retried)', () => {
    expect(reconcile({ ...open, jobState: 'completed' })).toEqual({ action: 'settle', outcome: 'completed' });
    expect(reconcile({ ...open, jobState: 'failed' })).toEqual({ action: 'settle', outcome: 'failed' });
  });

  it('settles a message superseded by a newer one with the same job id, without looking further', () => {
    expect(reconcile({ superseded: true, jobState: 'unknown', effectDone: false })).toEqual({
      action: 'settle',
      outcome: 'superseded',
    });
  });
});
