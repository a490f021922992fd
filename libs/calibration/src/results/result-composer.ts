import { Injectable } from '@nestjs/common';
import { AuthorisationService } from '#libs/auth';
import {
  environmentProblems,
  ForbiddenError,
  InvalidInputError,
  UnprocessableError,
  sameDimension,
  type FieldError,
  type Principal,
} from '#libs/core';
import {
  InstrumentTypeService,
  isUsableMpeRule,
  isVerification,
  ruleForService,
  todayInVietnam,
  type Instrument,
  type InstrumentTypeMpeRule,
  type ServiceKind,
} from '#libs/registry';
import type { CoverageFactorFallbackKind } from '#libs/uncertainty';
import { resolveTerm, type BudgetTermSpec, type TermContext } from '../budget/budget-terms.js';
import { dofToText, numberToDecimal } from '../common/decimal-text.js';
import { environmentLimitsOf, TemplateService } from '../templates/template.service.js';
import type { CalibrationTemplate } from '../templates/template.entity.js';
import { toBudgetView } from '../uncertainty-api/budget-view.js';
import {
  computePoint,
  decisionRuleFor,
  isCapable,
  itemOutcome,
  mpeForPoint,
  pointError,
  type Correction,
  type DecisionRuleSpec,
  type PointConditions,
  type Series,
} from './computation.js';
import type {
  MpeBasis,
  CalibrationResultPoint,
  CalibrationResultRevision,
  CalibrationResultStandard,
  EnvironmentLimits,
} from './result.entity.js';
import { StandardsOnDate, type StandardOnDate } from './standards-on-date.js';

/** What a result is about: read from its request item (instrument, service, conformity statement). */
export interface ResultSubject {
  requestItemId: string | null;
  /** Loaded with its type and owner. */
  instrument: Instrument;
  service: ServiceKind;
  conformity: { requested: boolean; rule: DecisionRuleSpec | null };
}

export interface PointContent {
  series?: Series;
  nominal: string;
  unit?: string;
  referenceValue: string;
  readings: string[];
  corrections?: Correction[];
  budget?: BudgetTermSpec[];
  conditions?: PointConditions;
  /** k = 2 where Welch–Satterthwaite does not apply, stated on the point; absent = refuse. */
  coverageFactorFallback?: CoverageFactorFallbackKind;
}

/** A revision's content, every field settled (a correction has carried the omitted ones over). */
export interface ResultContent {
  templateId: string | null;
  procedureCode?: string;
  measuredOn: string;
  place: string;
  environment: { temperature?: string; humidity?: string; pressure?: string };
  standardIds?: string[];
  adjusted: boolean;
  coverageProbability?: string;
  points: PointContent[];
}

type Technical<T> = Omit<T, 'id' | 'revisionId' | 'revision'>;

export interface ComposedRevision {
  revision: Omit<
    CalibrationResultRevision,
    | 'id'
    | 'resultId'
    | 'revision'
    | 'reason'
    | 'createdAt'
    | 'status'
    | 'submittedAt'
    | 'submittedBy'
    | 'reviewedAt'
    | 'reviewedBy'
    | 'reviewComment'
    | 'result'
    | 'template'
    | 'performer'
    | 'reviewer'
  >;
  standards: Technical<CalibrationResultStandard>[];
  points: Technical<CalibrationResultPoint>[];
}

/** The environment against the procedure's limits: every quantity with a limit must be recorded and within it. */
export function checkEnvironment(
  environment: ResultContent['environment'],
  template: CalibrationTemplate | null,
): FieldError[] {
  if (!template) return [];
  return environmentProblems(environment, environmentLimitsOf(template) as EnvironmentLimits, 'the procedure');
}

/** The rule a revision was judged by, as it stood: its source and whether it was confirmed. */
function mpeBasisOf(r: InstrumentTypeMpeRule): MpeBasis {
  return {
    ruleId: r.id,
    rule: r.rule,
    multiplier: r.multiplier,
    confidence: r.confidence,
    usable: isUsableMpeRule(r),
    confirmedAt: r.confirmedAt?.toISOString() ?? null,
    confirmedAgainst: r.confirmedAgainst,
    sourceDocument: r.sourceDocument,
    sourceClause: r.sourceClause,
  };
}

