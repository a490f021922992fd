import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import { StaffUser } from '#libs/auth';
import {
  ConflictError,
  decodeCursor,
  InvalidInputError,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgConstraint,
  pgErrorCode,
  toPage,
  UnprocessableError,
  type Page,
  type Principal,
} from '#libs/core';
import { InstrumentService, type Instrument } from '#libs/registry';
import type { DecisionRuleSpec } from './computation.js';
import type {
  RecordResultDto,
  ResultQuery,
  ResultSummaryView,
  ResultView,
  ReviseResultDto,
  RevisionSummaryView,
  RevisionView,
} from './dto/result.dto.js';
import { ResultComposer, type ComposedRevision, type ResultContent, type ResultSubject } from './result-composer.js';
import {
  auditSnapshot,
  loadRevision,
  type LoadedRevision,
  toResultSummary,
  toResultView,
  toRevisionSummary,
  toRevisionView,
} from './result-views.js';
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
  ) {}

  async record(dto: RecordResultDto, principal: Principal): Promise<ResultView> {
    const subject = await this.subjectFromBody(dto);
    const composed = await this.composer.compose(subject, contentFromDto(dto), principal);
    const id = await this.db.transaction(async (m) => {
      let result: CalibrationResult;
      try {
        result = await m.getRepository(CalibrationResult).save(
          m.getRepository(CalibrationResult).create({
            requestItemId: subject.requestItemId,
            instrumentId: subject.instrument.id,
            instrumentTypeId: subject.instrument.instrumentTypeId,
            service: subject.service,
            status: 'draft',
            currentRevision: 1,
            approvedRevision: null,
            createdBy: staffUserId(principal),
          }),
        );
      } catch (e) {
        if (pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_calibration_result_request_item') {
          const existing = await this.db
            .getRepository(CalibrationResult)
            .findOneBy({ requestItemId: subject.requestItemId! });
          throw new ConflictError(
            'result.exists_for_item',
            `Request item ${subject.requestItemId} already has result ${existing?.id}: correct it with a new revision`,
            { resultId: existing?.id },
          );
        }
        throw e;
      }
      await this.insertRevision(m, result.id, 1, null, composed);
      await this.audit.record(m, {
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
   * A correction: revision n + 1 from the latest one, with the fields given replacing the old ones.
   * The previous revision stays readable; if it was not approved it becomes superseded.
   */
  async revise(id: string, dto: ReviseResultDto, principal: Principal): Promise<ResultView> {
    await this.db.transaction(async (m) => {
      const result = await this.lockResult(m, id);
      const previous = await loadRevision(m, { resultId: id, revision: result.currentRevision });
      const instrument = await this.instruments.find(result.instrumentId, undefined, m);
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
        await m.getRepository(CalibrationResultRevision).update({ id: previous.revision.id }, { status: 'superseded' });
      }
      await this.insertRevision(m, id, next, reason, composed);
      await m.getRepository(CalibrationResult).update({ id }, { currentRevision: next, status: 'draft' });
      await this.audit.record(m, {
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

  async get(id: string, manager: EntityManager = this.db.manager): Promise<ResultView> {
    const result = await manager.getRepository(CalibrationResult).findOne({
      where: { id },
      relations: { instrument: { instrumentType: true, owner: true } },
    });
    if (!result) throw new NotFoundError('calibration_result', id);
    return toResultView(result, await loadRevision(manager, { resultId: id, revision: result.currentRevision }));
  }

  async list(query: ResultQuery): Promise<Page<ResultSummaryView>> {
    const qb = this.db
      .getRepository(CalibrationResult)
      .createQueryBuilder('r')
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(query.limit + 1);
    if (query.instrumentId) qb.andWhere('r.instrument_id = :instrumentId', { instrumentId: query.instrumentId });
    if (query.requestItemId) qb.andWhere('r.request_item_id = :item', { item: query.requestItemId });
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.cursor) {
      const [createdAt, cid] = decodeCursor(query.cursor, 2);
      qb.andWhere('(r.created_at, r.id) < (:createdAt::timestamptz, :cid::uuid)', { createdAt, cid });
    }
    return toPage(await qb.getMany(), query.limit, (r) => [r.createdAt.toISOString(), r.id], toResultSummary);
  }

  /** Every revision, oldest first. */
  async revisions(id: string): Promise<RevisionSummaryView[]> {
    const exists = await this.db.getRepository(CalibrationResult).existsBy({ id });
    if (!exists) throw new NotFoundError('calibration_result', id);
    const rows = await this.db
      .getRepository(CalibrationResultRevision)
      .find({ where: { resultId: id }, order: { revision: 'ASC' } });
    const people = await this.db.getRepository(StaffUser).findBy(rows.map((r) => ({ id: r.performedBy })));
    return rows.map((r) => toRevisionSummary(r, people.find((p) => p.id === r.performedBy) ?? null));
  }

  async revision(id: string, revision: number): Promise<RevisionView> {
    return toRevisionView(await loadRevision(this.db.manager, { resultId: id, revision }));
  }

  /** There is no edit in place: answers why, and what to do instead. */
  async refuseEdit(id: string, revision: number): Promise<never> {
    const loaded = await loadRevision(this.db.manager, { resultId: id, revision });
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

  async lockResult(m: EntityManager, id: string): Promise<CalibrationResult> {
    const result = await m
      .getRepository(CalibrationResult)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!result) throw new NotFoundError('calibration_result', id);
    return result;
  }

  private async insertRevision(
    m: EntityManager,
    resultId: string,
    revision: number,
    reason: string | null,
    composed: ComposedRevision,
  ): Promise<CalibrationResultRevision> {
    const saved = await m
      .getRepository(CalibrationResultRevision)
      .save(
        m
          .getRepository(CalibrationResultRevision)
          .create({ ...composed.revision, resultId, revision, reason, status: 'draft' }),
      );
    await m
      .getRepository(CalibrationResultStandard)
      .insert(composed.standards.map((s) => ({ ...s, revisionId: saved.id })));
    const points = composed.points.map((p) => ({ ...p, revisionId: saved.id }));
    // The budget is plain JSON; TypeORM's deep-partial insert type cannot follow its Record<string, unknown> rows.
    await m
      .getRepository(CalibrationResultPoint)
      .insert(points as unknown as Parameters<Repository<CalibrationResultPoint>['insert']>[0]);
    return saved;
  }

  /** Until the requests library lands, what the result is about comes from the body. */
  private async subjectFromBody(dto: RecordResultDto): Promise<ResultSubject> {
    let instrument: Instrument;
    try {
      instrument = await this.instruments.find(dto.instrumentId);
    } catch (e) {
      if (e instanceof NotFoundError) {
        throw new UnprocessableError('result.bad_reference', 'No instrument has this id', {
          errors: [{ field: 'instrumentId', message: 'no instrument has this id' }],
        });
      }
      throw e;
    }
    if (!instrument.instrumentType!.services.includes(dto.service)) {
      throw new UnprocessableError(
        'result.service_not_offered',
        `Instrument type ${instrument.instrumentType!.code} does not offer ${dto.service}`,
        {
          errors: [{ field: 'service', message: `${dto.service} is not a service of this instrument type` }],
        },
      );
    }
    if (dto.service !== 'calibration' && dto.conformity) {
      throw new InvalidInputError([
        {
          field: 'conformity',
          message: 'conformity applies to calibration; a verification always decides with the procedure’s rule',
        },
      ]);
    }
    const rule: DecisionRuleSpec | null = dto.conformity?.decisionRule
      ? { kind: dto.conformity.decisionRule.kind, guardBandFactor: dto.conformity.decisionRule.guardBandFactor ?? null }
      : null;
    return {
      requestItemId: dto.requestItemId ?? null,
      instrument,
      service: dto.service,
      conformity: { requested: dto.conformity?.requested ?? false, rule },
    };
  }
}

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
          })),
  };
}
