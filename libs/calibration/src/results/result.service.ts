import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import {
  ConflictError,
  NotFoundError,
  toPage,
  UnprocessableError,
  type FieldError,
  type Page,
  type Principal,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { InstrumentService, todayInVietnam, type Instrument } from '#libs/registry';
import { RequestItem, RequestItemWorkflow, ServiceRequest, type ItemStatus } from '#libs/requests';
import type {
  ItemResultView,
  RecordResultDto,
  ResultPreviewView,
  ResultQuery,
  ResultSummaryView,
  ResultView,
  ReviseResultDto,
  RevisionSummaryView,
  RevisionView,
} from './dto/result.dto.js';
import { ResultComposer, type ComposedRevision, type ResultContent, type ResultSubject } from './result-composer.js';
import { CalibrationResultRepository, type LoadedRevision } from './calibration-result.repository.js';
import {
  auditSnapshot,
  toPointView,
  toResultSummary,
  toResultView,
  toRevisionSummary,
  toRevisionView,
} from './result.presenter.js';
import {
  AUDIT_ENTITY,
  CalibrationResult,
  CalibrationResultPoint,
  CalibrationResultRevision,
  CalibrationResultStandard,
} from './result.entity.js';

/**
 * Results (kết quả hiệu chuẩn / kiểm định) and their revisions. Nothing is ever updated in place: a
 * correction is a new revision with a reason; every change goes to the audit trail in its transaction.
 */
@Injectable()
export class ResultService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly composer: ResultComposer,
    private readonly instruments: InstrumentService,
    private readonly audit: AuditTrail,
    private readonly workflow: RequestItemWorkflow,
    private readonly uow: UnitOfWork,
    private readonly repository: CalibrationResultRepository,
  ) {}

  /**
   * Revision 1 of the result of a request item. The item must be received or in progress; a received
   * item moves to in progress in the same transaction (recording results is doing the work).
   */
  async record(dto: RecordResultDto, principal: Principal): Promise<ResultView> {
    const id = await this.uow.run(async (tx) => {
      const { request, item } = await this.lockItem(tx, dto.requestItemId);
      const subject = await this.subjectFromItem(tx, item, dto);
      const existing = await tx.manager.getRepository(CalibrationResult).findOneBy({ requestItemId: item.id });
      if (existing) {
        throw new ConflictError(
          'result.exists_for_item',
          `Request item ${item.id} already has result ${existing.id}: correct it with a new revision`,
          { resultId: existing.id },
        );
      }
      const content = contentFromDto(dto);
      const receivedOn = item.receivedAt ? todayInVietnam(item.receivedAt) : null;
      if (receivedOn && content.measuredOn < receivedOn) {
        throw new UnprocessableError(
          'result.measured_before_receipt',
          `The item was received on ${receivedOn}; it cannot have been measured on ${content.measuredOn}`,
          {
            errors: [
              { field: 'measuredOn', message: `measuredOn must not be before the date of receipt ${receivedOn}` },
            ],
          },
        );
      }
      const composed = await this.composer.compose(subject, content, principal);
      if (item.status === 'received') {
        await this.workflow.apply(tx, request, [{ item, move: { to: 'in_progress' } }], principal);
      }
      const result = await tx.manager.getRepository(CalibrationResult).save(
        tx.manager.getRepository(CalibrationResult).create({
          requestItemId: item.id,
          instrumentId: subject.instrument.id,
          instrumentTypeId: subject.instrument.instrumentTypeId,
          service: subject.service,
          status: 'draft',
          currentRevision: 1,
          approvedRevision: null,
          createdBy: staffUserId(principal),
        }),
      );
      await this.insertRevision(tx, result.id, 1, null, composed);
      await this.audit.record(tx, {
        actor: principal,
        entity: AUDIT_ENTITY.result,
        entityId: result.id,
        action: 'create',
        after: auditSnapshot({ ...composed, revision: { ...composed.revision, revision: 1, status: 'draft' } }),
      });
      return result.id;
    });
    return this.get(id);
  }

  /**
   * What recording this content would compute (error, U, k, MPE, U/MPE, decision per point), with the
   * same checks and 422s as record, in a read-only transaction that writes nothing.
   */
  async preview(dto: RecordResultDto, principal: Principal): Promise<ResultPreviewView> {
    return this.uow.run(async (tx) => {
      const item = await this.workflow.findItem(tx, dto.requestItemId);
      if (!item) {
        throw new UnprocessableError('result.bad_reference', 'No request item has this id', {
          errors: [{ field: 'requestItemId', message: 'no request item has this id' }],
        });
      }
      const subject = await this.subjectFromItem(tx, item, dto);
      const composed = await this.composer.compose(subject, contentFromDto(dto), principal);
      const divisor = composed.revision.capabilityDivisor;
      return {
        overallOutcome: composed.revision.overallOutcome,
        points: composed.points.map((p) => toPointView(p, divisor)),
      };
    });
  }

  /** Locks the item's request (the requests library's order of locks); a missing item is a bad reference. */
  async lockItem(tx: Tx, itemId: string): Promise<{ request: ServiceRequest; item: RequestItem }> {
    try {
      return await this.workflow.lockItem(tx, itemId);
    } catch (e) {
      if (e instanceof NotFoundError) {
        throw new UnprocessableError('result.bad_reference', 'No request item has this id', {
          errors: [{ field: 'requestItemId', message: 'no request item has this id' }],
        });
      }
      throw e;
    }
  }

  /**
   * A correction: revision n + 1 from the latest one, with the fields given replacing the old ones.
   * The previous revision stays readable; if it was not approved it becomes superseded.
   */
  async revise(id: string, dto: ReviseResultDto, principal: Principal): Promise<ResultView> {
    await this.uow.run(async (tx) => {
      const result = await this.lockResult(tx, id);
      const previous = await this.repository.loadRevision(tx, { resultId: id, revision: result.currentRevision });
      const instrument = await this.instruments.find(tx, result.instrumentId);
      const subject: ResultSubject = {
        requestItemId: result.requestItemId,
        instrument,
        service: result.service,
        conformity: {
          requested: previous.revision.conformityRequested,
          rule:
            previous.revision.decisionRuleSource === 'request' && previous.revision.decisionRule
              ? { kind: previous.revision.decisionRule, guardBandFactor: previous.revision.guardBandFactor }
              : null,
        },
      };
      const { reason, ...changes } = dto;
      const composed = await this.composer.compose(subject, carryOver(previous, changes), principal);
      const next = result.currentRevision + 1;
      if (previous.revision.status !== 'approved') {
        await tx.manager
          .getRepository(CalibrationResultRevision)
          .update({ id: previous.revision.id }, { status: 'superseded' });
      }
      await this.insertRevision(tx, id, next, reason, composed);
      await tx.manager.getRepository(CalibrationResult).update({ id }, { currentRevision: next, status: 'draft' });
      await this.audit.record(tx, {
        actor: principal,
        entity: AUDIT_ENTITY.result,
        entityId: id,
        action: 'revise',
        before: auditSnapshot(previous),
        after: auditSnapshot({ ...composed, revision: { ...composed.revision, revision: next, status: 'draft' } }),
        reason,
      });
    });
    return this.get(id);
  }

  async get(id: string): Promise<ResultView> {
    const found = await this.repository.findWithCard(id);
    if (!found) throw new NotFoundError('calibration_result', id);
    const { result, card } = found;
    return toResultView(
      result,
      card,
      await this.repository.loadRevision(undefined, { resultId: id, revision: result.currentRevision }),
    );
  }

  async list(query: ResultQuery): Promise<Page<ResultSummaryView>> {
    const rows = await this.repository.list(query);
    return toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toResultSummary);
  }

  /** The request item's result with its current revision, or null while none is recorded. */
  async ofItem(requestItemId: string): Promise<ItemResultView | null> {
    const [result] = await this.repository.list({ requestItemId, limit: 1 });
    if (!result) return null;
    const current = await this.repository.loadRevision(undefined, {
      resultId: result.id,
      revision: result.currentRevision,
    });
    return { ...toResultSummary(result), revision: toRevisionView(current) };
  }

  /** Every revision, oldest first. */
  async revisions(id: string): Promise<RevisionSummaryView[]> {
    const exists = await this.db.getRepository(CalibrationResult).existsBy({ id });
    if (!exists) throw new NotFoundError('calibration_result', id);
    const rows = await this.db
      .getRepository(CalibrationResultRevision)
      .find({ where: { resultId: id }, order: { revision: 'ASC' } });
    const people = await this.repository.people(
      undefined,
      rows.map((r) => r.performedBy),
    );
    return rows.map((r) => toRevisionSummary(r, people.find((p) => p.id === r.performedBy) ?? null));
  }

  async revision(id: string, revision: number): Promise<RevisionView> {
    return toRevisionView(await this.repository.loadRevision(undefined, { resultId: id, revision }));
  }

  /** There is no edit in place: answers why, and what to do instead. */
  async refuseEdit(id: string, revision: number): Promise<never> {
    const loaded = await this.repository.loadRevision(undefined, { resultId: id, revision });
    if (loaded.revision.status === 'approved') {
      throw new ConflictError(
        'result.revision_approved',
        `Revision ${revision} is approved and can never be changed; a correction is a new revision (POST /results/${id}/revisions with a reason)`,
      );
    }
    throw new ConflictError(
      'result.revision_immutable',
      `Technical records are never overwritten; a correction is a new revision (POST /results/${id}/revisions with a reason)`,
    );
  }

  async lockResult(tx: Tx, id: string): Promise<CalibrationResult> {
    const result = await tx.manager
      .getRepository(CalibrationResult)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!result) throw new NotFoundError('calibration_result', id);
    return result;
  }

  private async insertRevision(
    tx: Tx,
    resultId: string,
    revision: number,
    reason: string | null,
    composed: ComposedRevision,
  ): Promise<CalibrationResultRevision> {
    const saved = await tx.manager
      .getRepository(CalibrationResultRevision)
      .save(
        tx.manager
          .getRepository(CalibrationResultRevision)
          .create({ ...composed.revision, resultId, revision, reason, status: 'draft' }),
      );
    await tx.manager
      .getRepository(CalibrationResultStandard)
      .insert(composed.standards.map((s) => ({ ...s, revisionId: saved.id })));
    const points = composed.points.map((p) => ({ ...p, revisionId: saved.id }));
    // The budget is plain JSON; TypeORM's deep-partial insert type cannot follow its Record<string, unknown> rows.
    await tx.manager
      .getRepository(CalibrationResultPoint)
      .insert(points as unknown as Parameters<Repository<CalibrationResultPoint>['insert']>[0]);
    return saved;
  }

  /** What the result is about, from the request item; the body's instrument and service only cross-check it. */
  private async subjectFromItem(tx: Tx, item: RequestItem, dto: RecordResultDto): Promise<ResultSubject> {
    if (!RECORDABLE_ITEM_STATUSES.includes(item.status)) {
      throw new ConflictError(
        'result.item_not_ready',
        `Request item ${item.id} is ${item.status}: results are recorded for an item that is received or in progress`,
        { itemStatus: item.status, allowed: RECORDABLE_ITEM_STATUSES },
      );
    }
    const mismatch: FieldError[] = [];
    if (dto.instrumentId !== undefined && dto.instrumentId !== item.instrumentId)
      mismatch.push({ field: 'instrumentId', message: "instrumentId is not the request item's instrument" });
    if (dto.service !== undefined && dto.service !== item.service)
      mismatch.push({ field: 'service', message: `the request item is for ${item.service}` });
    if (mismatch.length) {
      throw new UnprocessableError('result.item_mismatch', 'The result does not match its request item', {
        errors: mismatch,
      });
    }
    if (item.instrumentId === null) {
      throw new UnprocessableError('result.service_not_supported', 'A test sample has no calibration result', {
        errors: [{ field: 'requestItemId', message: 'the item is a test sample (testing has its own reports)' }],
      });
    }
    const instrument: Instrument = await this.instruments.find(tx, item.instrumentId);
    return {
      requestItemId: item.id,
      instrument,
      service: item.service,
      conformity: {
        requested: item.conformityStatementRequested,
        rule: item.decisionRule ? { kind: item.decisionRule } : null,
      },
    };
  }
}

