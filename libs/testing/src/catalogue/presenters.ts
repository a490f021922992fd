import { displayLimit } from '../conformity/conformity.js';
import type { LimitSpec } from '../conformity/selection.js';
import { inForce } from '../conformity/selection.js';
import type { LimitView, MethodView, ParameterView, ProductReadinessView, ProductView } from '../dto/catalogue.dto.js';
import { isUsableLimit, type TestMethod, type TestProduct, type TestSpecLimit } from './catalogue.entity.js';
import type { ProductDetails } from './catalogue.repository.js';

export function toLimitView(l: TestSpecLimit): LimitView {
  return {
    id: l.id,
    regulationId: l.regulationId,
    regulationCode: l.regulation!.code,
    level: l.level,
    grade: l.grade,
    season: l.season,
    seasonFrom: l.seasonFrom,
    seasonTo: l.seasonTo,
    kind: l.kind,
    min: l.min,
    max: l.max,
    allowedValues: l.allowedValues,
    limitText: l.limitText,
    display: displayLimit(l),
    sourceDocument: l.sourceDocument,
    sourceNote: l.sourceNote,
    confidence: l.confidence,
    usable: isUsableLimit(l),
    confirmation:
      l.confirmedAt && l.confirmedBy && l.confirmedAgainst
        ? { by: l.confirmedBy, at: l.confirmedAt.toISOString(), against: l.confirmedAgainst }
        : null,
    seedKey: l.seedKey,
  };
}

export function toMethodView(m: TestMethod): MethodView {
  return {
    id: m.id,
    code: m.code,
    equivalent: m.equivalent,
    note: m.note,
    lod: m.lod,
    loq: m.loq,
    accredited: m.accredited,
    environmentLimits: m.environmentLimits,
    environmentSource: m.environmentSource,
    environmentConfidence: m.environmentConfidence,
  };
}

/** The engine's view of a limit row (its regulation loaded). */
export function toLimitSpec(l: TestSpecLimit, parameterCode: string): LimitSpec {
  const r = l.regulation!;
  return {
    id: l.id,
    parameterCode,
    regulation: { code: r.code, inForceFrom: r.inForceFrom, inForceTo: r.inForceTo },
    level: l.level,
    grade: l.grade,
    season: l.season,
    seasonFrom: l.seasonFrom,
    seasonTo: l.seasonTo,
    kind: l.kind,
    min: l.min,
    max: l.max,
    allowedValues: l.allowedValues,
    limitText: l.limitText,
    confidence: l.confidence,
    usable: isUsableLimit(l),
  };
}

/** Which limits still need an admin's confirmation, and which parameters have no limit value at all. */
function readiness(d: ProductDetails): ProductReadinessView {
  const needsConfirmation = d.parameters.flatMap((p) =>
    (d.limits.get(p.id) ?? [])
      .filter((l) => l.kind !== 'none' && !isUsableLimit(l))
      .map((l) => ({
        limitId: l.id,
        parameter: p.code,
        regulationCode: l.regulation!.code,
        level: l.level,
        grade: l.grade,
        season: l.season,
        confidence: l.confidence,
      })),
  );
  const withoutLimit = d.parameters
    .filter((p) => p.resultType !== 'report_only' && (d.limits.get(p.id) ?? []).every((l) => l.kind === 'none'))
    .map((p) => p.code);
  return { ready: needsConfirmation.length === 0, needsConfirmation, withoutLimit };
}

export function toProductView(p: TestProduct, d: ProductDetails, today: string): ProductView {
  const parameters: ParameterView[] = d.parameters.map((x) => ({
    id: x.id,
    code: x.code,
    nameVi: x.nameVi,
    nameEn: x.nameEn,
    unit: x.unit,
    resultType: x.resultType,
    allowedValues: x.allowedValues,
    position: x.position,
    note: x.note,
    methods: (d.methods.get(x.id) ?? []).map(toMethodView),
    limits: (d.limits.get(x.id) ?? []).map(toLimitView),
  }));
  return {
    id: p.id,
    code: p.code,
    nameVi: p.nameVi,
    nameEn: p.nameEn,
    levels: p.levels,
    grades: p.grades,
    note: p.note,
    regulations: d.regulations.map((r) => ({
      id: r.id,
      code: r.code,
      title: r.title,
      kind: r.kind,
      issuedBy: r.issuedBy,
      issuedOn: r.issuedOn,
      inForceFrom: r.inForceFrom,
      inForceTo: r.inForceTo,
      inForce: inForce(r, today),
      clause: r.clause,
      sourceNote: r.sourceNote,
    })),
    parameters,
    readiness: readiness(d),
  };
}
