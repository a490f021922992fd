import { Injectable } from '@nestjs/common';
import { AuditTrail } from '#libs/audit';
import { AuthorisationService } from '#libs/auth';
import {
  ConflictError,
  ForbiddenError,
  jobId,
  NotFoundError,
  Outbox,
  type Principal,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { RequestItemWorkflow } from '#libs/requests';
import { todayInVietnam } from '../catalogue/catalogue.service.js';
import type { TestResult, TestResultStatus } from './analysis.entity.js';
import { AnalysisRepository, type NamedRevision } from './analysis.repository.js';
import type { TestResultView, TestReturnDto, TestReviewDto } from './dto/analysis.dto.js';
import { staffOnly, TestResultsService } from './test-results.service.js';

type Staff = Extract<Principal, { kind: 'staff' }>;
type Step = 'submit' | 'approve' | 'return';

const FROM: Record<Step, TestResultStatus> = { submit: 'draft', approve: 'submitted', return: 'submitted' };

/**
 * Review of a sample's results by a second person (ISO/IEC 17025 7.8.1, 6.2): the analyst submits a
 * revision; a reviewer authorised for testing, who recorded none of its revisions, approves it or
 * returns it with a reason. Approval moves the request item to results_approved and queues the test
 * report (outbox `certificate.issue`, job id certificate.<revisionId>) in the same transaction.
 */
@Injectable()
export class TestReviewService {
  constructor(
    private readonly results: TestResultsService,
    private readonly repository: AnalysisRepository,
    private readonly authorisations: AuthorisationService,
    private readonly workflow: RequestItemWorkflow,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async submit(itemId: string, dto: TestReviewDto, principal: Principal): Promise<TestResultView> {
    const actor = staffOnly(principal);
    await this.uow.run(async (tx) => {
      const { result, revision } = await this.lockCurrent(tx, itemId, dto.revision, 'submit');
      if (revision.performedBy !== actor.userId)
        throw new ForbiddenError('test_result.not_performer', 'A revision is submitted by the analyst who recorded it');
      await this.repository.setRevision(tx, revision.id, { status: 'submitted', submittedAt: new Date() });
      await this.repository.setResult(tx, result.id, { status: 'submitted' });
      await this.record(tx, actor, result, revision, 'submit', dto.comment);
    });
    return this.results.view(this.repository.manager, itemId);
  }

  async approve(itemId: string, dto: TestReviewDto, principal: Principal): Promise<TestResultView> {
    const actor = staffOnly(principal);
    await this.uow.run(async (tx) => {
      const { result, revision } = await this.lockCurrent(tx, itemId, dto.revision, 'approve');
      await this.assertIndependentReviewer(tx, result, actor);
      await this.repository.setRevision(tx, revision.id, {
        status: 'approved',
        reviewedAt: new Date(),
        reviewedBy: actor.userId,
        reviewComment: dto.comment ?? null,
      });
      await this.repository.setResult(tx, result.id, { status: 'approved', approvedRevision: revision.revision });
      const { item } = await this.workflow.lockItem(tx, itemId);
      if (item.status === 'in_progress') await this.workflow.markResultsApproved(tx, itemId, actor);
      await this.outbox.add(
        tx,
        'certificate.issue',
        { resultRevisionId: revision.id },
        jobId('certificate', revision.id),
      );
      await this.record(tx, actor, result, revision, 'approve', dto.comment);
    });
    return this.results.view(this.repository.manager, itemId);
  }

  async return(itemId: string, dto: TestReturnDto, principal: Principal): Promise<TestResultView> {
    const actor = staffOnly(principal);
    await this.uow.run(async (tx) => {
      const { result, revision } = await this.lockCurrent(tx, itemId, dto.revision, 'return');
      await this.assertIndependentReviewer(tx, result, actor);
      await this.repository.setRevision(tx, revision.id, {
        status: 'returned',
        reviewedAt: new Date(),
        reviewedBy: actor.userId,
        reviewComment: dto.comment,
      });
      await this.repository.setResult(tx, result.id, { status: 'returned' });
      await this.record(tx, actor, result, revision, 'return', dto.comment);
    });
    return this.results.view(this.repository.manager, itemId);
  }

  private async lockCurrent(tx: Tx, itemId: string, number: number, step: Step) {
    const result = await this.repository.lockResult(tx, itemId);
    if (!result) throw new NotFoundError('test_result', itemId);
    const revision = await this.repository.revision(tx.manager, result.id, number);
    if (!revision) throw new NotFoundError('test_result', `${itemId} revision ${number}`);
    if (number !== result.currentRevision)
      throw new ConflictError(
        'test_result.revision_not_current',
        `Revision ${number} has been followed by revision ${result.currentRevision}; review the latest one`,
        { currentRevision: result.currentRevision },
      );
    if (revision.status !== FROM[step])
      throw new ConflictError('test_result.invalid_transition', `A ${revision.status} revision cannot be ${step}ed`, {
        revisionStatus: revision.status,
        allowedFrom: [FROM[step]],
      });
    return { result, revision };
  }

  /** The person who tested may not review (self-approval refused); the reviewer is authorised today. */
  private async assertIndependentReviewer(tx: Tx, result: TestResult, actor: Staff): Promise<void> {
    const own = await this.repository.revisionsRecordedBy(tx, result.id, actor.userId);
    if (own.length)
      throw new ForbiddenError(
        'test_result.self_approval',
        `You recorded revision ${own.join(', ')} of these results: another authorised person reviews them`,
      );
    const today = todayInVietnam();
    const ok = await this.authorisations.isAuthorised(actor.userId, {
      instrumentTypeId: null,
      service: 'testing',
      activity: 'approve',
      on: today,
    });
    if (!ok)
      throw new ForbiddenError(
        'test_result.not_authorised',
        `${actor.fullName || actor.username} is not authorised to approve test results on ${today}`,
      );
  }

  private record(tx: Tx, actor: Staff, result: TestResult, revision: NamedRevision, step: Step, comment?: string) {
    return this.audit.record(tx, {
      actor,
      entity: 'test_result',
      entityId: result.id,
      action: step,
      before: { revision: revision.revision, status: revision.status },
      after: {
        requestItemId: result.requestItemId,
        revision: revision.revision,
        revisionId: revision.id,
        status: step === 'submit' ? 'submitted' : step === 'approve' ? 'approved' : 'returned',
        overall: revision.overall,
      },
      reason: comment ?? null,
    });
  }
}
