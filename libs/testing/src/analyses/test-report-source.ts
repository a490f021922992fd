import { Inject, Injectable } from '@nestjs/common';
import { CertificateSourceError, type CertificateDraft, type CertificateSource } from '#libs/certificates';
import { OrganizationService } from '#libs/registry';
import { CatalogueRepository } from '../catalogue/catalogue.repository.js';
import type { TestResultRow } from './analysis.entity.js';
import { AnalysisRepository, type LoadedAnalysis } from './analysis.repository.js';
import { SAMPLE_FACTS, type SampleFactsReader } from './sample-facts.js';
import { toTestReportDraft, type ReportRow } from './test-report-draft.js';

/**
 * The testing library's adapter of the certificates library's port: an approved revision of a
 * sample's results as a test report draft (phiếu kết quả thử nghiệm, series TN). Not a revision of
 * test results: `not_found`, so a composite source asks the next library.
 */
@Injectable()
export class TestReportSource implements CertificateSource {
  constructor(
    private readonly repository: AnalysisRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly organizations: OrganizationService,
    @Inject(SAMPLE_FACTS) private readonly samples: SampleFactsReader,
  ) {}

  async load(revisionId: string): Promise<CertificateDraft> {
    const m = this.repository.manager;
    const revision = await this.repository.revisionById(m, revisionId);
    if (!revision) throw new CertificateSourceError(revisionId, 'not_found', `No test result revision ${revisionId}`);
    if (revision.status !== 'approved' || !revision.reviewer)
      throw new CertificateSourceError(
        revisionId,
        'not_approved',
        `Test result revision ${revisionId} is not approved`,
      );
    const itemId = revision.result.requestItemId;
    const sample = await this.samples.forItem(m, itemId);
    if (!sample) throw new CertificateSourceError(revisionId, 'incomplete', `Request item ${itemId} is not a sample`);
    const [analyses, rows, product, details, customer] = await Promise.all([
      this.repository.analysesOf(m, itemId),
      this.repository.rowsOf(m, [revisionId]),
      this.catalogue.product(sample.productId),
      this.catalogue.details([sample.productId]).then((d) => d.get(sample.productId)),
      this.organizations.lookup(undefined, sample.organizationId),
    ]);
    if (!product || !details || !customer)
      throw new CertificateSourceError(revisionId, 'incomplete', 'The sample’s product or customer is missing');
    const regulationOf = new Map([...details.limits.values()].flat().map((l) => [l.id, l.regulation?.code ?? '']));
    const byAnalysis = new Map(rows.map((r) => [r.analysisId, r]));
    const reportRows = analyses.flatMap((a) => {
      const r = byAnalysis.get(a.id);
      return r ? [reportRow(a, r)] : [];
    });
    const regulations = [...new Set(rows.flatMap((r) => (r.limitId ? [regulationOf.get(r.limitId)!] : [])))];
    const contact = customer.contacts[0];
    return toTestReportDraft({
      revisionId,
      resultId: revision.resultId,
      sample,
      product: { nameVi: product.nameVi, nameEn: product.nameEn },
      customer: {
        name: customer.name,
        address: [customer.streetAddress, customer.ward, customer.district, customer.province]
          .filter(Boolean)
          .join(', '),
        contact: contact ? [contact.name, contact.phone, contact.email].filter(Boolean).join(', ') : null,
      },
      regulations: regulations.filter(Boolean),
      testedFrom: revision.testedFrom,
      testedTo: revision.testedTo,
      decisionRule: revision.decisionRule,
      guardBandFactor: revision.guardBandFactor,
      environment: revision.environment,
      deviations: revision.deviations,
      overall: revision.overall,
      overallReason: revision.overallReason,
      analyst: revision.performer.fullName,
      reviewer: revision.reviewer.fullName,
      rows: reportRows,
    });
  }
}

function reportRow(a: LoadedAnalysis, r: TestResultRow): ReportRow {
  return {
    position: a.position,
    nameVi: a.parameter.nameVi,
    nameEn: a.parameter.nameEn,
    unit: a.parameter.unit,
    method: a.method.code,
    accredited: a.accredited,
    subcontractedTo: a.subcontractedTo,
    display: r.display,
    limitDisplay: r.limitDisplay,
    reportOnly: a.parameter.resultType === 'report_only',
    conformity: r.conformity,
    decision: r.decision,
    equipment: r.equipment,
    // U belongs beside a measured value only: never "< LOQ", "KPH", a bound or a category.
    uncertainty:
      r.reportedKind === 'value' && r.expandedUncertainty !== null && r.coverageFactor !== null
        ? {
            expandedUncertainty: r.expandedUncertainty,
            coverageFactor: r.coverageFactor,
            coverageProbability: r.uncertainty?.coverageProbability ?? 0.9545,
          }
        : null,
  };
}
