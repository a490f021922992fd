import { writeFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { CertificateIssuer, CertificateOwnerReleaseHandler, CertificateService } from '#libs/certificates';
import { todayInVietnam } from '#libs/registry';
import { WebhookService } from '#libs/webhooks';
import { binary, hasTool, pdfText } from './support/certificates.js';
import { authorise, businessKey, createOrganization, staffSession, type StaffSession } from './support/factories.js';
import { allPages, as, expectStatus, ok, type Body } from './support/http.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

/**
 * An inspector's sample (market surveillance) end to end over HTTP, with the real database, queue and
 * worker: the sulphur method's environmental limits (kept by an admin) are checked on the results,
 * the sulphur row's uncertainty is evaluated through libs/uncertainty and used by the guarded rule,
 * and the test report — printed "148 ± 5,9 (k = 2,07)" — is withheld from the owner (lists, reads,
 * download, issue state, webhook) until the inspector releases the sample, then shown with exactly
 * one certificate.issued webhook. The public lookup by number works throughout; staff see everything.
 */
/** Booting the API, the worker and the seeded catalogue on a loaded two-core machine takes minutes. */
const BOOT_MS = 300_000;
const STEP_MS = 240_000;

describe('testing: an inspector’s test report withheld until release; method environment; U per row (e2e)', () => {
  let sys: TestSystem;
  let db: DataSource;
  let admin: StaffSession;
  let analyst: StaffSession;
  let reviewer: StaffSession;
  let inspector: StaffSession;
  let gasoline: Body;
  let owner: { id: string; key: string };
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let itemId: string;
  let revisionId: string;
  let certificate: Body;
  const today = todayInVietnam();
  const parameter = (code: string): Body => gasoline.parameters.find((x: Body) => x.code === code);
  const issuedHooks = async (certificateId: string): Promise<number> => {
    const [row] = (await db.query(
      `SELECT count(*)::int AS n FROM webhook_delivery
        WHERE event_type = 'certificate.issued' AND payload->'data'->>'certificateId' = $1`,
      [certificateId],
    )) as { n: number }[];
    return row!.n;
  };

  beforeAll(async () => {
    sys = await startTestSystem({
      worker: true,
      seedCatalogue: true,
      env: { PUBLIC_BASE_URL: 'https://lims.tdc.example.vn', PUBLIC_RATE_LIMIT: '100000' },
    });
    db = sys.app.get(DataSource);
    admin = await staffSession(sys, ['admin']);
    analyst = await staffSession(sys, ['technician']);
    reviewer = await staffSession(sys, ['reviewer']);
    inspector = await staffSession(sys, ['inspector']);
    await authorise(sys, admin, analyst, [{ instrumentTypeId: null, service: 'testing', activity: 'perform' }]);
    await authorise(sys, admin, reviewer, [{ instrumentTypeId: null, service: 'testing', activity: 'approve' }]);
    const products = await allPages<Body>(async (cursor) =>
      expectStatus(as(sys, admin).get(`/testing/products?limit=50${cursor ? `&cursor=${cursor}` : ''}`), 200),
    );
    gasoline = products.find((p) => p.code === 'gasoline')!;
    const org = await createOrganization(sys);
    owner = { id: org.id, key: await businessKey(sys, org.id) };
    receiver = await startWebhookReceiver();
    await sys.app
      .get(WebhookService)
      .create(
        org.id,
        { url: receiver.url, events: ['certificate.issued'] },
        { kind: 'staff', userId: admin.userId, username: admin.username, fullName: 'Admin', roles: ['admin'] },
      );
  }, BOOT_MS);
  afterAll(async () => {
    await receiver?.close();
    await sys?.close();
  });

  it(
    'keeps a method’s environmental limits as an admin enters them: source required, confidence shown, audited',
    async () => {
      const method = parameter('sulphur').methods[0];
      const url = `/testing/methods/${method.id}`;
      const temperature = { min: '15', max: '30' };
      const noSource = await expectStatus<Body>(as(sys, admin).patch(url, { environmentLimits: { temperature } }), 400);
      expect(noSource.errors.map((e: Body) => e.field)).toEqual(['environmentSource']);
      const reversed = await expectStatus<Body>(
        as(sys, admin).patch(url, {
          environmentLimits: { temperature: { min: '30', max: '15' } },
          environmentSource: 'ASTM D5453',
        }),
        400,
      );
      expect(reversed.errors.map((e: Body) => e.field)).toEqual(['environmentLimits.temperature.max']);
      await expectStatus(as(sys, { key: owner.key }).patch(url, { environmentLimits: null }), 403);
      const set = await expectStatus<Body>(
        as(sys, admin).patch(url, { environmentLimits: { temperature }, environmentSource: 'ASTM D5453-19, §8.1' }),
        200,
      );
      expect(set).toMatchObject({
        environmentLimits: { temperature },
        environmentSource: 'ASTM D5453-19, §8.1',
        environmentConfidence: 'CENTRE',
      });
      const audit = ok(await as(sys, admin).get(`/audit?entity=test_method&id=${method.id}`), 'audit');
      expect(audit.items[0]).toMatchObject({
        action: 'update',
        after: expect.objectContaining({ environmentLimits: { temperature }, environmentConfidence: 'CENTRE' }),
      });
      const benzene = parameter('benzene').methods[0];
      ok(await as(sys, admin).patch(`/testing/methods/${benzene.id}`, { loq: '0.2', lod: '0.05' }), 'benzene LOQ');
    },
    STEP_MS,
  );

  it(
    'checks the environment against the methods’ limits and evaluates U per row through libs/uncertainty',
    async () => {
      const submitted = await expectStatus<Body>(
        as(sys, admin).post('/testing/samples', {
          organizationId: owner.id,
          samples: [
            {
              productId: gasoline.id,
              level: '3',
              grade: '95',
              quantity: 2,
              quantityUnit: 'L',
              decisionRule: 'guarded',
              sampling: { by: 'inspector', samplerName: 'Lê Văn Cường', sealNumbers: ['NP-777001'] },
              inspection: { reference: 'BB-LM 301/2026', authority: 'Chi cục TĐC' },
            },
          ],
        }),
        201,
      );
      const requestId = submitted.request.id as string;
      itemId = submitted.samples[0].itemId;
      ok(
        await as(sys, admin).post(`/testing/samples/${itemId}/analyses`, {
          parameters: [{ parameter: 'sulphur' }, { parameter: 'benzene' }],
        }),
        'analyses',
      );
      ok(await as(sys, admin).post(`/requests/${requestId}/accept`, {}), 'accept');
      const base = `/requests/${requestId}/items/${itemId}`;
      ok(await as(sys, admin).post(`${base}/schedule`, { technicianId: analyst.userId, date: today }), 'schedule');
      ok(
        await as(sys, admin).post(`${base}/receive`, { labelId: `M-${Date.now()}`, condition: 'Nguyên niêm' }),
        'receive',
      );

      const url = `/testing/samples/${itemId}/results`;
      // u₁ = 2 mg/kg (ν = 9), u₂ = 4/2 (ν = ∞): ν_eff = 36, k = 2,07, U = 5,9 mg/kg.
      const components = [
        { name: 'Độ lặp lại', kind: 'type_a', standardUncertainty: 2, degreesOfFreedom: 9 },
        { name: 'Chất chuẩn', kind: 'type_b_expanded', expandedUncertainty: 4, coverageFactor: 2 },
      ];
      const sulphur = { parameter: 'sulphur', replicates: ['148'], uncertainty: { components } };
      const benzene = { parameter: 'benzene', replicates: ['<0.2'] };
      const body = (environment: Body | undefined, rows: Body[] = [sulphur, benzene]) => ({
        testedOn: today,
        ...(environment ? { environment } : {}),
        rows,
      });
      const hot = await expectStatus<Body>(
        as(sys, analyst).post(url, body({ temperature: { value: '32', unit: '°C' } })),
        422,
      );
      expect(hot.code).toBe('test_result.environment_out_of_limits');
      expect(hot.errors).toEqual([
        { field: 'environment.temperature', message: expect.stringMatching(/32 °C is outside method .*15 to 30 °C/) },
      ]);
      const missing = await expectStatus<Body>(as(sys, analyst).post(url, body(undefined)), 422);
      expect(missing.errors.map((e: Body) => e.field)).toEqual(['environment.temperature']);
      const env = { temperature: { value: '24.5', unit: '°C' } };
      const noK = await expectStatus<Body>(
        as(sys, analyst).post(url, body(env, [{ ...sulphur, uncertainty: { expandedUncertainty: '6' } }, benzene])),
        422,
      );
      expect(noK.errors.map((e: Body) => e.field)).toEqual(['rows[0].uncertainty.coverageFactor']);
      const onLoq = await expectStatus<Body>(
        as(sys, analyst).post(
          url,
          body(env, [sulphur, { ...benzene, uncertainty: { expandedUncertainty: '0.05', coverageFactor: '2' } }]),
        ),
        422,
      );
      expect(onLoq.errors).toEqual([{ field: 'rows[1].uncertainty', message: expect.stringMatching(/< 0,2/) }]);

      let recorded = await as(sys, analyst).post(url, body(env));
      if (recorded.status === 422 && recorded.body.code === 'spec_limit.unconfirmed') {
        for (const l of recorded.body.limits)
          ok(
            await as(sys, admin).post(`/testing/limits/${l.limitId}/confirm`, { document: 'QCVN 01:2022/BKHCN' }),
            'confirm',
          );
        recorded = await as(sys, analyst).post(url, body(env));
      }
      expect(recorded.status).toBe(201);
      const rows = Object.fromEntries(recorded.body.revisions[0].rows.map((r: Body) => [r.parameter, r]));
      expect(rows.sulphur).toMatchObject({
        display: '148',
        expandedUncertainty: '5.9',
        coverageFactor: '2.07',
        limitDisplay: '≤ 150',
        // Guarded (ILAC-G8, w = U): 148 is within 150 but not within 150 − 5,9.
        conformity: 'conditional',
      });
      expect(rows.sulphur.uncertainty.effectiveDegreesOfFreedom).toBeCloseTo(36, 6);
      expect(rows.benzene).toMatchObject({ display: '< 0,2', expandedUncertainty: null, coverageFactor: null });
      expect(recorded.body.revisions[0].environment).toEqual(env);
      revisionId = recorded.body.revisions[0].id;
    },
    STEP_MS,
  );

  it(
    'issues the report withheld: staff see it, the owner finds nothing and hears nothing; the public lookup works',
    async () => {
      ok(await as(sys, analyst).post(`/testing/samples/${itemId}/results/submit`, { revision: 1 }), 'submit');
      ok(await as(sys, reviewer).post(`/testing/samples/${itemId}/results/approve`, { revision: 1 }), 'approve');
      const state = await eventually(async () => {
        const s = ok(await as(sys, admin).get(`/certificate-issues/${revisionId}`), 'issue state');
        return s.status === 'issued' ? s : s.status === 'failed' ? Promise.reject(new Error(s.failure)) : undefined;
      }, 120_000);
      certificate = state.certificate;
      expect(certificate).toMatchObject({ kind: 'test_report', organizationId: owner.id, withheldFromOwner: true });
      const staffList = ok(await as(sys, admin).get(`/certificates?requestItemId=${itemId}`), 'staff list');
      expect(staffList.items.map((c: Body) => c.id)).toEqual([certificate.id]);

      const asOwner = as(sys, { key: owner.key });
      expect(ok(await asOwner.get('/certificates?kind=test_report'), 'owner list').items).toEqual([]);
      await expectStatus(asOwner.get(`/certificates/${certificate.id}`), 404);
      await expectStatus(asOwner.get(`/certificates/${certificate.id}/pdf`), 404);
      await expectStatus(asOwner.get(`/certificate-issues/${revisionId}`), 404);
      const csv = await asOwner.get('/certificates/export?format=csv').expect(200);
      expect(csv.text).not.toContain(certificate.number);
      expect(await issuedHooks(certificate.id)).toBe(0);
      expect(receiver.received.filter((h) => h.json.type === 'certificate.issued')).toEqual([]);

      // The inspector in the field checks the number (or the QR) whatever the owner may read.
      const found = await expectStatus<Body>(
        sys.http().get(`/public/certificates/${encodeURIComponent(certificate.number)}`),
        200,
      );
      expect(found).toMatchObject({ number: certificate.number, status: 'valid' });

      const pdf = (
        await as(sys, admin).get(`/certificates/${certificate.id}/pdf`).buffer(true).parse(binary).expect(200)
      ).body as Buffer;
      if (process.env.KEEP_TEST_PDF) writeFileSync(process.env.KEEP_TEST_PDF, pdf);
      if (!hasTool('pdftotext')) return console.warn('pdftotext is not installed: skipping the PDF text checks');
      const text = pdfText(pdf);
      expect(text).toMatch(/148 ± 5,9 \(k = 2,07\)/);
      expect(text).toMatch(/Hàm lượng benzen % thể tích TCVN \d+ < 0,2 ≤/);
      expect(text).not.toMatch(/< 0,2 ±/);
      expect(text).toMatch(/xác suất phủ xấp xỉ 95,45 %/);
    },
    STEP_MS,
  );

  it(
    'is released by the inspector: the owner then sees it and gets exactly one certificate.issued webhook',
    async () => {
      const asOwner = as(sys, { key: owner.key });
      ok(await as(sys, inspector).post(`/testing/samples/${itemId}/release`), 'release');
      const listed = await eventually(async () => {
        const list = ok(await asOwner.get('/certificates?kind=test_report'), 'owner list');
        return list.items.length ? list.items : undefined;
      }, 120_000);
      expect(listed.map((c: Body) => [c.id, c.withheldFromOwner])).toEqual([[certificate.id, false]]);
      await asOwner.get(`/certificates/${certificate.id}/pdf`).expect(200);
      expect(ok(await asOwner.get(`/certificate-issues/${revisionId}`), 'issue state').status).toBe('issued');
      const hook = await eventually(async () => receiver.received.find((h) => h.json.type === 'certificate.issued'));
      expect(hook.json).toMatchObject({
        organizationId: owner.id,
        data: { certificateId: certificate.id, number: certificate.number, kind: 'test_report', requestItemId: itemId },
      });
      // The job once more (a retry, a duplicate): nothing more is released or sent.
      const again = await sys.worker!.get(CertificateOwnerReleaseHandler).handle({ requestItemId: itemId });
      expect(again).toEqual({ released: [] });
      expect(await sys.worker!.get(CertificateOwnerReleaseHandler).alreadyDone([{ requestItemId: itemId }])).toEqual([
        true,
      ]);
      expect(await issuedHooks(certificate.id)).toBe(1);
      const audit = ok(await as(sys, admin).get(`/audit?entity=certificate&id=${certificate.id}`), 'audit');
      expect(audit.items.map((e: Body) => e.action)).toEqual(expect.arrayContaining(['issue', 'release_to_owner']));
    },
    STEP_MS,
  );

  it(
    'does not withhold a document issued after the release from a draft loaded before it (read under the item’s lock)',
    async () => {
      // The worker's issuer (the API holds a second CertificatesModule, libs/notices', with calibration's source only).
      const issuer = sys.worker!.get(CertificateIssuer);
      const stale = { ...(await issuer.draft(revisionId)), withheldFromOwner: true };
      const replaced = await sys.app.get(CertificateService).find(certificate.id);
      const amended = await issuer.issueAmendment(undefined, stale, {
        replaces: replaced,
        reason: 'Sửa địa chỉ khách hàng',
        by: { userId: admin.userId, fullName: 'Admin', username: admin.username },
      });
      expect(amended.withheldFromOwner).toBe(false);
      expect(await issuedHooks(amended.id)).toBe(1);
      await as(sys, { key: owner.key }).get(`/certificates/${amended.id}`).expect(200);
    },
    STEP_MS,
  );
});
