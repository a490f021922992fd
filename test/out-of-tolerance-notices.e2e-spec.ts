import { todayInVietnam } from '#libs/registry';
import { approvedVerification, certificateWorld, issueState, type CertificateWorld } from './support/certificates.js';
import { createOrganization } from './support/factories.js';
import { as } from './support/http.js';
import { startSmtpServer } from './support/smtp-server.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;
type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

describe('reverse-traceability notices (a standard found out of tolerance)', () => {
  let smtp: Smtp;
  let hooks: Receiver;
  let sys: TestSystem;
  let w: CertificateWorld;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    hooks = await startWebhookReceiver();
    sys = await startTestSystem({ worker: true, env: { SMTP_URL: smtp.url, RECALL_SCAN_CRON: '0 3 1 1 *' } });
    w = await certificateWorld(sys);
  });
  afterAll(async () => {
    await sys?.close();
    await hooks?.close();
    await smtp?.close();
  });

  /** A customer with a contact e-mail and a webhook endpoint for standard.out_of_tolerance. */
  const customer = async (email: string): Promise<string> => {
    const org = await createOrganization(sys, { contacts: [{ name: 'Trần Thị Bình', email }] });
    await as(sys, w.admin)
      .post(`/organizations/${org.id}/webhooks`, { url: hooks.url, events: ['standard.out_of_tolerance'] })
      .expect(201);
    return org.id;
  };
  const certificateOf = async (revisionId: string): Promise<{ id: string; number: string }> => {
    const state = await issueState(w, revisionId);
    if (state.status !== 'issued' || !state.certificate)
      throw new Error(`certificate not issued: ${JSON.stringify(state)}`);
    return state.certificate;
  };

  it('notifies each affected customer once, naming its certificates, and records a decision per certificate', async () => {
    const standardId = w.template.standardIds[0] as string;
    const a = await customer('an@dau-khi.example.vn');
    const b = await customer('binh@xang-dau.example.vn');
    const certs = {
      a1: await certificateOf((await approvedVerification(w, { organizationId: a })).revisionId),
      a2: await certificateOf((await approvedVerification(w, { organizationId: a })).revisionId),
      b1: await certificateOf((await approvedVerification(w, { organizationId: b })).revisionId),
    };
    const passed = await as(sys, w.admin)
      .post(`/standards/${standardId}/checks`, {
        checkDate: todayInVietnam(),
        performedBy: 'Lê Văn Cường',
        passed: true,
      })
      .expect(201);
    const refused = await as(sys, w.technician).post(`/standards/${standardId}/findings`, {
      source: 'intermediate_check',
      evidenceId: passed.body.id,
      reason: 'not a failure',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('standard_finding.bad_evidence');

    const check = await as(sys, w.admin)
      .post(`/standards/${standardId}/checks`, {
        checkDate: todayInVietnam(),
        performedBy: 'Lê Văn Cường',
        passed: false,
        notes: 'Sai số tại 20 L vượt giới hạn',
      })
      .expect(201);
    const finding = (
      await as(sys, w.technician)
        .post(`/standards/${standardId}/findings`, {
          source: 'intermediate_check',
          evidenceId: check.body.id,
          reason: 'Kiểm tra giữa kỳ không đạt',
        })
        .expect(201)
    ).body;
    expect(finding).toMatchObject({ foundOn: todayInVietnam(), notices: 2 });
    expect(finding.certificates.map((c: { certificateNumber: string }) => c.certificateNumber).sort()).toEqual(
      [certs.a1.number, certs.a2.number, certs.b1.number].sort(),
    );

    const mails = await eventually(async () => (smtp.received.length >= 2 ? smtp.received : undefined));
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.received).toHaveLength(2);
    const toA = mails.filter((m) => m.to.includes('an@dau-khi.example.vn'));
    const toB = mails.filter((m) => m.to.includes('binh@xang-dau.example.vn'));
    expect([toA.length, toB.length]).toEqual([1, 1]);
    for (const n of [certs.a1.number, certs.a2.number]) expect(toA[0]!.mail.text).toContain(n);
    expect(toA[0]!.mail.text).not.toContain(certs.b1.number);
    expect(toB[0]!.mail.text).toContain(certs.b1.number);
    expect(toB[0]!.mail.text).not.toContain(certs.a1.number);
    const hookA = await eventually(async () => hooks.received.find((h) => h.json.organizationId === a));
    expect(hookA.json.type).toBe('standard.out_of_tolerance');
    expect((hookA.json.data.certificates as { number: string }[]).map((c) => c.number).sort()).toEqual(
      [certs.a1.number, certs.a2.number].sort(),
    );

    const again = await as(sys, w.technician).post(`/standards/${standardId}/findings`, {
      source: 'intermediate_check',
      evidenceId: check.body.id,
      reason: 'again',
    });
    expect(again.status).toBe(409);

    const decided = await as(sys, w.reviewer)
      .put(`/standards/${standardId}/findings/${finding.id}/certificates/${certs.a1.id}/decision`, {
        decision: 'reissue',
        note: 'Đo lại với chuẩn khác',
      })
      .expect(200);
    expect(decided.body).toMatchObject({ decision: 'reissue', decidedBy: w.reviewer.username });
    await as(sys, w.technician)
      .put(`/standards/${standardId}/findings/${finding.id}/certificates/${certs.a1.id}/decision`, {
        decision: 'no_impact',
      })
      .expect(403);
    const audit = (
      await as(sys, w.admin).get(`/audit?entity=finding_certificate&id=${finding.id}/${certs.a1.id}`).expect(200)
    ).body.items;
    expect(audit).toMatchObject([{ action: 'decide', before: { decision: null }, after: { decision: 'reissue' } }]);
    const after = (await as(sys, w.admin).get(`/standards/${standardId}/findings/${finding.id}`).expect(200)).body;
    expect(after.certificates.find((c: { certificateId: string }) => c.certificateId === certs.a1.id)).toMatchObject({
      decision: 'reissue',
    });
  });
});