function sameNumber(a: string, b: string): boolean {
  return Number(a) === Number(b);
}

type InstrumentType = NonNullable<Instrument['instrumentType']>;
type Procedure = InstrumentType['procedures'][number];
type Decision = ReturnType<typeof decisionRuleFor>;
type ComputedPoint = ReturnType<typeof computePoint>;

/** What every point of a revision is computed against. */
interface PointSetting {
  instrument: Instrument;
  type: InstrumentType;
  service: ServiceKind;
  template: CalibrationTemplate | null;
  decision: Decision;
  coverageProbability: string;
  applicable: { rule: InstrumentTypeMpeRule['rule']; multiplier: InstrumentTypeMpeRule['multiplier'] } | null;
  ctx: TermContext;
}

function checkMeasuredOn(measuredOn: string): void {
  if (measuredOn > todayInVietnam()) {
    throw new UnprocessableError(
      'result.measured_in_future',
      `A measurement cannot be dated ${measuredOn}, a day still to come`,
      {
        errors: [{ field: 'measuredOn', message: 'measuredOn must not be in the future' }],
      },
    );
  }
}

/** The procedure named, or the template's, or the type's only one; it must be one of the type's. */
function procedureOf(type: InstrumentType, content: ResultContent, template: CalibrationTemplate | null): Procedure {
  const procedureCode =
    content.procedureCode ??
    template?.procedureCode ??
    (type.procedures.length === 1 ? type.procedures[0]!.code : undefined);
  const procedure = procedureCode ? type.procedures.find((p) => p.code === procedureCode) : undefined;
  if (!procedure) {
    throw new UnprocessableError(
      'result.procedure_required',
      'The procedure (quy trình) must be one of the instrument type’s',
      {
        errors: [
          {
            field: 'procedureCode',
            message: type.procedures.length
              ? `procedureCode must be one of ${type.procedures.map((p) => p.code).join(', ')}`
              : `instrument type ${type.code} has no procedure registered`,
          },
        ],
      },
    );
  }
  return procedure;
}

function checkEnvironmentWithin(environment: ResultContent['environment'], template: CalibrationTemplate | null): void {
  const problems = checkEnvironment(environment, template);
  if (problems.length) {
    throw new UnprocessableError(
      'result.environment_out_of_limits',
      `The environmental conditions do not meet the procedure: ${problems.map((p) => p.message).join('; ')}`,
      { errors: problems },
    );
  }
}

function coverageProbabilityOf(content: ResultContent, template: CalibrationTemplate | null): string {
  const coverageProbability = content.coverageProbability ?? template?.coverageProbability ?? '0.9545';
  if (Number(coverageProbability) >= 1) {
    throw new InvalidInputError([
      { field: 'coverageProbability', message: 'coverageProbability must lie strictly between 0 and 1' },
    ]);
  }
  return coverageProbability;
}

/** One point: checked against the procedure, computed, its capability checked, made a record. */
function composePoint(p: PointContent, i: number, s: PointSetting) {
  const path = `points[${i}]`;
  const { unit, terms } = checkPoint(p, path, s);
  const measured = {
    nominal: p.nominal,
    unit,
    referenceValue: p.referenceValue,
    readings: p.readings,
    corrections: p.corrections ?? [],
  };
  const termPaths = terms.map((_, j) => `${path}.budget[${j}]`);
  const resolved = terms.map((t, j) => resolveTerm(t, measured, s.ctx, termPaths[j]!));
  const conditions = p.conditions ?? {};
  const mpe = mpeForPoint(s.applicable, s.instrument, {
    reading: pointError(measured).indicatedMean,
    load: p.referenceValue,
    unit,
    conditions,
  });
  const c = computePoint(
    measured,
    resolved,
    {
      coverageProbability: Number(s.coverageProbability),
      rule: s.decision?.rule ?? null,
      mpe,
      binary: isVerification(s.service),
      ...(p.coverageFactorFallback === undefined ? {} : { coverageFactorFallback: p.coverageFactorFallback }),
    },
    { point: path, terms: termPaths },
  );
  checkCapability(c, path, unit, s);
  return pointRecord(p, i, { unit, corrections: measured.corrections, conditions, terms, resolved, c });
}

