import type { CertificateContent, CertificateDraft } from '#libs/certificates';
import type { ConformityDecision, ResultRow } from '#libs/documents';
import type { EquipmentUsed, TestDecisionRule } from './analysis.entity.js';
import type { SampleFacts } from './sample-facts.js';

/** One printed row of a test report, in the product's order. */
export interface ReportRow {
  position: number;
  nameVi: string;
  nameEn: string;
  unit: string;
  method: string;
  accredited: boolean;
  subcontractedTo: string | null;
  /** As reported: "12,3", "< 0,2", "KPH". */
  display: string;
  /** "≤ 150", or null when no limit applies (printed "Báo cáo" for report-only rows, "—" otherwise). */
  limitDisplay: string | null;
  reportOnly: boolean;
  conformity: 'pass' | 'fail' | 'conditional' | 'not_judged';
  /** The ILAC-G8 outcome behind a conditional judgement. */
  decision: ConformityDecision | null;
  equipment: EquipmentUsed[];
  /** U (as reported) with k and the coverage probability p, for a measured value only; null otherwise. */
  uncertainty: { expandedUncertainty: string; coverageFactor: string; coverageProbability: number } | null;
}

/** Everything an approved revision of a sample's results says, as the report needs it. */
export interface TestReportFacts {
  revisionId: string;
  resultId: string;
  sample: SampleFacts;
  product: { nameVi: string; nameEn: string };
  customer: { name: string; address: string; contact: string | null };
  /** The regulations the limits came from, as the overall statement names them. */
  regulations: string[];
  testedFrom: string;
  testedTo: string;
  decisionRule: TestDecisionRule;
  guardBandFactor: string | null;
  environment: Record<string, { value: string; unit: string }> | null;
  deviations: string | null;
  overall: 'pass' | 'fail' | 'conditional' | null;
  overallReason: string | null;
  analyst: string;
  reviewer: string;
  rows: ReportRow[];
}

function decisionOf(r: ReportRow): ConformityDecision | undefined {
  switch (r.conformity) {
    case 'pass':
    case 'fail':
      return r.conformity;
    case 'conditional':
      return r.decision ?? undefined;
    case 'not_judged':
      return undefined;
  }
}

function row(r: ReportRow): ResultRow {
  const decision = decisionOf(r);
  return {
    label: r.nameVi,
    labelEn: r.nameEn,
    unit: r.unit,
    method: r.method,
    result: r.display,
    requirement: r.reportOnly ? 'Báo cáo' : (r.limitDisplay ?? '—'),
    ...(decision ? { decision } : {}),
    ...(r.uncertainty
      ? { expandedUncertainty: r.uncertainty.expandedUncertainty, coverageFactor: r.uncertainty.coverageFactor }
      : {}),
    ...(r.accredited ? { accredited: true } : {}),
    ...(r.subcontractedTo ? { subcontracted: true } : {}),
  };
}

/** Each piece of equipment once, as the report's list of measuring equipment. */
function equipment(rows: ReportRow[]): CertificateContent['standards'] {
  const seen = new Map<string, EquipmentUsed>();
  for (const r of rows) for (const e of r.equipment) seen.set(e.standardId, e);
  return [...seen.values()]
    .filter((e) => e.certificateNumber && e.issuedBy && e.dueDate)
    .map((e) => ({
      code: e.code,
      name: e.name,
      certificateNumber: e.certificateNumber!,
      issuedBy: e.issuedBy!,
      dueDate: e.dueDate!,
    }));
}

/**
 * The uncertainty statement (ISO/IEC 17025 7.8.3.1 c): the coverage probability, in percent, of the
 * rows that state U (recording keeps it one per revision); k is printed on each row.
 */
function uncertainty(rows: ReportRow[]): CertificateContent['uncertainty'] {
  const p = [...new Set(rows.flatMap((r) => (r.uncertainty ? [r.uncertainty.coverageProbability] : [])))];
  if (p.length === 0) return undefined;
  return { coverageProbability: p.map((x) => String(Math.round(x * 10000) / 100)).join(' / ') };
}

