import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PageQuery } from '#libs/core';
import { CertificateView, type CertificateRef } from './certificate.dto.js';

export const CERTIFICATE_ISSUE_STATUSES = [
  'queued',
  'running',
  'issued',
  'failed',
  'amendment_required',
  'not_requested',
] as const;
export type CertificateIssueStatus = (typeof CERTIFICATE_ISSUE_STATUSES)[number];

export class CertificateIssueJobView {
  @ApiProperty({
    description:
      'BullMQ job state (waiting, active, completed, failed, …); unknown: the queue does not have the job (lost, or not answering: the worker enqueues it again)',
  })
  state!: string;
  @ApiProperty() attemptsMade!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the issue failed, e.g. "verification.validUntil must be a calendar date"; null unless failed',
  })
  failedReason!: string | null;
}

class CertificateRefView {
  @ApiProperty() id!: string;
  @ApiProperty() number!: string;
}

/** The state of the certificate of one approved result revision (the issue runs on a queue). */
export class CertificateIssueView {
  @ApiProperty() resultRevisionId!: string;
  @ApiProperty({
    enum: CERTIFICATE_ISSUE_STATUSES,
    description:
      'queued: asked for and waiting on the queue (or in the outbox, to be enqueued again by a worker when the queue lost it or was unreachable); running: a worker is issuing it now; issued: the certificate exists; failed: the issue gave up (the reason is job.failedReason; an admin retries with POST /certificate-issues/{resultRevisionId}/retry after fixing the data); amendment_required: an earlier revision of the result has a current certificate, so a reviewer must amend it (POST /certificates/{id}/amend); not_requested: no issue was asked for this revision',
  })
  status!: CertificateIssueStatus;
  @ApiProperty({
    nullable: true,
    type: CertificateView,
    description: 'issued: the certificate, as GET /certificates/{id}',
  })
  certificate!: CertificateView | null;
  @ApiProperty({ nullable: true, type: CertificateRefView, description: 'amendment_required: the current certificate' })
  current!: CertificateRef | null;
  @ApiProperty({ nullable: true, type: CertificateIssueJobView }) job!: CertificateIssueJobView | null;
}

export class FailedCertificateIssueQuery extends PageQuery {
  @ApiProperty({ enum: ['failed'], description: 'Only failed issues are listed (pending ones finish by themselves)' })
  @IsIn(['failed'])
  status!: 'failed';
}

export class FailedCertificateIssueView {
  @ApiProperty() resultRevisionId!: string;
  @ApiProperty({ enum: ['failed'] }) status!: 'failed';
  @ApiProperty({ description: "The job's failedReason" }) failedReason!: string;
  @ApiProperty() attemptsMade!: number;
  @ApiProperty({ description: 'When the issue was queued' }) requestedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'When it failed for good' }) failedAt!: string | null;
}

export class FailedCertificateIssuePage {
  @ApiProperty({ type: [FailedCertificateIssueView] }) items!: FailedCertificateIssueView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
