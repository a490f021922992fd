import { isCapable, reportedSeries } from './computation.js';
import type { PointView, ResultView, RevisionSummaryView, RevisionView, ResultSummaryView } from './dto/result.dto.js';
import type { LoadedRevision, ResultCard, StaffName } from './calibration-result.repository.js';
import type {
  CalibrationResult,
  CalibrationResultPoint,
  CalibrationResultRevision,
  CalibrationResultStandard,
} from './result.entity.js';

/** How the calibration library answers about results: pure mappers from its rows to the API's views. */

export function toPointView(
  p: Omit<CalibrationResultPoint, 'id' | 'revisionId' | 'revision'>,
  capabilityDivisor: string | null,
): PointView {
  return {
    ordinal: p.ordinal,
    series: p.series,
    nominal: p.nominal,
    unit: p.unit,
    referenceValue: p.referenceValue,
    readings: p.readings,
    corrections: p.corrections,
    indicatedMean: p.indicatedMean,
    correctionTotal: p.correctionTotal,
    error: p.error,
    roundedError: p.roundedError,
    combinedStandardUncertainty: p.combinedStandardUncertainty,
    effectiveDegreesOfFreedom: p.effectiveDegreesOfFreedom,
    effectiveDegreesOfFreedomInfinite: p.effectiveDegreesOfFreedom === null,
    coverageFactor: p.coverageFactor,
    expandedUncertainty: p.expandedUncertainty,
    roundedExpandedUncertainty: p.roundedExpandedUncertainty,
    mpe: p.mpe,
    decision: p.decision,
    conditions: { ...p.conditions },
    capabilityRatio: p.capabilityRatio,
    capable:
      p.capabilityRatio === null || capabilityDivisor === null
        ? null
        : isCapable(Number(p.capabilityRatio), capabilityDivisor),
    budget: p.budget,
  };
}

const person = (u: StaffName | null, id: string) => ({ id, name: u?.fullName ?? '' });

export function toRevisionView(l: LoadedRevision): RevisionView {
  const r = l.revision;
  return {
    id: r.id,
    resultId: r.resultId,
    revision: r.revision,
    status: r.status,
    reason: r.reason,
    templateId: r.templateId,
    procedure: { code: r.procedureCode, version: r.procedureVersion },
    measuredOn: r.measuredOn,
    place: r.place,
    environment: { temperature: r.temperature, humidity: r.humidity, pressure: r.pressure },
    environmentLimits: r.environmentLimits,
    conformityRequested: r.conformityRequested,
    decisionRule: r.decisionRule
      ? { kind: r.decisionRule, guardBandFactor: r.guardBandFactor, source: r.decisionRuleSource ?? 'procedure' }
      : null,
    coverageProbability: r.coverageProbability,
    adjusted: r.adjusted,
    reportedSeries: reportedSeries(r.adjusted),
    overallOutcome: r.overallOutcome,
    asFoundOutcome: r.asFoundOutcome,
    standards: l.standards.map((s) => ({
      id: s.standardId,
      code: s.standardCode,
      name: s.standardName,
      certificateNumber: s.certificateNumber,
      issuingLab: s.issuingLab,
      calibrationDate: s.calibrationDate,
      dueDate: s.dueDate,
    })),
    points: l.points.map((p) => toPointView(p, r.capabilityDivisor)),
    mpeBasis: r.mpeBasis,
    capability: r.capabilityDivisor
      ? {
          divisor: r.capabilityDivisor,
          flaggedPoints: l.points
            .filter((p) => p.capabilityRatio !== null && !isCapable(Number(p.capabilityRatio), r.capabilityDivisor!))
            .map((p) => p.ordinal),
        }
      : null,
    performedBy: person(l.performer, r.performedBy),
    createdAt: r.createdAt.toISOString(),
    submittedAt: r.submittedAt?.toISOString() ?? null,
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
    reviewedBy: r.reviewedBy ? person(l.reviewer, r.reviewedBy) : null,
    reviewComment: r.reviewComment,
  };
}

export function toRevisionSummary(r: CalibrationResultRevision, performer: StaffName | null): RevisionSummaryView {
  return {
    id: r.id,
    revision: r.revision,
    status: r.status,
    reason: r.reason,
    measuredOn: r.measuredOn,
    overallOutcome: r.overallOutcome,
    performedBy: person(performer, r.performedBy),
    createdAt: r.createdAt.toISOString(),
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
  };
}

/** `result` with what the published views show of its request item and instrument (+ type, owner). */
export function toResultView(result: CalibrationResult, card: ResultCard, current: LoadedRevision): ResultView {
  return {
    id: result.id,
    requestItemId: result.requestItemId,
    requestId: card.requestId ?? '',
    instrument: {
      id: result.instrumentId,
      serialNumber: card.serialNumber ?? '',
      manufacturer: card.manufacturer ?? '',
      model: card.model,
      typeId: card.typeId ?? result.instrumentTypeId,
      typeCode: card.typeCode ?? '',
      typeName: card.typeName ?? '',
    },
    customer: { id: card.ownerId ?? '', name: card.ownerName ?? '' },
    service: result.service,
    status: result.status,
    currentRevision: result.currentRevision,
    approvedRevision: result.approvedRevision,
    createdAt: result.createdAt.toISOString(),
    revision: toRevisionView(current),
  };
}

export function toResultSummary(r: CalibrationResult): ResultSummaryView {
  return {
    id: r.id,
    requestItemId: r.requestItemId,
    instrumentId: r.instrumentId,
    service: r.service,
    status: r.status,
    currentRevision: r.currentRevision,
    approvedRevision: r.approvedRevision,
    createdAt: r.createdAt.toISOString(),
  };
}

/** What the audit trail keeps of a revision: its inputs and the reported results, compactly. */
export function auditSnapshot(
  l:
    | LoadedRevision
    | {
        revision: Partial<CalibrationResultRevision>;
        points: Partial<CalibrationResultPoint>[];
        standards: Partial<CalibrationResultStandard>[];
      },
): Record<string, unknown> {
  const r = l.revision;
  return {
    revision: r.revision,
    status: r.status,
    procedure: r.procedureCode,
    measuredOn: r.measuredOn,
    place: r.place,
    environment: { temperature: r.temperature, humidity: r.humidity, pressure: r.pressure },
    standards: l.standards.map((s) => ({ code: s.standardCode, certificateNumber: s.certificateNumber })),
    decisionRule: r.decisionRule,
    adjusted: r.adjusted,
    overallOutcome: r.overallOutcome,
    points: l.points.map((p) => ({
      series: p.series,
      nominal: p.nominal,
      unit: p.unit,
      referenceValue: p.referenceValue,
      readings: p.readings,
      corrections: p.corrections,
      error: p.error,
      expandedUncertainty: p.roundedExpandedUncertainty,
      coverageFactor: p.coverageFactor,
      mpe: p.mpe,
      decision: p.decision,
    })),
  };
}
