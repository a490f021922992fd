import { Injectable } from '@nestjs/common';
import { AuditTrail } from '#libs/audit';
import { AuthorisationService } from '#libs/auth';
import {
  ConflictError,
  ForbiddenError,
  jobId,
  Outbox,
  UnprocessableError,
  type Principal,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import {
  InstrumentService,
  InstrumentTypeService,
  isVerification,
  readinessFieldErrors,
  todayInVietnam,
} from '#libs/registry';
import { RequestItemWorkflow, type ItemStatus } from '#libs/requests';
import { passedForRegistry } from './computation.js';
import type { ApproveDto, ResultView, ReturnDto, SubmitDto } from './dto/result.dto.js';
import { CalibrationResultRepository, type LoadedRevision } from './calibration-result.repository.js';
import { AUDIT_ENTITY, CalibrationResult, CalibrationResultRevision, type RevisionStatus } from './result.entity.js';
import { ResultService } from './result.service.js';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

function staff(p: Principal): StaffPrincipal {
  if (p.kind !== 'staff') throw new ForbiddenError('access.denied', 'Only staff review results');
  return p;
}

/**
 * Review (soát xét) of results: the technician submits a revision; a reviewer authorised for the type
 * and service, who measured none of its revisions, approves it or returns it with a comment.
 * Approval is what the rest of the system acts on, in the same transaction: the instrument's service
 * history and next due date, the request item (results_approved, with its webhook), and the
 * certificate job (outbox).
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly results: ResultService,
    private readonly authorisations: AuthorisationService,
    private readonly instruments: InstrumentService,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    private readonly workflow: RequestItemWorkflow,
    private readonly types: InstrumentTypeService,
    private readonly uow: UnitOfWork,
    private readonly repository: CalibrationResultRepository,
  ) {}

  async submit(id: string, dto: SubmitDto, principal: Principal): Promise<ResultView> {
    const actor = staff(principal);
    await this.uow.run(async (tx) => {
      const { result, loaded } = await this.lockCurrent(tx, id, dto.revision);
      assertStatus(loaded.revision.status, ['draft'], 'submit');
      if (loaded.revision.performedBy !== actor.userId) {
        throw new ForbiddenError(
          'result.not_performer',
          `Revision ${dto.revision} is submitted for review by the technician who recorded it`,
        );
      }
      await tx.manager
        .getRepository(CalibrationResultRevision)
        .update(
          { id: loaded.revision.id },
          { status: 'submitted', submittedAt: new Date(), submittedBy: actor.userId },
        );
      await tx.manager.getRepository(CalibrationResult).update({ id: result.id }, { status: 'submitted' });
      await this.audit.record(tx, {
        actor,
        entity: AUDIT_ENTITY.result,
        entityId: id,
        action: 'submit',
        before: { revision: dto.revision, status: loaded.revision.status },
        after: { revision: dto.revision, status: 'submitted' },
      });
    });
    return this.results.get(id);
  }

  async approve(id: string, dto: ApproveDto, principal: Principal): Promise<ResultView> {
    const actor = staff(principal);
    await this.uow.run(async (tx) => {
      const { result, loaded } = await this.lockCurrent(tx, id, dto.revision);
      assertStatus(loaded.revision.status, ['submitted'], 'approve');
      await this.assertIndependentReviewer(tx, result, actor);
      const previousApproved = result.approvedRevision;
      await tx.manager
        .getRepository(CalibrationResultRevision)
        .update(
          { id: loaded.revision.id },
          { status: 'approved', reviewedAt: new Date(), reviewedBy: actor.userId, reviewComment: dto.comment ?? null },
        );
      await tx.manager
        .getRepository(CalibrationResult)
        .update({ id }, { status: 'approved', approvedRevision: dto.revision });
      await this.assertCertifiable(tx, result, loaded);
      await this.recordInstrumentOutcome(tx, result, loaded, previousApproved, actor);
      await this.assertValidityKnown(tx, result, loaded);
      await this.advanceRequestItem(tx, result, actor);
      await this.outbox.add(
        tx,
        'certificate.issue',
        { resultRevisionId: loaded.revision.id },
        jobId('certificate', loaded.revision.id),
      );
      await this.audit.record(tx, {
        actor,
        entity: AUDIT_ENTITY.result,
        entityId: id,
        action: 'approve',
        before: { revision: dto.revision, status: 'submitted' },
        after: {
          revision: dto.revision,
          revisionId: loaded.revision.id,
          status: 'approved',
          overallOutcome: loaded.revision.overallOutcome,
        },
        reason: dto.comment ?? null,
      });
    });
    return this.results.get(id);
  }

  async return(id: string, dto: ReturnDto, principal: Principal): Promise<ResultView> {
    const actor = staff(principal);
    await this.uow.run(async (tx) => {
      const { result, loaded } = await this.lockCurrent(tx, id, dto.revision);
      assertStatus(loaded.revision.status, ['submitted'], 'return');
      await this.assertIndependentReviewer(tx, result, actor);
      await tx.manager
        .getRepository(CalibrationResultRevision)
        .update(
          { id: loaded.revision.id },
          { status: 'returned', reviewedAt: new Date(), reviewedBy: actor.userId, reviewComment: dto.comment },
        );
      await tx.manager.getRepository(CalibrationResult).update({ id }, { status: 'returned' });
      await this.audit.record(tx, {
        actor,
        entity: AUDIT_ENTITY.result,
        entityId: id,
        action: 'return',
        before: { revision: dto.revision, status: 'submitted' },
        after: { revision: dto.revision, status: 'returned' },
        reason: dto.comment,
      });
    });
    return this.results.get(id);
  }

  /**
   * What the certificate (or the notice of failed verification) will need is checked here, in the
   * approval's transaction, so that a job is never queued that can only fail: for a verification,
   * the type's procedure, a cycle in force on the measurement date and a usable MPE rule.
   */
  private async assertCertifiable(tx: Tx, result: CalibrationResult, loaded: LoadedRevision): Promise<void> {
    if (!isVerification(result.service)) return;
    const readiness = await this.types.readiness(
      tx,
      result.instrumentTypeId,
      result.service,
      loaded.revision.measuredOn,
    );
    if (readiness.ready) return;
    throw new UnprocessableError(
      'result.not_certifiable',
      `This verification cannot be certified: ${readiness.missing.join('; ')}. Complete the instrument type, then approve`,
      { errors: readinessFieldErrors('instrumentType', '', readiness) },
    );
  }

  /** A passed verification's certificate states a validity: the registry must have computed one from it. */
  private async assertValidityKnown(tx: Tx, result: CalibrationResult, loaded: LoadedRevision): Promise<void> {
    if (!isVerification(result.service) || loaded.revision.overallOutcome !== 'pass') return;
    const instrument = await this.instruments.find(tx, result.instrumentId);
    if (instrument.lastVerificationDate === loaded.revision.measuredOn && instrument.nextDueDate) return;
    throw new UnprocessableError(
      'result.not_certifiable',
      `No validity can be stated: the instrument's next due date could not be computed from the verification of ${loaded.revision.measuredOn}`,
      { errors: [{ field: 'instrumentType', message: 'no verification cycle gives a next due date' }] },
    );
  }

  /** Locks the result and loads the named revision, which must be the latest. */
  private async lockCurrent(tx: Tx, id: string, revision: number) {
    const result = await this.results.lockResult(tx, id);
    const loaded = await this.repository.loadRevision(tx, { resultId: id, revision });
    if (revision !== result.currentRevision) {
      throw new ConflictError(
        'result.revision_not_current',
        `Revision ${revision} has been superseded by revision ${result.currentRevision}; review the latest one`,
        { currentRevision: result.currentRevision },
      );
    }
    return { result, loaded };
  }

  /**
   * ISO/IEC 17025 6.2 and 7.8.1: the reviewer is authorised to approve this type and service today,
   * and measured none of the result's revisions (checked first: it is the clearer refusal).
   */
  private async assertIndependentReviewer(tx: Tx, result: CalibrationResult, actor: StaffPrincipal): Promise<void> {
    const measured = await this.repository.revisionsRecordedBy(tx, result.id, actor.userId);
    if (measured.length) {
      throw new ForbiddenError(
        'result.self_approval',
        `You recorded revision ${measured.join(', ')} of this result: the person who measured may not review it; another reviewer must`,
      );
    }
    const today = todayInVietnam();
    const authorised = await this.authorisations.isAuthorised(actor.userId, {
      instrumentTypeId: result.instrumentTypeId,
      service: result.service,
      activity: 'approve',
      on: today,
    });
    if (!authorised) {
      throw new ForbiddenError(
        'result.not_authorised_to_approve',
        `${actor.fullName || actor.username} is not authorised to approve ${result.service} of this instrument type on ${today}`,
      );
    }
  }

  /**
   * The request item moves to results_approved (requests library, same transaction). A corrected result
   * approved again finds its item already past that point and leaves it there.
   */
  private async advanceRequestItem(tx: Tx, result: CalibrationResult, actor: StaffPrincipal): Promise<void> {
    const { item } = await this.workflow.lockItem(tx, result.requestItemId);
    if (item.status === 'in_progress') {
      await this.workflow.markResultsApproved(tx, item.id, actor);
      return;
    }
    if (APPROVED_OR_LATER.includes(item.status)) return;
    throw new ConflictError(
      'result.item_not_in_progress',
      `Request item ${item.id} is ${item.status}: a result is approved while its item is in progress`,
      { itemStatus: item.status },
    );
  }

  /**
   * The instrument's service history and next due date (registry). A later approved revision that
   * states the same date and outcome records nothing new; one that changes them is refused, since the
   * registry's history is not rewritten from here.
   */
  private async recordInstrumentOutcome(
    tx: Tx,
    result: CalibrationResult,
    loaded: LoadedRevision,
    previousApproved: number | null,
    actor: StaffPrincipal,
  ): Promise<void> {
    const passed = passedForRegistry(result.service, loaded.revision.overallOutcome);
    if (previousApproved !== null) {
      const before = await tx.manager
        .getRepository(CalibrationResultRevision)
        .findOneByOrFail({ resultId: result.id, revision: previousApproved });
      const passedBefore = passedForRegistry(result.service, before.overallOutcome);
      if (before.measuredOn === loaded.revision.measuredOn && passedBefore === passed) return;
      throw new ConflictError(
        'result.outcome_already_recorded',
        `Revision ${previousApproved} was approved with ${before.measuredOn} / ${String(passedBefore)} and is in the instrument's history; ` +
          'a revision changing the date or the outcome cannot be approved until that history is corrected',
      );
    }
    await this.instruments.recordOutcome(
      tx,
      result.instrumentId,
      { service: result.service, date: loaded.revision.measuredOn, passed },
      { origin: 'approval', recordedBy: actor.userId },
    );
  }
}

/** Item states after results_approved: a re-approval of a corrected result does not move the item again. */
const APPROVED_OR_LATER: readonly ItemStatus[] = ['results_approved', 'certificate_issued', 'returned', 'closed'];

const ALLOWED_FROM: Record<'submit' | 'approve' | 'return', RevisionStatus[]> = {
  submit: ['draft'],
  approve: ['submitted'],
  return: ['submitted'],
};

function assertStatus(status: RevisionStatus, allowed: RevisionStatus[], action: keyof typeof ALLOWED_FROM): void {
  if (allowed.includes(status)) return;
  throw new ConflictError(
    'result.invalid_transition',
    `A ${status} revision cannot be ${action === 'submit' ? 'submitted' : action === 'approve' ? 'approved' : 'returned'}; only a ${ALLOWED_FROM[action].join(' or ')} one can`,
    { revisionStatus: status, allowedFrom: ALLOWED_FROM[action] },
  );
}
