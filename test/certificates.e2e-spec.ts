import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CertificateIssuer, MAX_UPLOAD_BYTES, missingSequences, type CertificateView } from '#libs/certificates';
import { JobQueue } from '#libs/core';
import { createSelfSignedP12, verifyPdfSignature } from '#libs/documents';
import { addDays, addMonths, todayInVietnam } from '#libs/registry';
import { WebhookService } from '#libs/webhooks';
import { businessKey, staffSession } from './support/auth.js';
import {
  binary,
  calibrationDraft,
  certificateSourceModule,
  draft,
  hasTool,
  pdfsig,
  pdfText,
  requestIssue,
  TestCertificateSource,
  type DraftInput,
} from './support/certificates.js';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from './support/database.js';
import { startEntrypoint, stopAll, within } from './support/processes.js';
import { registry } from './support/registry.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

/**
 * Certificates end to end: approval's outbox row → queue → worker renders, signs, stores and
 * commits → staff, customers and the public read it over HTTP.
 *
 * The result workflow (libs/calibration) is still being built: a TestCertificateSource stands in
 * for its CertificateSource, holding the drafts an approval would make readable. Everything after
 * it (outbox, BullMQ on Redis, the worker, PostgreSQL, storage, HTTP) is real.
 */
describe('certificates', () => {
  const source = new TestCertificateSource();
  let sys: TestSystem;
  let r: ReturnType<typeof registry>;
  let admin: [string, string];
  let reviewer: [string, string];
  let technician: [string, string];
  let typeId: string;
  const today = todayInVietnam();
  const recently = addDays(today, -3);

  beforeAll(async () => {
    sys = await startTestSystem({
      worker: true,
      imports: [certificateSourceModule(source)],
      env: { PUBLIC_BASE_URL: 'https://lims.tdc.example.vn', PUBLIC_RATE_LIMIT: '100000' },
    });
    r = registry(sys);
    admin = ['Authorization', `Bearer ${(await staffSession(sys, ['admin'])).token}`];
    reviewer = ['Authorization', `Bearer ${(await staffSession(sys, ['reviewer'])).token}`];
    technician = ['Authorization', `Bearer ${(await staffSession(sys, ['technician'])).token}`];
    typeId = (await r.type({ cycles: [{ cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013' }] }))
      .id;
  });
  afterAll(async () => sys?.close());

  async function customer(): Promise<{ organizationId: string; instrumentId: string }> {
    const org = await r.organization();
    const instrument = await r.instrument(org.id, typeId);
    return { organizationId: org.id, instrumentId: instrument.id };
  }

  /** Approves a draft (the source can read it; the outbox asks for the certificate) and waits for the queue. */
  async function issue(input: DraftInput, make = draft): Promise<CertificateView> {
    const d = source.add(make(input));
    await requestIssue(sys, d.resultRevisionId);
    const state = await eventually(async () => {
      const res = await sys
        .http()
        .get(`/certificate-issues/${d.resultRevisionId}`)
        .set(...technician)
        .expect(200);
      return ['pending', 'not_requested'].includes(res.body.status) ? undefined : res.body;
    }, 30000);
    expect(state.status).toBe('issued');
    return state.certificate;
  }

  async function pdf(id: string, auth: [string, string]): Promise<Buffer> {
    const res = await sys
      .http()
      .get(`/certificates/${id}/pdf`)
      .set(...auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return res.body as Buffer;
  }

  const publicLookup = (number: string) => sys.http().get(`/public/certificates/${encodeURIComponent(number)}`);

  describe('issue through the queue', () => {
    let issued: CertificateView;
    let file: Buffer;
    let ids: { organizationId: string; instrumentId: string };

    beforeAll(async () => {
      ids = await customer();
      issued = await issue({ ...ids, measurementDate: recently });
      file = await pdf(issued.id, admin);
    });

    it('numbers a passed verification in its series and gives it a stamp valid until the next due date', async () => {
      const year = Number(today.slice(0, 4));
      expect(issued).toMatchObject({
        kind: 'verification',
        status: 'valid',
        outcome: 'pass',
        issueDate: today,
        measurementDate: recently,
        validUntil: addMonths(recently, 12),
        organizationId: ids.organizationId,
        instrumentId: ids.instrumentId,
        stamp: {
          serial: expect.stringMatching(new RegExp(`^TEM-${year}-\\d{6}$`)),
          validUntil: addMonths(recently, 12),
        },
        replaces: null,
        supersededBy: null,
        revocation: null,
        verificationUrl: `https://lims.tdc.example.vn/verify/${encodeURIComponent(issued.number)}`,
      });
      expect(issued.number).toMatch(new RegExp(`^KĐ-${year}-\\d{6}$`));
      // The instrument, the certificate and the stamp tell the same due date, and the history names the number.
      const instrument = await sys
        .http()
        .get(`/instruments/${ids.instrumentId}`)
        .set(...admin)
        .expect(200);
      expect(instrument.body).toMatchObject({
        nextDueDate: issued.validUntil,
        lastService: {
          service: 'verification_periodic',
          date: recently,
          result: 'pass',
          certificateNumber: issued.number,
        },
      });
    });

    it('stores the signed PDF: its number, the QR target, an intact signature, the recorded SHA-256', async () => {
      expect(file.subarray(0, 5).toString()).toBe('%PDF-');
      expect(issued.file.sha256).toMatch(/^[0-9a-f]{64}$/);
      const check = verifyPdfSignature(file);
      expect(check).toMatchObject({ signed: true, intact: true, coversWholeFile: true });
      if (hasTool('pdftotext')) {
        const text = pdfText(file);
        expect(text).toContain(issued.number);
        expect(text).toContain(issued.stamp!.serial);
        // The number on every page, with page x of y; the QR's target printed beside it.
        const pages = Number(/Trang 1 ?\/ ?(\d+)/.exec(text)?.[1]);
        expect(pages).toBeGreaterThanOrEqual(1);
        expect(text.split(issued.number).length - 1).toBeGreaterThanOrEqual(pages);
        expect(text).toContain(issued.verificationUrl);
      } else console.warn('pdftotext is not installed (poppler-utils): skipping the PDF text check');
      if (hasTool('pdfsig')) expect(pdfsig(file)).toContain('Signature is Valid.');
      else console.warn('pdfsig is not installed (poppler-utils): skipping the pdfsig check');
    });

    it('issues exactly once: a duplicate job, a direct retry and concurrent retries find the certificate', async () => {
      const jobs = sys.app.get(JobQueue);
      const duplicate = await jobs.enqueue(
        'certificate.issue',
        { resultRevisionId: issued.resultRevisionId },
        { jobId: `dup-${randomUUID()}` },
      );
      await eventually(async () => ((await duplicate.getState()) === 'completed' ? true : undefined));
      expect((await jobs.job('certificate.issue', duplicate.id!))?.returnvalue).toMatchObject({
        status: 'exists',
        number: issued.number,
      });
      const issuer = sys.app.get(CertificateIssuer);
      const again = await Promise.all([1, 2, 3].map(() => issuer.issue(issued.resultRevisionId)));
      expect(again.map((o) => o.status)).toEqual(['exists', 'exists', 'exists']);
      const rows = await sys.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM certificate WHERE result_revision_id = $1`, [issued.resultRevisionId]);
      expect(rows[0].n).toBe(1);
    });

    it('issues concurrent approvals with unique, gapless numbers', async () => {
      const issuer = sys.app.get(CertificateIssuer);
      const drafts = await Promise.all(
        Array.from({ length: 6 }, async () =>
          source.add(calibrationDraft({ ...(await customer()), measurementDate: recently })),
        ),
      );
      const outcomes = await Promise.all(drafts.map((d) => issuer.issue(d.resultRevisionId)));
      expect(outcomes.every((o) => o.status === 'issued')).toBe(true);
      const rows: { kind: string; year: number; sequence: number }[] = await sys.app
        .get(DataSource)
        .query(`SELECT kind, year, sequence FROM certificate`);
      for (const kind of ['verification', 'calibration']) {
        const sequences = rows.filter((x) => x.kind === kind).map((x) => x.sequence);
        expect({ kind, missing: missingSequences(sequences) }).toEqual({ kind, missing: [] });
        expect(new Set(sequences).size).toBe(sequences.length);
      }
    });

    it('shows the certificate on the list, filtered, to staff', async () => {
      const res = await sys
        .http()
        .get('/certificates')
        .query({ resultRevisionId: issued.resultRevisionId })
        .set(...technician)
        .expect(200);
      expect(res.body.items).toEqual([expect.objectContaining({ id: issued.id, number: issued.number })]);
      const page = await sys
        .http()
        .get('/certificates')
        .query({ limit: 2, status: 'valid' })
        .set(...technician)
        .expect(200);
      expect(page.body.items).toHaveLength(2);
      const next = await sys
        .http()
        .get('/certificates')
        .query({ limit: 2, status: 'valid', cursor: page.body.nextCursor })
        .set(...technician)
        .expect(200);
      expect(next.body.items.map((c: { id: string }) => c.id)).not.toContain(page.body.items[0].id);
    });

    it('answers the public lookup with the status and nothing private', async () => {
      const res = await publicLookup(issued.number).expect(200);
      expect(res.body).toEqual({
        number: issued.number,
        kind: 'verification',
        status: 'valid',
        issueDate: today,
        validUntil: issued.validUntil,
        conformity: 'pass',
        instrument: { type: 'Cột đo xăng dầu', serial: issued.item.serial },
        owner: 'Cửa hàng xăng dầu Ấp Mới',
        laboratory: 'Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng',
        stampSerial: issued.stamp!.serial,
        replaces: null,
        supersededBy: null,
        revokedOn: null,
      });
      // As typed on a phone: no Đ, lower case, short sequence.
      const typed = issued.number.replace('KĐ', 'kd').replace(/-0+/, '-');
      await publicLookup(typed).expect(200);
      const unknown = await publicLookup(`KĐ-${today.slice(0, 4)}-999999`).expect(404);
      expect(unknown.body).toMatchObject({ status: 'unknown' });
      await publicLookup('nonsense').expect(404);
      // The framework's controller answers what the lookup fast path leaves to it, the same way.
      const viaController = await sys
        .http()
        .get(`/public/certificates/${encodeURIComponent(issued.number)}?via=controller`)
        .expect(200);
      expect(viaController.body).toEqual(res.body);
    });

    it('answers the stamp lookup', async () => {
      const res = await sys.http().get(`/public/stamps/${issued.stamp!.serial}`).expect(200);
      expect(res.body).toMatchObject({
        serial: issued.stamp!.serial,
        status: 'valid',
        validUntil: issued.validUntil,
        certificate: { number: issued.number, status: 'valid' },
      });
      await sys
        .http()
        .get(`/public/stamps/TEM-2000-000001`)
        .expect(404, { serial: 'TEM-2000-000001', status: 'unknown' });
    });

    it('tells the issued file from a tampered one', async () => {
      const exact = await sys.http().post('/public/certificates/verify').attach('file', file, 'c.pdf').expect(200);
      expect(exact.body).toMatchObject({
        exact: true,
        certificate: { number: issued.number, status: 'valid' },
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
        .get(`/verify/${encodeURIComponent(issued.number)}`)
        .expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('CÒN HIỆU LỰC');
      expect(res.text).toContain(`Số: ${issued.number}`);
      expect(res.text).toContain('name="viewport"');
      const missing = await sys
        .http()
        .get(`/verify/${encodeURIComponent('<script>x</script>')}`)
        .expect(404);
      expect(missing.text).toContain('KHÔNG TÌM THẤY');
      expect(missing.text).not.toContain('<script>x');
      const stamp = await sys.http().get(`/verify/stamps/${issued.stamp!.serial}`).expect(200);
      expect(stamp.text).toContain('Tem số');
    });

    it('refuses to edit or delete an issued certificate or stamp in the database', async () => {
      const db = sys.app.get(DataSource);
      await expect(db.query(`UPDATE certificate SET owner_name = 'x' WHERE id = $1`, [issued.id])).rejects.toThrow(
        /never edited/,
      );
      await expect(db.query(`DELETE FROM certificate WHERE id = $1`, [issued.id])).rejects.toThrow(/never deleted/);
      await expect(
        db.query(`UPDATE verification_stamp SET valid_until = '2099-01-01' WHERE serial = $1`, [issued.stamp!.serial]),
      ).rejects.toThrow(/never changed/);
    });
  });

  describe('customers', () => {
    it('download their own certificates and get 404 on anybody else’s', async () => {
      const mine = await issue({ ...(await customer()), measurementDate: recently });
      const theirs = await issue({ ...(await customer()), measurementDate: recently });
      const key: [string, string] = ['X-Api-Key', await businessKey(sys, mine.organizationId)];
      const file = await pdf(mine.id, key);
      expect(verifyPdfSignature(file).intact).toBe(true);
      await sys
        .http()
        .get(`/certificates/${theirs.id}/pdf`)
        .set(...key)
        .expect(404);
      await sys
        .http()
        .get(`/certificates/${theirs.id}`)
        .set(...key)
        .expect(404);
      await sys
        .http()
        .get(`/certificate-issues/${theirs.resultRevisionId}`)
        .set(...key)
        .expect(404);
      const list = await sys
        .http()
        .get('/certificates')
        .set(...key)
        .expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
      await sys
        .http()
        .post(`/certificates/${mine.id}/revoke`)
        .set(...key)
        .send({ reason: 'x' })
        .expect(403);
    });

    it('hear of it by webhook, from the issuing transaction', async () => {
      const receiver = await startWebhookReceiver();
      try {
        const ids = await customer();
        await sys.app
          .get(WebhookService)
          .create(
            ids.organizationId,
            { url: receiver.url, events: ['certificate.issued'] },
            { kind: 'staff', userId: randomUUID(), username: 'admin', fullName: 'Admin', roles: ['admin'] },
          );
        const issued = await issue({ ...ids, measurementDate: recently });
        const hook = await eventually(async () => receiver.received[0]);
        expect(hook.json).toMatchObject({
          type: 'certificate.issued',
          organizationId: ids.organizationId,
          data: {
            certificateId: issued.id,
            number: issued.number,
            stampSerial: issued.stamp!.serial,
            sha256: issued.file.sha256,
          },
        });
      } finally {
        await receiver.close();
      }
    });
  });

  describe('after issue', () => {
    it('amends from a corrected revision: a new number naming the old one, which reads superseded', async () => {
      const ids = await customer();
      const original = await issue({ ...ids, measurementDate: recently });
      // A corrected revision of the same result is approved: the queue does not issue over the current certificate.
      const corrected = source.add(draft({ ...ids, measurementDate: recently, resultId: original.resultId }));
      await requestIssue(sys, corrected.resultRevisionId);
      const waiting = await eventually(async () => {
        const res = await sys
          .http()
          .get(`/certificate-issues/${corrected.resultRevisionId}`)
          .set(...reviewer)
          .expect(200);
        return res.body.status === 'pending' ? undefined : res.body;
      });
      expect(waiting).toMatchObject({
        status: 'amendment_required',
        current: { id: original.id, number: original.number },
      });

      await sys
        .http()
        .post(`/certificates/${original.id}/amend`)
        .set(...technician)
        .send({ reason: 'x' })
        .expect(403);
      await sys
        .http()
        .post(`/certificates/${original.id}/amend`)
        .set(...reviewer)
        .send({})
        .expect(400);
      const other = source.add(draft({ ...ids, measurementDate: recently }));
      await sys
        .http()
        .post(`/certificates/${original.id}/amend`)
        .set(...reviewer)
        .send({ reason: 'Sửa sai số đọc', resultRevisionId: other.resultRevisionId })
        .expect(422);

      const res = await sys
        .http()
        .post(`/certificates/${original.id}/amend`)
        .set(...reviewer)
        .send({ reason: 'Sửa sai số đọc ở Qmin', resultRevisionId: corrected.resultRevisionId })
        .expect(201);
      const amended = res.body;
      expect(amended).toMatchObject({
        status: 'valid',
        resultRevisionId: corrected.resultRevisionId,
        replaces: { id: original.id, number: original.number, reason: 'Sửa sai số đọc ở Qmin' },
      });
      expect(amended.number).not.toBe(original.number);
      expect(amended.stamp!.serial).not.toBe(original.stamp!.serial);

      const old = await sys
        .http()
        .get(`/certificates/${original.id}`)
        .set(...reviewer)
        .expect(200);
      expect(old.body).toMatchObject({
        status: 'superseded',
        supersededBy: { id: amended.id, number: amended.number },
      });
      expect((await publicLookup(original.number).expect(200)).body).toMatchObject({
        status: 'superseded',
        supersededBy: amended.number,
      });
      expect((await publicLookup(amended.number).expect(200)).body).toMatchObject({
        status: 'valid',
        replaces: original.number,
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
        expect(text).toContain('Sửa sai số đọc ở Qmin');
      }
      // The queue's job, run again, now finds the revision issued; the old certificate cannot be amended twice.
      expect((await sys.app.get(CertificateIssuer).issue(corrected.resultRevisionId)).status).toBe('exists');
      await sys
        .http()
        .post(`/certificates/${original.id}/amend`)
        .set(...reviewer)
        .send({ reason: 'again' })
        .expect(409);
      // Re-issued from its own revision (a correction outside the results).
      const reissued = await sys
        .http()
        .post(`/certificates/${amended.id}/amend`)
        .set(...admin)
        .send({ reason: 'Sửa địa chỉ khách hàng' })
        .expect(201);
      expect(reissued.body).toMatchObject({
        resultRevisionId: corrected.resultRevisionId,
        replaces: { number: amended.number },
      });
    });

    it('revokes with a reason: the public reads revoked; nothing further is accepted', async () => {
      const issued = await issue({ ...(await customer()), measurementDate: recently });
      // Looked up (and so cached) before the revocation: the revocation must still show at once.
      expect((await publicLookup(issued.number).expect(200)).body).toMatchObject({ status: 'valid' });
      await sys
        .http()
        .post(`/certificates/${issued.id}/revoke`)
        .set(...reviewer)
        .send({})
        .expect(400);
      const res = await sys
        .http()
        .post(`/certificates/${issued.id}/revoke`)
        .set(...reviewer)
        .send({ reason: 'Chuẩn dùng để kiểm định bị phát hiện sai lệch' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'revoked',
        revocation: { reason: 'Chuẩn dùng để kiểm định bị phát hiện sai lệch' },
      });
      expect((await publicLookup(issued.number).expect(200)).body).toMatchObject({
        status: 'revoked',
        revokedOn: today,
      });
      expect((await sys.http().get(`/public/stamps/${issued.stamp!.serial}`).expect(200)).body).toMatchObject({
        status: 'revoked',
      });
      await sys
        .http()
        .post(`/certificates/${issued.id}/revoke`)
        .set(...reviewer)
        .send({ reason: 'again' })
        .expect(409);
      await sys
        .http()
        .post(`/certificates/${issued.id}/amend`)
        .set(...reviewer)
        .send({ reason: 'x' })
        .expect(409);
      await expect(
        sys.app.get(DataSource).query(`UPDATE certificate SET revocation_reason = 'other' WHERE id = $1`, [issued.id]),
      ).rejects.toThrow(/revocation is never changed/);
    });

    it('reads expired once the validity date has passed', async () => {
      const issued = await issue({ ...(await customer()), measurementDate: '2020-02-10' });
      expect(issued).toMatchObject({ validUntil: '2021-02-10', status: 'expired' });
      expect((await publicLookup(issued.number).expect(200)).body).toMatchObject({
        status: 'expired',
        validUntil: '2021-02-10',
      });
      expect((await sys.http().get(`/public/stamps/${issued.stamp!.serial}`).expect(200)).body).toMatchObject({
        status: 'expired',
      });
      const page = await sys
        .http()
        .get(`/verify/${encodeURIComponent(issued.number)}`)
        .expect(200);
      expect(page.text).toContain('HẾT HIỆU LỰC');
      expect(page.text).toContain('10/02/2021');
      const list = await sys
        .http()
        .get('/certificates')
        .query({ status: 'expired' })
        .set(...admin)
        .expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toContain(issued.id);
    });

    it('gives a failed verification no stamp and no validity', async () => {
      const issued = await issue({ ...(await customer()), measurementDate: recently, outcome: 'fail' });
      expect(issued).toMatchObject({ outcome: 'fail', stamp: null, validUntil: null, status: 'valid' });
      expect((await publicLookup(issued.number).expect(200)).body).toMatchObject({
        conformity: 'fail',
        stampSerial: null,
      });
    });
  });

  describe('failures', () => {
    it('fails an unprintable revision at once, taking no number', async () => {
      const db = sys.app.get(DataSource);
      const before = await db.query(`SELECT coalesce(sum(last), 0)::int AS n FROM certificate_series`);
      const bad = source.add(
        draft({ ...(await customer()), measurementDate: recently, content: { authorisedSignatory: { name: ' ' } } }),
      );
      await requestIssue(sys, bad.resultRevisionId);
      const state = await eventually(async () => {
        const res = await sys
          .http()
          .get(`/certificate-issues/${bad.resultRevisionId}`)
          .set(...admin)
          .expect(200);
        return res.body.status === 'failed' ? res.body : undefined;
      });
      expect(state.job).toMatchObject({
        state: 'failed',
        attemptsMade: 1,
        failedReason: expect.stringContaining('authorisedSignatory.name'),
      });
      expect(await db.query(`SELECT coalesce(sum(last), 0)::int AS n FROM certificate_series`)).toEqual(before);
      const unknown = await sys
        .http()
        .get(`/certificate-issues/${randomUUID()}`)
        .set(...admin)
        .expect(200);
      expect(unknown.body).toMatchObject({ status: 'not_requested', certificate: null });
    });
  });

  describe('queue dashboard', () => {
    it('is for admins only', async () => {
      await sys.http().get('/admin/queues').expect(401);
      await sys
        .http()
        .get('/admin/queues')
        .set(...reviewer)
        .expect(403);
      const page = await sys
        .http()
        .get('/admin/queues')
        .set(...admin)
        .expect(200);
      expect(page.text).toContain('<html');
      const queues = await sys
        .http()
        .get('/admin/queues/api/queues')
        .set(...admin)
        .expect(200);
      expect(JSON.stringify(queues.body)).toContain('certificates');
      // A browser: the session call sets an HttpOnly cookie that opens the dashboard.
      const session = await sys
        .http()
        .post('/admin/queue-dashboard/session')
        .set(...admin)
        .expect(204);
      const cookie = String(session.headers['set-cookie']);
      expect(cookie).toMatch(/tdc_queue_dashboard=.*HttpOnly.*SameSite=Strict/i);
      await sys.http().get('/admin/queues').set('Cookie', cookie.split(';')[0]!).expect(200);
      await sys
        .http()
        .post('/admin/queue-dashboard/session')
        .set(...reviewer)
        .expect(403);
    });
  });
});

describe('public verification rate limit', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem({ env: { PUBLIC_RATE_LIMIT: '3', PUBLIC_RATE_LIMIT_WINDOW_MS: '60000' } });
  });
  afterAll(async () => sys?.close());

  it('answers 429 with Retry-After past the limit, on public routes only', async () => {
    for (let i = 0; i < 3; i++) await sys.http().get('/public/certificates/KĐ-2026-000001').expect(404);
    const res = await sys.http().get('/public/certificates/KĐ-2026-000001').expect(429);
    expect(res.body).toMatchObject({ code: 'public.rate_limited' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
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
