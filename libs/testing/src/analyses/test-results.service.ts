import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import { AuthorisationService } from '#libs/auth';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnprocessableError,
  UnitOfWork,
  type FieldError,
  type Principal,
  type Tx,
} from '#libs/core';
import { RequestItemWorkflow, type ItemStatus } from '#libs/requests';
import type { UncertaintyComponentInput } from '#libs/uncertainty';
import { TestingCatalogueService } from '../catalogue/catalogue.service.js';
import { toLimitSpec } from '../catalogue/presenters.js';
import { evaluate, type Evaluation, type EvaluationRow } from '../conformity/conformity.js';
import { ResultInputError, UnconfirmedLimitError } from '../conformity/errors.js';
import type { TestResult, TestResultRevision, TestResultRow } from './analysis.entity.js';
import { AnalysisRepository, type LoadedAnalysis } from './analysis.repository.js';
import { AnalysesService } from './analyses.service.js';
import type { RecordTestResultsDto, TestResultRowDto, TestResultView } from './dto/analysis.dto.js';
import { checkEnvironment } from './environment.js';
import { EquipmentOnDate } from './equipment-on-date.js';
import { convertReplicates, unitProblem } from './replicates.js';
import { evaluateRowUncertainty, RowUncertaintyError, type RowUncertainty } from './row-uncertainty.js';
import { toTestResultView } from './test-result.presenter.js';
import type { SampleFacts } from './sample-facts.js';

type Staff = Extract<Principal, { kind: 'staff' }>;

export function staffOnly(p: Principal): Staff {
  if (p.kind !== 'staff') throw new ForbiddenError('access.denied', 'Only staff record and review test results');
  return p;
}

/** Results are recorded while the sample is at the bench: received (the work starts with it) or in progress. */
const RECORDABLE: readonly ItemStatus[] = ['received', 'in_progress'];

/** A row to store, before the engine has judged it. */
type PendingRow = Omit<
  TestResultRow,
  | 'revisionId'
  | 'reportedKind'
  | 'reportedValue'
  | 'display'
  | 'limitId'
  | 'limitDisplay'
  | 'conformity'
  | 'decision'
  | 'conformityReason'
>;

/**
 * Results of a sample (kết quả thử nghiệm): revision 1 records every analysis; a retest or a
 * correction is revision n+1 (with its reason) that carries the rows not retested over, so the
 * first result stays as it was. Each revision is judged by the conformity engine on the day of testing.
 */
