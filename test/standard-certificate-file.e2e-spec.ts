// A standard's own calibration certificate (the PDF from VMI or another laboratory) attached to its
// calibration record: multipart upload, PDF only, size-limited, kept by SHA-256, downloaded as
// uploaded, shown in the standard's view, replaced only with an audit entry naming both digests.
import { createHash } from 'node:crypto';
import { MAX_STANDARD_CERTIFICATE_BYTES } from '#libs/registry';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, expectStatus, type Body } from './support/http.js';
import { binary } from './support/certificates.js';
import { createCustomer, createStandardWithCertificate, staffSession, type StaffSession } from './support/factories.js';

const pdf = (text: string): Buffer => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe("a standard's calibration certificate PDF", () => {
  let sys: TestSystem;
  let technician: StaffSession;
  let standard: Body;
  let calibration: Body;
  let path: string;

  beforeAll(async () => {
    sys = await startTestSystem();
    const admin = await staffSession(sys, ['admin']);
    technician = await staffSession(sys, ['technician']);
    ({ standard, certificate: calibration } = await createStandardWithCertificate(sys, admin));
    path = `/standards/${standard.id}/calibrations/${calibration.id}/certificate`;
  });
  afterAll(async () => sys?.close());

  const upload = (file: Buffer, name = 'GCN-VMI-2026.pdf', who: { token: string } | { key: string } = technician) =>
    as(sys, who).put(path).attach('file', file, name);

  it('stores the PDF by SHA-256, shows it in the views and gives it back byte for byte', async () => {
    const file = pdf('Giấy chứng nhận hiệu chuẩn — Viện Đo lường Việt Nam');
    const attached = await expectStatus<Body>(upload(file, 'GCN VMI số 07.pdf'), 200);
    expect(attached).toEqual({
      sha256: sha(file),
      byteSize: file.length,
      fileName: 'GCN VMI số 07.pdf',
      downloadUrl: path,
    });
    const view = await expectStatus<Body>(as(sys, technician).get(`/standards/${standard.id}`), 200);
    expect(view.latestCalibration.certificateFile).toEqual(attached);
    const list = await expectStatus<Body>(as(sys, technician).get(`/standards/${standard.id}/calibrations`), 200);
    expect(list.items[0].certificateFile).toEqual(attached);
    const got = await as(sys, technician).get(path).buffer(true).parse(binary).expect(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(got.body as Buffer, file)).toBe(0);
  });

  it('replaces it with an audit entry naming both digests', async () => {
    const first = await expectStatus<Body>(as(sys, technician).get(`/standards/${standard.id}`), 200);
    const second = pdf('bản quét lại');
    await expectStatus(upload(second), 200);
    const audit = await sys.runtime.dataSource.query(
      `SELECT before, after FROM audit_event WHERE entity = 'standard_calibration' AND entity_id = $1 ORDER BY id`,
      [calibration.id],
    );
    expect(audit.at(-1)).toMatchObject({
      before: { sha256: first.latestCalibration.certificateFile.sha256 },
      after: { sha256: sha(second) },
    });
  });

  it('refuses what is not a PDF, too large, or from who may not', async () => {
    const notPdf = await expectStatus<{ errors: { field: string }[] }>(upload(Buffer.from('<html>')), 400);
    expect(notPdf.errors[0]!.field).toBe('file');
    await expectStatus(as(sys, technician).put(path), 400);
    const big = Buffer.concat([pdf('x'), Buffer.alloc(MAX_STANDARD_CERTIFICATE_BYTES)]);
    await expectStatus(upload(big), 413);
    const reviewer = await staffSession(sys, ['reviewer']);
    await expectStatus(upload(pdf('y'), 'a.pdf', reviewer), 403);
    await expectStatus(upload(pdf('y'), 'a.pdf', await createCustomer(sys)), 403);
    const other = await createStandardWithCertificate(sys, technician);
    await expectStatus(
      as(sys, technician).get(`/standards/${standard.id}/calibrations/${other.certificate.id}/certificate`),
      404,
    );
    const fresh = `/standards/${other.standard.id}/calibrations/${other.certificate.id}/certificate`;
    const none = await expectStatus<{ code: string }>(as(sys, technician).get(fresh), 404);
    expect(none.code).toBe('standard_certificate_file.not_found');
  });
});