/** A result is recorded while the instrument is at the bench: received (the work starts with it) or in progress. */
const RECORDABLE_ITEM_STATUSES: readonly ItemStatus[] = ['received', 'in_progress'];

function staffUserId(p: Principal): string {
  if (p.kind !== 'staff') throw new Error('a result is recorded by staff');
  return p.userId;
}

function pointsFromDto(points: RecordResultDto['points']): ResultContent['points'] {
  return points.map((p) => ({
    ...(p.series === undefined ? {} : { series: p.series }),
    nominal: p.nominal,
    ...(p.unit === undefined ? {} : { unit: p.unit }),
    referenceValue: p.referenceValue,
    readings: p.readings,
    corrections: (p.corrections ?? []).map((c) => ({ name: c.name, value: c.value })),
    ...(p.budget === undefined ? {} : { budget: p.budget.map((b) => ({ ...b })) }),
    conditions: {
      ...(p.quantity === undefined ? {} : { quantity: p.quantity }),
      ...(p.flowPoint === undefined ? {} : { flowPoint: p.flowPoint }),
      ...(p.waterTemperature === undefined ? {} : { waterTemperature: p.waterTemperature }),
    },
    ...(p.coverageFactorFallback === undefined ? {} : { coverageFactorFallback: p.coverageFactorFallback }),
  }));
}

