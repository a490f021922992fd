import type { TestResult, TestResultRow } from './analysis.entity.js';
import type { LoadedAnalysis, NamedRevision } from './analysis.repository.js';
import type { TestResultView, TestRevisionView, TestRowView } from './dto/analysis.dto.js';

function rowView(r: TestResultRow, a: LoadedAnalysis | undefined): TestRowView {
  return {
    parameter: a?.parameter.code ?? r.analysisId,
    nameVi: a?.parameter.nameVi ?? '',
    unit: a?.parameter.unit ?? '',
    method: a?.method.code ?? '',
    replicates: r.replicates,
    enteredUnit: r.enteredUnit,
    resultKind: r.reportedKind,
    value: r.reportedValue,
    display: r.display,
    expandedUncertainty: r.expandedUncertainty,
    coverageFactor: r.coverageFactor,
    uncertainty: r.uncertainty && {
      combinedStandardUncertainty: r.uncertainty.combinedStandardUncertainty,
      effectiveDegreesOfFreedom: r.uncertainty.effectiveDegreesOfFreedom,
      coverageProbability: r.uncertainty.coverageProbability,
      coverageFactor: r.uncertainty.coverageFactor,
      expandedUncertainty: r.uncertainty.expandedUncertainty,
      coverageFactorMethod: r.uncertainty.coverageFactorMethod,
    },
    limitId: r.limitId,
    limitDisplay: r.limitDisplay,
    conformity: r.conformity,
    reason: r.conformityReason,
    equipment: r.equipment.map((e) => e.code),
    testedOn: r.testedOn,
    measuredInRevision: r.measuredInRevision,
  };
}

export function toRevisionView(
  v: NamedRevision,
  rows: TestResultRow[],
  analyses: Map<string, LoadedAnalysis>,
): TestRevisionView {
  return {
    id: v.id,
    revision: v.revision,
    status: v.status,
    reason: v.reason,
    testedFrom: v.testedFrom,
    testedTo: v.testedTo,
    decisionRule: v.decisionRule,
    overall: v.overall,
    overallReason: v.overallReason,
    deviations: v.deviations,
    environment: v.environment,
    performedBy: { id: v.performedBy, name: v.performer.fullName },
    reviewedBy: v.reviewedBy && v.reviewer ? { id: v.reviewedBy, name: v.reviewer.fullName } : null,
    reviewComment: v.reviewComment,
    rows: rows
      .map((r) => ({ r, a: analyses.get(r.analysisId) }))
      .sort((x, y) => (x.a?.position ?? 0) - (y.a?.position ?? 0))
      .map(({ r, a }) => rowView(r, a)),
  };
}

export function toTestResultView(
  result: TestResult,
  revisions: NamedRevision[],
  rows: TestResultRow[],
  analyses: LoadedAnalysis[],
): TestResultView {
  const byId = new Map(analyses.map((a) => [a.id, a]));
  return {
    id: result.id,
    requestItemId: result.requestItemId,
    status: result.status,
    currentRevision: result.currentRevision,
    approvedRevision: result.approvedRevision,
    revisions: revisions.map((v) =>
      toRevisionView(
        v,
        rows.filter((r) => r.revisionId === v.id),
        byId,
      ),
    ),
  };
}
