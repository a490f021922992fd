import { DataSource } from 'typeorm';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';

/**
 * Integration (real PostgreSQL, the worker's real sweeper): settled outbox rows are pruned after
 * OUTBOX_RETENTION_DAYS when nothing reads them any more; failed and completed rows, which the
 * certificate issue status reads, stay.
 */
describe('outbox retention', () => {
  let sys: TestSystem;
  let db: DataSource;

  beforeAll(async () => {
    sys = await startTestSystem({
      worker: true,
      env: { OUTBOX_RECONCILE_INTERVAL_MS: '200', OUTBOX_RETENTION_DAYS: '7' },
    });
    db = sys.app.get(DataSource);
  }, 60_000);
  afterAll(async () => sys?.close());

  /** A settled row, `daysAgo` days after it settled. */
  async function settled(outcome: string, daysAgo: number): Promise<string> {
    const [row] = (await db.query(
      `INSERT INTO outbox_message (job_name, job_id, payload, dispatched_at, settled_at, outcome)
       VALUES ('system.ping', $1, '{}', now() - make_interval(days => $2), now() - make_interval(days => $2), $3)
       RETURNING id`,
      [`retention:${outcome}:${daysAgo}:${Math.random()}`, daysAgo, outcome],
    )) as { id: string }[];
    return row!.id;
  }
  const existing = async (ids: string[]): Promise<string[]> =>
    (
      (await db.query(`SELECT id FROM outbox_message WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids])) as {
        id: string;
      }[]
    ).map((r) => r.id);

  it('the worker prunes rows settled as done or superseded more than the retention ago, and nothing else', async () => {
    const oldDone = await settled('done', 8);
    const oldSuperseded = await settled('superseded', 30);
    const oldFailed = await settled('failed', 30);
    const oldCompleted = await settled('completed', 30);
    const recentDone = await settled('done', 6);
    const all = [oldDone, oldSuperseded, oldFailed, oldCompleted, recentDone];
    const kept = [oldFailed, oldCompleted, recentDone];
    await eventually(async () => ((await existing(all)).length === kept.length ? true : undefined));
    expect(await existing(all)).toEqual(kept);
  });
});