function contentFromDto(dto: RecordResultDto): ResultContent {
  return {
    templateId: dto.templateId ?? null,
    ...(dto.procedureCode === undefined ? {} : { procedureCode: dto.procedureCode }),
    measuredOn: dto.measuredOn,
    place: dto.place,
    environment: { ...(dto.environment ?? {}) },
    ...(dto.standardIds === undefined ? {} : { standardIds: dto.standardIds }),
    adjusted: dto.adjusted ?? false,
    ...(dto.coverageProbability === undefined ? {} : { coverageProbability: dto.coverageProbability }),
    points: pointsFromDto(dto.points),
  };
}

/** The previous revision's content with the fields given replacing it; carried points keep their budget rows. */
function carryOver(previous: LoadedRevision, changes: Omit<ReviseResultDto, 'reason'>): ResultContent {
  const r = previous.revision;
  const environment: ResultContent['environment'] = {};
  if (r.temperature !== null) environment.temperature = r.temperature;
  if (r.humidity !== null) environment.humidity = r.humidity;
  if (r.pressure !== null) environment.pressure = r.pressure;
  return {
    templateId: changes.templateId ?? r.templateId,
    procedureCode: changes.procedureCode ?? r.procedureCode,
    measuredOn: changes.measuredOn ?? r.measuredOn,
    place: changes.place ?? r.place,
    environment: changes.environment !== undefined ? { ...changes.environment } : environment,
    standardIds: changes.standardIds ?? previous.standards.map((s) => s.standardId),
    adjusted: changes.adjusted ?? r.adjusted,
    coverageProbability: changes.coverageProbability ?? r.coverageProbability,
    points:
      changes.points !== undefined
        ? pointsFromDto(changes.points)
        : previous.points.map((p) => ({
            series: p.series,
            nominal: p.nominal,
            unit: p.unit,
            referenceValue: p.referenceValue,
            readings: p.readings,
            corrections: p.corrections,
            budget: p.budget.terms,
            conditions: p.conditions,
            ...(p.budget.coverageFactorFallbackRequested === undefined
              ? {}
              : { coverageFactorFallback: p.budget.coverageFactorFallbackRequested }),
          })),
  };
}
