import { renderCertificate, validateCertificateModel } from '#libs/documents';
import { toTestReportDraft, type ReportRow, type TestReportFacts } from './test-report-draft.js';

const row = (over: Partial<ReportRow>): ReportRow => ({
  position: 1,
  nameVi: 'Hàm lượng lưu huỳnh',
  nameEn: 'Sulphur content',
  unit: 'mg/kg',
  method: 'TCVN 6701',
  accredited: false,
  subcontractedTo: null,
  display: '179',
  limitDisplay: '≤ 150',
  reportOnly: false,
  conformity: 'fail',
  decision: 'fail',
  equipment: [],
  uncertainty: null,
  ...over,
});

function facts(over: Partial<TestReportFacts> = {}): TestReportFacts {
  return {
    revisionId: 'rev-1',
    resultId: 'res-1',
    sample: {
      requestItemId: 'item-1',
      requestId: 'req-1',
      organizationId: 'org-1',
      itemStatus: 'results_approved',
      code: 'M-26-0001',
      productId: 'p',
      level: '3',
      grade: '95',
      decisionRule: 'simple',
      description: 'Lô 2611-03; 2 L',
      receivedOn: '2026-11-30',
      sampling: null,
      heldFromOwner: false,
    },
    product: { nameVi: 'Xăng không chì', nameEn: 'Unleaded gasoline' },
    customer: { name: 'Công ty Xăng dầu', address: '1 Trần Phú, Nha Trang', contact: null },
    regulations: ['QCVN 01:2022/BKHCN'],
    testedFrom: '2026-12-01',
    testedTo: '2026-12-01',
    decisionRule: 'simple',
    guardBandFactor: null,
    environment: null,
    deviations: null,
    overall: 'fail',
    overallReason: null,
    analyst: 'Nguyễn Văn An',
    reviewer: 'Trần Thị Bình',
    rows: [
      row({ position: 2 }),
      row({
        position: 1,
        nameVi: 'Hàm lượng benzen',
        display: '< 0,2',
        limitDisplay: '≤ 2,5',
        conformity: 'pass',
        decision: 'pass',
        accredited: true,
      }),
      row({
        position: 3,
        nameVi: 'Điểm sôi đầu',
        display: '35,4',
        limitDisplay: null,
        reportOnly: true,
        conformity: 'not_judged',
        decision: null,
        subcontractedTo: 'Quatest 3',
      }),
    ],
    ...over,
  };
}

const model = (d: ReturnType<typeof toTestReportDraft>) => ({
  ...d.content,
  laboratory: { name: 'Trung tâm', address: 'Nha Trang' },
  kind: 'test_report' as const,
  number: 'TN-2026-000001',
  issueDate: '2026-12-01',
  verificationUrl: 'https://lims.example.vn/verify/TN-2026-000001',
});

describe('the test report draft (pure)', () => {
  it('a sample of the customer, in the product’s order, results as printed, marks and the overall statement', () => {
    const d = toTestReportDraft(facts());
    expect(d).toMatchObject({ service: 'testing', instrumentId: null, requestItemId: 'item-1', outcome: 'fail' });
    const rows = d.content.results[0]!.rows;
    expect(rows.map((r) => [r.label, r.result, r.requirement, r.decision])).toEqual([
      ['Hàm lượng benzen', '< 0,2', '≤ 2,5', 'pass'],
      ['Hàm lượng lưu huỳnh', '179', '≤ 150', 'fail'],
      ['Điểm sôi đầu', '35,4', 'Báo cáo', undefined],
    ]);
    expect(rows[0]).toMatchObject({ accredited: true });
    expect(rows[2]).toMatchObject({ subcontracted: true });
    expect(d.content.sampling).toBeUndefined(); // printed "Mẫu do khách hàng gửi"
    expect(d.content.conformity).toMatchObject({ decision: 'fail', specification: 'QCVN 01:2022/BKHCN' });
    expect(d.content.remarks).toEqual([expect.stringContaining('Quatest 3')]);
    expect(() => validateCertificateModel(model(d))).not.toThrow();
  });

  it('makes no overall statement when the engine made none, and says why', () => {
    const d = toTestReportDraft(facts({ overall: null, overallReason: 'no limit for metals' }));
    expect(d.outcome).toBeNull();
    expect(d.content.conformity).toBeUndefined();
    expect(d.content.remarks).toEqual(expect.arrayContaining([expect.stringContaining('no limit for metals')]));
  });

  it('a guarded rule keeps the ILAC-G8 conditional outcome per row and overall', () => {
    const d = toTestReportDraft(
      facts({
        decisionRule: 'guarded',
        guardBandFactor: '1',
        overall: 'conditional',
        rows: [row({ conformity: 'conditional', decision: 'conditional_fail' })],
      }),
    );
    expect(d.outcome).toBe('conditional_fail');
    expect(d.content.decisionRule).toEqual({ rule: 'guarded', guardBand: 'U' });
    expect(d.content.results[0]!.rows[0]!.decision).toBe('conditional_fail');
  });

  it('states U with its k beside a measured value, and the coverage probability once', () => {
    const u = { expandedUncertainty: '5.9', coverageFactor: '2.07', coverageProbability: 0.9545 };
    const d = toTestReportDraft(facts({ rows: [row({ display: '148', uncertainty: u }), row({ position: 2 })] }));
    const [withU, without] = d.content.results[0]!.rows;
    expect(withU).toMatchObject({ result: '148', expandedUncertainty: '5.9', coverageFactor: '2.07' });
    expect(without!.expandedUncertainty).toBeUndefined();
    expect(d.content.uncertainty).toEqual({ coverageProbability: '95.45' });
    expect(() => validateCertificateModel(model(d))).not.toThrow();
    expect(toTestReportDraft(facts()).content.uncertainty).toBeUndefined();
  });

  it('a model never states U beside "< LOQ" or "KPH"', () => {
    const u = { expandedUncertainty: '0.05', coverageFactor: '2', coverageProbability: 0.9545 };
    for (const display of ['< 0,2', 'KPH', '> 40']) {
      const d = toTestReportDraft(facts({ rows: [row({ display, uncertainty: u })] }));
      expect(() => validateCertificateModel(model(d))).toThrow(/results\[0\]\.rows\[0\]\.expandedUncertainty/);
    }
  });

  it('is withheld from the owner while an inspector’s sample is not released', () => {
    expect(toTestReportDraft(facts()).withheldFromOwner).toBe(false);
    const held = facts();
    held.sample = { ...held.sample, heldFromOwner: true };
    expect(toTestReportDraft(held).withheldFromOwner).toBe(true);
  });

  it('renders to a PDF (the renderer accepts the model)', async () => {
    const pdf = await renderCertificate(model(toTestReportDraft(facts())));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