/** The point's unit (of the type's quantity), its readings (as many as the procedure asks) and its budget. */
function checkPoint(p: PointContent, path: string, { type, template }: PointSetting) {
  const templatePoint = template?.points.find(
    (tp) => sameNumber(tp.nominal, p.nominal) && (!p.unit || tp.unit === p.unit),
  );
  const unit = p.unit ?? templatePoint?.unit ?? template?.points[0]?.unit ?? type.unit;
  if (!sameDimension(unit, type.unit)) {
    throw new UnprocessableError(
      'result.unit_mismatch',
      `${path}.unit: ${unit} does not measure what ${type.code} measures (${type.unit})`,
      { errors: [{ field: `${path}.unit`, message: `${unit} cannot be converted to ${type.unit}` }] },
    );
  }
  if (templatePoint && p.readings.length < templatePoint.readings) {
    throw new UnprocessableError(
      'result.too_few_readings',
      `${path}: the procedure asks for ${templatePoint.readings} readings at ${p.nominal} ${unit}`,
      {
        errors: [
          {
            field: `${path}.readings`,
            message: `${templatePoint.readings} readings are required, ${p.readings.length} given`,
          },
        ],
      },
    );
  }
  const terms = p.budget ?? template?.components;
  if (!terms) {
    throw new InvalidInputError([
      { field: `${path}.budget`, message: `${path}.budget is required when no template is used` },
    ]);
  }
  return { unit, terms };
}

/** Where the type enforces it, a verdict needs U small enough against the MPE. */
function checkCapability(c: ComputedPoint, path: string, unit: string, { decision, type }: PointSetting): void {
  if (decision && !isCapable(c.capabilityRatio, type.capabilityDivisor) && type.capabilityEnforced) {
    throw new UnprocessableError(
      'result.capability_insufficient',
      `${path}: U = ${numberToDecimal(Number(c.evaluation.expandedUncertainty.toPrecision(3)))} ${unit} is more than MPE / ${type.capabilityDivisor} (MPE ${numberToDecimal(c.mpe!)} ${unit}); the procedure for ${type.code} demands a better standard or method`,
      {
        errors: [{ field: path, message: `U / MPE = ${c.capabilityRatio!.toFixed(3)} > 1/${type.capabilityDivisor}` }],
      },
    );
  }
}

function pointRecord(
  p: PointContent,
  i: number,
  {
    unit,
    corrections,
    conditions,
    terms,
    resolved,
    c,
  }: {
    unit: string;
    corrections: Correction[];
    conditions: PointConditions;
    terms: BudgetTermSpec[];
    resolved: ReturnType<typeof resolveTerm>[];
    c: ComputedPoint;
  },
) {
  const view = toBudgetView(c.evaluation);
  return {
    ordinal: i + 1,
    series: p.series ?? 'as_found',
    nominal: p.nominal,
    unit,
    referenceValue: p.referenceValue,
    readings: p.readings,
    corrections: corrections.map((x) => ({ name: x.name, value: x.value })),
    indicatedMean: c.indicatedMean,
    correctionTotal: c.correctionTotal,
    error: c.error,
    combinedStandardUncertainty: view.combinedStandardUncertainty,
    effectiveDegreesOfFreedom: dofToText(c.evaluation.effectiveDegreesOfFreedom),
    coverageFactor: view.coverageFactor,
    expandedUncertainty: view.expandedUncertainty,
    roundedExpandedUncertainty: c.evaluation.roundedExpandedUncertainty.text,
    roundedError: c.evaluation.roundedResult!.text,
    mpe: c.mpe === null ? null : numberToDecimal(c.mpe),
    decision: c.decision?.outcome ?? null,
    conditions,
    capabilityRatio: c.capabilityRatio === null ? null : numberToDecimal(Number(c.capabilityRatio.toPrecision(4))),
    budget: {
      terms: terms.map((t) => ({ ...t })),
      resolved,
      contributions: view.contributions,
      coverageFactorMethod: view.coverageFactorMethod,
      degreesOfFreedomForCoverage: view.degreesOfFreedomForCoverage,
      ...(p.coverageFactorFallback === undefined ? {} : { coverageFactorFallbackRequested: p.coverageFactorFallback }),
      ...(view.coverageFactorFallback === undefined ? {} : { coverageFactorFallback: view.coverageFactorFallback }),
    },
  };
}

