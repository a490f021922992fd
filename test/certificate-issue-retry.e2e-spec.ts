import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { CertificateIssueView, FailedCertificateIssuePage } from '#libs/certificates';
import { addMonths } from '#libs/registry';
import { approvedVerification, certificateWorld, issueState, type CertificateWorld } from './support/certificates.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, type Who } from './support/http.js';

/**
 * A certificate job that fails for a real reason is visible through the API and an admin retries it
 * once the cause is fixed. A type without a cycle (whose certificate would lack a validity date) is
 * refused at contract review and at approval; what is left to fail after approval is the system around the data. Here the certificate
 * storage is gone (its directory replaced by a file, as an unmounted volume would leave it): every
 * attempt fails, the job ends failed with the reason, and once the storage is back an admin retries.
 */
describe('certificate issues that fail', () => {
  let sys: TestSystem;
  let w: CertificateWorld;

  beforeAll(async () => {
    // Five attempts 100 ms apart, doubling (≈ 1.5 s), not the default ≈ 30 s, before an issue fails.
    sys = await startTestSystem({ worker: true, env: { QUEUE_RETRY_DELAY_MS: '100' } });
    w = await certificateWorld(sys);
    await breakStorage();
  });
  afterAll(async () => sys?.close());

  const storageDir = () => sys.env.CERTIFICATE_STORAGE_DIR ?? join(sys.env.DATA_DIR, 'certificates');
  async function breakStorage(): Promise<void> {
    await rm(storageDir(), { recursive: true, force: true });
    await writeFile(storageDir(), 'not a directory');
  }
  async function restoreStorage(): Promise<void> {
    await rm(storageDir(), { force: true });
    await mkdir(storageDir(), { recursive: true });
  }
  /** A storage failure is retried with backoff (5 attempts, QUEUE_RETRY_DELAY_MS doubling) before the job is failed. */
  async function failedState(revisionId: string): Promise<CertificateIssueView> {
    for (let i = 0; i < 180; i++) {
      const res = await as(sys, w.admin).get(`/certificate-issues/${revisionId}`);
      const state = res.body as CertificateIssueView;
      if (state.status === 'failed') return state;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`issue of ${revisionId} did not fail`);
  }

  const retry = (revisionId: string, who: Who) => as(sys, who).post(`/certificate-issues/${revisionId}/retry`);
  const failedList = (who: Who, query: Record<string, string> = { status: 'failed' }) =>
    as(sys, who).get('/certificate-issues').query(query);

  // Before the catalogue is fixed (the last test fixes it): every issue of this world fails.
  it('pages the failed issues', async () => {
    const more = await Promise.all([approvedVerification(w), approvedVerification(w)]);
    for (const a of more) expect(await failedState(a.revisionId)).toMatchObject({ status: 'failed' });
    const first = (await failedList(w.admin, { status: 'failed', limit: '1' }).expect(200))
      .body as FailedCertificateIssuePage;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (await failedList(w.admin, { status: 'failed', limit: '1', cursor: first.nextCursor! }).expect(200))
      .body as FailedCertificateIssuePage;
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.resultRevisionId).not.toBe(first.items[0]!.resultRevisionId);
    await failedList(w.admin, { status: 'failed', cursor: 'nonsense' }).expect(400);
  }, 120_000);

  it('shows the failure with its reason, lists it for admins, and issues exactly once after the fix and a retry', async () => {
    const a = await approvedVerification(w);
    const failed = await failedState(a.revisionId);
    expect(failed).toMatchObject({
      status: 'failed',
      certificate: null,
      job: { state: 'failed', failedReason: expect.stringMatching(/ENOTDIR|EEXIST|not a directory/) },
    });

    // Admins find it without the dashboard; nobody else may look or retry.
    const list = (await failedList(w.admin).expect(200)).body as FailedCertificateIssuePage;
    expect(list.items).toContainEqual(
      expect.objectContaining({
        resultRevisionId: a.revisionId,
        status: 'failed',
        failedReason: failed.job!.failedReason,
        attemptsMade: 5,
      }),
    );
    await failedList(w.reviewer).expect(403);
    await failedList(w.admin, {}).expect(400);
    await retry(a.revisionId, w.reviewer).expect(403);
    await retry(a.revisionId, w.technician).expect(403);
    await retry(randomUUID(), w.admin).expect(404);

    // The fix: the storage is back.
    await restoreStorage();

    // Two admins click at once: one retry is queued, the other is told it is pending (or issued).
    const clicks = await Promise.all([retry(a.revisionId, w.admin), retry(a.revisionId, w.admin)]);
    expect(clicks.map((r) => r.status).sort()).toEqual([202, 409]);
    const accepted = clicks.find((r) => r.status === 202)!.body as CertificateIssueView;
    expect(['queued', 'running', 'issued']).toContain(accepted.status);
    expect(clicks.find((r) => r.status === 409)!.body).toMatchObject({
      code: expect.stringMatching(/^certificate\.(issue_pending|already_issued)$/),
    });

    const issued = await issueState(w, a.revisionId);
    expect(issued).toMatchObject({
      status: 'issued',
      certificate: { resultRevisionId: a.revisionId, validUntil: addMonths(a.measuredOn, 12), status: 'valid' },
    });
    const certificates = await as(sys, w.admin)
      .get('/certificates')
      .query({ resultRevisionId: a.revisionId })
      .expect(200);
    expect(certificates.body.items).toHaveLength(1);
    await retry(a.revisionId, w.admin).expect(409);
    const after = (await failedList(w.admin).expect(200)).body as FailedCertificateIssuePage;
    expect(after.items.map((i) => i.resultRevisionId)).not.toContain(a.revisionId);

    const audit = (await sys.app
      .get(DataSource)
      .query(
        `SELECT actor_id, before FROM audit_event WHERE entity = 'certificate_issue' AND entity_id = $1 AND action = 'retry'`,
        [a.revisionId],
      )) as { before: { state: string; failedReason: string } }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toMatchObject({ state: 'failed', failedReason: failed.job!.failedReason });
  }, 120_000);
});
