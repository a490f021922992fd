// The certificate path sends one statement at a time on each database connection: from approval to
// the issue, an amendment and a revocation. A second query on a connection that is still executing
// one is what pg deprecates ("Calling client.query() when the client is already executing a query",
// removed in pg 9): inside a transaction it is Promise.all on the transaction's EntityManager.
import pg from 'pg';
import { approvedCorrection, approvedVerification, certificateWorld, issueState } from './support/certificates.js';
import { as } from './support/http.js';
import { startTestSystem, type TestSystem } from './support/system.js';

interface PgClient {
  _activeQuery?: unknown;
  _queryQueue: unknown[];
  readyForQuery?: boolean;
}

/**
 * Records every query sent to a pg client (TypeORM's pool clients, the worker's and the API's:
 * both run in this process) while that client is busy with another, with where it was sent from.
 * Checked in the client as pg checks it, but from the second query on (pg warns from the third,
 * and once per process), so a test run sees each place and not only the first.
 */
function watchConcurrentQueries(): { found: string[]; stop(): void } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  const found: string[] = [];
  proto.query = function (this: PgClient, ...args: unknown[]) {
    if (this._activeQuery || this._queryQueue.length > 0) {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
      found.push(`${text.slice(0, 100)}\n${new Error('sent from').stack}`);
    }
    return query.apply(this, args);
  };
  return { found, stop: () => (proto.query = query) };
}

describe('certificate path: one query at a time per connection', () => {
  let sys: TestSystem;
  let watch: ReturnType<typeof watchConcurrentQueries>;

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true });
  }, 120_000);
  afterAll(async () => {
    watch?.stop();
    await sys?.close();
  });

  it('approval, issue (passed and failed), amendment and revocation send no query to a busy connection', async () => {
    const w = await certificateWorld(sys);
    watch = watchConcurrentQueries();

    // Several at once, as the worker takes them (WORKER_CONCURRENCY 4), a failed verification among them.
    const approved = await Promise.all([
      approvedVerification(w),
      approvedVerification(w),
      approvedVerification(w, { pass: false }),
      approvedVerification(w),
    ]);
    const states = await Promise.all(approved.map((a) => issueState(w, a.revisionId)));
    expect(states.map((s) => s.status)).toEqual(['issued', 'issued', 'issued', 'issued']);

    const [first, second] = states.map((s) => s.certificate!);
    const corrected = await approvedCorrection(w, approved[0]!, 'Nhiệt độ môi trường ghi sai');
    expect((await issueState(w, corrected.revisionId)).status).toBe('amendment_required');
    await as(sys, w.reviewer)
      .post(`/certificates/${first!.id}/amend`)
      .send({ reason: 'Sửa nhiệt độ môi trường', resultRevisionId: corrected.revisionId })
      .expect(201);
    await as(sys, w.reviewer).post(`/certificates/${second!.id}/revoke`).send({ reason: 'Cấp nhầm' }).expect(200);
    await as(sys, w.technician).get(`/certificates?limit=50`).expect(200);

    expect(watch.found).toEqual([]);
    // Five verifications, four certificates and an amendment: about 20 s alone, near a minute on a loaded machine.
  }, 180_000);
});