function revisionRecord({
  subject,
  content,
  principal,
  template,
  procedure,
  decision,
  coverageProbability,
  mpeRule,
  points,
}: {
  subject: ResultSubject;
  content: ResultContent;
  principal: Extract<Principal, { kind: 'staff' }>;
  template: CalibrationTemplate | null;
  procedure: Procedure;
  decision: Decision;
  coverageProbability: string;
  mpeRule: InstrumentTypeMpeRule | null;
  points: ReturnType<typeof pointRecord>[];
}): ComposedRevision['revision'] {
  const type = subject.instrument.instrumentType!;
  const outcome = itemOutcome(points, content.adjusted);
  const limits: EnvironmentLimits = template ? (environmentLimitsOf(template) as EnvironmentLimits) : {};
  return {
    templateId: template?.id ?? null,
    procedureCode: procedure.code,
    procedureVersion: procedure.version ?? null,
    measuredOn: content.measuredOn,
    place: content.place,
    temperature: content.environment.temperature ?? null,
    humidity: content.environment.humidity ?? null,
    pressure: content.environment.pressure ?? null,
    environmentLimits: limits,
    conformityRequested: subject.conformity.requested,
    decisionRule: decision?.rule.kind ?? null,
    guardBandFactor: decision?.rule.kind === 'guarded' ? (decision.rule.guardBandFactor ?? null) : null,
    decisionRuleSource: decision?.source ?? null,
    coverageProbability,
    adjusted: content.adjusted,
    overallOutcome: outcome.overall,
    asFoundOutcome: outcome.asFound,
    mpeBasis: mpeRule ? mpeBasisOf(mpeRule) : null,
    capabilityDivisor: type.capabilityDivisor,
    performedBy: principal.userId,
  };
}

function standardRecords(standards: StandardOnDate[], measuredOn: string): ComposedRevision['standards'] {
  return standards.map((s, i) => ({
    ordinal: i + 1,
    standardId: s.standard.id,
    measuredOn,
    standardCalibrationId: s.calibration!.id,
    standardCode: s.standard.code,
    standardName: s.standard.name,
    certificateNumber: s.calibration!.certificateNumber,
    issuingLab: s.calibration!.issuingLab,
    calibrationDate: s.calibration!.calibrationDate,
    dueDate: s.calibration!.dueDate,
  }));
}

/**
 * Checks a revision's content against the registry, the technician's authorisation and the
 * procedure, and computes every point. Reads only; the caller writes what it returns.
 */
@Injectable()
export class ResultComposer {
  constructor(
    private readonly authorisations: AuthorisationService,
    private readonly templates: TemplateService,
    private readonly standardsOnDate: StandardsOnDate,
    private readonly types: InstrumentTypeService,
  ) {}

  async compose(subject: ResultSubject, content: ResultContent, principal: Principal): Promise<ComposedRevision> {
    if (principal.kind !== 'staff') throw new ForbiddenError('access.denied', 'Only staff record results');
    const { instrument, service } = subject;
    const type = instrument.instrumentType!;
    checkMeasuredOn(content.measuredOn);
    await this.checkAuthorised(principal, type, service, content.measuredOn);

    const template = content.templateId ? await this.templates.find(content.templateId) : null;
    if (template) this.checkTemplate(template, subject);
    const procedure = procedureOf(type, content, template);
    checkEnvironmentWithin(content.environment, template);
    const standards = await this.usableStandards(content, template);

    const decision = decisionRuleFor(
      service,
      subject.conformity,
      template ? { kind: template.decisionRule, guardBandFactor: template.guardBandFactor } : null,
    );
    const coverageProbability = coverageProbabilityOf(content, template);
    this.checkSeries(content);
    const mpeRule = await this.mpeRuleFor(type, service, decision !== null);

    const setting: PointSetting = {
      instrument,
      type,
      service,
      template,
      decision,
      coverageProbability,
      applicable: mpeRule ? { rule: mpeRule.rule, multiplier: mpeRule.multiplier } : null,
      ctx: { instrumentResolution: instrument.resolution, standards: standards.map((s) => s.forBudget) },
    };
    const points = content.points.map((p, i) => composePoint(p, i, setting));
    return {
      revision: revisionRecord({
        subject,
        content,
        principal,
        template,
        procedure,
        decision,
        coverageProbability,
        mpeRule,
        points,
      }),
      standards: standardRecords(standards, content.measuredOn),
      points,
    };
  }

