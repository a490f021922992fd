import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AuditTrail } from '#libs/audit';
import {
  ConflictError,
  decodeCursor,
  encodeCursor,
  jobId,
  JOB_QUEUE,
  JobQueue,
  NotFoundError,
  Outbox,
  UnprocessableError,
  type Principal,
  UnitOfWork,
} from '#libs/core';
import { CertificateSourceError } from '../certificate-source.js';
import { CertificateRepository } from '../certificate.repository.js';
import type { FailedCertificateIssuePage, FailedCertificateIssueQuery } from '../dto/certificate-issue.dto.js';
import { CertificateIssuer } from './certificate-issuer.service.js';

/** The job states in which the queue still has the issue in hand. */
const IN_HAND = ['waiting', 'waiting-children', 'active', 'delayed', 'prioritized'];
const JOB_PREFIX = `${jobId('certificate', '')}`;

/**
 * The way out of a certificate job that failed for good (a model the renderer refused, data missing
 * in the catalogue), without the queue dashboard: admins list the failed issues and, after fixing the
 * data, ask for the issue again.
 *
 * A retry removes the failed job and writes a new outbox row with the same deterministic job id, in
 * one transaction serialised with the issuer on the revision's advisory lock. Removal rather than
 * BullMQ's `job.retry()`: the request then goes through the same outbox path as an approval
 * (committed with its audit entry, swept by the worker if the flush after commit is lost), and works
 * the same on either queue backend. Exactly one certificate is still the issuer's guarantee: a
 * duplicate job finds the certificate and stops.
 */
@Injectable()
export class CertificateIssueRetry {
  constructor(
    private readonly certificates: CertificateRepository,
    private readonly issuer: CertificateIssuer,
    private readonly jobs: JobQueue,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  private get queue() {
    return this.jobs.queue(JOB_QUEUE['certificate.issue']);
  }

  /**
   * 404 unknown or not approved; 409 issued, still pending, or waiting for an amendment; 503 when the
   * queue does not answer (nothing is written: the admin tries again); else queued again.
   */
  async retry(resultRevisionId: string, principal: Principal): Promise<void> {
    await this.assertApproved(resultRevisionId);
    await this.jobs.assertAvailable('certificate.issue');
    const id = jobId('certificate', resultRevisionId);
    await this.uow.run(async (tx) => {
      // The issuer's lock: an issue running now finishes (and its certificate is seen) before we look.
      await this.certificates.lockRevision(tx, resultRevisionId);
      const issued = await this.certificates.numberIssuedFor(tx, resultRevisionId);
      if (issued) {
        throw new ConflictError(
          'certificate.already_issued',
          `Revision ${resultRevisionId} already has certificate ${issued}`,
          { number: issued },
        );
      }
      const queued = await this.outbox.isPending(tx, id);
      const state = await this.jobs.state('certificate.issue', id);
      if (queued || IN_HAND.includes(state)) {
        throw new ConflictError(
          'certificate.issue_pending',
          `The certificate of revision ${resultRevisionId} is still on the queue`,
        );
      }
      const job = state === 'unknown' ? undefined : await this.jobs.job('certificate.issue', id);
      const returned = job?.returnvalue;
      if (returned?.status === 'amendment_required') {
        throw new ConflictError(
          'certificate.amendment_required',
          `Certificate ${returned.current} is current for this result: amend it (POST /certificates/:id/amend)`,
          { current: returned.current },
        );
      }
      if (job) await this.jobs.bounded(`remove ${id}`, () => job.remove());
      await this.outbox.add(tx, 'certificate.issue', { resultRevisionId }, id);
      await this.audit.record(tx, {
        actor: principal,
        entity: 'certificate_issue',
        entityId: resultRevisionId,
        action: 'retry',
        before: { state, attemptsMade: job?.attemptsMade ?? 0, failedReason: job?.failedReason ?? null },
      });
    });
  }

  /**
   * Failed issues, most recently failed first. The queue's failed set is the source; a page is a
   * window of it (the cursor is an offset), so a retry between pages may shift an entry. A revision
   * that has its certificate by now (e.g. amended) is not listed.
   */
  async failed(query: FailedCertificateIssueQuery): Promise<FailedCertificateIssuePage> {
    let offset = 0;
    if (query.cursor) {
      [offset] = decodeCursor(query.cursor, ['int']);
    }
    const window = (await this.jobs.bounded('failed certificate issues', () =>
      this.queue.getJobs(['failed'], offset, offset + query.limit, false),
    )) as Job[];
    const more = window.length > query.limit;
    const jobs = window
      .slice(0, query.limit)
      .filter((j) => j.name === 'certificate.issue' && typeof j.id === 'string' && j.id.startsWith(JOB_PREFIX));
    const revisions = jobs.map((j) => (j.data as { resultRevisionId: string }).resultRevisionId);
    const issued = await this.certificates.revisionsWithCertificate(revisions);
    return {
      items: jobs
        .filter((j) => !issued.has((j.data as { resultRevisionId: string }).resultRevisionId))
        .map((j) => ({
          resultRevisionId: (j.data as { resultRevisionId: string }).resultRevisionId,
          status: 'failed' as const,
          failedReason: j.failedReason ?? '',
          attemptsMade: j.attemptsMade,
          requestedAt: new Date(j.timestamp).toISOString(),
          failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
        })),
      nextCursor: more ? encodeCursor([offset + query.limit]) : null,
    };
  }

  private async assertApproved(resultRevisionId: string): Promise<void> {
    try {
      await this.issuer.draft(resultRevisionId);
    } catch (e) {
      if (!(e instanceof CertificateSourceError)) throw e;
      if (e.reason === 'incomplete') {
        throw new UnprocessableError('certificate.revision_unusable', e.message, {
          errors: [{ field: 'resultRevisionId', message: e.message }],
        });
      }
      throw new NotFoundError('approved result revision', resultRevisionId);
    }
  }
}
