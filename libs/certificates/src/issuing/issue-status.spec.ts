import { issueStatus, type IssueAsked } from './issue-status.js';

const dispatched: IssueAsked = { dispatched: true, outcome: null };

describe('issueStatus', () => {
  it('is queued while the outbox still holds the request, whatever the queue says', () => {
    expect(issueStatus({ dispatched: false, outcome: null }, undefined).status).toBe('queued');
  });

  it('follows the job while the queue has it', () => {
    expect(issueStatus(dispatched, { state: 'waiting', returnvalue: undefined }).status).toBe('queued');
    expect(issueStatus(dispatched, { state: 'delayed', returnvalue: undefined }).status).toBe('queued');
    expect(issueStatus(dispatched, { state: 'active', returnvalue: undefined }).status).toBe('running');
    expect(issueStatus(dispatched, { state: 'failed', returnvalue: undefined }).status).toBe('failed');
    expect(
      issueStatus(dispatched, {
        state: 'completed',
        returnvalue: { status: 'amendment_required', currentId: 'c1', current: 'GCN-1' },
      }),
    ).toEqual({ status: 'amendment_required', current: { id: 'c1', number: 'GCN-1' } });
  });

  it('says queued, not "not requested", when the queue lost a job that never finished', () => {
    expect(issueStatus(dispatched, undefined).status).toBe('queued');
  });

  it('keeps what the outbox recorded of a finished job the queue no longer has', () => {
    expect(issueStatus({ dispatched: true, outcome: 'failed' }, undefined).status).toBe('failed');
    expect(issueStatus({ dispatched: true, outcome: 'completed' }, undefined)).toEqual({
      status: 'amendment_required',
      current: null,
    });
  });
});
