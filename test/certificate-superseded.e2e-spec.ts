// An amendment tells the owner, by the same signed webhook delivery as every event, that the old
// certificate is superseded and by which new one (certificate.superseded, besides certificate.issued).
import type { CertificateView } from '#libs/certificates';
import { WebhookService, verifyWebhookSignature } from '#libs/webhooks';
import {
  approvedCorrection,
  approvedVerification,
  certificateWorld,
  issueState,
  type CertificateWorld,
} from './support/certificates.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';
import { as, expectStatus } from './support/http.js';
import { createOrganization } from './support/factories.js';

describe('certificate.superseded webhook', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true, env: { WEBHOOK_RETRY_DELAY_MS: '50' } });
    receiver = await startWebhookReceiver();
    w = await certificateWorld(sys);
  });
  afterAll(async () => {
    await receiver?.close();
    await sys?.close();
  });

  it('fires for the replaced certificate on amendment, naming the new one', async () => {
    const org = await createOrganization(sys);
    const endpoint = await sys.app
      .get(WebhookService)
      .create(
        org.id,
        { url: receiver.url, events: ['certificate.superseded'] },
        { kind: 'staff', userId: w.admin.userId, username: w.admin.username, fullName: 'Admin', roles: ['admin'] },
      );
    const a = await approvedVerification(w, { organizationId: org.id });
    const original = (await issueState(w, a.revisionId)).certificate!;
    const corrected = await approvedCorrection(w, a, 'Nhiệt độ môi trường ghi sai');
    expect(await issueState(w, corrected.revisionId)).toMatchObject({ status: 'amendment_required' });
    const reason = 'Sửa nhiệt độ môi trường theo kết quả đã soát xét lại';
    const amended = await expectStatus<CertificateView>(
      as(sys, w.reviewer).post(`/certificates/${original.id}/amend`, {
        reason,
        resultRevisionId: corrected.revisionId,
      }),
      201,
    );

    const hook = await eventually(async () => receiver.received.find((h) => h.json.type === 'certificate.superseded'));
    expect(hook.json).toMatchObject({
      type: 'certificate.superseded',
      organizationId: org.id,
      data: {
        certificateId: original.id,
        number: original.number,
        kind: 'verification',
        supersededBy: {
          certificateId: amended.id,
          number: amended.number,
          downloadPath: `/certificates/${amended.id}/pdf`,
        },
        reason,
        instrumentId: a.instrumentId,
      },
    });
    const signature = String(hook.headers['x-tdc-signature']);
    expect(verifyWebhookSignature(endpoint.secret, hook.body, signature, Math.floor(Date.now() / 1000))).toBe(true);
    // Subscribed to certificate.superseded only: the new certificate's certificate.issued did not come here.
    expect(receiver.received.filter((h) => h.json.type === 'certificate.issued')).toEqual([]);
  });
});
