import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  CERTIFICATE_STORAGE,
  CertificateIssuer,
  MAX_UPLOAD_BYTES,
  missingSequences,
  type CertificateStorage,
  type CertificateView,
} from '#libs/certificates';
import { JobQueue } from '#libs/core';
import { createSelfSignedP12, sha256, verifyPdfSignature } from '#libs/documents';
import { addMonths, todayInVietnam } from '#libs/registry';
import { WebhookService } from '#libs/webhooks';
import {
  approvedCorrection,
  approvedVerification,
  binary,
  certificateWorld,
  hasTool,
  issueState,
  pdfsig,
  pdfText,
  requestIssue,
  type Approved,
  type CertificateWorld,
} from './support/certificates.js';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from './support/database.js';
import { startEntrypoint, stopAll, within } from './support/processes.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';
import { as, ok, type Who } from './support/http.js';
import { businessKey, createOrganization, itemStatus, type StaffSession } from './support/factories.js';

/**
 * Certificates end to end, on the real chain: request → receipt → result → approval (which writes
 * the outbox row) → queue → the worker renders, signs, stores and commits → staff, customers and
 * the public read it over HTTP.
 */
describe('certificates', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  let admin: StaffSession;
  let reviewer: StaffSession;
  let technician: StaffSession;
  const today = todayInVietnam();
  const year = today.slice(0, 4);

  beforeAll(async () => {
    sys = await startTestSystem({
      worker: true,
      env: { PUBLIC_BASE_URL: 'https://lims.tdc.example.vn', PUBLIC_RATE_LIMIT: '100000' },
    });
    w = await certificateWorld(sys);
    admin = w.admin;
    reviewer = w.reviewer;
    technician = w.technician;
  });
  afterAll(async () => sys?.close());

  /** Approval, then the queue; the certificate as staff read it. */
  async function issued(
    o: Parameters<typeof approvedVerification>[1] = {},
  ): Promise<CertificateView & { approved: Approved }> {
    const approved = await approvedVerification(w, o);
    const state = await issueState(w, approved.revisionId);
    expect(state).toMatchObject({ status: 'issued' });
    return { ...state.certificate!, approved };
  }

  async function pdf(id: string, who: Who): Promise<Buffer> {
    const res = await as(sys, who).get(`/certificates/${id}/pdf`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return res.body as Buffer;
  }

  const publicLookup = (number: string) => sys.http().get(`/public/certificates/${encodeURIComponent(number)}`);

  describe('issue through the queue', () => {
    let c: CertificateView & { approved: Approved };
    let file: Buffer;

    beforeAll(async () => {
      c = await issued();
      file = await pdf(c.id, admin);
    });

    it('numbers a passed verification in its series, with a stamp valid until the instrument’s next due date', async () => {
      expect(c).toMatchObject({
        kind: 'verification',
        service: 'verification_periodic',
        status: 'valid',
        outcome: 'pass',
        issueDate: today,
        measurementDate: today,
        validUntil: addMonths(today, 12),
        resultRevisionId: c.approved.revisionId,
        resultId: c.approved.resultId,
        requestItemId: c.approved.itemId,
        organizationId: c.approved.organizationId,
        instrumentId: c.approved.instrumentId,
        item: { typeName: 'Cột đo xăng dầu' },
        stamp: { serial: expect.stringMatching(new RegExp(`^TEM-${year}-\\d{6}$`)), validUntil: addMonths(today, 12) },
        replaces: null,
        supersededBy: null,
        revocation: null,
        verificationUrl: `https://lims.tdc.example.vn/verify/${encodeURIComponent(c.number)}`,
      });
      expect(c.number).toMatch(new RegExp(`^KĐ-${year}-\\d{6}$`));
      // The instrument (recorded once, at approval), the certificate and the stamp tell the same due date.
      const instrument = ok(await as(sys, w.admin).get(`/instruments/${c.instrumentId}`), 'instrument');
      expect(instrument).toMatchObject({
        nextDueDate: c.validUntil,
        lastService: { service: 'verification_periodic', date: today, result: 'pass', certificateNumber: c.number },
      });
      const history = ok(await as(sys, w.admin).get(`/instruments/${c.instrumentId}/history`), 'history');
      expect(history.items).toHaveLength(1);
      // The request item moved on in the issuing transaction.
      expect(await itemStatus(sys, w.admin, c.approved)).toBe('certificate_issued');
    });

    it('stores the signed PDF: its number on every page, the QR target, a valid signature, the recorded SHA-256', async () => {
      expect(file.subarray(0, 5).toString()).toBe('%PDF-');
      expect(verifyPdfSignature(file)).toMatchObject({ signed: true, intact: true, coversWholeFile: true });
      if (hasTool('pdftotext')) {
        const text = pdfText(file);
        const pages = Number(/Trang 1 ?\/ ?(\d+)/.exec(text)?.[1]);
        expect(pages).toBeGreaterThanOrEqual(1);
        expect(text.split(c.number).length - 1).toBeGreaterThanOrEqual(pages);
        expect(text).toContain(c.stamp!.serial);
        expect(text).toContain(c.verificationUrl);
      } else console.warn('pdftotext is not installed (poppler-utils): skipping the PDF text check');
      if (hasTool('pdfsig')) expect(pdfsig(file)).toContain('Signature is Valid.');
      else console.warn('pdfsig is not installed (poppler-utils): skipping the pdfsig check');
    });

    it('issues exactly once: a duplicate job, a direct retry and concurrent retries find the certificate', async () => {
      const jobs = sys.app.get(JobQueue);
      const duplicate = await jobs.enqueue(
        'certificate.issue',
        { resultRevisionId: c.resultRevisionId },
        { jobId: `duplicate-${randomUUID()}` },
      );
      await eventually(async () => ((await duplicate.getState()) === 'completed' ? true : undefined));
      expect((await jobs.job('certificate.issue', duplicate.id!))?.returnvalue).toMatchObject({
        status: 'exists',
        number: c.number,
      });
      const issuer = sys.app.get(CertificateIssuer);
      const again = await Promise.all([1, 2, 3].map(() => issuer.issue(c.resultRevisionId)));
      expect(again.map((o) => o.status)).toEqual(['exists', 'exists', 'exists']);
      const [{ n }] = await sys.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM certificate WHERE result_revision_id = $1`, [c.resultRevisionId]);
      expect(n).toBe(1);
    });

    it('issues concurrent approvals with unique, gapless numbers and stamp serials', async () => {
      const approvals = await Promise.all([1, 2, 3, 4].map(() => approvedVerification(w)));
      for (const a of approvals) expect(await issueState(w, a.revisionId)).toMatchObject({ status: 'issued' });
      const db = sys.app.get(DataSource);
      const rows: { sequence: number }[] = await db.query(
        `SELECT sequence FROM certificate WHERE kind = 'verification'`,
      );
      const stamps: { sequence: number }[] = await db.query(`SELECT sequence FROM verification_stamp`);
      expect(missingSequences(rows.map((r) => r.sequence))).toEqual([]);
      expect(new Set(rows.map((r) => r.sequence)).size).toBe(rows.length);
      expect(missingSequences(stamps.map((r) => r.sequence))).toEqual([]);
    });

    it('lists it, filtered, to staff', async () => {
      const res = await as(sys, w.technician)
        .get('/certificates')
        .query({ resultRevisionId: c.resultRevisionId })
        .expect(200);
      expect(res.body.items).toEqual([expect.objectContaining({ id: c.id, number: c.number })]);
      const page = await as(sys, w.technician).get('/certificates').query({ limit: 2, status: 'valid' }).expect(200);
      expect(page.body.items).toHaveLength(2);
      const next = await as(sys, w.technician)
        .get('/certificates')
        .query({ limit: 2, status: 'valid', cursor: page.body.nextCursor })
        .expect(200);
      expect(next.body.items.map((x: CertificateView) => x.id)).not.toContain(page.body.items[0].id);
    });

    it('answers the public lookup with the status and nothing private', async () => {
      const res = await publicLookup(c.number).expect(200);
      expect(res.body).toEqual({
        number: c.number,
        kind: 'verification',
        status: 'valid',
        issueDate: today,
        validUntil: c.validUntil,
        conformity: 'pass',
        instrument: { type: 'Cột đo xăng dầu', serial: c.item.serial },
        owner: c.ownerName,
        laboratory: 'Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng',
        stampSerial: c.stamp!.serial,
        replaces: null,
        supersededBy: null,
        revokedOn: null,
        asIssued: null,
      });
      // As typed on a phone: no Đ, lower case, leading zeros left out.
      await publicLookup(c.number.replace('KĐ', 'kd').replace(/-0+/, '-')).expect(200);
      // An unknown number is problem details (issue 12), on the fast path and through the controller alike.
      const unknown = `KĐ-${year}-999999`;
      for (const path of [
        `/public/certificates/${encodeURIComponent(unknown)}`,
        `/public/certificates/${encodeURIComponent(unknown)}?via=controller`,
      ]) {
        const missing = await sys.http().get(path).expect(404);
        expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(missing.text)).toMatchObject({
          status: 404,
          code: 'public.certificate_unknown',
          number: unknown,
          type: expect.stringMatching(/public\.certificate_unknown$/),
        });
      }
      await publicLookup('nonsense').expect(404);
      // What the lookup fast path leaves to the framework's controller is answered the same way.
      const viaController = await sys
        .http()
        .get(`/public/certificates/${encodeURIComponent(c.number)}?via=controller`)
        .expect(200);
      expect(viaController.body).toEqual(res.body);
    });

    it('answers the stamp lookup', async () => {
      const res = await sys.http().get(`/public/stamps/${c.stamp!.serial}`).expect(200);
      expect(res.body).toMatchObject({
        serial: c.stamp!.serial,
        status: 'valid',
        validUntil: c.validUntil,
        certificate: { number: c.number, status: 'valid' },
      });
      for (const path of ['/public/stamps/TEM-2000-000001', '/public/stamps/TEM-2000-000001?via=controller']) {
        const missing = await sys.http().get(path).expect(404);
        expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(missing.text)).toMatchObject({
          status: 404,
          code: 'public.stamp_unknown',
          serial: 'TEM-2000-000001',
        });
      }
    });

    it('tells the issued file from a tampered one', async () => {
      const exact = await sys.http().post('/public/certificates/verify').attach('file', file, 'c.pdf').expect(200);
      expect(exact.body).toMatchObject({
        exact: true,
        certificate: { number: c.number, status: 'valid' },
        signature: { signed: true, intact: true, signedByLaboratory: true },
      });
      const tampered = Buffer.from(file);
      const at = tampered.indexOf(Buffer.from('/Producer'));
      tampered[at + 2] = tampered[at + 2]! ^ 0x20;
      const res = await sys.http().post('/public/certificates/verify').attach('file', tampered, 'c.pdf').expect(200);
      expect(res.body).toMatchObject({
        exact: false,
        certificate: null,
        signature: { signed: true, intact: false, signedByLaboratory: false },
      });
      if (hasTool('pdfsig')) expect(pdfsig(tampered)).not.toContain('Signature is Valid.');
      await sys.http().post('/public/certificates/verify').expect(400);
      await sys
        .http()
        .post('/public/certificates/verify')
        .attach('file', Buffer.alloc(MAX_UPLOAD_BYTES + 1), 'big.pdf')
        .expect(413);
    });

    it('renders the QR page in Vietnamese, escaped, for a phone', async () => {
      const res = await sys
        .http()
        .get(`/verify/${encodeURIComponent(c.number)}`)
        .expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('CÒN HIỆU LỰC');
      expect(res.text).toContain(`Số: ${c.number}`);
      expect(res.text).toContain('Giấy chứng nhận kiểm định');
      expect(res.text).toContain('name="viewport"');
      const missing = await sys
        .http()
        .get(`/verify/${encodeURIComponent('<script>x</script>')}`)
        .expect(404);
      expect(missing.text).toContain('KHÔNG TÌM THẤY');
      expect(missing.text).not.toContain('<script>x');
      expect((await sys.http().get(`/verify/stamps/${c.stamp!.serial}`).expect(200)).text).toContain('Tem số');
    });

    it('refuses to edit or delete an issued certificate or stamp in the database', async () => {
      // The application's role may not delete or change a stamp at all; the owner, who may, meets the triggers.
      const app = sys.app.get(DataSource);
      await expect(app.query(`UPDATE certificate SET owner_name = 'x' WHERE id = $1`, [c.id])).rejects.toThrow(
        /never edited/,
      );
      await expect(app.query(`DELETE FROM certificate WHERE id = $1`, [c.id])).rejects.toThrow(/permission denied/);
      await expect(
        app.query(`UPDATE verification_stamp SET valid_until = '2099-01-01' WHERE serial = $1`, [c.stamp!.serial]),
      ).rejects.toThrow(/permission denied/);
      const owner = new DataSource({ type: 'postgres', url: sys.db.url });
      await owner.initialize();
      try {
        await expect(owner.query(`DELETE FROM certificate WHERE id = $1`, [c.id])).rejects.toThrow(/never deleted/);
        await expect(
          owner.query(`UPDATE verification_stamp SET valid_until = '2099-01-01' WHERE serial = $1`, [c.stamp!.serial]),
        ).rejects.toThrow(/never changed/);
      } finally {
        await owner.destroy();
      }
    });
  });

  describe('customers', () => {
    it('download their own certificates and get 404 on anybody else’s', async () => {
      const mine = await issued();
      const theirs = await issued();
      const key = await businessKey(sys, mine.organizationId);
      expect(verifyPdfSignature(await pdf(mine.id, { key })).intact).toBe(true);
      await as(sys, { key }).get(`/certificates/${theirs.id}/pdf`).expect(404);
      await as(sys, { key }).get(`/certificates/${theirs.id}`).expect(404);
      await as(sys, { key }).get(`/certificate-issues/${theirs.resultRevisionId}`).expect(404);
      expect(
        (await as(sys, { key }).get(`/certificate-issues/${mine.resultRevisionId}`).expect(200)).body,
      ).toMatchObject({
        status: 'issued',
      });
      const list = await as(sys, { key }).get('/certificates').expect(200);
      expect(list.body.items.map((x: CertificateView) => x.id)).toEqual([mine.id]);
      await as(sys, { key }).post(`/certificates/${mine.id}/revoke`).send({ reason: 'x' }).expect(403);
    });

    it('hear of it by webhook, from the issuing transaction', async () => {
      const receiver = await startWebhookReceiver();
      try {
        const org = await createOrganization(sys);
        await sys.app
          .get(WebhookService)
          .create(
            org.id,
            { url: receiver.url, events: ['certificate.issued'] },
            { kind: 'staff', userId: w.admin.userId, username: w.admin.username, fullName: 'Admin', roles: ['admin'] },
          );
        const c = await issued({ organizationId: org.id });
        const hook = await eventually(async () => receiver.received.find((h) => h.json.type === 'certificate.issued'));
        expect(hook.json).toMatchObject({
          type: 'certificate.issued',
          organizationId: org.id,
          data: { certificateId: c.id, number: c.number, stampSerial: c.stamp!.serial, sha256: c.file.sha256 },
        });
      } finally {
        await receiver.close();
      }
    });
  });

  describe('after issue', () => {
    it('amends from a corrected revision: a new number naming the old one, which reads superseded', async () => {
      const original = await issued();
      // A corrected revision of the same result is approved: the queue does not issue over the current certificate.
      const corrected = await approvedCorrection(w, original.approved, 'Nhiệt độ môi trường ghi sai (29,5 → 30,5 °C)');
      expect(await issueState(w, corrected.revisionId)).toMatchObject({
        status: 'amendment_required',
        current: { id: original.id, number: original.number },
      });

      const amend = (id: string, body: object, who: Who) => as(sys, who).post(`/certificates/${id}/amend`).send(body);
      await amend(original.id, { reason: 'x' }, technician).expect(403);
      await amend(original.id, {}, reviewer).expect(400);
      const other = await approvedVerification(w);
      await amend(original.id, { reason: 'x', resultRevisionId: other.revisionId }, reviewer).expect(422);

      const reason = 'Sửa nhiệt độ môi trường theo kết quả đã soát xét lại';
      const amended = (
        await amend(original.id, { reason, resultRevisionId: corrected.revisionId }, reviewer).expect(201)
      ).body as CertificateView;
      expect(amended).toMatchObject({
        status: 'valid',
        resultRevisionId: corrected.revisionId,
        replaces: { id: original.id, number: original.number, reason },
        validUntil: original.validUntil,
      });
      expect(amended.number).not.toBe(original.number);
      expect(amended.stamp!.serial).not.toBe(original.stamp!.serial);

      const old = await as(sys, w.reviewer).get(`/certificates/${original.id}`).expect(200);
      expect(old.body).toMatchObject({
        status: 'superseded',
        supersededBy: { id: amended.id, number: amended.number },
      });
      expect((await publicLookup(original.number).expect(200)).body).toMatchObject({
        status: 'superseded',
        supersededBy: amended.number,
        // Its old conclusion is no longer stated as current, only as issued.
        validUntil: null,
        conformity: null,
        asIssued: { validUntil: original.validUntil, conformity: 'pass' },
      });
      expect((await publicLookup(amended.number).expect(200)).body).toMatchObject({
        status: 'valid',
        replaces: original.number,
      });
      expect((await sys.http().get(`/public/stamps/${original.stamp!.serial}`).expect(200)).body).toMatchObject({
        status: 'superseded',
      });
      const page = await sys
        .http()
        .get(`/verify/${encodeURIComponent(original.number)}`)
        .expect(200);
      expect(page.text).toContain('ĐÃ ĐƯỢC THAY THẾ');
      expect(page.text).toContain(amended.number);
      if (hasTool('pdftotext')) {
        const text = pdfText(await pdf(amended.id, reviewer));
        expect(text).toContain(original.number);
        expect(text).toContain(reason);
        // The decimal comma on the (Vietnamese-first) line, and the national heading on page 1.
        expect(text).toContain('Nhiệt độ / Temperature: 30,5 °C');
        expect(text).not.toContain('30.5');
        expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
      }
      // The instrument's history names the new number; the queue's job, run again, finds the revision issued.
      const instrument = ok(await as(sys, w.admin).get(`/instruments/${original.instrumentId}`), 'instrument');
      expect(instrument.lastService.certificateNumber).toBe(amended.number);
      expect((await sys.app.get(CertificateIssuer).issue(corrected.revisionId)).status).toBe('exists');
      // Only the current certificate of a chain is amended.
      await amend(original.id, { reason: 'again' }, reviewer).expect(409);
      // Re-issued from its own revision (a correction outside the results, e.g. the customer's address).
      const reissued = await amend(amended.id, { reason: 'Sửa địa chỉ khách hàng' }, admin).expect(201);
      expect(reissued.body).toMatchObject({
        resultRevisionId: corrected.revisionId,
        replaces: { number: amended.number },
      });
    });

    it('draws a document ahead of its number, and draws it again when another process took that number', async () => {
      const storage = sys.app.get<CertificateStorage>(CERTIFICATE_STORAGE);
      const storedKeys = async (): Promise<Set<string>> => {
        const keys = new Set<string>();
        for await (const f of storage.list()) if (!f.partial) keys.add(f.key);
        return keys;
      };
      const sequence = (number: string): number => Number(number.split('-').at(-1));
      // Two through the queue: the worker has numbered the series, its last guess checked right.
      await issued();
      const before = await issued();
      // Meanwhile the API process takes the next number and stamp serial: a re-issue.
      const amended = (
        await as(sys, w.reviewer)
          .post(`/certificates/${before.id}/amend`)
          .send({ reason: 'Sửa địa chỉ khách hàng' })
          .expect(201)
      ).body as CertificateView;
      expect(sequence(amended.number)).toBe(sequence(before.number) + 1);
      const stored = await storedKeys();

      // The worker expects the number the re-issue took, draws and stores the document with it, takes
      // the next one, and draws the document again with that: only that file is its certificate's.
      const next = await issued();
      expect(sequence(next.number)).toBe(sequence(amended.number) + 1);
      expect(sequence(next.stamp!.serial)).toBe(sequence(amended.stamp!.serial) + 1);
      // Added since: the certificate's own file, and the orphans no certificate names — the worker's
      // document drawn with the re-issue's numbers, and possibly the API's own wrong guess for the
      // re-issue, whose drawing may still have been under way when the re-issue answered.
      const added = [...(await storedKeys())].filter((k) => !stored.has(k));
      const own = added.find((k) => k.includes(next.file.sha256));
      expect(own).toBeDefined();
      const named = (await sys.app
        .get(DataSource)
        .query(`SELECT storage_key FROM certificate WHERE storage_key = ANY($1::text[])`, [added])) as {
        storage_key: string;
      }[];
      expect(named.map((r) => r.storage_key)).toEqual([own]);
      const orphans = added.filter((k) => k !== own);
      expect(orphans.length).toBeGreaterThanOrEqual(1);
      const file = await pdf(next.id, reviewer);
      expect(sha256(file)).toBe(next.file.sha256);
      expect(verifyPdfSignature(file)).toMatchObject({ signed: true, intact: true, coversWholeFile: true });
      if (hasTool('pdftotext')) {
        const text = pdfText(file);
        expect(text).toContain(next.number);
        expect(text).toContain(next.stamp!.serial);
        expect(text).not.toContain(amended.number);
        // One thrown away was drawn with the numbers the re-issue took.
        const texts = await Promise.all(orphans.map(async (k) => pdfText(await storage.get(k))));
        expect(texts.some((t) => t.includes(amended.number) && t.includes(amended.stamp!.serial))).toBe(true);
      }
    });

    it('revokes with a reason: the public reads revoked at once; nothing further is accepted', async () => {
      const c = await issued();
      // Looked up (and so cached) before the revocation.
      expect((await publicLookup(c.number).expect(200)).body).toMatchObject({ status: 'valid' });
      await as(sys, w.reviewer).post(`/certificates/${c.id}/revoke`).send({}).expect(400);
      const reason = 'Chuẩn dùng để kiểm định bị phát hiện sai lệch';
      const res = await as(sys, w.reviewer).post(`/certificates/${c.id}/revoke`).send({ reason }).expect(200);
      expect(res.body).toMatchObject({ status: 'revoked', revocation: { reason } });
      expect((await publicLookup(c.number).expect(200)).body).toMatchObject({
        status: 'revoked',
        revokedOn: today,
        validUntil: null,
        conformity: null,
        asIssued: { conformity: 'pass' },
      });
      expect((await sys.http().get(`/public/stamps/${c.stamp!.serial}`).expect(200)).body).toMatchObject({
        status: 'revoked',
      });
      expect(
        (
          await sys
            .http()
            .get(`/verify/${encodeURIComponent(c.number)}`)
            .expect(200)
        ).text,
      ).toContain('ĐÃ BỊ THU HỒI');
      await as(sys, w.reviewer).post(`/certificates/${c.id}/revoke`).send({ reason: 'again' }).expect(409);
      await as(sys, w.reviewer).post(`/certificates/${c.id}/amend`).send({ reason: 'x' }).expect(409);
      await expect(
        sys.app.get(DataSource).query(`UPDATE certificate SET revocation_reason = 'other' WHERE id = $1`, [c.id]),
      ).rejects.toThrow(/revocation is never changed/);
    });

    it('reads expired once the validity date has passed', async () => {
      const c = await issued({ measuredOn: '2020-02-10' });
      expect(c).toMatchObject({ measurementDate: '2020-02-10', validUntil: '2021-02-10', status: 'expired' });
      expect((await publicLookup(c.number).expect(200)).body).toMatchObject({
        status: 'expired',
        validUntil: '2021-02-10',
      });
      expect((await sys.http().get(`/public/stamps/${c.stamp!.serial}`).expect(200)).body).toMatchObject({
        status: 'expired',
      });
      const page = await sys
        .http()
        .get(`/verify/${encodeURIComponent(c.number)}`)
        .expect(200);
      expect(page.text).toContain('HẾT HIỆU LỰC');
      expect(page.text).toContain('10/02/2021');
      const list = await as(sys, w.admin).get('/certificates').query({ status: 'expired' }).expect(200);
      expect(list.body.items.map((x: CertificateView) => x.id)).toContain(c.id);
    });
  });

  describe('a failed verification', () => {
    let n: CertificateView & { approved: Approved };
    let file: Buffer;

    beforeAll(async () => {
      // The first point's error (+0.12 L on 20 L, 0.6 %) exceeds the fuel dispenser's MPE (0.5 %).
      n = await issued({ pass: false });
      file = await pdf(n.id, admin);
    });

    it('gets a notice of failed verification in its own series: no certificate, no stamp, no validity', async () => {
      expect(n).toMatchObject({
        kind: 'verification_failure',
        service: 'verification_periodic',
        status: 'not_passed',
        outcome: 'fail',
        stamp: null,
        validUntil: null,
        instrumentId: n.approved.instrumentId,
        verificationUrl: `https://lims.tdc.example.vn/verify/${encodeURIComponent(n.number)}`,
      });
      expect(n.number).toMatch(new RegExp(`^TBKĐ-${year}-\\d{6}$`));
      const db = sys.app.get(DataSource);
      expect(
        await db.query(`SELECT count(*)::int AS n FROM verification_stamp WHERE certificate_id = $1`, [n.id]),
      ).toEqual([{ n: 0 }]);
      // Its series is its own and gapless; the verification series did not move for it.
      const notices = (await db.query(
        `SELECT sequence FROM certificate WHERE kind = 'verification_failure' AND year = $1`,
        [Number(year)],
      )) as { sequence: number }[];
      expect(missingSequences(notices.map((r) => r.sequence))).toEqual([]);
      expect(
        await db.query(`SELECT last FROM certificate_series WHERE kind = 'verification_failure' AND year = $1`, [
          Number(year),
        ]),
      ).toEqual([{ last: Math.max(...notices.map((r) => r.sequence)) }]);
      // The instrument: the failed verification in its history, no due date, no valid certificate.
      const instrument = ok(await as(sys, w.admin).get(`/instruments/${n.instrumentId}`), 'instrument');
      expect(instrument).toMatchObject({
        nextDueDate: null,
        lastService: { service: 'verification_periodic', result: 'fail', certificateNumber: n.number },
      });
      const valid = await as(sys, w.admin)
        .get('/certificates')
        .query({ instrumentId: n.instrumentId, status: 'valid' })
        .expect(200);
      expect(valid.body.items).toEqual([]);
      const listed = await as(sys, w.admin)
        .get('/certificates')
        .query({ kind: 'verification_failure', status: 'not_passed' })
        .expect(200);
      expect(listed.body.items.map((x: CertificateView) => x.id)).toContain(n.id);
      expect(await itemStatus(sys, w.admin, n.approved)).toBe('certificate_issued');
    });

    it('is a signed PDF listing the failing point, saying KHÔNG ĐẠT', async () => {
      expect(verifyPdfSignature(file)).toMatchObject({ signed: true, intact: true, coversWholeFile: true });
      if (hasTool('pdfsig')) expect(pdfsig(file)).toContain('Signature is Valid.');
      else console.warn('pdfsig is not installed (poppler-utils): skipping the pdfsig check');
      if (hasTool('pdftotext')) {
        const text = pdfText(file);
        expect(text).toContain('THÔNG BÁO KẾT QUẢ KIỂM ĐỊNH KHÔNG ĐẠT');
        expect(text).toContain('KHÔNG ĐẠT / FAIL');
        expect(text).toContain('CÁC ĐIỂM ĐO KHÔNG ĐẠT');
        expect(text).toContain('1 trên 2 điểm đo');
        expect(text).toContain(n.number);
        expect(text).not.toContain('Có hiệu lực đến');
        expect(text).not.toContain('TEM-');
      } else console.warn('pdftotext is not installed (poppler-utils): skipping the PDF text check');
    });

    it('reads not passed in the public lookup (JSON, as typed, and the QR page); no stamp points to it', async () => {
      const expected = {
        number: n.number,
        kind: 'verification_failure',
        status: 'not_passed',
        conformity: 'fail',
        validUntil: null,
        stampSerial: null,
      };
      expect((await publicLookup(n.number).expect(200)).body).toMatchObject(expected);
      const typed = n.number.replace('TBKĐ', 'tbkd').replace(/-0+/, '-');
      expect((await publicLookup(typed).expect(200)).body).toMatchObject(expected);
      const page = await sys
        .http()
        .get(`/verify/${encodeURIComponent(n.number)}`)
        .expect(200);
      expect(page.text).toContain('KHÔNG ĐẠT — PHƯƠNG TIỆN ĐO KHÔNG ĐƯỢC PHÉP SỬ DỤNG');
      expect(page.text).toContain('Thông báo kết quả kiểm định không đạt');
      expect(page.text).not.toContain('CÒN HIỆU LỰC');
      // No stamp exists for the instrument, so no stamp lookup can lead to the notice.
      const stamps = (await sys.app
        .get(DataSource)
        .query(`SELECT serial FROM verification_stamp WHERE instrument_id = $1`, [n.instrumentId])) as unknown[];
      expect(stamps).toEqual([]);
    });
  });

  describe('failures', () => {
    it('fails a revision that cannot give a certificate at once, taking no number', async () => {
      const db = sys.app.get(DataSource);
      const before = await db.query(`SELECT coalesce(sum(last), 0)::int AS n FROM certificate_series`);
      const unknown = randomUUID();
      await requestIssue(sys, unknown);
      const state = await issueState(w, unknown);
      expect(state).toMatchObject({
        status: 'failed',
        certificate: null,
        job: { state: 'failed', attemptsMade: 1, failedReason: expect.stringMatching(/not found/i) },
      });
      expect(await db.query(`SELECT coalesce(sum(last), 0)::int AS n FROM certificate_series`)).toEqual(before);
      const never = await as(sys, w.admin).get(`/certificate-issues/${randomUUID()}`).expect(200);
      expect(never.body).toMatchObject({ status: 'not_requested', certificate: null });
    });
  });

  describe('queue dashboard', () => {
    it('is for admins only', async () => {
      await sys.http().get('/admin/queues').expect(401);
      await as(sys, w.reviewer).get('/admin/queues').expect(403);
      expect((await as(sys, w.admin).get('/admin/queues').expect(200)).text).toContain('<html');
      const queues = await as(sys, w.admin).get('/admin/queues/api/queues').expect(200);
      expect(JSON.stringify(queues.body)).toContain('certificates');
      // A browser: the session call sets an HttpOnly cookie that opens the dashboard.
      const session = await as(sys, w.admin).post('/admin/queue-dashboard/session').expect(204);
      const cookie = String(session.headers['set-cookie']);
      expect(cookie).toMatch(/tdc_queue_dashboard=.*HttpOnly.*SameSite=Strict/i);
      await sys.http().get('/admin/queues').set('Cookie', cookie.split(';')[0]!).expect(200);
      await as(sys, w.reviewer).post('/admin/queue-dashboard/session').expect(403);
    });
  });
});

