import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { JobHandler, type JobHandlerOf, type JobPayloads, type JobResults } from '#libs/core';
import { CertificateModelError } from '#libs/documents';
import { CertificateSourceError } from '../certificate-source.js';
import { CertificateRepository } from '../certificate.repository.js';
import { CertificateIssuer } from './certificate-issuer.service.js';

/**
 * `certificate.issue`, enqueued through the outbox when a result revision is approved. Safe to run
 * twice or to be killed at any point: see CertificateIssuer. A revision that cannot give a
 * certificate (unknown, not approved, a model the renderer refuses) fails at once; anything else
 * (database, storage) is retried with backoff.
 */
@Injectable()
@JobHandler('certificate.issue')
export class CertificateIssueHandler implements JobHandlerOf<'certificate.issue'> {
  private readonly logger = new Logger('Certificates');

  constructor(
    private readonly issuer: CertificateIssuer,
    private readonly certificates: CertificateRepository,
  ) {}

  /** The revision has its certificate. */
  async alreadyDone(payloads: JobPayloads['certificate.issue'][]): Promise<boolean[]> {
    const ids = payloads.map((p) => p.resultRevisionId);
    const issued = await this.certificates.revisionsWithCertificate(ids);
    return ids.map((id) => issued.has(id));
  }

  async handle(
    { resultRevisionId }: JobPayloads['certificate.issue'],
    job: Job,
  ): Promise<JobResults['certificate.issue']> {
    try {
      const outcome = await this.issuer.issue(resultRevisionId);
      switch (outcome.status) {
        case 'issued':
        case 'exists':
          return { status: outcome.status, certificateId: outcome.certificate.id, number: outcome.certificate.number };
        case 'amendment_required':
          this.logger.log(
            `revision ${resultRevisionId}: ${outcome.current.number} is current for this result; a reviewer must amend it`,
          );
          return { status: outcome.status, currentId: outcome.current.id, current: outcome.current.number };
      }
    } catch (e) {
      if (e instanceof CertificateSourceError || e instanceof CertificateModelError) {
        this.logger.error(`certificate of revision ${resultRevisionId} cannot be issued: ${e.message}`);
        throw new UnrecoverableError(e.message);
      }
      this.logger.warn(
        `certificate of revision ${resultRevisionId}, attempt ${job.attemptsMade + 1}: ${e instanceof Error ? e.message : String(e)}`,
      );
      throw e;
    }
  }
}
