import type { CertificateView } from '#libs/certificates';
import { verifyPdfSignature } from '#libs/documents';
import { todayInVietnam } from '#libs/registry';
import { WebhookService } from '#libs/webhooks';
import { binary, hasTool, pdfsig, pdfText } from './support/certificates.js';
import {
  authorise,
  businessKey,
  createOrganization,
  createStandardWithCertificate,
  createUsableStandard,
  inDays,
  itemStatus,
  staffSession,
  type StaffSession,
} from './support/factories.js';
import { allPages, as, expectStatus, ok, type Body } from './support/http.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

/**
 * Testing end to end over HTTP, against the real database, queue and worker: a business submits a
 * gasoline sample, contract review picks the QCVN 01:2022 set, an authorised analyst records the
 * results, a second person reviews them, and the test report (phiếu kết quả thử nghiệm) is issued
 * through the certificate queue — signed, numbered TN-YYYY-NNNNNN, found by the public lookup.
 */
describe('testing: analyses, review and the test report (e2e)', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let analyst: StaffSession;
  let reviewer: StaffSession;
  let products: Body[];
  const today = todayInVietnam();
  const year = today.slice(0, 4);
  const product = (code: string): Body => products.find((p) => p.code === code);
  const parameter = (p: Body, code: string): Body => p.parameters.find((x: Body) => x.code === code);

  beforeAll(async () => {
    sys = await startTestSystem({
      worker: true,
      seedCatalogue: true,
      env: { PUBLIC_BASE_URL: 'https://lims.tdc.example.vn', PUBLIC_RATE_LIMIT: '100000' },
    });
    admin = await staffSession(sys, ['admin']);
    // The analyst may also review (others' work): self-approval is refused by the record, not the role.
    analyst = await staffSession(sys, ['technician', 'reviewer']);
    reviewer = await staffSession(sys, ['reviewer']);
    products = await allPages<Body>(async (cursor) =>
      expectStatus(as(sys, admin).get(`/testing/products?limit=50${cursor ? `&cursor=${cursor}` : ''}`), 200),
    );
  });
  afterAll(async () => sys?.close());

  /** A business submits one sample (sent by itself); reception reads its item. */
  async function submitSample(key: string, sample: Body): Promise<{ requestId: string; itemId: string }> {
    const submitted = await expectStatus<Body>(
      as(sys, { key }).post('/testing/samples', {
        samples: [{ quantity: 2, quantityUnit: 'L', sampling: { by: 'customer' }, ...sample }],
      }),
      201,
    );
    return { requestId: submitted.request.id, itemId: submitted.samples[0].itemId };
  }

  /** Accepted, scheduled for the analyst today and received with its label. */
  async function receive(s: { requestId: string; itemId: string }): Promise<void> {
    ok(await as(sys, admin).post(`/requests/${s.requestId}/accept`, {}), 'accept');
    const base = `/requests/${s.requestId}/items/${s.itemId}`;
    ok(await as(sys, admin).post(`${base}/schedule`, { technicianId: analyst.userId, date: today }), 'schedule');
    ok(
      await as(sys, admin).post(`${base}/receive`, { labelId: `M-${Date.now()}`, condition: 'Nguyên niêm phong' }),
      'receive',
    );
  }

  /** A value inside the limit a row would be judged against (level 3, RON 95), in the parameter's unit. */
  function passing(p: Body, level: string, grade: string): string[] {
    const limit = p.limits.find(
      (l: Body) =>
        l.regulationCode === 'QCVN 01:2022/BKHCN' &&
        (l.level === null || l.level === level) &&
        (l.grade === null || l.grade === grade),
    );
    if (!limit || limit.kind === 'none') return ['35.2'];
    if (limit.kind === 'max') return [String(Number(limit.max) / 2)];
    if (limit.kind === 'min') return [String(Number(limit.min) + 1)];
    if (limit.kind === 'range') return [String((Number(limit.min) + Number(limit.max)) / 2)];
    throw new Error(`no passing value for ${p.code} (${limit.kind})`);
  }

  describe('a gasoline RON 95 sample at mức 3', () => {
    afterAll(async () => receiver?.close());
    let gasoline: Body;
    let business: { id: string; key: string };
    let sample: { requestId: string; itemId: string };
    let thermometer: Body;
    let rows: Body[];
    let certificate: CertificateView;
    let pdf: Buffer;
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

    beforeAll(async () => {
      gasoline = product('gasoline');
      const org = await createOrganization(sys);
      business = { id: org.id, key: await businessKey(sys, org.id) };
      receiver = await startWebhookReceiver();
      await sys.app
        .get(WebhookService)
        .create(
          org.id,
          { url: receiver.url, events: ['certificate.issued', 'certificate.superseded', 'certificate.revoked'] },
          { kind: 'staff', userId: admin.userId, username: admin.username, fullName: 'Admin', roles: ['admin'] },
        );
      sample = await submitSample(business.key, { productId: gasoline.id, level: '3', grade: '95', lot: 'Lô 2611-03' });
      // The centre's LOQ for benzene (its first method) and the accreditation of the sulphur method.
      const benzene = parameter(gasoline, 'benzene').methods[0];
      ok(await as(sys, admin).patch(`/testing/methods/${benzene.id}`, { loq: '0.2', lod: '0.05' }), 'benzene LOQ');
      const sulphur = parameter(gasoline, 'sulphur').methods[0];
      ok(await as(sys, admin).patch(`/testing/methods/${sulphur.id}`, { accredited: true }), 'accredited');
      thermometer = await createUsableStandard(sys, admin, {
        name: 'Nhiệt kế chưng cất',
        quantity: 'temperature',
        unit: '°C',
      });
    });

    it('contract review needs an authorised analyst, then picks the full QCVN 01:2022 set', async () => {
      const refused = await expectStatus<Body>(
        as(sys, admin).post(`/testing/samples/${sample.itemId}/analyses`, {}),
        422,
      );
      expect(refused.code).toBe('analysis.no_authorised_analyst');
      await authorise(sys, admin, analyst, [
        { instrumentTypeId: null, service: 'testing', activity: 'perform' },
        { instrumentTypeId: null, service: 'testing', activity: 'approve' },
      ]);
      await authorise(sys, admin, reviewer, [{ instrumentTypeId: null, service: 'testing', activity: 'approve' }]);
      const chosen = await expectStatus<Body>(
        as(sys, admin).post(`/testing/samples/${sample.itemId}/analyses`, { regulation: 'QCVN 01:2022/BKHCN' }),
        200,
      );
      const codes = chosen.analyses.map((a: Body) => a.parameter);
      expect(codes).toEqual(
        expect.arrayContaining(['ron', 'sulphur', 'benzene', 'distillation_ibp', 'distillation_fbp']),
      );
      expect(codes).not.toContain('mon'); // TCVN 6776:2018 only: not in the regulation's set
      expect(chosen.analyses.find((a: Body) => a.parameter === 'sulphur')).toMatchObject({ accredited: true });
      expect(chosen.authorisedAnalysts).toBeGreaterThanOrEqual(1);
      // The business reads its sample's analyses; another business does not find them.
      const own = await expectStatus<Body>(
        as(sys, { key: business.key }).get(`/testing/samples/${sample.itemId}/analyses`),
        200,
      );
      expect(own.analyses).toHaveLength(codes.length);
      const other = await createOrganization(sys);
      await expectStatus(
        as(sys, { key: await businessKey(sys, other.id) }).get(`/testing/samples/${sample.itemId}/analyses`),
        404,
      );
      rows = chosen.analyses.map((a: Body) => ({
        parameter: a.parameter,
        replicates: passing(parameter(gasoline, a.parameter), '3', '95'),
      }));
      const set = (code: string, row: Body) =>
        (rows[rows.findIndex((r) => r.parameter === code)] = { parameter: code, ...row });
      set('sulphur', { replicates: ['0.180', '0.178'], unit: 'g/kg' }); // 179 mg/kg > 150: over the limit
      set('benzene', { replicates: ['<0.2', '0.12'] }); // below the LOQ: "< 0,2", never 0
      set('distillation_ibp', { replicates: ['35.2', '35.6'], equipment: [thermometer.id] });
      set('distillation_t50', { replicates: ['98.5'], equipment: [thermometer.id] });
      set('distillation_fbp', { replicates: ['205.5'], equipment: [thermometer.id] });
    });

    it('records only for an authorised analyst, with usable equipment, and refuses an unconfirmed limit naming it', async () => {
      const url = `/testing/samples/${sample.itemId}/results`;
      const body = { testedOn: today, environment: { temperature: { value: '25.1', unit: '°C' } }, rows };
      await expectStatus(as(sys, reviewer).post(url, body), 403); // not a technician
      const stranger = await staffSession(sys, ['technician']);
      expect((await expectStatus<Body>(as(sys, stranger).post(url, body), 403)).code).toBe(
        'test_result.not_authorised',
      );
      await receive(sample);
      const { standard: overdue } = await createStandardWithCertificate(
        sys,
        admin,
        { name: 'Nhiệt kế quá hạn', quantity: 'temperature', unit: '°C' },
        { calibrationDate: inDays(-400), dueDate: inDays(-35) },
      );
      const withOverdue = rows.map((r) => (r.parameter === 'distillation_t50' ? { ...r, equipment: [overdue.id] } : r));
      const unusable = await expectStatus<Body>(as(sys, analyst).post(url, { ...body, rows: withOverdue }), 422);
      expect(unusable.code).toBe('test_result.equipment_unusable');
      expect(unusable.errors[0].message).toMatch(/overdue/);
      const wrongUnit = rows.map((r) => (r.parameter === 'sulphur' ? { ...r, unit: 'mL' } : r));
      const unit = await expectStatus<Body>(as(sys, analyst).post(url, { ...body, rows: wrongUnit }), 422);
      expect(unit.errors[0].field).toMatch(/^rows\[\d+\]\.unit$/);

      const refused = await expectStatus<Body>(as(sys, analyst).post(url, body), 422);
      expect(refused.code).toBe('spec_limit.unconfirmed');
      const vapour = refused.limits.find((l: Body) => l.parameter === 'vapour_pressure');
      expect(vapour).toMatchObject({ regulation: 'QCVN 01:2022/BKHCN', confidence: 'UNCERTAIN' });
      for (const l of refused.limits)
        ok(
          await as(sys, admin).post(`/testing/limits/${l.limitId}/confirm`, { document: 'QCVN 01:2022/BKHCN, Bảng 1' }),
          'confirm',
        );
      const audit = ok(await as(sys, admin).get(`/audit?entity=spec_limit&id=${vapour.limitId}`), 'audit');
      expect(audit.items).toEqual([expect.objectContaining({ action: 'confirm' })]);

      const recorded = await expectStatus<Body>(as(sys, analyst).post(url, body), 201);
      const byCode = Object.fromEntries(recorded.revisions[0].rows.map((r: Body) => [r.parameter, r]));
      expect(byCode.sulphur).toMatchObject({ value: '179', display: '179', conformity: 'fail', limitDisplay: '≤ 150' });
      expect(byCode.benzene).toMatchObject({ resultKind: 'below', display: '< 0,2', conformity: 'pass' });
      expect(byCode.distillation_ibp).toMatchObject({
        display: '35,4',
        conformity: 'not_judged',
        equipment: [thermometer.code],
      });
      expect(recorded.revisions[0]).toMatchObject({ revision: 1, status: 'draft', overall: 'fail' });
      expect(await itemStatus(sys, admin, sample)).toBe('in_progress');
    });

    it('is reviewed by a second person: self-approval refused, a return keeps revision 1, the retest is revision 2', async () => {
      const base = `/testing/samples/${sample.itemId}/results`;
      ok(await as(sys, analyst).post(`${base}/submit`, { revision: 1 }), 'submit');
      const self = await expectStatus<Body>(as(sys, analyst).post(`${base}/approve`, { revision: 1 }), 403);
      expect(self.code).toBe('test_result.self_approval');
      await expectStatus(as(sys, reviewer).post(`${base}/return`, { revision: 1 }), 400);
      ok(await as(sys, reviewer).post(`${base}/return`, { revision: 1, comment: 'Thử lại benzen' }), 'return');
      await expectStatus(
        as(sys, analyst).post(base, { testedOn: today, rows: [{ parameter: 'benzene', replicates: ['0.1'] }] }),
        400,
      );
      const retest = await expectStatus<Body>(
        as(sys, analyst).post(base, {
          testedOn: today,
          reason: 'Thử lại benzen theo yêu cầu soát xét',
          rows: [{ parameter: 'benzene', replicates: ['<0.2', 'KPH'] }],
        }),
        201,
      );
      expect(retest.revisions.map((r: Body) => [r.revision, r.status])).toEqual([
        [1, 'returned'],
        [2, 'draft'],
      ]);
      const first = retest.revisions[0].rows.find((r: Body) => r.parameter === 'benzene');
      const second = retest.revisions[1].rows.find((r: Body) => r.parameter === 'benzene');
      expect(first.replicates).toEqual(['<0.2', '0.12']);
      expect(second).toMatchObject({ replicates: ['<0.2', 'KPH'], display: '< 0,2', measuredInRevision: 2 });
      expect(retest.revisions[1].rows.find((r: Body) => r.parameter === 'sulphur').measuredInRevision).toBe(1);
      ok(await as(sys, analyst).post(`${base}/submit`, { revision: 2 }), 'submit 2');
      const approved = await expectStatus<Body>(
        as(sys, reviewer).post(`${base}/approve`, { revision: 2, comment: 'Đạt yêu cầu soát xét' }),
        200,
      );
      expect(approved).toMatchObject({ status: 'approved', approvedRevision: 2 });
    });

    it('issues the signed test report through the queue: TN series, sulphur Không đạt, benzene "< 0,2", overall Không đạt', async () => {
      const results = ok(await as(sys, admin).get(`/testing/samples/${sample.itemId}/results`), 'results');
      const revisionId = results.revisions[1].id;
      const state = await eventually(async () => {
        const s = ok(await as(sys, admin).get(`/certificate-issues/${revisionId}`), 'issue state');
        return s.status === 'issued' ? s : s.status === 'failed' ? Promise.reject(new Error(s.failure)) : undefined;
      }, 30000);
      certificate = state.certificate;
      expect(certificate).toMatchObject({
        kind: 'test_report',
        service: 'testing',
        outcome: 'fail',
        status: 'valid',
        organizationId: business.id,
        instrumentId: null,
        requestItemId: sample.itemId,
      });
      expect(certificate.number).toMatch(new RegExp(`^TN-${year}-\\d{6}$`));
      expect(await itemStatus(sys, admin, sample)).toBe('certificate_issued');
      pdf = (
        await as(sys, { key: business.key })
          .get(`/certificates/${certificate.id}/pdf`)
          .buffer(true)
          .parse(binary)
          .expect(200)
      ).body as Buffer;
      expect(verifyPdfSignature(pdf)).toMatchObject({ signed: true, intact: true });
      if (hasTool('pdfsig')) expect(pdfsig(pdf)).toContain('Signature is Valid.');
      else console.warn('pdfsig is not installed (poppler-utils): skipping the pdfsig check');
      if (!hasTool('pdftotext')) return console.warn('pdftotext is not installed: skipping the PDF text checks');
      const text = pdfText(pdf);
      expect(text).toContain('PHIẾU KẾT QUẢ THỬ NGHIỆM');
      for (const head of ['STT', 'Chỉ tiêu', 'Đơn vị', 'Phương pháp thử', 'Kết quả', 'Mức quy định', 'Đánh giá'])
        expect(text).toContain(head);
      // pdftotext reads a table cell by cell: the row's cells follow its parameter's name.
      expect(text).toMatch(/Hàm lượng lưu huỳnh 179 ≤ 150/);
      expect(text.match(/Không đạt/g)).toHaveLength(1); // the sulphur row's decision, and no other row's
      expect(text).toMatch(/Hàm lượng benzen % thể tích TCVN \d+ < 0,2 ≤ 2,5/);
      expect(text).toContain('Đánh giá chung: KHÔNG ĐẠT');
      expect(text).toContain('Mẫu do khách hàng gửi');
      expect(text).toContain('chỉ có giá trị đối với mẫu thử');
      expect(text).toContain('(*) Phép thử được công nhận (VILAS)');
      expect(text).toContain(certificate.number);
    });

    it('is found by the public lookup, and read by its business only', async () => {
      const found = await expectStatus<Body>(
        sys.http().get(`/public/certificates/${encodeURIComponent(certificate.number)}`),
        200,
      );
      expect(found).toMatchObject({ number: certificate.number, status: 'valid' });
      const list = ok(await as(sys, { key: business.key }).get('/certificates?kind=test_report'), 'list');
      expect(list.items.map((c: Body) => c.id)).toContain(certificate.id);
      const other = await createOrganization(sys);
      await expectStatus(
        as(sys, { key: await businessKey(sys, other.id) }).get(`/certificates/${certificate.id}`),
        404,
      );
    });
    it('tells the business by the certificate.issued webhook, and is amended and revoked as certificates are', async () => {
      const hook = await eventually(async () => receiver.received.find((h) => h.json.type === 'certificate.issued'));
      expect(hook.json).toMatchObject({
        organizationId: business.id,
        data: { certificateId: certificate.id, number: certificate.number, kind: 'test_report', outcome: 'fail' },
      });
      const reason = 'Sửa tên khách hàng theo yêu cầu';
      const amended = await expectStatus<Body>(
        as(sys, reviewer).post(`/certificates/${certificate.id}/amend`, { reason }),
        201,
      );
      expect(amended).toMatchObject({ kind: 'test_report', status: 'valid', replaces: { id: certificate.id, reason } });
      expect(amended.number).toMatch(new RegExp(`^TN-${year}-\\d{6}$`));
      expect(amended.number).not.toBe(certificate.number);
      const old = await expectStatus<Body>(
        sys.http().get(`/public/certificates/${encodeURIComponent(certificate.number)}`),
        200,
      );
      expect(old).toMatchObject({ status: 'superseded', supersededBy: amended.number });
      ok(await as(sys, reviewer).post(`/certificates/${amended.id}/revoke`, { reason: 'Mẫu bị nhầm lẫn' }), 'revoke');
      const revoked = await expectStatus<Body>(
        sys.http().get(`/public/certificates/${encodeURIComponent(amended.number)}`),
        200,
      );
      expect(revoked).toMatchObject({ status: 'revoked' });
      await eventually(async () => receiver.received.find((h) => h.json.type === 'certificate.revoked'));
    });
  });

  it('judges a diesel sample in winter against the winter pour point, once an admin confirms it', async () => {
    const diesel = product('diesel');
    const org = await createOrganization(sys);
    const key = await businessKey(sys, org.id);
    const sample = await submitSample(key, { productId: diesel.id, level: '5' });
    ok(
      await as(sys, admin).post(`/testing/samples/${sample.itemId}/analyses`, {
        parameters: [{ parameter: 'pour_point' }, { parameter: 'viscosity_40' }],
      }),
      'analyses',
    );
    await receive(sample);
    const winterDay = `${year}-12-01` <= today ? `${year}-12-01` : `${Number(year) - 1}-12-01`;
    const body = {
      testedOn: today >= winterDay ? today : winterDay,
      rows: [
        { parameter: 'pour_point', replicates: ['5'] },
        { parameter: 'viscosity_40', replicates: ['3.1'] },
      ],
    };
    const winter = parameter(diesel, 'pour_point').limits.find((l: Body) => l.season === 'winter');
    const inWinter = body.testedOn.slice(5) >= '11-01' || body.testedOn.slice(5) <= '03-31';
    if (!inWinter) return console.warn(`${body.testedOn} is not in winter: the winter pour point is not selected`);
    const refused = await expectStatus<Body>(
      as(sys, analyst).post(`/testing/samples/${sample.itemId}/results`, body),
      422,
    );
    expect(refused.limits).toEqual([expect.objectContaining({ limitId: winter.id, parameter: 'pour_point' })]);
    const confirm = await as(sys, admin).post(`/testing/limits/${winter.id}/confirm`, {
      document: 'QCVN 01:2022/BKHCN',
    });
    expect([201, 409]).toContain(confirm.status);
    const recorded = await expectStatus<Body>(
      as(sys, analyst).post(`/testing/samples/${sample.itemId}/results`, body),
      201,
    );
    const pour = recorded.revisions[0].rows.find((r: Body) => r.parameter === 'pour_point');
    expect(pour).toMatchObject({ limitId: winter.id, limitDisplay: '≤ 3', conformity: 'fail' });
  });
});
