import type { JobResults, OutboxOutcome } from '#libs/core';
import type { CertificateRef } from '../dto/certificate.dto.js';
import type { CertificateIssueStatus } from '../dto/certificate-issue.dto.js';

/** The newest outbox message asking for the issue (Outbox.latest). */
export interface IssueAsked {
  dispatched: boolean;
  outcome: OutboxOutcome | null;
}

/** The job as the queue has it; undefined when the queue has no such job or did not answer in time. */
export interface IssueJob {
  state: string;
  returnvalue: JobResults['certificate.issue'] | null | undefined;
}

/**
 * Where the issue of a revision without a certificate stands, from the outbox first and the queue
 * second: the outbox row is the request, which outlives anything the queue forgets. A job the queue
 * no longer has is still `queued` (the worker's reconciliation enqueues it again) unless the outbox
 * recorded that it finished: failed, or completed without a certificate for this revision, which is
 * only ever "amendment required".
 */
export function issueStatus(
  asked: IssueAsked,
  job: IssueJob | undefined,
): { status: Exclude<CertificateIssueStatus, 'issued' | 'not_requested'>; current: CertificateRef | null } {
  if (!asked.dispatched) return { status: 'queued', current: null };
  if (job) {
    if (job.state === 'active') return { status: 'running', current: null };
    if (job.state === 'failed') return { status: 'failed', current: null };
    if (job.state !== 'completed') return { status: 'queued', current: null };
    const returned = job.returnvalue;
    if (returned?.status === 'amendment_required') {
      return { status: 'amendment_required', current: { id: returned.currentId, number: returned.current } };
    }
    // Completed with a certificate the caller did not see yet (it committed just after the lookup).
    return { status: 'running', current: null };
  }
  if (asked.outcome === 'failed') return { status: 'failed', current: null };
  if (asked.outcome === 'completed') return { status: 'amendment_required', current: null };
  return { status: 'queued', current: null };
}
