import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ALL_QUEUES, jobId, JobQueue, OutboxReconciler, type JobName } from '#libs/core';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * Integration (real PostgreSQL, real queue on either backend, the worker's real handlers): which
 * outbox rows one sweep looks at and what it does with each. The queues are paused, so a job the
 * sweep enqueues stays where it is; the periodic sweep is set to an hour, so only the sweeps this test
 * runs happen. A batch of 2 shows the bound: oldest first, then on from where the last sweep stopped.
 */
describe.each(['redis', 'postgres'] as const)('outbox reconciliation selection (%s queue)', (queue) => {
  let sys: TestSystem;
  let db: DataSource;
  let jobs: JobQueue;
  let reconciler: OutboxReconciler;

  beforeAll(async () => {
    sys = await startTestSystem({
      queue,
      worker: true,
      env: { OUTBOX_RECONCILE_INTERVAL_MS: '3600000', OUTBOX_RECONCILE_BATCH: '2' },
    });
    db = sys.app.get(DataSource);
    jobs = sys.app.get(JobQueue);
    reconciler = sys.worker!.get(OutboxReconciler);
    for (const q of ALL_QUEUES) await jobs.queue(q).pause();
  }, 60_000);
  afterAll(async () => sys?.close());

  async function ping(processed: boolean): Promise<string> {
    const [row] = (await db.query(
      `INSERT INTO system_ping (processed_at) VALUES (${processed ? 'now()' : 'NULL'}) RETURNING id`,
    )) as { id: string }[];
    return row!.id;
  }
  /** An outbox row as the flush leaves it: dispatched. */
  async function dispatched(name: JobName, id: string, payload: object): Promise<string> {
    const [row] = (await db.query(
      `INSERT INTO outbox_message (job_name, job_id, payload, dispatched_at) VALUES ($1, $2, $3, now()) RETURNING id`,
      [name, id, JSON.stringify(payload)],
    )) as { id: string }[];
    return row!.id;
  }
  const outcomes = async (ids: string[]) =>
    (
      (await db.query(`SELECT id, outcome FROM outbox_message WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids])) as {
        id: string;
        outcome: string | null;
      }[]
    ).map((r) => r.outcome);

  it('settles what is done or superseded, enqueues again what the queue lost, waits for what it holds', async () => {
    // A: processed ping, no job (done). B: unprocessed ping, no job (lost). C: unprocessed ping whose job
    // the queue holds. D, E: two requests for one certificate (an admin's retry): D is superseded, E lost.
    const done = await ping(true);
    const lost = await ping(false);
    const held = await ping(false);
    const revision = randomUUID();
    const certificateJob = jobId('certificate', revision);
    await jobs.enqueue('system.ping', { pingId: held }, { jobId: jobId('ping', held) });
    const rows = [
      await dispatched('system.ping', jobId('ping', done), { pingId: done }),
      await dispatched('system.ping', jobId('ping', lost), { pingId: lost }),
      await dispatched('system.ping', jobId('ping', held), { pingId: held }),
      await dispatched('certificate.issue', certificateJob, { resultRevisionId: revision }),
      await dispatched('certificate.issue', certificateJob, { resultRevisionId: revision }),
    ];
    expect(await jobs.state('system.ping', jobId('ping', lost))).toBe('unknown');

    expect(await reconciler.reconcile()).toEqual({ checked: 2, requeued: 1, settled: 1 }); // A, B
    expect(await jobs.state('system.ping', jobId('ping', lost))).not.toBe('unknown');
    expect(await reconciler.reconcile()).toEqual({ checked: 2, requeued: 0, settled: 1 }); // C, D
    expect(await jobs.state('certificate.issue', certificateJob)).toBe('unknown');
    expect(await reconciler.reconcile()).toEqual({ checked: 1, requeued: 1, settled: 0 }); // E; back to the start
    expect(await jobs.state('certificate.issue', certificateJob)).not.toBe('unknown');
    expect(await outcomes(rows)).toEqual(['done', null, null, 'superseded', null]);

    // From the oldest unsettled again: B and C, then E; all held by the queue now, so nothing changes.
    expect(await reconciler.reconcile()).toEqual({ checked: 2, requeued: 0, settled: 0 });
    expect(await reconciler.reconcile()).toEqual({ checked: 1, requeued: 0, settled: 0 });

    // Once the queue runs them, the next sweeps settle every row: the ping's effect is there, and the
    // certificate job (its revision does not exist) failed for good and is left to an admin.
    for (const q of ALL_QUEUES) await jobs.queue(q).resume();
    const deadline = Date.now() + 30_000;
    while ((await outcomes(rows)).includes(null) && Date.now() < deadline) {
      await reconciler.reconcile();
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await outcomes(rows)).toEqual(['done', 'done', 'done', 'superseded', 'failed']);
    expect(await reconciler.reconcile()).toEqual({ checked: 0, requeued: 0, settled: 0 });
  }, 90_000);
});