describe('public verification rate limit', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem({
      env: {
        PUBLIC_RATE_LIMIT: '3',
        PUBLIC_RATE_LIMIT_WINDOW_MS: '60000',
        // Redis slower than production's 10 ms on a loaded test machine would leave the count to this process's memory.
        PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS: '1000',
      },
    });
  });
  afterAll(async () => sys?.close());

  it('answers 429 with Retry-After past the limit, on public routes only', async () => {
    for (let i = 0; i < 3; i++) await sys.http().get('/public/certificates/KĐ-2026-000001').expect(404);
    const res = await sys.http().get('/public/certificates/KĐ-2026-000001').expect(429);
    expect(res.body).toMatchObject({ code: 'public.rate_limited' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await sys.http().get('/verify/KĐ-2026-000001').expect(429);
    for (let i = 0; i < 5; i++) await sys.http().get('/health/live').expect(200);
  });
});

describe('the signing identity at start-up', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'tdc-signing-'));
  });
  afterEach(() => stopAll());
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function refusal(env: Record<string, string>): Promise<string> {
    const proc = startEntrypoint('worker', {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      ...env,
    });
    const exit = await within(proc.exited, 30000, 'exit on a bad signing identity');
    expect(exit.code).toBe(1);
    const lines = proc.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  }

  it('stops the process with one line when the P12 cannot be read or opened', async () => {
    expect(await refusal({ SIGNING_P12_PATH: join(dir, 'missing.p12'), SIGNING_P12_PASSPHRASE: 'x' })).toBe(
      `Start-up failed: SIGNING_P12_PATH ${join(dir, 'missing.p12')} cannot be read (ENOENT)`,
    );
    const p12 = join(dir, 'lab.p12');
    writeFileSync(p12, createSelfSignedP12('Phòng thí nghiệm thử', 'right passphrase'));
    expect(await refusal({ SIGNING_P12_PATH: p12, SIGNING_P12_PASSPHRASE: 'wrong passphrase' })).toMatch(
      new RegExp(`^Start-up failed: SIGNING_P12_PATH ${p12} cannot be opened with SIGNING_P12_PASSPHRASE: `),
    );
  });

  it('requires it in production', async () => {
    expect(await refusal({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toMatch(
      /^Invalid configuration: .*SIGNING_P12_PATH is required when NODE_ENV is production/,
    );
  });
});