@Injectable()
export class TestResultsService {
  constructor(
    private readonly analyses: AnalysesService,
    private readonly catalogue: TestingCatalogueService,
    private readonly authorisations: AuthorisationService,
    private readonly equipment: EquipmentOnDate,
    private readonly repository: AnalysisRepository,
    private readonly workflow: RequestItemWorkflow,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async get(itemId: string, principal: Principal): Promise<TestResultView> {
    await this.analyses.sample(this.db.manager, itemId, principal);
    return this.view(this.db.manager, itemId);
  }

  async view(m: EntityManager, itemId: string): Promise<TestResultView> {
    const result = await this.repository.resultOf(m, itemId);
    if (!result) throw new NotFoundError('test_result', itemId);
    const revisions = await this.repository.revisions(m, result.id);
    const rows = await this.repository.rowsOf(
      m,
      revisions.map((r) => r.id),
    );
    return toTestResultView(result, revisions, rows, await this.repository.analysesOf(m, itemId));
  }

  async record(itemId: string, dto: RecordTestResultsDto, principal: Principal): Promise<TestResultView> {
    const actor = staffOnly(principal);
    await this.assertAuthorised(actor, dto.testedOn);
    await this.uow.run(async (tx) => {
      const sample = await this.analyses.sample(tx.manager, itemId);
      await this.startWork(tx, sample, actor);
      const analyses = await this.repository.analysesOf(tx.manager, itemId);
      if (analyses.length === 0) throw new UnprocessableError('analysis.none', 'Contract review chose no analyses');
      const result = (await this.repository.lockResult(tx, itemId)) ?? (await this.repository.createResult(tx, itemId));
      const previous = await this.previousRows(tx, result, dto);
      const pending = await this.rows(analyses, dto, previous, result.currentRevision + 1);
      assertEnvironment(dto, analyses);
      const evaluation = await this.judge(sample, analyses, pending, dto);
      assertUncertaintyOnValues(dto, analyses, pending, evaluation);
      const revision = await this.store(tx, { result, sample, dto, actor, pending, evaluation, analyses });
      await this.audit.record(tx, {
        actor,
        entity: 'test_result',
        entityId: result.id,
        action: result.currentRevision === 0 ? 'create' : 'revise',
        after: {
          requestItemId: itemId,
          revision: revision.revision,
          revisionId: revision.id,
          overall: revision.overall,
          retested: dto.rows.map((r) => r.parameter),
        },
        reason: dto.reason ?? null,
      });
    });
    return this.view(this.db.manager, itemId);
  }

  private async assertAuthorised(actor: Staff, on: string): Promise<void> {
    const ok = await this.authorisations.isAuthorised(actor.userId, {
      instrumentTypeId: null,
      service: 'testing',
      activity: 'perform',
      on,
    });
    if (!ok)
      throw new ForbiddenError(
        'test_result.not_authorised',
        `${actor.fullName || actor.username} is not authorised to perform tests on ${on}`,
      );
  }

  /** received → in_progress with the first result (requests' workflow, this transaction). */
  private async startWork(tx: Tx, sample: SampleFacts, actor: Staff): Promise<void> {
    if (!RECORDABLE.includes(sample.itemStatus))
      throw new ConflictError('analysis.item_not_open', `The sample's item is ${sample.itemStatus}`, {
        itemStatus: sample.itemStatus,
      });
    if (sample.itemStatus !== 'received') return;
    const { request, item } = await this.workflow.lockItem(tx, sample.requestItemId);
    await this.workflow.apply(tx, request, [{ item, move: { to: 'in_progress' } }], actor);
  }

  /** The rows of the current revision, which a new one carries over; refuses while it is under review. */
  private async previousRows(
    tx: Tx,
    result: TestResult,
    dto: RecordTestResultsDto,
  ): Promise<Map<string, TestResultRow>> {
    if (result.currentRevision === 0) return new Map();
    const current = await this.repository.revision(tx.manager, result.id, result.currentRevision);
    if (current!.status === 'submitted')
      throw new ConflictError(
        'test_result.under_review',
        `Revision ${result.currentRevision} is under review: it is approved or returned before another is recorded`,
      );
    if (!dto.reason) throw new InvalidInputError([{ field: 'reason', message: 'a new revision needs its reason' }]);
    const rows = await this.repository.rowsOf(tx.manager, [current!.id]);
    return new Map(rows.map((r) => [r.analysisId, r]));
  }

  /** The posted rows checked (analysis, unit, equipment), with the earlier rows carried over. */
  private async rows(
    analyses: LoadedAnalysis[],
    dto: RecordTestResultsDto,
    previous: Map<string, TestResultRow>,
    revision: number,
  ): Promise<PendingRow[]> {
    const byCode = new Map(analyses.map((a) => [a.parameter.code, a]));
    const errors: FieldError[] = [];
    const posted = new Map<string, PendingRow>();
    for (const [i, r] of dto.rows.entries()) {
      const analysis = byCode.get(r.parameter);
      if (!analysis || posted.has(analysis.id)) {
        errors.push({
          field: `rows[${i}].parameter`,
          message: analysis ? 'given twice' : `no analysis ${r.parameter}`,
        });
        continue;
      }
      const unit = r.unit && unitProblem(r.unit, analysis.parameter.unit);
      if (unit) errors.push({ field: `rows[${i}].unit`, message: unit });
      posted.set(analysis.id, await this.row(analysis, r, dto, revision, `rows[${i}]`));
    }
    const missing = analyses.filter((a) => !posted.has(a.id) && !previous.has(a.id));
    if (missing.length)
      errors.push({ field: 'rows', message: `no result for ${missing.map((a) => a.parameter.code).join(', ')}` });
    if (errors.length)
      throw new UnprocessableError('test_result.invalid_row', 'Some rows cannot be recorded', { errors });
    return analyses.map((a) => posted.get(a.id) ?? carried(previous.get(a.id)!));
  }

  private async row(
    analysis: LoadedAnalysis,
    r: TestResultRowDto,
    dto: RecordTestResultsDto,
    revision: number,
    field: string,
  ): Promise<PendingRow> {
    const testedOn = r.testedOn ?? dto.testedOn;
    const u = r.uncertainty ? rowUncertainty(r.uncertainty, `${field}.uncertainty`) : null;
    return {
      analysisId: analysis.id,
      replicates: r.replicates ?? [],
      enteredUnit: r.unit ?? null,
      enteredValue: r.value ?? null,
      expandedUncertainty: u?.expandedUncertainty ?? null,
      coverageFactor: u?.coverageFactor ?? null,
      uncertainty: u?.budget ?? null,
      equipment: await this.equipment.usable(r.equipment ?? [], testedOn, `${field}.equipment`),
      testedOn,
      measuredInRevision: revision,
    };
  }

  /** The conformity engine on every row (carried ones too) under this revision's date and rule. */
  private async judge(
    sample: SampleFacts,
    analyses: LoadedAnalysis[],
    rows: PendingRow[],
    dto: RecordTestResultsDto,
  ): Promise<Evaluation> {
    const { details } = await this.catalogue.load(sample.productId);
    const input: EvaluationRow[] = rows.map((row, i) => {
      const a = analyses[i]!;
      const p = a.parameter;
      return {
        parameter: p,
        method: a.method,
        limits: (details.limits.get(p.id) ?? []).map((l) => toLimitSpec(l, p.code)),
        input: {
          replicates: convertReplicates(row.replicates, row.enteredUnit ?? undefined, p.unit),
          ...(row.enteredValue !== null ? { value: row.enteredValue } : {}),
          ...(row.expandedUncertainty !== null ? { expandedUncertainty: row.expandedUncertainty } : {}),
        },
      };
    });
    const regulations = details.regulations.filter((r) => r.kind !== 'standard').map((r) => r.code);
    const rule =
      sample.decisionRule === 'guarded'
        ? { kind: 'guarded' as const, guardBandFactor: dto.guardBandFactor }
        : { kind: 'simple' as const };
    try {
      return evaluate(
        input,
        { testDate: dto.testedOn, level: sample.level ?? undefined, grade: sample.grade ?? undefined, regulations },
        rule,
      );
    } catch (e) {
      if (e instanceof UnconfirmedLimitError)
        throw new UnprocessableError('spec_limit.unconfirmed', e.message, { limits: e.limits });
      if (e instanceof ResultInputError) {
        const i = dto.rows.findIndex((r) => r.parameter === e.parameter);
        const field = i >= 0 ? `rows[${i}].${e.field}` : `rows(${e.parameter}).${e.field}`;
        throw new UnprocessableError('test_result.invalid_row', e.message, { errors: [{ field, message: e.message }] });
      }
      throw e;
    }
  }

  private async store(tx: Tx, w: Written): Promise<TestResultRevision> {
    const { result, sample, dto, actor, pending, evaluation, analyses } = w;
    const dates = pending.map((r) => r.testedOn).sort();
    const number = result.currentRevision + 1;
    const revision = await this.repository.insertRevision(
      tx,
      {
        resultId: result.id,
        revision: number,
        status: 'draft',
        reason: dto.reason ?? null,
        decisionRule: sample.decisionRule,
        guardBandFactor: sample.decisionRule === 'guarded' ? String(dto.guardBandFactor ?? 1) : null,
        environment: dto.environment ? { ...dto.environment } : null,
        deviations: dto.deviations ?? null,
        testedFrom: dates[0]!,
        testedTo: dates[dates.length - 1]!,
        overall: evaluation.overall === 'not_judged' ? null : evaluation.overall,
        overallReason: evaluation.overallReason,
        performedBy: actor.userId,
      },
      pending.map((row, i) => judgedRow(row, evaluation.rows[i]!, analyses[i]!)),
    );
    await this.repository.setResult(tx, result.id, { status: 'draft', currentRevision: number });
    return revision;
  }
}

/** What one revision writes. */
interface Written {
  result: TestResult;
  sample: SampleFacts;
  dto: RecordTestResultsDto;
  actor: Staff;
  pending: PendingRow[];
  evaluation: Evaluation;
  analyses: LoadedAnalysis[];
}

/** U through libs/uncertainty (row-uncertainty.ts); what it refuses answers 422 naming the field. */
function rowUncertainty(input: NonNullable<TestResultRowDto['uncertainty']>, field: string): RowUncertainty {
  try {
    const { components, expandedUncertainty, coverageFactor, coverageProbability } = input;
    return evaluateRowUncertainty({
      // The DTO has the library's shape; the library checks what each kind needs.
      ...(components ? { components: components as unknown as UncertaintyComponentInput[] } : {}),
      ...(expandedUncertainty ? { expandedUncertainty: expandedUncertainty.replace(',', '.') } : {}),
      ...(coverageFactor ? { coverageFactor: coverageFactor.replace(',', '.') } : {}),
      ...(coverageProbability !== undefined ? { coverageProbability } : {}),
    });
  } catch (e) {
    if (!(e instanceof RowUncertaintyError)) throw e;
    const at = e.field ? `${field}.${e.field}` : field;
    throw new UnprocessableError('test_result.invalid_row', `${at}: ${e.message}`, {
      errors: [{ field: at, message: e.message }],
    });
  }
}

/** The environment recorded against the limits of the methods of the rows measured in this revision. */
function assertEnvironment(dto: RecordTestResultsDto, analyses: LoadedAnalysis[]): void {
  const posted = new Set(dto.rows.map((r) => r.parameter));
  const methods = analyses.filter((a) => posted.has(a.parameter.code)).map((a) => a.method);
  const problems = checkEnvironment(dto.environment, methods);
  if (problems.length)
    throw new UnprocessableError(
      'test_result.environment_out_of_limits',
      `The environmental conditions do not meet the methods: ${problems.map((p) => p.message).join('; ')}`,
      { errors: problems },
    );
}

/** U belongs to a measured value: never to "< LOQ", "> b", "KPH", a category or a text (nothing to print it beside). */
function assertUncertaintyOnValues(
  dto: RecordTestResultsDto,
  analyses: LoadedAnalysis[],
  rows: PendingRow[],
  evaluation: Evaluation,
): void {
  const errors: FieldError[] = [];
  dto.rows.forEach((r, i) => {
    const at = analyses.findIndex((a) => a.parameter.code === r.parameter);
    const kind = at >= 0 ? evaluation.rows[at]!.reported.kind : undefined;
    if (r.uncertainty && rows[at]?.expandedUncertainty !== null && kind !== undefined && kind !== 'value')
      errors.push({
        field: `rows[${i}].uncertainty`,
        message: `the result is reported as ${evaluation.rows[at]!.display} (${kind}): no uncertainty is stated for it`,
      });
  });
  // The report states one coverage probability (k is printed on each row).
  const first = rows.find((r) => r.uncertainty)?.uncertainty?.coverageProbability;
  dto.rows.forEach((r, i) => {
    const p = rows[analyses.findIndex((a) => a.parameter.code === r.parameter)]?.uncertainty?.coverageProbability;
    if (p !== undefined && p !== first)
      errors.push({
        field: `rows[${i}].uncertainty.coverageProbability`,
        message: `the rows of a revision state one coverage probability (${first} here), not ${p}`,
      });
  });
  if (errors.length)
    throw new UnprocessableError('test_result.invalid_row', errors.map((e) => e.message).join('; '), { errors });
}

function carried(r: TestResultRow): PendingRow {
  return {
    analysisId: r.analysisId,
    replicates: r.replicates,
    enteredUnit: r.enteredUnit,
    enteredValue: r.enteredValue,
    expandedUncertainty: r.expandedUncertainty,
    coverageFactor: r.coverageFactor,
    uncertainty: r.uncertainty,
    equipment: r.equipment,
    testedOn: r.testedOn,
    measuredInRevision: r.measuredInRevision,
  };
}

function judgedRow(
  row: PendingRow,
  e: Evaluation['rows'][number],
  a: LoadedAnalysis,
): Omit<TestResultRow, 'revisionId'> {
  const r = e.reported;
  const value =
    r.kind === 'value' || r.kind === 'category' || r.kind === 'text'
      ? r.value
      : r.kind === 'not_detected'
        ? r.lod
        : r.bound;
  return {
    ...row,
    reportedKind: r.kind,
    reportedValue: value,
    display: e.display,
    limitId: e.limit?.id ?? null,
    limitDisplay: e.limitDisplay,
    conformity: e.judgement.conformity,
    conformityReason: e.judgement.reason,
    decision: e.judgement.decision,
    analysisId: a.id,
  };
}