  /** The technician holds an authorisation to perform this service on this type on the day measured. */
  private async checkAuthorised(
    principal: Extract<Principal, { kind: 'staff' }>,
    type: InstrumentType,
    service: ServiceKind,
    on: string,
  ): Promise<void> {
    const authorised = await this.authorisations.isAuthorised(principal.userId, {
      instrumentTypeId: type.id,
      service,
      activity: 'perform',
      on,
    });
    if (!authorised) {
      throw new ForbiddenError(
        'result.not_authorised',
        `${principal.fullName || principal.username} is not authorised to perform ${service} of ${type.code} on ${on}`,
      );
    }
  }

  /** The standards named (or the template's), each calibrated and usable on the day measured. */
  private async usableStandards(content: ResultContent, template: CalibrationTemplate | null) {
    const standardIds = content.standardIds ?? template?.standardIds ?? [];
    if (standardIds.length === 0) {
      throw new UnprocessableError('result.standards_required', 'Name the measurement standards used', {
        errors: [{ field: 'standardIds', message: 'at least one standard must be named (or come from the template)' }],
      });
    }
    const standards = await this.standardsOnDate.load(standardIds, content.measuredOn, 'standardIds');
    StandardsOnDate.assertUsable(standards, content.measuredOn, 'standardIds');
    return standards;
  }

  /** The type's MPE rule for the service; a verdict is refused on a rule not yet confirmed. */
  private async mpeRuleFor(
    type: InstrumentType,
    service: ServiceKind,
    givesVerdict: boolean,
  ): Promise<InstrumentTypeMpeRule | null> {
    const mpeRule = ruleForService(await this.types.mpeRules(type.id), service);
    if (givesVerdict && mpeRule && !isUsableMpeRule(mpeRule)) {
      throw new UnprocessableError(
        'result.mpe_rule_unconfirmed',
        `The MPE rule of ${type.code} for ${service} is ${mpeRule.confidence} seed data (${mpeRule.sourceDocument.slice(0, 120)}) and gives no verdict until an admin confirms it against the procedure (POST /instrument-types/${type.id}/mpe-rules/${mpeRule.id}/confirm)`,
        {
          errors: [
            {
              field: 'instrument.instrumentType',
              message: `MPE rule ${mpeRule.id} (${mpeRule.confidence}) is not confirmed`,
            },
          ],
          mpeRuleId: mpeRule.id,
        },
      );
    }
    return mpeRule;
  }

  private checkTemplate(template: CalibrationTemplate, subject: ResultSubject): void {
    const problems: string[] = [];
    if (!template.active) problems.push(`template "${template.name}" is deactivated`);
    if (template.instrumentTypeId !== subject.instrument.instrumentTypeId)
      problems.push(`template "${template.name}" is for another instrument type`);
    if (!template.services.includes(subject.service))
      problems.push(`template "${template.name}" is not for ${subject.service}`);
    if (problems.length) {
      throw new UnprocessableError('result.template_unusable', problems.join('; '), {
        errors: problems.map((message) => ({ field: 'templateId', message })),
      });
    }
  }

  /** Without adjustment there is one series (as found); with it, both series must be there. */
  private checkSeries(content: ResultContent): void {
    if (!content.adjusted) {
      const i = content.points.findIndex((p) => p.series === 'as_left');
      if (i >= 0) {
        throw new InvalidInputError([
          { field: `points[${i}].series`, message: 'as_left points need adjusted: true (the instrument was adjusted)' },
        ]);
      }
      return;
    }
    for (const series of ['as_found', 'as_left'] as const) {
      if (!content.points.some((p) => (p.series ?? 'as_found') === series)) {
        throw new UnprocessableError('result.series_missing', `An adjusted instrument needs ${series} points`, {
          errors: [
            { field: 'points', message: `no ${series} point: an adjusted instrument is reported as found and as left` },
          ],
        });
      }
    }
  }
}
