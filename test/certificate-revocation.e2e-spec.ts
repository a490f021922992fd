import { DataSource } from 'typeorm';
import type { CertificateView } from '#libs/certificates';
import { addDays, addMonths, todayInVietnam } from '#libs/registry';
import { verifyWebhookSignature, WebhookService } from '#libs/webhooks';
import {
  approvedCorrection,
  approvedVerification,
  certificateWorld,
  issueState,
  type Approved,
  type CertificateWorld,
} from './support/certificates.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';
import { as, ok } from './support/http.js';
import { createOrganization } from './support/factories.js';

/**
 * Revocation has legal effect, over HTTP on the real chain (request → result → approval →
 * queue): the instrument is unverified from the revocation date, its stamp reads void, the owner
 * hears of it by a signed webhook; a later passed verification gives it a normal due date again.
 */
describe('certificate revocation', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  const today = todayInVietnam();

  beforeAll(async () => {
    sys = await startTestSystem({
      worker: true,
      env: { PUBLIC_BASE_URL: 'https://lims.tdc.example.vn', PUBLIC_RATE_LIMIT: '100000' },
    });
    w = await certificateWorld(sys);
  });
  afterAll(async () => sys?.close());

  async function issued(o: Parameters<typeof approvedVerification>[1]): Promise<CertificateView & { a: Approved }> {
    const a = await approvedVerification(w, o);
    const state = await issueState(w, a.revisionId);
    expect(state).toMatchObject({ status: 'issued' });
    return { ...state.certificate!, a };
  }

  const revoke = (id: string, reason: string) =>
    as(sys, w.reviewer).post(`/certificates/${id}/revoke`).send({ reason });

  it('makes the instrument overdue from the revocation date, voids its stamp and tells the owner by webhook', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const org = await createOrganization(sys);
      const endpoint = await sys.app
        .get(WebhookService)
        .create(
          org.id,
          { url: receiver.url, events: ['certificate.revoked'] },
          { kind: 'staff', userId: w.admin.userId, username: w.admin.username, fullName: 'Admin', roles: ['admin'] },
        );
      // Verified a month ago: valid for a year, so only the revocation can make it due now.
      const measuredOn = addDays(today, -30);
      const c = await issued({ organizationId: org.id, measuredOn });
      expect(c).toMatchObject({ status: 'valid', validUntil: addMonths(measuredOn, 12) });
      const before = ok(await as(sys, w.admin).get(`/instruments/${c.instrumentId}`), 'instrument');
      expect(before).toMatchObject({ nextDueDate: addMonths(measuredOn, 12), verificationRevokedOn: null });

      const reason = 'Chuẩn dùng để kiểm định bị phát hiện sai lệch ngoài giới hạn';
      const res = await revoke(c.id, reason).expect(200);
      expect(res.body).toMatchObject({ status: 'revoked', revocation: { reason } });

      // The registry: unverified from today, and the revocation is history on the service record.
      const instrument = ok(await as(sys, w.admin).get(`/instruments/${c.instrumentId}`), 'instrument');
      expect(instrument).toMatchObject({
        nextDueDate: today,
        verificationRevokedOn: today,
        lastVerification: { date: measuredOn, passed: true },
      });
      const history = ok(await as(sys, w.admin).get(`/instruments/${c.instrumentId}/history`), 'history');
      expect(history.items).toEqual([
        expect.objectContaining({ date: measuredOn, result: 'pass', certificateNumber: c.number, revokedOn: today }),
      ]);

      // The due list (recall): there, and overdue.
      const due = ok(await as(sys, w.admin).get(`/instruments/due?owner=${org.id}&within=0`), 'due list');
      expect(due.items).toEqual([
        expect.objectContaining({
          id: c.instrumentId,
          nextDueDate: today,
          daysUntilDue: 0,
          overdue: true,
          verificationRevokedOn: today,
        }),
      ]);
      const tomorrow = ok(
        await as(sys, w.admin).get(`/instruments/due?owner=${org.id}&within=0&asOf=${addDays(today, 1)}`),
        'due list tomorrow',
      );
      expect(tomorrow.items).toEqual([
        expect.objectContaining({ id: c.instrumentId, daysUntilDue: -1, overdue: true }),
      ]);

      // The stamp, as an inspector checks it in the field.
      const stamp = await sys
        .http()
        .get(`/public/stamps/${encodeURIComponent(c.stamp!.serial)}`)
        .expect(200);
      expect(stamp.body).toMatchObject({
        serial: c.stamp!.serial,
        status: 'revoked',
        voidFrom: today,
        certificate: { number: c.number, status: 'revoked', revokedOn: today },
      });
      const page = await sys
        .http()
        .get(`/verify/stamps/${encodeURIComponent(c.stamp!.serial)}`)
        .expect(200);
      expect(page.text).toContain('ĐÃ BỊ THU HỒI');
      expect(page.text).toContain('Tem hết hiệu lực từ');

      // The owner's webhook, signed with the endpoint's secret.
      const hook = await eventually(async () => receiver.received.find((h) => h.json.type === 'certificate.revoked'));
      expect(hook.json).toMatchObject({
        type: 'certificate.revoked',
        organizationId: org.id,
        data: {
          certificateId: c.id,
          number: c.number,
          kind: 'verification',
          revokedOn: today,
          reason,
          stampSerial: c.stamp!.serial,
          instrumentId: c.instrumentId,
          instrumentNextDueDate: today,
        },
      });
      const signature = String(hook.headers['x-tdc-signature']);
      expect(verifyWebhookSignature(endpoint.secret, hook.body, signature, Math.floor(Date.now() / 1000))).toBe(true);

      // Audited, with its effect.
      const [audit] = (await sys.app
        .get(DataSource)
        .query(
          `SELECT after, reason FROM audit_event WHERE entity = 'certificate' AND entity_id = $1 AND action = 'revoke'`,
          [c.id],
        )) as { after: Record<string, unknown>; reason: string }[];
      expect(audit).toMatchObject({ reason, after: { revokedOn: today, instrumentNextDueDate: today } });
    } finally {
      await receiver.close();
    }
  });

  it('gives the due date back with a later passed verification, keeping the revocation in the history', async () => {
    const measuredOn = addDays(today, -60);
    const c = await issued({ measuredOn });
    await revoke(c.id, 'Sai sót trong hồ sơ kiểm định').expect(200);
    const verifiedAgain = ok(
      await as(sys, w.admin).post(`/instruments/${c.instrumentId}/history`, {
        service: 'verification_after_repair',
        date: today,
        passed: true,
      }),
      'later verification',
    );
    expect(verifiedAgain).toMatchObject({
      nextDueDate: addMonths(today, 12),
      verificationRevokedOn: null,
      lastVerification: { date: today, passed: true },
    });
    const history = ok(await as(sys, w.admin).get(`/instruments/${c.instrumentId}/history`), 'history');
    expect(history.items).toEqual([
      expect.objectContaining({ date: today, result: 'pass', revokedOn: null }),
      expect.objectContaining({ date: measuredOn, certificateNumber: c.number, revokedOn: today }),
    ]);
    const due = ok(await as(sys, w.admin).get(`/instruments/due?type=${w.fuelType.id}&within=0`), 'due list');
    expect(due.items.map((i: { id: string }) => i.id)).not.toContain(c.instrumentId);
  });

  it('gives the due date back when a corrected revision of the same result is certified after the revocation', async () => {
    const measuredOn = addDays(today, -20);
    const c = await issued({ measuredOn });
    await revoke(c.id, 'Nhiệt độ môi trường ghi sai').expect(200);
    expect(ok(await as(sys, w.admin).get(`/instruments/${c.instrumentId}`), 'instrument')).toMatchObject({
      nextDueDate: today,
    });
    const corrected = await approvedCorrection(w, c.a, 'Sửa nhiệt độ môi trường (29,5 → 30,5 °C)');
    const state = await issueState(w, corrected.revisionId);
    expect(state).toMatchObject({ status: 'issued', certificate: { validUntil: addMonths(measuredOn, 12) } });
    expect(ok(await as(sys, w.admin).get(`/instruments/${c.instrumentId}`), 'instrument')).toMatchObject({
      nextDueDate: addMonths(measuredOn, 12),
      verificationRevokedOn: null,
      lastService: { certificateNumber: state.certificate!.number },
    });
    // The revoked certificate keeps its revocation.
    expect(
      (
        await sys
          .http()
          .get(`/public/certificates/${encodeURIComponent(c.number)}`)
          .expect(200)
      ).body,
    ).toMatchObject({
      status: 'revoked',
    });
  });

  it('leaves a failed verification without a due date and refuses a second revocation', async () => {
    const c = await issued({ pass: false });
    await revoke(c.id, 'Nhầm hồ sơ').expect(200);
    const instrument = ok(await as(sys, w.admin).get(`/instruments/${c.instrumentId}`), 'instrument');
    // A failed instrument may not be used at all: nothing to recall it for, revoked or not.
    expect(instrument).toMatchObject({ nextDueDate: null, lastVerification: { passed: false } });
    await revoke(c.id, 'again').expect(409);
  });
});
