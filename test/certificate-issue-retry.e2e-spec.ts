import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { CertificateIssueView, FailedCertificateIssuePage } from '#libs/certificates';
import { addMonths } from '#libs/registry';
import { api, ok } from './support/calibration.js';
import { approvedVerification, certificateWorld, issueState, type CertificateWorld } from './support/certificates.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * A certificate job that fails for a real reason is visible through the API and an admin retries it
 * once the data is fixed (issue 9, item 3). The reason here is the one the issue reports: a fuel
 * dispenser type without a verification cycle passes contract review and approval, and the issue
 * then fails because the certificate has no validity date.
 */
describe('certificate issues that fail', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  let auth: { admin: [string, string]; reviewer: [string, string]; technician: [string, string] };

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true });
    w = await certificateWorld(sys, { fuelType: { cycles: [] } });
    const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];
    auth = { admin: bearer(w.admin.token), reviewer: bearer(w.reviewer.token), technician: bearer(w.technician.token) };
  });
  afterAll(async () => sys?.close());

  const retry = (revisionId: string, as: [string, string]) =>
    sys
      .http()
      .post(`/certificate-issues/${revisionId}/retry`)
      .set(...as);
  const failedList = (as: [string, string], query: Record<string, string> = { status: 'failed' }) =>
    sys
      .http()
      .get('/certificate-issues')
      .query(query)
      .set(...as);

  // Before the catalogue is fixed (the last test fixes it): every issue of this world fails.
  it('pages the failed issues', async () => {
    const more = await Promise.all([approvedVerification(w), approvedVerification(w)]);
    for (const a of more) expect(await issueState(w, a.revisionId)).toMatchObject({ status: 'failed' });
    const first = (await failedList(auth.admin, { status: 'failed', limit: '1' }).expect(200))
      .body as FailedCertificateIssuePage;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (
      await failedList(auth.admin, { status: 'failed', limit: '1', cursor: first.nextCursor! }).expect(200)
    ).body as FailedCertificateIssuePage;
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.resultRevisionId).not.toBe(first.items[0]!.resultRevisionId);
    await failedList(auth.admin, { status: 'failed', cursor: 'nonsense' }).expect(400);
  });

  it('shows the failure with its reason, lists it for admins, and issues exactly once after the fix and a retry', async () => {
    const a = await approvedVerification(w);
    const failed = await issueState(w, a.revisionId);
    expect(failed).toMatchObject({
      status: 'failed',
      certificate: null,
      job: { state: 'failed', failedReason: expect.stringMatching(/verification\.validUntil must be a calendar date/) },
    });

    // Admins find it without the dashboard; nobody else may look or retry.
    const list = (await failedList(auth.admin).expect(200)).body as FailedCertificateIssuePage;
    expect(list.items).toContainEqual(
      expect.objectContaining({
        resultRevisionId: a.revisionId,
        status: 'failed',
        failedReason: failed.job!.failedReason,
        attemptsMade: 1,
      }),
    );
    await failedList(auth.reviewer).expect(403);
    await failedList(auth.admin, {}).expect(400);
    await retry(a.revisionId, auth.reviewer).expect(403);
    await retry(a.revisionId, auth.technician).expect(403);
    await retry(randomUUID(), auth.admin).expect(404);

    // A retry before the data is fixed fails again, for the same reason (and is allowed again).
    await retry(a.revisionId, auth.admin).expect(202);
    expect(await issueState(w, a.revisionId)).toMatchObject({
      status: 'failed',
      job: { failedReason: failed.job!.failedReason },
    });

    // The fix: the type's verification cycle (the registry recomputes the instrument's due date).
    ok(
      await api(sys).post(
        `/instrument-types/${w.fuelType.id}/cycles`,
        { cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013/TT-BKHCN' },
        w.admin,
      ),
      'add cycle',
    );

    // Two admins click at once: one retry is queued, the other is told it is pending (or issued).
    const clicks = await Promise.all([retry(a.revisionId, auth.admin), retry(a.revisionId, auth.admin)]);
    expect(clicks.map((r) => r.status).sort()).toEqual([202, 409]);
    const accepted = clicks.find((r) => r.status === 202)!.body as CertificateIssueView;
    expect(['pending', 'issued']).toContain(accepted.status);
    expect(clicks.find((r) => r.status === 409)!.body).toMatchObject({
      code: expect.stringMatching(/^certificate\.(issue_pending|already_issued)$/),
    });

    const issued = await issueState(w, a.revisionId);
    expect(issued).toMatchObject({
      status: 'issued',
      certificate: { resultRevisionId: a.revisionId, validUntil: addMonths(a.measuredOn, 12), status: 'valid' },
    });
    const certificates = await sys
      .http()
      .get('/certificates')
      .query({ resultRevisionId: a.revisionId })
      .set(...auth.admin)
      .expect(200);
    expect(certificates.body.items).toHaveLength(1);
    await retry(a.revisionId, auth.admin).expect(409);
    const after = (await failedList(auth.admin).expect(200)).body as FailedCertificateIssuePage;
    expect(after.items.map((i) => i.resultRevisionId)).not.toContain(a.revisionId);

    const audit = (await sys.app
      .get(DataSource)
      .query(
        `SELECT actor_id, before FROM audit_event WHERE entity = 'certificate_issue' AND entity_id = $1 AND action = 'retry'`,
        [a.revisionId],
      )) as { before: { state: string; failedReason: string } }[];
    expect(audit).toHaveLength(2);
    expect(audit[0]!.before).toMatchObject({ state: 'failed', failedReason: failed.job!.failedReason });
  });
});