/** The overall statement: only when the engine made one (every judged parameter has a limit). */
function overall(f: TestReportFacts): ConformityDecision | null {
  if (f.overall === 'pass' || f.overall === 'fail') return f.overall;
  if (f.overall === 'conditional')
    return f.rows.some((r) => r.decision === 'conditional_fail') ? 'conditional_fail' : 'conditional_pass';
  return null;
}

function remarks(f: TestReportFacts): string[] {
  const out: string[] = [];
  const sub = f.rows.filter((r) => r.subcontractedTo);
  for (const r of sub)
    out.push(`${r.nameVi}: thử nghiệm thầu phụ tại ${r.subcontractedTo} / subcontracted to ${r.subcontractedTo}`);
  if (f.overall === null && f.overallReason)
    out.push(`Không đánh giá chung / No overall statement: ${f.overallReason}`);
  return out;
}

/** The test report's content from an approved revision (pure): the certificate queue numbers, renders and signs it. */
export function toTestReportDraft(f: TestReportFacts): CertificateDraft {
  const outcome = overall(f);
  const spec = f.regulations.join('; ');
  const env = f.environment ?? {};
  const description = [
    f.product.nameVi,
    f.sample.grade ? `loại ${f.sample.grade}` : null,
    f.sample.level ? `mức ${f.sample.level}` : null,
  ]
    .filter(Boolean)
    .join('; ');
  const extra = remarks(f);
  const content: CertificateContent = {
    customer: {
      name: f.customer.name,
      address: f.customer.address,
      ...(f.customer.contact ? { contact: f.customer.contact } : {}),
    },
    item: {
      typeName: description,
      typeNameEn: f.product.nameEn,
      serial: f.sample.code,
      ...(f.sample.description ? { otherIdentification: f.sample.description } : {}),
    },
    ...(f.sample.receivedOn ? { receiptDate: f.sample.receivedOn } : {}),
    measurementDates: f.testedFrom === f.testedTo ? [f.testedFrom] : [f.testedFrom, f.testedTo],
    placeOfMeasurement: 'Phòng thử nghiệm của Trung tâm / the centre’s laboratory',
    method: { code: [...new Set(f.rows.map((r) => r.method))].join('; ') },
    environment: {
      ...(env.temperature ? { temperature: env.temperature } : {}),
      ...(env.humidity ? { humidity: env.humidity } : {}),
    },
    standards: equipment(f.rows),
    results: [{ rows: [...f.rows].sort((a, b) => a.position - b.position).map(row) }],
    ...(uncertainty(f.rows) ? { uncertainty: uncertainty(f.rows)! } : {}),
    decisionRule: {
      rule: f.decisionRule,
      ...(f.decisionRule === 'guarded'
        ? { guardBand: f.guardBandFactor && Number(f.guardBandFactor) !== 1 ? `${f.guardBandFactor}·U` : 'U' }
        : {}),
    },
    ...(outcome ? { conformity: { decision: outcome, specification: spec } } : {}),
    ...(f.sample.sampling ? { sampling: f.sample.sampling } : {}),
    ...(f.deviations ? { deviations: f.deviations } : {}),
    ...(extra.length ? { remarks: extra } : {}),
    authorisedSignatory: { name: f.reviewer },
    technician: { name: f.analyst },
  };
  return {
    resultRevisionId: f.revisionId,
    resultId: f.resultId,
    organizationId: f.sample.organizationId,
    instrumentId: null,
    requestItemId: f.sample.requestItemId,
    service: 'testing',
    outcome,
    measurementDate: f.testedTo,
    validUntil: null,
    content,
    // An inspector's sample not released yet: the certificates library withholds the report from the owner.
    withheldFromOwner: f.sample.heldFromOwner,
  };
}
